/* Strata sh: commands the shell runs itself (they change the shell's state). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

static char cwd_buf[4096];

static int bi_colon(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return 0;
}

static int bi_false(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return 1;
}

static int bi_cd(int argc, char **argv) {
  const char *dir;
  int print = 0;
  if (argc > 2) {
    sh_error("cd", "too many arguments");
    return 1;
  }
  if (argc < 2) {
    dir = var_get("HOME");
    if (!dir) {
      sh_error("cd", "HOME not set");
      return 1;
    }
  } else if (strcmp(argv[1], "-") == 0) {
    dir = var_get("OLDPWD");
    if (!dir) {
      sh_error("cd", "OLDPWD not set");
      return 1;
    }
    print = 1;
  } else {
    dir = argv[1];
  }
  const char *old = getcwd(cwd_buf, sizeof(cwd_buf)) ? cwd_buf : var_get("PWD");
  char *old_copy = old ? arena_strdup(old) : NULL;
  if (chdir(dir) < 0) {
    sh_error_errno("cd", dir, errno);
    return 1;
  }
  if (old_copy) var_set("OLDPWD", old_copy, 0);
  if (getcwd(cwd_buf, sizeof(cwd_buf))) {
    var_set("PWD", cwd_buf, 0);
    if (print) {
      out_str(1, cwd_buf);
      out_str(1, "\n");
    }
  }
  return 0;
}

static int bi_pwd(int argc, char **argv) {
  (void)argc;
  (void)argv;
  if (!getcwd(cwd_buf, sizeof(cwd_buf))) {
    sh_error_errno("pwd", NULL, errno);
    return 1;
  }
  out_str(1, cwd_buf);
  out_str(1, "\n");
  return 0;
}

static int bi_exit(int argc, char **argv) {
  int code = sh.last_status;
  if (argc > 1) {
    long n = parse_uint(argv[1]);
    if (n < 0) {
      sh_error("exit", "Illegal number");
      code = 2;
    } else {
      code = (int)(n & 255);
    }
  }
  sh_exit(code);
}

static int bi_export(int argc, char **argv) {
  if (argc == 1) {
    vars_print_exported(1);
    return 0;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    if (!var_name_valid(argv[i], n)) {
      sh_error("export", arena_concat3(argv[i], ": ", "not a valid identifier"));
      status = 1;
      continue;
    }
    if (eq) var_set(arena_strndup(argv[i], n), eq + 1, 1);
    else var_export(argv[i]);
  }
  return status;
}

static int bi_unset(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (!var_name_valid(argv[i], strlen(argv[i]))) {
      sh_error("unset", arena_concat3(argv[i], ": ", "not a valid identifier"));
      status = 1;
      continue;
    }
    var_unset(argv[i]);
  }
  return status;
}

/* %N, N (job number for fg/bg), or nothing (the current job). */
static struct job *job_arg(const char *name, int argc, char **argv) {
  struct job *j;
  if (argc < 2) {
    j = job_current();
  } else {
    const char *s = argv[1][0] == '%' ? argv[1] + 1 : argv[1];
    long id = parse_uint(s);
    j = id > 0 ? job_find_id((int)id) : NULL;
  }
  if (!j) sh_error(name, "no such job");
  return j;
}

static int bi_fg(int argc, char **argv) {
  struct job *j = job_arg("fg", argc, argv);
  return j ? job_continue(j, 1) : 1;
}

static int bi_bg(int argc, char **argv) {
  struct job *j = job_arg("bg", argc, argv);
  return j ? job_continue(j, 0) : 1;
}

static int bi_jobs(int argc, char **argv) {
  (void)argc;
  (void)argv;
  jobs_list(1);
  return 0;
}

static int bi_wait(int argc, char **argv) {
  if (argc == 1) return jobs_wait(0, &(int){0});
  int status = 0;
  for (int i = 1; i < argc; i++) {
    pid_t pid;
    if (argv[i][0] == '%') {
      long id = parse_uint(argv[i] + 1);
      struct job *j = id > 0 ? job_find_id((int)id) : NULL;
      if (!j) {
        sh_error("wait", arena_concat3(argv[i], ": ", "no such job"));
        status = 127;
        continue;
      }
      pid = j->pids[j->npids - 1];
    } else {
      long n = parse_uint(argv[i]);
      if (n <= 0) {
        sh_error("wait", arena_concat3(argv[i], ": ", "not a pid or valid job spec"));
        status = 2;
        continue;
      }
      pid = (pid_t)n;
    }
    int found;
    status = jobs_wait(pid, &found);
    if (!found) sh_error("wait", arena_concat3("pid ", argv[i], " is not a child of this shell"));
  }
  return status;
}

