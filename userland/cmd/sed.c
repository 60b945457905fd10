/* sed [-n] [-E|-r] [-s] [-i[SUFFIX]] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE...]:
 * the stream editor, as POSIX and GNU sed.
 *
 * Addresses: N, $, /RE/ and \cREc (with I for case), FIRST~STEP, ADDR1,ADDR2,
 * ADDR1,+N, and `!` after them. Commands: { } s y d D p P n N g G h H x
 * = a i c (one-line GNU forms and the POSIX `\` newline forms) b t T :label
 * q Q (with an exit code) l and #comments. s flags: g, p, N (the Nth match),
 * I/i; the replacement knows & \1-\9 \n and \ escapes. Regular expressions are
 * re.h's (BRE, or ERE with -E/-r). -i edits files in place (through a
 * temporary file in the same directory, renamed over the original; SUFFIX
 * keeps a backup); -s (implied by -i) treats files separately for `$` and
 * line numbers. Not supported: w, r, R, W, e, F, z, v, l's line length.
 *
 *   parse_script() -> struct cmd list (blocks as jumps)
 *   run_file()     -> execute() per line, with the pattern and hold spaces */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"
#include "re.h"

struct buf {
  char *s;
  size_t len, cap;
};

static void buf_need(struct buf *b, size_t n) {
  if (b->len + n + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 128;
  while (cap < b->len + n + 1) cap *= 2;
  b->s = realloc(b->s, cap);
  if (!b->s) abort();
  b->cap = cap;
}

static void buf_add(struct buf *b, const char *s, size_t n) {
  buf_need(b, n);
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}

static void buf_set(struct buf *b, const char *s, size_t n) {
  b->len = 0;
  buf_add(b, s, n);
}

enum addr_kind { A_NONE, A_LINE, A_LAST, A_RE, A_STEP, A_PLUS };

struct addr {
  enum addr_kind kind;
  long n, step;
  struct re *re; /* NULL with A_RE: the last regex used */
};

struct cmd {
  struct addr a1, a2;
  int negate;
  char name;
  int in_range; /* a two-address range is open */
  long range_end;
  /* s */
  struct re *re;
  char *repl;
  int global, print, nth;
  /* y */
  unsigned char map[256];
  /* a i c: text; b t T : label */
  char *text;
  int jump; /* b t T: target index (-1: end); {: index after the matching } */
  int code; /* q Q */
};

static struct cmd *cmds;
static int ncmds, capcmds;
static int quiet, ere, separate, in_place;
static const char *suffix;
static const struct re *last_re;

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "sed: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(1);
}

/* ---- parsing the script ---- */

static const char *sp;          /* the script being parsed */
static const char *script_base; /* ...and its start (errors give the offset, as GNU) */

static void script_error(const char *msg) {
  fprintf(stderr, "sed: -e expression #1, char %d: %s\n", script_base ? (int)(sp - script_base) : 0, msg);
  exit(1);
}

static void skip_blanks(void) {
  while (*sp == ' ' || *sp == '\t') sp++;
}

/* Text up to the delimiter (escaped delimiters kept unescaped, \n a newline). */
static char *delimited(char delim, int is_re) {
  struct buf b = {0};
  buf_need(&b, 1);
  for (;;) {
    if (!*sp) script_error(is_re ? "unterminated address regex" : "unterminated `s' command");
    if (*sp == delim) break;
    if (*sp == '\\' && sp[1]) {
      if (sp[1] == delim) buf_add(&b, sp + 1, 1);
      else if (sp[1] == 'n' && is_re) buf_add(&b, "\n", 1);
      else buf_add(&b, sp, 2);
      sp += 2;
      continue;
    }
    if (*sp == '\n' && is_re) script_error("unterminated address regex");
    buf_add(&b, sp++, 1);
  }
  sp++;
  return b.s;
}

static struct re *compile_re(const char *pat, int icase) {
  if (!*pat) return NULL; /* the empty regex: the last one used */
  struct re *re = calloc(1, sizeof *re);
  const char *err;
  if (!re || re_compile(re, pat, ere, icase, &err) < 0) script_error(re ? err : "memory exhausted");
  return re;
}

