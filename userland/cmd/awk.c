/* awk: the POSIX pattern scanning and processing language.
 *
 *   main()          options (-F, -v, -f), the program text, ARGV/ENVIRON
 *   lex()           awk_lex.h: tokens
 *   parse_program() awk_parse.h, awk_parse_stmt.h: the syntax tree
 *   eval()/exec()   awk_eval.h, awk_call.h and this file: expressions,
 *                   built-ins, statements, print/printf, getline
 *   run()           BEGIN items, then each record of each input operand
 *                   (operands of the form var=value assign), then END
 * Values, arrays and variables are in awk_value.h; records, fields and
 * streams in awk_io.h. Regular expressions (ERE) are re.h's matcher.
 * awk's numbers are doubles: the integer-only (rv32ima) build, whose libc has
 * no floating point, gets a program that says so and exits 2. */
#if defined(__riscv) && !(defined(__riscv_flen) && __riscv_flen >= 64)
#include <unistd.h>

int main(void) {
  static const char msg[] = "awk: not available in the integer-only (rv32ima) build\n";
  (void)!write(2, msg, sizeof msg - 1);
  return 2;
}
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "awk_eval.h"
#include "help.h"

static const char usage[] =
    "Usage: awk [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]\n"
    "Scan each input file (or standard input) for lines that match the patterns of the\n"
    "program and run their actions. Supports POSIX awk: BEGIN/END, regex and range\n"
    "patterns, fields, arrays, user functions, getline, printf, output redirection\n"
    "(> >> |) and the POSIX built-in functions.\n";

static void syntax_error(int line) {
  fflush(stdout);
  fprintf(stderr, "awk: syntax error at line %d\n", line);
  exit(2);
}

/* ---- main input ---- */

static struct reader main_r;
static int main_open, main_argi = 1, main_used_file, main_done;

static int assign_operand(const char *arg);

static int open_next_main(void) {
  for (;;) {
    int argc = (int)val_num(&v_ARGC->v);
    if (main_argi >= argc) {
      if (main_used_file) return 0;
      main_used_file = 1;
      main_r = (struct reader){stdin, 0};
      return main_open = 1;
    }
    char key[16];
    snprintf(key, sizeof key, "%d", main_argi++);
    struct elem *e = arr_find(v_ARGV->a, key);
    if (!e) continue;
    const char *arg = val_str(&e->v);
    if (!*arg || assign_operand(arg)) continue;
    main_used_file = 1;
    FILE *f = strcmp(arg, "-") == 0 ? stdin : fopen(arg, "r");
    if (!f) {
      fflush(stdout);
      fprintf(stderr, "awk: cannot open %s (No such file or directory)\n", arg);
      exit(2);
    }
    main_r = (struct reader){f, 0};
    val_free(&v_FILENAME->v);
    v_FILENAME->v = str_val(xstrdup(arg));
    val_free(&v_FNR->v);
    v_FNR->v = num_val(0);
    return main_open = 1;
  }
}

static void close_main(void) {
  if (main_open && main_r.f != stdin) fclose(main_r.f);
  main_open = 0;
}

/* The next record of the main input (NR/FNR counted); NULL at the end. */
static char *next_main_record(void) {
  while (!main_done) {
    if (!main_open && !open_next_main()) {
      main_done = 1;
      break;
    }
    char *s = read_record(&main_r);
    if (s) {
      v_NR->v = num_val(val_num(&v_NR->v) + 1);
      v_FNR->v = num_val(val_num(&v_FNR->v) + 1);
      return s;
    }
    close_main();
  }
  return NULL;
}