/* Signal names for kill, indexed by the Linux signal number. */
static const char *const sig_abbrev[] = {
    "",     "HUP",  "INT",  "QUIT", "ILL",  "TRAP", "ABRT", "BUS",    "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",  "PWR",  "SYS",
};
#define NSIG_NAMES ((int)(sizeof(sig_abbrev) / sizeof(sig_abbrev[0])))

/* Signal from a number or a name (with or without SIG); -1 if unknown. */
static int parse_signal(const char *s) {
  long n = parse_uint(s);
  if (n >= 0) return n < 65 ? (int)n : -1;
  if (strncmp(s, "SIG", 3) == 0) s += 3;
  for (int i = 1; i < NSIG_NAMES; i++)
    if (strcmp(s, sig_abbrev[i]) == 0) return i;
  return -1;
}

/* A trap condition: EXIT or 0, or a signal by number or name; -1 if unknown. */
static int parse_condition(const char *s) {
  if (strcmp(s, "EXIT") == 0 || strcmp(s, "0") == 0) return 0;
  int sig = parse_signal(s);
  return sig > 0 && sig < TRAP_CONDITIONS ? sig : -1;
}

/* trap [ACTION CONDITION...]: ACTION runs on the signal (between commands)
 * or on EXIT; '' ignores; - (or a lone CONDITION, or a number first) resets.
 * Without arguments, lists the traps as commands that would set them again. */
static int bi_trap(int argc, char **argv) {
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (argc <= first) {
    for (int c = 0; c < TRAP_CONDITIONS; c++) {
      const char *a = trap_action(c);
      if (!a) continue;
      out_str(1, "trap -- ");
      out_single_quoted(1, a);
      out_str(1, c == 0 ? " EXIT" : " SIG");
      if (c > 0) {
        if (c < NSIG_NAMES) {
          out_str(1, sig_abbrev[c]);
        } else {
          out_num(1, c);
        }
      }
      out_str(1, "\n");
    }
    return 0;
  }
  const char *action = argv[first];
  int from = first + 1;
  /* POSIX: a number first means every operand is a condition to reset; so
   * does a lone operand (bash). */
  if (parse_uint(action) >= 0 || argc - first == 1) {
    action = "-";
    from = first;
  }
  int status = 0;
  for (int i = from; i < argc; i++) {
    int c = parse_condition(argv[i]);
    if (c < 0) {
      sh_error("trap", arena_concat3(argv[i], ": ", "invalid signal specification"));
      status = 1;
      continue;
    }
    if (trap_set(c, strcmp(action, "-") == 0 ? NULL : action) < 0) {
      sh_error("trap", arena_concat3(argv[i], ": ", "cannot be trapped"));
      status = 1;
    }
  }
  return status;
}

static int bi_kill(int argc, char **argv) {
  int sig = SIGTERM, i = 1;
  if (argc > 1 && strcmp(argv[1], "-l") == 0) {
    for (int k = 1; k < NSIG_NAMES; k++) {
      out_str(1, sig_abbrev[k]);
      out_str(1, k % 8 == 0 || k == NSIG_NAMES - 1 ? "\n" : " ");
    }
    return 0;
  }
  if (argc > 2 && strcmp(argv[1], "-s") == 0) {
    sig = parse_signal(argv[2]);
    i = 3;
  } else if (argc > 1 && argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--") != 0) {
    sig = parse_signal(argv[1] + 1);
    i = 2;
  }
  if (sig < 0) {
    sh_error("kill", "unknown signal; kill -l lists them");
    return 2;
  }
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    out_str(2, "usage: kill [-s SIG | -SIG] pid | %job ...\n");
    return 2;
  }
  int status = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    int r;
    if (a[0] == '%') {
      long id = parse_uint(a + 1);
      struct job *j = id > 0 ? job_find_id((int)id) : NULL;
      if (!j) {
        sh_error("kill", arena_concat3(a, ": ", "no such job"));
        status = 1;
        continue;
      }
      r = kill(-j->pgid, sig);
      if (r < 0) /* not a process group of its own (no job control): each process */
        for (int k = 0; k < j->npids; k++)
          if (!j->done[k]) r = kill(j->pids[k], sig);
      /* A stopped job only acts on SIGTERM etc. once continued, as in bash. */
      if (r == 0 && j->stopped && sig != SIGSTOP && sig != SIGTSTP && sig != SIGTTIN &&
          sig != SIGTTOU) {
        if (kill(-j->pgid, SIGCONT) < 0)
          for (int k = 0; k < j->npids; k++)
            if (!j->done[k]) kill(j->pids[k], SIGCONT);
      }
    } else {
      int neg = a[0] == '-';
      long pid = parse_uint(a + neg);
      if (pid < 0) {
        sh_error("kill", arena_concat3(a, ": ", "arguments must be process or job IDs"));
        status = 1;
        continue;
      }
      r = kill(neg ? -(pid_t)pid : (pid_t)pid, sig);
    }
    if (r < 0) {
      sh_error_errno("kill", a, errno);
      status = 1;
    }
  }
  return status;
}