static int parse_addr(struct addr *a) {
  if (*sp >= '0' && *sp <= '9') {
    a->kind = A_LINE;
    a->n = strtol(sp, (char **)&sp, 10);
    if (*sp == '~') {
      sp++;
      a->kind = A_STEP;
      a->step = strtol(sp, (char **)&sp, 10);
    }
    return 1;
  }
  if (*sp == '$') {
    sp++;
    a->kind = A_LAST;
    return 1;
  }
  if (*sp == '/' || *sp == '\\') {
    char delim = '/';
    if (*sp == '\\') delim = *++sp;
    sp++;
    char *pat = delimited(delim, 1);
    int icase = 0;
    while (*sp == 'I' || *sp == 'M') icase |= *sp++ == 'I';
    a->kind = A_RE;
    a->re = compile_re(pat, icase);
    free(pat);
    return 1;
  }
  return 0;
}

static struct cmd *new_cmd(void) {
  if (ncmds == capcmds) {
    capcmds = capcmds ? capcmds * 2 : 32;
    cmds = realloc(cmds, (size_t)capcmds * sizeof *cmds);
    if (!cmds) abort();
  }
  struct cmd *c = &cmds[ncmds++];
  memset(c, 0, sizeof *c);
  return c;
}

/* a, i, c text: GNU one-liner `a text` or POSIX `a\` newline text. */
static char *parse_text(void) {
  skip_blanks();
  if (*sp == '\\') {
    sp++;
    if (*sp == '\n') sp++;
  }
  struct buf b = {0};
  buf_need(&b, 1);
  while (*sp && *sp != '\n') {
    if (*sp == '\\' && sp[1]) {
      sp++;
      if (*sp == '\n') {
        buf_add(&b, "\n", 1);
        sp++;
        continue;
      }
    }
    buf_add(&b, sp++, 1);
  }
  return b.s;
}

static char *parse_label(void) {
  skip_blanks();
  const char *start = sp;
  while (*sp && *sp != '\n' && *sp != ';' && *sp != '}' && *sp != ' ' && *sp != '\t') sp++;
  return strndup(start, (size_t)(sp - start));
}

static void parse_s(struct cmd *c) {
  char delim = *sp++;
  if (!delim || delim == '\n' || delim == '\\') script_error("unterminated `s' command");
  char *pat = delimited(delim, 1);
  c->repl = delimited(delim, 0);
  int icase = 0;
  for (;; sp++) {
    if (*sp == 'g') c->global = 1;
    else if (*sp == 'p') c->print = 1;
    else if (*sp == 'I' || *sp == 'i') icase = 1;
    else if (*sp >= '1' && *sp <= '9') c->nth = (int)strtol(sp, (char **)&sp, 10), sp--;
    else break;
  }
  c->re = compile_re(pat, icase);
  free(pat);
}

static void parse_y(struct cmd *c) {
  char delim = *sp++;
  char *from = delimited(delim, 0), *to = delimited(delim, 0);
  for (int i = 0; i < 256; i++) c->map[i] = (unsigned char)i;
  /* Unescape \\ and \n in both. */
  char *lists[2] = {from, to};
  for (int k = 0; k < 2; k++) {
    char *w = lists[k];
    for (char *r = lists[k]; *r; r++) {
      if (*r == '\\' && r[1]) r++, *w++ = *r == 'n' ? '\n' : *r;
      else *w++ = *r;
    }
    *w = 0;
  }
  if (strlen(from) != strlen(to)) script_error("strings for `y' command are different lengths");
  for (size_t i = 0; from[i]; i++) c->map[(unsigned char)from[i]] = (unsigned char)to[i];
  free(from);
  free(to);
}

