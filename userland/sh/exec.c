/* Strata sh: running command lists, pipelines and simple commands:
 * redirections, PATH search, process groups and the terminal handover. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

/* ---- redirections ---- */

struct fd_save {
  int fd[16];
  int copy[16]; /* -1: the fd was closed before */
  int n;
};

static void save_fd(struct fd_save *s, int fd) {
  for (int i = 0; i < s->n; i++)
    if (s->fd[i] == fd) return;
  if (s->n == 16) return;
  s->fd[s->n] = fd;
  s->copy[s->n] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  s->n++;
}

static void restore_fds(struct fd_save *s) {
  while (s->n > 0) {
    s->n--;
    int fd = s->fd[s->n], copy = s->copy[s->n];
    if (copy >= 0) {
      dup2(copy, fd);
      close(copy);
    } else {
      close(fd);
    }
  }
}

/* Connects r->fd to a pipe that delivers the here-document's body. Small
 * bodies fit the pipe at once; larger ones are fed by a child process. */
static int heredoc_fd(struct redir *r) {
  const char *body = r->quoted ? r->target : expand_heredoc(r->target);
  if (!body) return -1;
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) < 0) {
    sh_error_errno("here-document", NULL, errno);
    return -1;
  }
  size_t len = strlen(body);
  if (len <= 4096) {
    size_t done = 0;
    while (done < len) {
      ssize_t w = write(pfd[1], body + done, len - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      done += (size_t)w;
    }
  } else {
    /* The writer is a grandchild, so that init reaps it and no job tracks it. */
    pid_t pid = sh_fork();
    if (pid < 0) {
      sh_error_errno("fork", NULL, errno);
      close(pfd[0]);
      close(pfd[1]);
      return -1;
    }
    if (pid == 0) {
      close(pfd[0]);
      if (sh_fork() == 0) {
        out_str(pfd[1], body);
        _exit(0);
      }
      _exit(0);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
  }
  close(pfd[1]);
  if (pfd[0] != r->fd) {
    if (dup2(pfd[0], r->fd) < 0) {
      sh_error_errno("here-document", NULL, errno);
      close(pfd[0]);
      return -1;
    }
    close(pfd[0]);
  }
  return 0;
}

/* Applies redirections left to right; save (if not NULL) records what to undo. */
static int apply_redirs(struct redir *r, struct fd_save *save) {
  for (; r; r = r->next) {
    if (save) save_fd(save, r->fd);
    if (r->kind == R_HEREDOC) {
      if (heredoc_fd(r) < 0) return -1;
      continue;
    }
    char *t = expand_single(r->target);
    if (!t) return -1;
    if (r->kind == R_DUP_IN || r->kind == R_DUP_OUT) {
      if (strcmp(t, "-") == 0) {
        close(r->fd);
        continue;
      }
      long m = parse_uint(t);
      if (m < 0) {
        sh_error(t, "ambiguous redirect");
        return -1;
      }
      if (m != r->fd && dup2((int)m, r->fd) < 0) {
        sh_error_errno(t, NULL, errno);
        return -1;
      }
      continue;
    }
    int flags = O_RDONLY;
    switch (r->kind) {
    case R_OUT: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
    case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
    case R_RDWR: flags = O_RDWR | O_CREAT; break;
    default: break;
    }
    int fd = open(t, flags, 0666);
    if (fd < 0) {
      sh_error_errno(t, NULL, errno);
      return -1;
    }
    if (fd != r->fd) {
      int ok = dup2(fd, r->fd);
      int err = errno;
      close(fd);
      if (ok < 0) {
        sh_error_errno(t, NULL, err);
        return -1;
      }
    }
  }
  return 0;
}

/* ---- expansion of a whole command ---- */

struct expanded {
  char **argv;
  int argc, cap;
  char **assigns;
  int nassign;
};

/* set -x: "+ NAME=V cmd args" on stderr, in one write. */
static void xtrace(struct expanded *x) {
  size_t n = 3;
  for (int i = 0; i < x->nassign; i++) n += strlen(x->assigns[i]) + 1;
  for (int i = 0; i < x->argc; i++) n += strlen(x->argv[i]) + 1;
  char *line = arena_alloc(n), *o = line;
  *o++ = '+';
  for (int i = 0; i < x->nassign + x->argc; i++) {
    const char *w = i < x->nassign ? x->assigns[i] : x->argv[i - x->nassign];
    *o++ = ' ';
    memcpy(o, w, strlen(w));
    o += strlen(w);
  }
  *o++ = '\n';
  *o = 0;
  out_str(2, line);
}

static int expand_command(struct command *c, struct expanded *x) {
  memset(x, 0, sizeof(*x));
  sh.subst_ran = 0;
  x->assigns = arena_alloc((size_t)(c->nwords + 1) * sizeof(char *));
  int i = 0;
  for (; i < c->nwords; i++) {
    size_t nl = var_assignment_len(c->words[i]);
    if (!nl) break;
    char *v = expand_single(c->words[i] + nl + 1);
    if (!v) return -1;
    x->assigns[x->nassign++] = arena_concat3(arena_strndup(c->words[i], nl), "=", v);
  }
  x->cap = c->nwords + 8;
  x->argv = arena_alloc((size_t)x->cap * sizeof(char *));
  for (; i < c->nwords; i++) {
    char **f;
    int n;
    if (expand_word(c->words[i], &f, &n) < 0) return -1;
    if (x->argc + n + 1 > x->cap) {
      int cap = (x->argc + n + 1) * 2;
      char **na = arena_alloc((size_t)cap * sizeof(char *));
      memcpy(na, x->argv, (size_t)x->argc * sizeof(char *));
      x->argv = na;
      x->cap = cap;
    }
    for (int k = 0; k < n; k++) x->argv[x->argc++] = f[k];
  }
  x->argv[x->argc] = NULL;
  if (sh.opt_xtrace && (x->argc || x->nassign)) xtrace(x);
  return 0;
}

static void set_assignments(struct expanded *x) {
  for (int i = 0; i < x->nassign; i++) {
    char *eq = strchr(x->assigns[i], '=');
    var_set(arena_strndup(x->assigns[i], (size_t)(eq - x->assigns[i])), eq + 1, 0);
  }
}

/* ---- exec ---- */

static void try_exec(const char *path, char **argv, char **envp) {
  execve(path, argv, envp);
  if (errno != ENOEXEC) return;
  /* Not a binary: run it as a script, as POSIX shells do. */
  int argc = 0;
  while (argv[argc]) argc++;
  char **nargv = arena_alloc((size_t)(argc + 2) * sizeof(char *));
  nargv[0] = "sh";
  nargv[1] = (char *)path;
  for (int i = 1; i <= argc; i++) nargv[i + 1] = argv[i];
  execve("/bin/sh", nargv, envp);
  errno = ENOEXEC;
}

/* The PATH entry after *cursor joined with name, in the arena ("" is the
 * current directory); advances *cursor, which becomes NULL after the last. */
static const char *next_in_path(const char **cursor, const char *name) {
  const char *path = *cursor;
  const char *colon = strchr(path, ':');
  size_t n = colon ? (size_t)(colon - path) : strlen(path);
  *cursor = colon ? colon + 1 : NULL;
  return arena_concat3(n ? arena_strndup(path, n) : ".", "/", name);
}

static const char *path_list(void) {
  const char *path = var_get("PATH");
  return path ? path : "/bin";
}

const char *path_search(const char *name, int mode) {
  for (const char *cursor = path_list(); cursor;) {
    const char *full = next_in_path(&cursor, name);
    struct stat st;
    if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, mode) == 0) return full;
  }
  return NULL;
}