static void do_getline(struct node *n, struct val *out) {
  char *s;
  if (n->sub == GL_MAIN) s = next_main_record();
  else {
    char *name = eval_str(n->a[1]);
    struct stream *st = open_stream(name, n->sub == GL_CMD ? ST_PIN : ST_IN);
    free(name);
    if (!st) {
      *out = num_val(-1);
      return;
    }
    s = read_record(&st->r);
    if (s && n->sub == GL_CMD) v_NR->v = num_val(val_num(&v_NR->v) + 1);
  }
  if (!s) {
    *out = num_val(0);
    return;
  }
  if (n->a[0]) {
    struct val r = assign(n->a[0], input_val(s));
    val_free(&r);
  } else set_record(s);
  *out = num_val(1);
}

/* ---- statements ---- */

static FILE *print_dest(struct node *n) {
  if (!n->a[0]) return stdout;
  char *name = eval_str(n->a[0]);
  int kind = n->sub == '>' ? ST_OUT : n->sub == TK_APPEND ? ST_APPEND : ST_POUT;
  struct stream *s = open_stream(name, kind);
  if (!s) fatal("cannot open \"%s\" for output", name);
  free(name);
  return s->f;
}

static void exec_print(struct node *n) {
  struct buf b = {0};
  if (!n->nlist) {
    const char *r = val_str(&fields[0]);
    buf_add(&b, r, strlen(r));
  }
  for (int i = 0; i < n->nlist; i++) {
    if (i) {
      const char *ofs = val_str(&v_OFS->v);
      buf_add(&b, ofs, strlen(ofs));
    }
    struct val v = eval(n->list[i]);
    char num[64];
    const char *s = num;
    if (v.fl & V_NUM) num_to_str(v.n, val_str(&v_OFMT->v), num, sizeof num);
    else s = val_str(&v);
    buf_add(&b, s, strlen(s));
    val_free(&v);
  }
  const char *ors = val_str(&v_ORS->v);
  buf_add(&b, ors, strlen(ors));
  FILE *f = print_dest(n);
  fwrite(b.s, 1, b.n, f);
  free(b.s);
}

static void exec_printf(struct node *n) {
  struct val *args = xmalloc((size_t)n->nlist * sizeof *args);
  for (int i = 0; i < n->nlist; i++) args[i] = eval(n->list[i]);
  size_t len;
  char *s = format(val_str(&args[0]), args + 1, n->nlist - 1, &len);
  for (int i = 0; i < n->nlist; i++) val_free(&args[i]);
  free(args);
  FILE *f = print_dest(n);
  fwrite(s, 1, len, f);
  free(s);
}

static int exec_forin(struct node *n) {
  struct arr *a = get_array(n->a[1]);
  size_t count = a->count, i = 0;
  char **keys = xmalloc((count + 1) * sizeof *keys);
  for (struct elem *e = a->first; e; e = e->next) keys[i++] = xstrdup(e->key);
  int rc = X_NORMAL;
  for (i = 0; i < count; i++) {
    if (!arr_find(a, keys[i])) continue;
    struct val r = assign(n->a[0], str_val(xstrdup(keys[i])));
    val_free(&r);
    rc = exec(n->a[2]);
    if (rc == X_BREAK || rc == X_RETURN) break;
    rc = X_NORMAL;
  }
  for (i = 0; i < count; i++) free(keys[i]);
  free(keys);
  return rc == X_RETURN ? rc : X_NORMAL;
}

static int cond_true(struct node *n) {
  if (!n) return 1;
  struct val v = eval(n);
  int t = val_true(&v);
  val_free(&v);
  return t;
}

static int exec_loop(struct node *n) {
  int rc;
  if (n->op == S_FOR && n->a[0]) exec(n->a[0]);
  for (;;) {
    if (n->op != S_DO && !cond_true(n->op == S_FOR ? n->a[1] : n->a[0])) break;
    rc = exec(n->op == S_FOR ? n->a[3] : n->a[1]);
    if (rc == X_BREAK) break;
    if (rc == X_RETURN) return rc;
    if (n->op == S_FOR && n->a[2]) exec(n->a[2]);
    if (n->op == S_DO && !cond_true(n->a[0])) break;
  }
  return X_NORMAL;
}