static void parse_script(const char *script) {
  static int stack[64];
  static int depth;
  sp = script_base = script;
  for (;;) {
    while (*sp == ' ' || *sp == '\t' || *sp == '\n' || *sp == ';') sp++;
    if (!*sp) break;
    if (*sp == '#') {
      while (*sp && *sp != '\n') sp++;
      continue;
    }
    struct cmd *c = new_cmd();
    if (parse_addr(&c->a1)) {
      skip_blanks();
      if (*sp == ',') {
        sp++;
        skip_blanks();
        if (*sp == '+') {
          sp++;
          c->a2.kind = A_PLUS;
          c->a2.n = strtol(sp, (char **)&sp, 10);
        } else if (!parse_addr(&c->a2)) {
          script_error("unexpected `,'");
        }
      }
    }
    skip_blanks();
    while (*sp == '!') sp++, c->negate = 1, skip_blanks();
    c->name = *sp ? *sp++ : 0;
    switch (c->name) {
    case '{':
      if (depth == 64) script_error("too many {");
      stack[depth++] = ncmds - 1;
      continue;
    case '}':
      if (!depth) script_error("unexpected `}'");
      if (c->a1.kind) script_error("} doesn't want any addresses");
      cmds[stack[--depth]].jump = ncmds;
      break;
    case 's': parse_s(c); break;
    case 'y': parse_y(c); break;
    case 'a': case 'i': case 'c': c->text = parse_text(); break;
    case 'b': case 't': case 'T': case ':':
      c->text = parse_label();
      if (c->name == ':' && !*c->text) script_error("\":\" lacks a label");
      break;
    case 'q': case 'Q':
      skip_blanks();
      c->code = (int)strtol(sp, (char **)&sp, 10);
      break;
    case 'd': case 'D': case 'p': case 'P': case 'n': case 'N': case 'g': case 'G':
    case 'h': case 'H': case 'x': case '=': case 'l': break;
    case 0: script_error("missing command");
    default: {
      char msg[40];
      snprintf(msg, sizeof msg, "unknown command: `%c'", c->name);
      script_error(msg);
    }
    }
    skip_blanks();
    if (*sp && *sp != ';' && *sp != '\n' && *sp != '}' && *sp != '#')
      script_error("extra characters after command");
  }
  if (depth) {
    script_base = NULL;
    script_error("unmatched `{'");
  }
}

/* Resolves b/t/T labels once the whole script is read. */
static void resolve_labels(void) {
  for (int i = 0; i < ncmds; i++) {
    struct cmd *c = &cmds[i];
    if (c->name != 'b' && c->name != 't' && c->name != 'T') continue;
    c->jump = -1;
    if (!*c->text) continue;
    int j;
    for (j = 0; j < ncmds; j++)
      if (cmds[j].name == ':' && strcmp(cmds[j].text, c->text) == 0) break;
    if (j == ncmds) die("can't find label for jump to `%s'", c->text);
    c->jump = j;
  }
}

/* ---- input ---- */

static char **unit_files; /* the files read as one stream */
static int unit_n, unit_idx, status;
static FILE *in;
static struct buf look; /* the line after the current one */
static int look_ok, look_chomped;
static long lineno;

static int open_next(void) {
  while (unit_idx < unit_n) {
    const char *name = unit_files[unit_idx++];
    if (strcmp(name, "-") == 0) {
      in = stdin;
      return 1;
    }
    in = fopen(name, "r");
    if (in) return 1;
    fprintf(stderr, "sed: can't read %s: %s\n", name, strerror(errno));
    status = 2;
  }
  return 0;
}

static int raw_read(struct buf *b, int *chomped) {
  static char *line;
  static size_t cap;
  for (;;) {
    if (!in && !open_next()) return 0;
    ssize_t n = getline(&line, &cap, in);
    if (n > 0) {
      *chomped = line[n - 1] == '\n';
      buf_set(b, line, (size_t)n - (size_t)*chomped);
      return 1;
    }
    if (in != stdin) fclose(in);
    in = NULL;
  }
}