/* read [-r] [name...]: one line from stdin, a byte at a time so that the
 * rest stays for later commands; fields split on blanks, the last name
 * takes the remainder. Returns 1 at end of input. */
static int bi_read(int argc, char **argv) {
  int raw = 0, i = 1;
  if (i < argc && strcmp(argv[i], "-r") == 0) raw = 1, i++;
  size_t len = 0, cap = 128;
  char *line = arena_alloc(cap);
  char *quoted = arena_alloc(cap); /* bytes escaped by a backslash: never split */
  int eof = 0;
  for (;;) {
    char c;
    ssize_t r = read(0, &c, 1);
    if (r < 0 && errno == EINTR) {
      if (interrupt_check()) return 130; /* ^C at an interactive shell's read */
      continue;
    }
    if (r <= 0) {
      eof = 1;
      break;
    }
    int q = 0;
    if (c == '\\' && !raw) {
      r = read(0, &c, 1);
      if (r <= 0) {
        eof = 1;
        break;
      }
      if (c == '\n') continue; /* line continuation */
      q = 1;
    } else if (c == '\n') {
      break;
    }
    if (len + 1 >= cap) {
      char *nl = arena_alloc(cap * 2), *nq = arena_alloc(cap * 2);
      memcpy(nl, line, len);
      memcpy(nq, quoted, len);
      line = nl;
      quoted = nq;
      cap *= 2;
    }
    quoted[len] = (char)q;
    line[len++] = c;
  }
  line[len] = 0;
  int nnames = argc - i;
  char *reply[] = {"REPLY"};
  char **names = nnames ? argv + i : reply;
  if (!nnames) nnames = 1;
  size_t pos = 0;
  const char *ifs = ifs_chars();
  for (int k = 0; k < nnames; k++) {
    if (!var_name_valid(names[k], strlen(names[k]))) {
      sh_error("read", arena_concat3(names[k], ": ", "not a valid identifier"));
      return 2;
    }
    /* IFS white space around a field is dropped; another IFS character ends
     * it; the last name takes the rest of the line. */
    while (pos < len && !quoted[pos] && ifs_is_white(line[pos])) pos++;
    size_t start = pos, end;
    if (k == nnames - 1) {
      end = len;
      while (end > start && !quoted[end - 1] && ifs_is_white(line[end - 1])) end--;
      pos = len;
    } else {
      while (pos < len && (quoted[pos] || !strchr(ifs, line[pos]))) pos++;
      end = pos;
      while (pos < len && !quoted[pos] && ifs_is_white(line[pos])) pos++;
      if (pos < len && !quoted[pos] && strchr(ifs, line[pos]) && !ifs_is_white(line[pos])) pos++;
    }
    var_set(names[k], arena_strndup(line + start, end - start), 0);
  }
  return eof ? 1 : 0;
}

/* set [-ex] [+ex] [--] [arg...]: options, and new positional parameters. */
static int bi_set(int argc, char **argv) {
  static char **set_array; /* the last parameter array set made */
  if (argc == 1) {
    vars_print_all(1);
    return 0;
  }
  int i = 1;
  for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      goto params;
    }
    int on = argv[i][0] == '-';
    for (const char *o = argv[i] + 1; *o; o++) {
      if (*o == 'e') sh.opt_errexit = on;
      else if (*o == 'x') sh.opt_xtrace = on;
      else {
        sh_error("set", arena_concat3(argv[i], ": ", "unknown option (only -e and -x)"));
        return 2;
      }
    }
  }
  if (i == argc) return 0;