static void exec_delete(struct node *n) {
  struct arr *a = get_array(n->a[0]);
  if (!n->nlist) {
    arr_clear(a);
    return;
  }
  char *key = subscript(n->list, n->nlist);
  arr_delete(a, key);
  free(key);
}

static int exec(struct node *n) {
  switch (n->op) {
  case S_BLOCK:
    for (int i = 0; i < n->nlist; i++) {
      int rc = exec(n->list[i]);
      if (rc != X_NORMAL) return rc;
    }
    return X_NORMAL;
  case S_EXPR: {
    struct val v = eval(n->a[0]);
    val_free(&v);
    return X_NORMAL;
  }
  case S_PRINT: exec_print(n); return X_NORMAL;
  case S_PRINTF: exec_printf(n); return X_NORMAL;
  case S_IF:
    if (cond_true(n->a[0])) return exec(n->a[1]);
    return n->a[2] ? exec(n->a[2]) : X_NORMAL;
  case S_WHILE:
  case S_DO:
  case S_FOR: return exec_loop(n);
  case S_FORIN: return exec_forin(n);
  case S_BREAK: return X_BREAK;
  case S_CONTINUE: return X_CONTINUE;
  case S_NEXT: longjmp(next_jmp, 1);
  case S_NEXTFILE: close_main(); longjmp(next_jmp, 1);
  case S_EXIT:
    if (n->a[0]) exit_code = (int)eval_num(n->a[0]);
    longjmp(exit_jmp, 1);
  case S_RETURN:
    val_free(&ret_val);
    ret_val = n->a[0] ? eval(n->a[0]) : uninit_val();
    return X_RETURN;
  case S_DELETE: exec_delete(n); return X_NORMAL;
  default: fatal("bad statement%s", ""); return X_NORMAL;
  }
}

/* ---- running the program ---- */

static int item_matches(struct item *it) {
  if (!it->pat) return 1;
  if (!it->pat2) return cond_true(it->pat);
  if (!it->in_range) {
    if (!cond_true(it->pat)) return 0;
    it->in_range = !cond_true(it->pat2);
    return 1;
  }
  if (cond_true(it->pat2)) it->in_range = 0;
  return 1;
}

static void run_actions(struct item *list) {
  for (struct item *it = list; it; it = it->next) {
    if (setjmp(next_jmp)) {
      frame = NULL;
      call_depth = 0;
      continue;
    }
    exec(it->action);
  }
}

static void run_main(void) {
  for (;;) {
    char *s = next_main_record();
    if (!s) return;
    set_record(s);
    if (setjmp(next_jmp)) {
      frame = NULL;
      call_depth = 0;
      continue;
    }
    for (struct item *it = main_items; it; it = it->next) {
      if (!item_matches(it)) continue;
      if (it->action) exec(it->action);
      else {
        struct node all = {.op = S_PRINT};
        exec_print(&all);
      }
    }
  }
}

/* ---- set-up ---- */

static char *unescape(const char *s) {
  struct buf b = {0};
  buf_add(&b, "", 0);
  while (*s) {
    if (*s == '\\' && s[1]) {
      s++;
      int c = lex_escape(&s);
      if (c >= 0) {
        char ch = (char)c;
        buf_add(&b, &ch, 1);
        continue;
      }
      buf_add(&b, "\\", 1);
    }
    buf_add(&b, s++, 1);
  }
  return buf_take(&b);
}

/* `name=value` (an operand or -v): 1 if it was an assignment. */
static int assign_operand(const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || isdigit((unsigned char)arg[0])) return 0;
  for (const char *p = arg; p < eq; p++)
    if (!isalnum((unsigned char)*p) && *p != '_') return 0;
  char *name = xstrndup(arg, (size_t)(eq - arg));
  struct var *v = global_var(name);
  if (v->type == T_ARRAY) fatal("can't assign to %s; it's an array name.", name);
  free(name);
  v->type = T_SCALAR;
  val_free(&v->v);
  v->v = input_val(unescape(eq + 1));
  if (v == v_CONVFMT) convfmt = val_str(&v->v);
  if (v == v_NF) set_nf((int)val_num(&v->v));
  return 1;
}