/* The next line into b; 0 at the end of the stream. */
static int next_line(struct buf *b, int *chomped) {
  if (!look_ok) return 0;
  buf_set(b, look.s, look.len);
  *chomped = look_chomped;
  look_ok = raw_read(&look, &look_chomped);
  lineno++;
  return 1;
}

static int is_last(void) { return !look_ok; }

/* ---- output ---- */

static FILE *out;
static int missing_newline;

static void put(const char *s, size_t n, int newline) {
  if (missing_newline) fputc('\n', out);
  missing_newline = 0;
  fwrite(s, 1, n, out);
  if (newline) fputc('\n', out);
}

static struct buf ps, hs, appended;
static int chomped = 1;

static void put_ps(void) {
  put(ps.s ? ps.s : "", ps.len, chomped);
  if (!chomped) missing_newline = 1;
}

/* `l`: C escapes, octal for other bytes, lines of at most 69 characters plus `\`. */
static void put_unambiguous(void) {
  static const char esc[] = "\\\\\aa\bb\ff\nn\rr\tt\vv";
  int col = 0;
  if (missing_newline) fputc('\n', out), missing_newline = 0;
  for (size_t i = 0; i < ps.len; i++) {
    unsigned char c = (unsigned char)ps.s[i];
    char tmp[8];
    const char *e = c ? strchr(esc, c) : NULL;
    if (e && (e - esc) % 2 == 0) snprintf(tmp, sizeof tmp, "\\%c", e[1]);
    else if (c < 32 || c >= 127) snprintf(tmp, sizeof tmp, "\\%03o", c);
    else tmp[0] = (char)c, tmp[1] = 0;
    int w = (int)strlen(tmp);
    if (col + w > 69) {
      fputs("\\\n", out);
      col = 0;
    }
    fputs(tmp, out);
    col += w;
  }
  fputs("$\n", out);
}

/* ---- running ---- */

static int match_addr(const struct addr *a) {
  switch (a->kind) {
  case A_LINE: return lineno == a->n;
  case A_LAST: return is_last();
  case A_STEP: return a->step <= 0 ? lineno == a->n : lineno >= a->n && (lineno - a->n) % a->step == 0;
  case A_RE: {
    const struct re *re = a->re ? a->re : last_re;
    if (!re) die("%s", "no previous regular expression");
    last_re = re;
    long cap[2 * RE_NSUB];
    return re_exec(re, ps.s ? ps.s : "", ps.len, 0, cap);
  }
  default: return 0;
  }
}

static int selected(struct cmd *c) {
  if (!c->a1.kind) return 1;
  if (!c->a2.kind) return match_addr(&c->a1);
  if (c->in_range) {
    switch (c->a2.kind) {
    case A_LINE: c->in_range = lineno < c->a2.n; break;
    case A_PLUS: c->in_range = lineno < c->range_end; break;
    default: c->in_range = !match_addr(&c->a2); break;
    }
    return 1;
  }
  if (!match_addr(&c->a1)) return 0;
  switch (c->a2.kind) {
  case A_LINE: c->in_range = c->a2.n > lineno; break;
  case A_PLUS: c->range_end = lineno + c->a2.n, c->in_range = c->a2.n > 0; break;
  case A_LAST: c->in_range = !is_last(); break;
  case A_STEP: c->in_range = 1; break;
  default: c->in_range = 1; break;
  }
  return 1;
}

static void add_replacement(struct buf *o, const char *r, const long *cap) {
  for (; *r; r++) {
    if (*r == '&') {
      buf_add(o, ps.s + cap[0], (size_t)(cap[1] - cap[0]));
    } else if (*r == '\\' && r[1]) {
      r++;
      if (*r >= '0' && *r <= '9') {
        int g = *r - '0';
        if (cap[2 * g] >= 0) buf_add(o, ps.s + cap[2 * g], (size_t)(cap[2 * g + 1] - cap[2 * g]));
      } else if (*r == 'n') {
        buf_add(o, "\n", 1);
      } else if (*r == 't') {
        buf_add(o, "\t", 1);
      } else {
        buf_add(o, r, 1);
      }
    } else {
      buf_add(o, r, 1);
    }
  }
}