params:;
  int n = argc - i;
  char **p = malloc((size_t)(n + 1) * sizeof(char *));
  if (!p) {
    sh_error("set", "out of memory");
    return 1;
  }
  for (int k = 0; k < n; k++) {
    p[k] = strdup(argv[i + k]);
    if (!p[k]) {
      while (k > 0) free(p[--k]);
      free(p);
      sh_error("set", "out of memory");
      return 1;
    }
  }
  p[n] = NULL;
  /* The previous array can go unless a function call still refers to it. */
  if (set_array && sh.params == set_array && sh.func_depth == 0 && sh.source_depth == 0) {
    for (char **q = set_array; *q; q++) free(*q);
    free(set_array);
  }
  set_array = p;
  sh.params = p;
  sh.nparams = n;
  return 0;
}

/* return [n]: leave the current function with status n (default $?). */
static int bi_return(int argc, char **argv) {
  long n = argc > 1 ? parse_uint(argv[1]) : sh.last_status;
  if (n < 0) {
    sh_error("return", "Illegal number");
    n = 2;
  }
  if (sh.func_depth == 0 && sh.source_depth == 0) {
    sh_error("return", "not in a function or sourced file");
    return 1;
  }
  sh.returning = 1;
  sh.return_status = (int)(n & 255);
  return sh.return_status;
}

/* shift [n]: drop the first n positional parameters. */
static int bi_shift(int argc, char **argv) {
  long n = argc > 1 ? parse_uint(argv[1]) : 1;
  if (n < 0 || n > sh.nparams) {
    sh_error("shift", "can't shift that many");
    return 1;
  }
  sh.params += n;
  sh.nparams -= (int)n;
  return 0;
}

/* break [n] / continue [n]: leave (or restart) the n innermost loops. */
static int loop_control(int argc, char **argv, int *counter) {
  long n = argc > 1 ? parse_uint(argv[1]) : 1;
  if (n < 1) {
    sh_error(argv[0], "loop count must be a positive number");
    return 1;
  }
  if (sh.loop_depth == 0) return 0; /* outside a loop: nothing to do, as in dash */
  *counter = n > sh.loop_depth ? sh.loop_depth : (int)n;
  return 0;
}

static int bi_break(int argc, char **argv) { return loop_control(argc, argv, &sh.breaking); }

static int bi_continue(int argc, char **argv) { return loop_control(argc, argv, &sh.continuing); }

/* . FILE [ARGS...] (also `source`): runs FILE's commands in this shell. A
 * name without a slash is looked up in PATH, then in the current directory
 * (as bash does). ARGS, if any, are $1... while it runs. `return` ends it. */
static int bi_dot(int argc, char **argv) {
  if (argc < 2) {
    sh_error(argv[0], "filename argument required");
    return 2;
  }
  const char *name = argv[1];
  const char *path = strchr(name, '/') ? name : path_search(name, R_OK);
  if (!path) path = name;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    fd = -1;
    errno = EISDIR;
  }
  if (fd < 0) {
    sh_error_errno(argv[0], name, errno);
    return 1;
  }
  /* Keep the file out of the fds that commands and redirections use. */
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (high >= 0) {
    close(fd);
    fd = high;
  }
  if (sh.source_depth >= 100) {
    close(fd);
    sh_error(argv[0], "sourcing nested too deeply");
    return 2;
  }
  char **saved_params = sh.params;
  int saved_n = sh.nparams;
  if (argc > 2) {
    sh.params = argv + 2;
    sh.nparams = argc - 2;
  }
  struct source src;
  memset(&src, 0, sizeof src);
  src.fd = fd;
  sh.source_depth++;
  int status = run_nested(&src);
  sh.source_depth--;
  close(fd);
  if (sh.returning) {
    status = sh.return_status;
    sh.returning = 0;
  }
  if (argc > 2) {
    sh.params = saved_params;
    sh.nparams = saved_n;
  }
  return status;
}