static struct var *special(const char *name, struct val v) {
  struct var *var = global_var(name);
  var->type = T_SCALAR;
  var->v = v;
  return var;
}

static struct var *special_array(const char *name) {
  struct var *var = global_var(name);
  var->type = T_ARRAY;
  var->a = arr_new();
  return var;
}

static void init_specials(void) {
  v_NF = special("NF", num_val(0));
  v_NR = special("NR", num_val(0));
  v_FNR = special("FNR", num_val(0));
  v_FS = special("FS", str_val(xstrdup(" ")));
  v_OFS = special("OFS", str_val(xstrdup(" ")));
  v_ORS = special("ORS", str_val(xstrdup("\n")));
  v_RS = special("RS", str_val(xstrdup("\n")));
  v_SUBSEP = special("SUBSEP", str_val(xstrdup("\034")));
  v_RSTART = special("RSTART", num_val(0));
  v_RLENGTH = special("RLENGTH", num_val(-1));
  v_FILENAME = special("FILENAME", uninit_val());
  v_CONVFMT = special("CONVFMT", str_val(xstrdup("%.6g")));
  v_OFMT = special("OFMT", str_val(xstrdup("%.6g")));
  v_ENVIRON = special_array("ENVIRON");
  v_ARGV = special_array("ARGV");
  v_ARGC = special("ARGC", num_val(0));
  grow_fields(1);
  for (char **e = environ; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq) continue;
    char *name = xstrndup(*e, (size_t)(eq - *e));
    struct val *v = arr_get(v_ENVIRON->a, name);
    *v = input_val(xstrdup(eq + 1));
    free(name);
  }
}

static void read_prog_file(struct buf *prog, const char *path) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
  if (!f) fatal("couldn't open file %s", path);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(prog, chunk, n);
  if (f != stdin) fclose(f);
  buf_add(prog, "\n", 1);
}

static void usage_error(void) {
  fprintf(stderr, "%s", usage);
  exit(2);
}

/* Handles the options; returns the index of the first operand after the program. */
static int parse_options(int argc, char **argv, struct buf *prog) {
  int i = 1, have_f = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    char opt = a[1];
    if (opt != 'F' && opt != 'v' && opt != 'f') usage_error();
    const char *val = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
    if (!val) usage_error();
    if (opt == 'F') {
      val_free(&v_FS->v);
      v_FS->v = str_val(strcmp(val, "t") == 0 ? xstrdup("\t") : unescape(val));
    } else if (opt == 'v') {
      if (!assign_operand(val)) fatal("improper assignment: -v %s", val);
    } else {
      read_prog_file(prog, val);
      have_f = 1;
    }
  }
  if (!have_f) {
    if (i >= argc) usage_error();
    buf_add(prog, argv[i], strlen(argv[i]));
    i++;
  }
  return i;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage);
  init_specials();
  struct buf prog = {0};
  buf_add(&prog, "", 0);
  int first = parse_options(argc, argv, &prog);
  *arr_get(v_ARGV->a, "0") = str_val(xstrdup("awk"));
  for (int i = first; i < argc; i++) {
    char key[16];
    snprintf(key, sizeof key, "%d", i - first + 1);
    *arr_get(v_ARGV->a, key) = input_val(xstrdup(argv[i]));
  }
  v_ARGC->v = num_val(argc - first + 1);
  parse_program(lex(prog.s));
  if (!setjmp(exit_jmp)) {
    run_actions(begin_items);
    if (main_items || end_items) run_main();
  }
  frame = NULL;
  call_depth = 0;
  if (!setjmp(exit_jmp)) run_actions(end_items);
  close_all();
  return exit_code;
}
#endif