static int substitute(struct cmd *c) {
  const struct re *re = c->re ? c->re : last_re;
  if (!re) die("%s", "no previous regular expression");
  last_re = re;
  struct buf o = {0};
  buf_need(&o, ps.len);
  const char *s = ps.s ? ps.s : "";
  size_t pos = 0;
  long prev_end = -1, cap[2 * RE_NSUB];
  int count = 0, done = 0, want = c->nth ? c->nth : 1;
  while (pos <= ps.len && re_exec(re, s, ps.len, pos, cap)) {
    size_t ms = (size_t)cap[0], me = (size_t)cap[1];
    if (ms == me && (long)ms == prev_end) { /* empty, right after the last match */
      if (ms >= ps.len) break;
      buf_add(&o, s + pos, ms + 1 - pos);
      pos = ms + 1;
      continue;
    }
    buf_add(&o, s + pos, ms - pos);
    if (++count >= want) {
      add_replacement(&o, c->repl, cap);
      done = 1;
    } else {
      buf_add(&o, s + ms, me - ms);
    }
    prev_end = (long)me;
    pos = me;
    if (ms == me) {
      if (ms >= ps.len) break;
      buf_add(&o, s + ms, 1);
      pos = ms + 1;
    }
    if (done && !c->global) break;
  }
  if (!done) {
    free(o.s);
    return 0;
  }
  if (pos < ps.len) buf_add(&o, s + pos, ps.len - pos);
  free(ps.s);
  ps = o;
  return 1;
}

enum { CYCLE_END, CYCLE_DELETE, CYCLE_RESTART, QUIT_PRINT, QUIT_SILENT };

static int quit_code;

/* Runs the script on the pattern space; says how the cycle ends. */
static int execute(void) {
  int replaced = 0;
  for (int pc = 0; pc < ncmds;) {
    struct cmd *c = &cmds[pc];
    int sel = selected(c) != c->negate;
    if (c->name == '{') {
      pc = sel ? pc + 1 : c->jump;
      continue;
    }
    pc++;
    if (!sel) continue;
    switch (c->name) {
    case 's':
      if (substitute(c)) {
        replaced = 1;
        if (c->print) put_ps();
      }
      break;
    case 'y':
      for (size_t i = 0; i < ps.len; i++) ps.s[i] = (char)c->map[(unsigned char)ps.s[i]];
      break;
    case 'd': return CYCLE_DELETE;
    case 'D': {
      char *nl = ps.s ? memchr(ps.s, '\n', ps.len) : NULL;
      if (!nl) return CYCLE_DELETE;
      size_t cut = (size_t)(nl - ps.s) + 1;
      memmove(ps.s, ps.s + cut, ps.len - cut + 1);
      ps.len -= cut;
      return CYCLE_RESTART;
    }
    case 'p': put_ps(); break;
    case 'P': {
      char *nl = ps.s ? memchr(ps.s, '\n', ps.len) : NULL;
      put(ps.s ? ps.s : "", nl ? (size_t)(nl - ps.s) : ps.len, 1);
      break;
    }
    case 'n':
      if (is_last()) return quiet ? QUIT_SILENT : QUIT_PRINT;
      if (!quiet) put_ps();
      next_line(&ps, &chomped);
      break;
    case 'N': {
      if (is_last()) return quiet ? QUIT_SILENT : QUIT_PRINT;
      struct buf b = {0};
      next_line(&b, &chomped);
      buf_add(&ps, "\n", 1);
      buf_add(&ps, b.s, b.len);
      free(b.s);
      break;
    }
    case 'g': buf_set(&ps, hs.s ? hs.s : "", hs.len); break;
    case 'G': buf_add(&ps, "\n", 1), buf_add(&ps, hs.s ? hs.s : "", hs.len); break;
    case 'h': buf_set(&hs, ps.s ? ps.s : "", ps.len); break;
    case 'H': buf_add(&hs, "\n", 1), buf_add(&hs, ps.s ? ps.s : "", ps.len); break;
    case 'x': {
      struct buf t = ps;
      ps = hs;
      hs = t;
      break;
    }
    case '=': {
      char num[24];
      int n = snprintf(num, sizeof num, "%ld", lineno);
      put(num, (size_t)n, 1);
      break;
    }
    case 'l': put_unambiguous(); break;
    case 'a': buf_add(&appended, c->text, strlen(c->text)), buf_add(&appended, "\n", 1); break;
    case 'i': put(c->text, strlen(c->text), 1); break;
    case 'c':
      if (!c->a2.kind || !c->in_range) put(c->text, strlen(c->text), 1);
      return CYCLE_DELETE;
    case 'b': pc = c->jump < 0 ? ncmds : c->jump; break;
    case 't':
      if (replaced) pc = c->jump < 0 ? ncmds : c->jump, replaced = 0;
      break;
    case 'T':
      if (!replaced) pc = c->jump < 0 ? ncmds : c->jump;
      else replaced = 0;
      break;
    case 'q': quit_code = c->code; return QUIT_PRINT;
    case 'Q': quit_code = c->code; return QUIT_SILENT;
    default: break; /* : and } */
    }
  }
  return CYCLE_END;
}