/* What NAME runs as: FUNCTION, BUILTIN, or a path (in the arena); NULL if nothing. */
enum { NAME_FUNCTION = 1, NAME_BUILTIN, NAME_FILE };
static const char *resolve_name(const char *n, int *kind) {
  if (func_lookup(n)) {
    *kind = NAME_FUNCTION;
    return n;
  }
  if (builtin_lookup(n)) {
    *kind = NAME_BUILTIN;
    return n;
  }
  *kind = NAME_FILE;
  if (strchr(n, '/')) return access(n, X_OK) == 0 ? n : NULL;
  return path_search(n, X_OK);
}

/* The names' kinds as `type` prints them ("NAME is a shell builtin"...), or
 * with `brief` as `command -v` does (the path, or the name itself). */
static int describe_names(const char *who, int brief, int argc, char **argv) {
  int status = 0;
  for (int i = 0; i < argc; i++) {
    const char *n = argv[i];
    int kind;
    const char *what = resolve_name(n, &kind);
    if (!what) {
      if (!brief) sh_error(who, arena_concat3(n, ": ", "not found"));
      status = 1;
      continue;
    }
    if (brief) {
      out_str(1, what);
    } else {
      out_str(1, n);
      out_str(1, kind == NAME_FUNCTION  ? " is a function"
                 : kind == NAME_BUILTIN ? " is a shell builtin"
                                        : " is ");
      if (kind == NAME_FILE) out_str(1, what);
    }
    out_str(1, "\n");
  }
  return status;
}

/* type NAME...: says what each name runs as (function, builtin, or a file in PATH). */
static int bi_type(int argc, char **argv) { return describe_names("type", 0, argc - 1, argv + 1); }

/* command -v|-V NAME...: how NAME would run (`command NAME ARGS` itself is
 * handled where commands run: it skips functions). */
static int bi_command(int argc, char **argv) {
  if (argc == 1) return 0;
  int i = 1;
  if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "-V") == 0) {
    int brief = argv[i][1] == 'v';
    i++;
    if (i < argc && strcmp(argv[i], "--") == 0) i++;
    return describe_names("command", brief, argc - i, argv + i);
  }
  sh_error("command", arena_concat3(argv[1], ": ", "unsupported option (use -v or -V)"));
  return 2;
}

/* local NAME[=VALUE]...: NAME belongs to the running function until it
 * returns (unset unless given a value, as in bash). */
static int bi_local(int argc, char **argv) {
  if (sh.func_depth == 0) {
    sh_error("local", "can only be used in a function");
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    if (!var_name_valid(argv[i], n)) {
      sh_error("local", arena_concat3(argv[i], ": ", "not a valid identifier"));
      status = 1;
      continue;
    }
    char *name = arena_strndup(argv[i], n);
    if (var_make_local(name, sh.func_depth) != 0) return 1;
    if (eq) var_set(name, eq + 1, 0);
  }
  return status;
}

/* getopts: the position inside a group like -abc, and the OPTIND it belongs
 * to (a script that sets OPTIND itself starts over). */
static int getopts_char;
static long getopts_optind;

static void getopts_store(long optind) {
  char num[24];
  num_to_str(optind, num);
  var_set("OPTIND", num, 0);
  getopts_optind = optind;
}

/* Reports a bad option or a missing argument the way bash does ($0: ... -- c). */
static void getopts_complain(const char *what, char c) {
  char opt[2] = {c, 0};
  out_str(2, sh.arg0);
  out_str(2, ": ");
  out_str(2, what);
  out_str(2, " -- ");
  out_str(2, opt);
  out_str(2, "\n");
}

/* getopts OPTSTRING NAME [ARG...]: the next option of $@ (or the ARGs) into
 * NAME, its argument into OPTARG, the next index into OPTIND; status 1 at the
 * end of the options. A leading ':' in OPTSTRING reports errors through NAME
 * (? or :) and OPTARG instead of messages. */