static void exec_external(struct expanded *x) __attribute__((noreturn));
static void exec_external(struct expanded *x) {
  char **envp = vars_environ(x->assigns, x->nassign);
  const char *name = x->argv[0];
  int err = ENOENT;
  if (strchr(name, '/')) {
    try_exec(name, x->argv, envp);
    err = errno;
  } else if (*name) {
    for (const char *cursor = path_list(); cursor;) {
      try_exec(next_in_path(&cursor, name), x->argv, envp);
      if (errno != ENOENT && errno != ENOTDIR) err = errno;
    }
  }
  if (err == ENOENT) {
    sh_error(name, "not found");
    _exit(127);
  }
  sh_error_errno(name, NULL, err);
  _exit(126);
}

/* ---- processes ---- */

static void child_setup(pid_t pgid, int foreground, int async_no_jc) {
  sh.is_subshell = 1;
  traps_reset_in_child();
  if (sh.job_control) {
    pid_t me = getpid();
    setpgid(0, pgid ? pgid : me);
    /* SIGTTOU is still ignored here, so this works from a background group. */
    if (foreground) tcsetpgrp(sh.tty_fd, pgid ? pgid : me);
  }
  if (sh.interactive) set_keyboard_signals(SIG_DFL);
  if (async_no_jc) {
    /* POSIX: without job control, background commands ignore ^C and read /dev/null. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    int fd = open("/dev/null", O_RDONLY);
    if (fd >= 0 && fd != 0) {
      dup2(fd, 0);
      close(fd);
    }
  }
  sh.interactive = 0;
  sh.job_control = 0;
}

static int run_exec(struct command *c, struct expanded *x, int in_child);
static int run_compound(struct command *c);

/* `command NAME ARGS...`: drops the prefix (and a `--`) so NAME runs as a
 * builtin or program, never a function; 1 if it did. Options (-v, -V) are
 * left for the builtin. */
static int strip_command_prefix(struct expanded *x) {
  int stripped = 0;
  while (x->argc >= 2 && strcmp(x->argv[0], "command") == 0) {
    int skip = 1;
    if (strcmp(x->argv[1], "--") == 0) {
      if (x->argc == 2) break;
      skip = 2;
    } else if (x->argv[1][0] == '-') {
      break;
    }
    x->argv += skip;
    x->argc -= skip;
    stripped = 1;
  }
  return stripped;
}

/* Runs one command of a pipeline (or a background command) in a child. */
static void run_in_child(struct command *c) __attribute__((noreturn));
static void run_in_child(struct command *c) {
  if (c->type == CMD_FUNCDEF) _exit(func_define(c->var, c->words[0]));
  if (c->type != CMD_SIMPLE) {
    if (apply_redirs(c->redirs, NULL) < 0) _exit(1);
    _exit(run_compound(c) & 255);
  }
  struct expanded x;
  if (expand_command(c, &x) < 0) _exit(1);
  if (x.argc && strcmp(x.argv[0], "exec") == 0) _exit(run_exec(c, &x, 1));
  if (apply_redirs(c->redirs, NULL) < 0) _exit(1);
  if (x.argc == 0) _exit(0);
  const char *fn = strip_command_prefix(&x) ? NULL : func_lookup(x.argv[0]);
  if (fn) {
    set_assignments(&x);
    _exit(func_call(fn, x.argc, x.argv) & 255);
  }
  builtin_fn b = builtin_lookup(x.argv[0]);
  if (b) {
    set_assignments(&x);
    _exit(b(x.argc, x.argv) & 255);
  }
  exec_external(&x);
}

/* exec [cmd...]: replace the shell with cmd; without cmd, make the
 * redirections permanent. */
static int run_exec(struct command *c, struct expanded *x, int in_child) {
  if (apply_redirs(c->redirs, NULL) < 0) return 1;
  if (x->argc == 1) {
    set_assignments(x);
    return 0;
  }
  if (!in_child && sh.interactive) set_keyboard_signals(SIG_DFL);
  x->argv++;
  x->argc--;
  exec_external(x);
}

static int run_in_shell(struct command *c, const char *text) {
  if (c->type == CMD_FUNCDEF) return func_define(c->var, c->words[0]);
  if (c->type != CMD_SIMPLE && c->type != CMD_SUBSHELL) {
    struct fd_save save;
    save.n = 0;
    int status = apply_redirs(c->redirs, &save) < 0 ? 1 : run_compound(c);
    restore_fds(&save);
    return status;
  }
  /* A ( subshell ) runs in a child, like an external command. */
  struct expanded x;
  memset(&x, 0, sizeof(x));
  if (c->type == CMD_SIMPLE && expand_command(c, &x) < 0) return 1;
  if (x.argc && strcmp(x.argv[0], "exec") == 0) return run_exec(c, &x, 0);
  const char *fn = x.argc && !strip_command_prefix(&x) ? func_lookup(x.argv[0]) : NULL;
  builtin_fn b = x.argc && !fn ? builtin_lookup(x.argv[0]) : NULL;
  if (c->type == CMD_SIMPLE && (x.argc == 0 || b || fn)) {
    struct fd_save save;
    save.n = 0;
    int status;
    if (apply_redirs(c->redirs, &save) < 0) {
      status = 1;
    } else {
      set_assignments(&x);
      /* Assignments alone take the status of their last command substitution. */
      status = fn  ? func_call(fn, x.argc, x.argv)
               : b ? b(x.argc, x.argv)
               : sh.subst_ran ? sh.subst_status
                              : 0;
    }
    restore_fds(&save);
    return status;
  }
  struct job *j = job_new(text);
  if (!j) {
    sh_error("too many jobs", NULL);
    return 1;
  }
  pid_t pid = sh_fork();
  if (pid < 0) {
    int err = errno;
    job_free(j);
    sh_error_errno("fork", NULL, err);
    return 1;
  }
  if (pid == 0) {
    child_setup(0, 1, 0);
    if (apply_redirs(c->redirs, NULL) < 0) _exit(1);
    if (c->type == CMD_SUBSHELL) _exit(run_compound(c) & 255);
    exec_external(&x);
  }
  j->pids[0] = pid;
  j->npids = 1;
  j->pgid = pid;
  if (sh.job_control) {
    setpgid(pid, pid);
    tcsetpgrp(sh.tty_fd, pid);
  }
  return job_wait_fg(j);
}

static void announce_background(struct job *j) {
  sh.last_bg_pid = j->pids[j->npids - 1];
  j->background = 1;
  if (sh.interactive) {
    out_str(2, "[");
    out_num(2, j->id);
    out_str(2, "] ");
    out_num(2, sh.last_bg_pid);
    out_str(2, "\n");
  }
}

static int run_pipeline(struct pipeline *pl, int background, const char *text) {
  int status;
  if (pl->ncmds == 1 && !background) {
    status = run_in_shell(pl->cmds[0], text);
  } else {
    struct job *j = job_new(text);
    if (!j) {
      sh_error("too many jobs", NULL);
      return 1;
    }
    int prev_read = -1, failed = 0;
    for (int i = 0; i < pl->ncmds; i++) {
      int pfd[2] = {-1, -1};
      if (i + 1 < pl->ncmds && pipe2(pfd, O_CLOEXEC) < 0) {
        sh_error_errno("pipe", NULL, errno);
        failed = 1;
        break;
      }
      pid_t pid = sh_fork();
      if (pid < 0) {
        sh_error_errno("fork", NULL, errno);
        if (pfd[0] >= 0) {
          close(pfd[0]);
          close(pfd[1]);
        }
        failed = 1;
        break;
      }
      if (pid == 0) {
        child_setup(j->pgid, !background, background && !sh.job_control);
        if (prev_read >= 0) {
          dup2(prev_read, 0);
          close(prev_read);
        }
        if (pfd[1] >= 0) {
          dup2(pfd[1], 1);
          close(pfd[1]);
          close(pfd[0]);
        }
        run_in_child(pl->cmds[i]);
      }
      if (i == 0) j->pgid = pid;
      if (sh.job_control) setpgid(pid, j->pgid);
      j->pids[j->npids++] = pid;
      if (prev_read >= 0) close(prev_read);
      if (pfd[1] >= 0) close(pfd[1]);
      prev_read = pfd[0];
    }
    if (prev_read >= 0) close(prev_read);
    if (j->npids == 0) {
      job_free(j);
      return 1;
    }
    if (background && !failed) {
      announce_background(j);
      return 0;
    }
    if (sh.job_control) tcsetpgrp(sh.tty_fd, j->pgid);
    status = job_wait_fg(j);
    if (failed) status = 1;
  }
  if (pl->negate) status = !status;
  return status;
}

int run_andor(struct andor *a) {
  if (a->background && a->npipes > 1) {
    /* A backgrounded a && b runs as one subshell job. */
    struct job *j = job_new(a->text);
    if (!j) {
      sh_error("too many jobs", NULL);
      return 1;
    }
    pid_t pid = sh_fork();
    if (pid < 0) {
      job_free(j);
      sh_error_errno("fork", NULL, errno);
      return 1;
    }
    if (pid == 0) {
      child_setup(0, 0, !sh.job_control);
      a->background = 0;
      _exit(run_andor(a) & 255);
    }
    if (sh.job_control) setpgid(pid, pid);
    j->pids[0] = pid;
    j->npids = 1;
    j->pgid = pid;
    announce_background(j);
    return 0;
  }
  int status = run_pipeline(a->pipes[0], a->background, a->text);
  int last_ran = 0;
  sh.last_status = status;
  for (int i = 1;
       i < a->npipes && !sh.breaking && !sh.continuing && !sh.interrupted && !sh.returning; i++) {
    int run = a->ops[i - 1] == OP_AND ? status == 0 : status != 0;
    if (!run) continue;
    status = run_pipeline(a->pipes[i], 0, a->text);
    last_ran = i;
    sh.last_status = status;
  }
  /* set -e: only a failure of the last pipeline of the list counts, and not
   * inside conditions or under `!`. */
  if (sh.opt_errexit && status != 0 && sh.cond_depth == 0 && !a->background &&
      last_ran == a->npipes - 1 && !a->pipes[last_ran]->negate)
    sh_exit(status);
  return status;
}

int run_list(struct andor *list) {
  for (struct andor *a = list;
       !interrupt_check() && a && !sh.breaking && !sh.continuing && !sh.returning; a = a->next) {
    sh.last_status = run_andor(a);
    if (!sh.interactive) jobs_reap(0);
    traps_run_pending();
  }
  return sh.last_status;
}

/* After a loop body: 1 if the loop must end (break, or continue of an outer loop). */
static int loop_should_end(void) {
  if (sh.interrupted || sh.returning) return 1;
  if (sh.breaking) {
    sh.breaking--;
    return 1;
  }
  if (sh.continuing) {
    sh.continuing--;
    return sh.continuing > 0;
  }
  return 0;
}

/* Runs a compound command's body in this process (redirections already done). */
static int run_compound(struct command *c) {
  int status = 0;
  switch (c->type) {
  case CMD_SUBSHELL:
  case CMD_GROUP: return run_list(c->body);
  case CMD_IF: {
    sh.cond_depth++;
    int cond = run_list(c->cond);
    sh.cond_depth--;
    if (cond == 0) return run_list(c->body);
    if (sh.breaking || sh.continuing || sh.interrupted || sh.returning) return 0;
    return c->else_part ? run_compound(c->else_part) : 0;
  }
  case CMD_WHILE:
  case CMD_UNTIL: {
    /* Each iteration's expansions are freed, so long loops run in bounded memory. */
    struct arena_mark m = arena_get_mark();
    sh.loop_depth++;
    for (;;) {
      arena_release(m);
      sh.cond_depth++;
      int cond = run_list(c->cond);
      sh.cond_depth--;
      if (sh.breaking || sh.continuing || sh.interrupted || sh.returning) {
        if (loop_should_end()) break;
        continue;
      }
      if ((cond == 0) != (c->type == CMD_WHILE)) break;
      status = run_list(c->body);
      if (loop_should_end()) break;
    }
    sh.loop_depth--;
    return status;
  }
  case CMD_FOR: {
    char **items;
    int nitems = 0;
    if (c->has_in) {
      int cap = c->nwords + 8;
      items = arena_alloc((size_t)cap * sizeof(char *));
      for (int i = 0; i < c->nwords; i++) {
        char **f;
        int n;
        if (expand_word(c->words[i], &f, &n) < 0) return 1;
        if (nitems + n > cap) {
          cap = (nitems + n) * 2;
          char **ni = arena_alloc((size_t)cap * sizeof(char *));
          memcpy(ni, items, (size_t)nitems * sizeof(char *));
          items = ni;
        }
        for (int k = 0; k < n; k++) items[nitems++] = f[k];
      }
    } else {
      items = sh.params;
      nitems = sh.nparams;
    }
    struct arena_mark m = arena_get_mark();
    sh.loop_depth++;
    for (int i = 0; i < nitems; i++) {
      arena_release(m);
      var_set(c->var, items[i], 0);
      status = run_list(c->body);
      if (loop_should_end()) break;
    }
    sh.loop_depth--;
    return status;
  }
  case CMD_CASE: {
    char *subject = expand_single(c->words[0]);
    if (!subject) return 1;
    for (struct case_item *it = c->items; it; it = it->next) {
      for (int i = 0; i < it->npatterns; i++) {
        int m = case_pattern_match(it->patterns[i], subject);
        if (m < 0) return 1;
        if (m) return it->body ? run_list(it->body) : 0;
      }
    }
    return 0;
  }
  case CMD_FUNCDEF: return func_define(c->var, c->words[0]);
  case CMD_SIMPLE: break;
  }
  return status;
}

char *command_output(const char *text) {
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) < 0) {
    sh_error_errno("pipe", NULL, errno);
    return NULL;
  }
  pid_t pid = sh_fork();
  if (pid < 0) {
    sh_error_errno("fork", NULL, errno);
    close(pfd[0]);
    close(pfd[1]);
    return NULL;
  }
  if (pid == 0) {
    /* Same process group as the shell: ^C at the terminal reaches it. */
    sh.is_subshell = 1;
    traps_reset_in_child();
    if (sh.interactive) set_keyboard_signals(SIG_DFL);
    sh.interactive = 0;
    sh.job_control = 0;
    close(pfd[0]);
    dup2(pfd[1], 1);
    close(pfd[1]);
    struct source src;
    memset(&src, 0, sizeof(src));
    src.fd = -1;
    /* The arena is reset per line, so the text must live outside it. */
    src.str = strdup(text);
    if (!src.str) _exit(2);
    src.str_len = strlen(src.str);
    _exit(run_source(&src, 0) & 255);
  }
  close(pfd[1]);
  size_t len = 0, cap = 256;
  char *buf = malloc(cap);
  for (;;) {
    if (buf && len + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
      } else {
        buf = nb;
        cap *= 2;
      }
    }
    char sink[256];
    ssize_t r = buf ? read(pfd[0], buf + len, cap - len - 1) : read(pfd[0], sink, sizeof(sink));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    if (buf) len += (size_t)r;
  }
  close(pfd[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  sh.last_status = sh.subst_status = status_to_exit(st);
  sh.subst_ran = 1;
  if (!buf) {
    sh_error("command substitution", "out of memory");
    return NULL;
  }
  char *out = arena_strndup(buf, len);
  free(buf);
  return out;
}