/* Runs the script over one stream (all files, or one with -s/-i); 1 after q/Q. */
static int run_stream(char **files, int n) {
  unit_files = files, unit_n = n, unit_idx = 0, in = NULL, lineno = 0;
  for (int i = 0; i < ncmds; i++) cmds[i].in_range = 0;
  look_ok = raw_read(&look, &look_chomped);
  int restart = 0;
  while (restart || next_line(&ps, &chomped)) {
    restart = 0;
    int how = execute();
    if (how == CYCLE_END || how == QUIT_PRINT) {
      if (!quiet) put_ps();
    }
    if (appended.len) put(appended.s, appended.len, 0), appended.len = 0;
    if (how == CYCLE_RESTART) restart = 1;
    if (how == QUIT_PRINT || how == QUIT_SILENT) {
      if (in && in != stdin) fclose(in);
      in = NULL;
      return 1;
    }
  }
  return 0;
}

static void edit_in_place(char *name) {
  struct stat st;
  if (stat(name, &st) < 0) {
    fprintf(stderr, "sed: can't read %s: %s\n", name, strerror(errno));
    status = 2;
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    fprintf(stderr, "sed: couldn't edit %s: not a regular file\n", name);
    status = 4;
    return;
  }
  const char *slash = strrchr(name, '/');
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%.*ssed%d.tmp", slash ? (int)(slash - name + 1) : 0, name, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, st.st_mode & 07777);
  if (fd < 0 || !(out = fdopen(fd, "w"))) {
    fprintf(stderr, "sed: couldn't open temporary file %s: %s\n", tmp, strerror(errno));
    exit(4);
  }
  missing_newline = 0;
  int quit = run_stream(&name, 1);
  if (fclose(out) != 0) {
    fprintf(stderr, "sed: couldn't write %s: %s\n", tmp, strerror(errno));
    exit(4);
  }
  out = stdout;
  if (suffix && *suffix) {
    char backup[4096];
    snprintf(backup, sizeof backup, "%s%s", name, suffix);
    if (rename(name, backup) < 0) fprintf(stderr, "sed: cannot rename %s: %s\n", name, strerror(errno));
  }
  if (rename(tmp, name) < 0) {
    fprintf(stderr, "sed: cannot rename %s: %s\n", tmp, strerror(errno));
    status = 4;
  }
  if (quit) exit(quit_code ? quit_code : status);
}