static int bi_getopts(int argc, char **argv) {
  if (argc < 3) {
    sh_error("getopts", "usage: getopts optstring name [arg ...]");
    return 2;
  }
  const char *opts = argv[1], *name = argv[2];
  if (!var_name_valid(name, strlen(name))) {
    sh_error("getopts", arena_concat3(name, ": ", "not a valid identifier"));
    return 2;
  }
  char **args = argc > 3 ? argv + 3 : sh.params;
  long nargs = argc > 3 ? argc - 3 : sh.nparams;
  const char *oi = var_get("OPTIND");
  long optind = oi ? parse_uint(oi) : 1;
  if (optind < 1) optind = 1;
  if (optind != getopts_optind) getopts_char = 0;
  int silent = opts[0] == ':';
  if (silent) opts++;
  if (getopts_char == 0) {
    const char *w = optind <= nargs ? args[optind - 1] : NULL;
    if (!w || w[0] != '-' || w[1] == 0 || strcmp(w, "--") == 0) {
      if (w && strcmp(w, "--") == 0) optind++;
      var_set(name, "?", 0);
      var_unset("OPTARG");
      getopts_store(optind);
      return 1;
    }
    getopts_char = 1;
  }
  const char *w = args[optind - 1];
  char c = w[getopts_char++];
  char opt[2] = {c, 0};
  int word_done = w[getopts_char] == 0;
  const char *spec = c == ':' ? NULL : strchr(opts, c);
  if (spec && spec[1] == ':') {
    if (!word_done) {
      var_set("OPTARG", w + getopts_char, 0);
      optind++;
    } else if (optind < nargs) {
      var_set("OPTARG", args[optind], 0);
      optind += 2;
    } else {
      optind++;
      if (silent) {
        var_set(name, ":", 0);
        var_set("OPTARG", opt, 0);
      } else {
        getopts_complain("option requires an argument", c);
        var_set(name, "?", 0);
        var_unset("OPTARG");
      }
      getopts_char = 0;
      getopts_store(optind);
      return 0;
    }
    getopts_char = 0;
  } else {
    if (word_done) {
      optind++;
      getopts_char = 0;
    }
    if (!spec) {
      if (silent) {
        var_set("OPTARG", opt, 0);
      } else {
        getopts_complain("illegal option", c);
        var_unset("OPTARG");
      }
      opt[0] = '?';
    } else {
      var_unset("OPTARG");
    }
  }
  var_set(name, opt, 0);
  getopts_store(optind);
  return 0;
}

/* umask [MODE]: prints the mask as 4 octal digits, or sets it from octal MODE. */
static int bi_umask(int argc, char **argv) {
  if (argc > 2) {
    sh_error("umask", "too many arguments");
    return 2;
  }
  if (argc == 1) {
    mode_t m = umask(0);
    umask(m);
    char text[5] = {(char)('0' + ((m >> 9) & 7)), (char)('0' + ((m >> 6) & 7)),
                    (char)('0' + ((m >> 3) & 7)), (char)('0' + (m & 7)), 0};
    out_str(1, text);
    out_str(1, "\n");
    return 0;
  }
  const char *s = argv[1];
  unsigned v = 0;
  if (!*s) goto bad;
  for (; *s; s++) {
    if (*s < '0' || *s > '7' || v > 0777) goto bad;
    v = v * 8 + (unsigned)(*s - '0');
  }
  if (v > 0777) goto bad;
  umask((mode_t)v);
  return 0;
bad:
  sh_error("umask", arena_concat3(argv[1], ": ", "octal number out of range"));
  return 1;
}

struct builtin {
  const char *name;
  builtin_fn fn;
};

static const struct builtin builtins[] = {
    {":", bi_colon},       {"true", bi_colon}, {"false", bi_false}, {"cd", bi_cd},
    {"pwd", bi_pwd},       {"exit", bi_exit},  {"export", bi_export}, {"unset", bi_unset},
    {"wait", bi_wait},     {"jobs", bi_jobs},  {"fg", bi_fg},       {"bg", bi_bg},
    {"kill", bi_kill},     {"read", bi_read},  {"break", bi_break}, {"continue", bi_continue},
    {"test", builtin_test}, {"[", builtin_test}, {"shift", bi_shift},
    {"return", bi_return}, {"set", bi_set},   {".", bi_dot},      {"source", bi_dot},
    {"type", bi_type},     {"umask", bi_umask},   {"trap", bi_trap},
    {"command", bi_command}, {"local", bi_local}, {"getopts", bi_getopts},
    {"alias", builtin_alias}, {"unalias", builtin_unalias}, {"history", builtin_history},
    {"ulimit", builtin_ulimit},
};

const char *builtin_name(int i) {
  return i >= 0 && (size_t)i < sizeof(builtins) / sizeof(builtins[0]) ? builtins[i].name : NULL;
}

builtin_fn builtin_lookup(const char *name) {
  for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
    if (strcmp(builtins[i].name, name) == 0) return builtins[i].fn;
  return NULL;
}