static const char usage_text[] =
    "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n"
    "\n"
    "  -n, --quiet, --silent\n"
    "                 suppress automatic printing of pattern space\n"
    "  -e script, --expression=script\n"
    "                 add the script to the commands to be executed\n"
    "  -f script-file, --file=script-file\n"
    "                 add the contents of script-file to the commands to be executed\n"
    "  -i[SUFFIX], --in-place[=SUFFIX]\n"
    "                 edit files in place (makes backup if SUFFIX supplied)\n"
    "  -E, -r, --regexp-extended\n"
    "                 use extended regular expressions in the script\n"
    "  -s, --separate\n"
    "                 consider files as separate rather than as a single\n"
    "                 continuous long stream.\n"
    "      --help     display this help and exit\n"
    "\n"
    "If no -e, --expression, -f, or --file option is given, then the first\n"
    "non-option argument is taken as the sed script to interpret.  All\n"
    "remaining arguments are names of input files; if no input files are\n"
    "specified, then the standard input is read.\n";

static void usage(void) {
  fputs(usage_text, stderr);
  exit(1);
}

static void add_script(struct buf *script, const char *text) {
  if (script->len) buf_add(script, "\n", 1);
  buf_add(script, text, strlen(text));
}

static void add_script_file(struct buf *script, const char *path) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
  if (!f) die("couldn't open file %s", path), exit(1);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  if (script->len) buf_add(script, "\n", 1);
  while ((n = getline(&line, &cap, f)) > 0) buf_add(script, line, (size_t)n);
  free(line);
  if (f != stdin) fclose(f);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  struct buf script = {0};
  int have_script = 0, nfiles = 0;
  char **files = calloc((size_t)argc + 1, sizeof(char *));
  int opts_done = 0;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (opts_done || a[0] != '-' || !a[1]) {
      files[nfiles++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) opts_done = 1;
    else if (!strcmp(a, "--quiet") || !strcmp(a, "--silent")) quiet = 1;
    else if (!strcmp(a, "--regexp-extended")) ere = 1;
    else if (!strcmp(a, "--separate")) separate = 1;
    else if (!strncmp(a, "--expression=", 13)) add_script(&script, a + 13), have_script = 1;
    else if (!strncmp(a, "--file=", 7)) add_script_file(&script, a + 7), have_script = 1;
    else if (!strncmp(a, "--in-place", 10) && (!a[10] || a[10] == '='))
      in_place = separate = 1, suffix = a[10] ? a + 11 : NULL;
    else if (a[1] == '-') {
      fprintf(stderr, "sed: unrecognized option '%s'\n", a);
      usage();
    } else {
      for (int k = 1; a[k]; k++) {
        char o = a[k];
        if (o == 'n') quiet = 1;
        else if (o == 'E' || o == 'r') ere = 1;
        else if (o == 's') separate = 1;
        else if (o == 'i') {
          in_place = separate = 1;
          suffix = a + k + 1;
          break;
        } else if (o == 'e' || o == 'f') {
          const char *arg = a[k + 1] ? a + k + 1 : (i + 1 < argc ? argv[++i] : NULL);
          if (!arg) {
            fprintf(stderr, "sed: option requires an argument -- '%c'\n", o);
            usage();
          }
          if (o == 'e') add_script(&script, arg);
          else add_script_file(&script, arg);
          have_script = 1;
          break;
        } else {
          fprintf(stderr, "sed: invalid option -- '%c'\n", o);
          usage();
        }
      }
    }
  }
  if (!have_script) {
    if (nfiles == 0) usage();
    add_script(&script, files[0]);
    memmove(files, files + 1, (size_t)nfiles * sizeof(char *));
    nfiles--;
  }
  parse_script(script.s ? script.s : "");
  resolve_labels();
  out = stdout;
  static char *dash[] = {"-", NULL};
  if (nfiles == 0) {
    if (in_place) die("%s", "no input files");
    files = dash, nfiles = 1;
  }
  if (in_place) {
    for (int i = 0; i < nfiles; i++) edit_in_place(files[i]);
  } else if (separate) {
    for (int i = 0; i < nfiles; i++)
      if (run_stream(&files[i], 1)) break;
  } else if (run_stream(files, nfiles) && quit_code) {
    fflush(stdout);
    return quit_code;
  }
  if (fflush(stdout) != 0) status = 4;
  return quit_code ? quit_code : status;
}
