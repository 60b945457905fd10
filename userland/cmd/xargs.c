/* xargs [-n N] [-I REPL] [-0] [-t] [-r] [COMMAND [ARG...]]: run COMMAND (default
 * echo) with the ARGs followed by items read from stdin. Items are separated by
 * blanks and newlines; '..' and ".." quote, a backslash escapes the next
 * character. -0: items end with NUL bytes instead, with no quoting. -n N: at most
 * N items per command. -I REPL: one command per input line (leading blanks
 * dropped), with REPL replaced by the line in every ARG. -t: print each command
 * on stderr first. -r: run nothing if there are no items (otherwise the command
 * runs once, as in GNU). Commands get /dev/null as stdin; command lines are kept
 * under 128 KiB. Exit status: 123 if a command exited 1-254, 124 if one exited
 * 255, 125 if one was killed by a signal, 126 if it could not be run, 127 if it
 * was not found. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n"
    "Run COMMAND with arguments INITIAL-ARGS and more arguments read from input.\n"
    "\n"
    "  -0, --null                   items are separated by a null, not whitespace\n"
    "  -I R                         replace R in INITIAL-ARGS with names read\n"
    "                                 from standard input\n"
    "  -n, --max-args=MAX-ARGS      use at most MAX-ARGS arguments per command line\n"
    "  -r, --no-run-if-empty        if there are no arguments, then do not run\n"
    "                                 COMMAND\n"
    "  -t, --verbose                print commands before executing them\n"
    "      --help                   display this help and exit\n";


#define LINE_MAX_BYTES (128 * 1024)

static int nul_sep, per_line, trace;
static int status; /* 0, or 123 once a command failed */

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n);
  if (!p) {
    fprintf(stderr, "xargs: out of memory\n");
    exit(1);
  }
  return p;
}

/* A growing byte string. */
struct buf {
  char *p;
  size_t len, cap;
};

static void buf_add(struct buf *b, char c) {
  if (b->len + 1 >= b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->p = xrealloc(b->p, b->cap);
  }
  b->p[b->len++] = c;
  b->p[b->len] = 0;
}

static int is_blank(int c) { return c == ' ' || c == '\t'; }

/* Reads the next item into a new string. Returns 1 for an item, 0 at the end of
 * input, -1 after an unmatched quote (reported). */
static int next_item(char **out) {
  struct buf b = {0, 0, 0};
  int c, started = 0;
  if (nul_sep) {
    while ((c = getchar()) != EOF && c != 0) buf_add(&b, (char)c);
    if (c == EOF && b.len == 0) return 0;
    buf_add(&b, 0); /* make sure the string exists, even when empty */
    b.len--;
    *out = b.p;
    return 1;
  }
  /* Skip separators: blanks and newlines (with -I: leading blanks and empty lines). */
  while ((c = getchar()) != EOF && (is_blank(c) || c == '\n')) {}
  while (c != EOF && c != '\n' && (per_line || !is_blank(c))) {
    started = 1;
    if (c == '\'' || c == '"') {
      int q = c;
      while ((c = getchar()) != EOF && c != q && c != '\n') buf_add(&b, (char)c);
      if (c != q) {
        fprintf(stderr,
                "xargs: unmatched %s quote; by default quotes are special to xargs unless you "
                "use the -0 option\n",
                q == '\'' ? "single" : "double");
        free(b.p);
        return -1;
      }
    } else if (c == '\\') {
      if ((c = getchar()) == EOF) break;
      buf_add(&b, (char)c);
    } else {
      buf_add(&b, (char)c);
    }
    c = getchar();
  }
  if (!started) return 0;
  buf_add(&b, 0);
  b.len--;
  *out = b.p;
  return 1;
}

/* Prints an argument for -t, quoted for the shell when needed. */
static void trace_arg(const char *s) {
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-") ==
                strlen(s)) {
    fputs(s, stderr);
  } else if (strchr(s, '\'') && !strpbrk(s, "\"$`\\!")) {
    fprintf(stderr, "\"%s\"", s);
  } else {
    fputc('\'', stderr);
    for (; *s; s++) {
      if (*s == '\'') fputs("'\\''", stderr);
      else fputc(*s, stderr);
    }
    fputc('\'', stderr);
  }
}

/* Runs argv (NULL-terminated) and waits; exits xargs when GNU does. */
static void run(char **argv) {
  if (trace) {
    for (int i = 0; argv[i]; i++) {
      if (i) fputc(' ', stderr);
      trace_arg(argv[i]);
    }
    fputc('\n', stderr);
  }
  fflush(stdout);
  /* The child reports a failed exec through a close-on-exec pipe. */
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) {
    fprintf(stderr, "xargs: pipe: %s\n", strerror(errno));
    exit(1);
  }
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "xargs: fork: %s\n", strerror(errno));
    exit(1);
  }
  if (pid == 0) {
    close(fds[0]);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0 && null != 0) {
      dup2(null, 0);
      close(null);
    }
    execvp(argv[0], argv);
    int e = errno;
    write(fds[1], &e, sizeof e);
    _exit(127);
  }
  close(fds[1]);
  int e = 0;
  ssize_t got;
  while ((got = read(fds[0], &e, sizeof e)) < 0 && errno == EINTR) {}
  close(fds[0]);
  int ws;
  while (waitpid(pid, &ws, 0) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "xargs: waitpid: %s\n", strerror(errno));
      exit(1);
    }
  }
  if (got == (ssize_t)sizeof e) {
    fprintf(stderr, "xargs: %s: %s\n", argv[0], strerror(e));
    exit(e == ENOENT ? 127 : 126);
  }
  if (WIFSIGNALED(ws)) {
    fprintf(stderr, "xargs: %s: terminated by signal %d\n", argv[0], WTERMSIG(ws));
    exit(125);
  }
  if (WEXITSTATUS(ws) == 255) {
    fprintf(stderr, "xargs: %s: exited with status 255; aborting\n", argv[0]);
    exit(124);
  }
  if (WEXITSTATUS(ws) != 0) status = 123;
}

/* Space an argument takes on a command line: its bytes, NUL and pointer. */
static size_t arg_size(const char *s) { return strlen(s) + 1 + sizeof(char *); }

static void too_long(void) {
  fprintf(stderr, "xargs: argument line too long\n");
  exit(1);
}

/* Copy of s with every occurrence of repl replaced by item. */
static char *replace(const char *s, const char *repl, const char *item) {
  struct buf b = {0, 0, 0};
  size_t rlen = strlen(repl);
  buf_add(&b, 0);
  b.len = 0;
  while (*s) {
    if (rlen && strncmp(s, repl, rlen) == 0) {
      for (const char *p = item; *p; p++) buf_add(&b, *p);
      s += rlen;
    } else {
      buf_add(&b, *s++);
    }
  }
  return b.p;
}

static long parse_count(const char *s) {
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (*s == 0 || *end != 0 || errno == ERANGE) {
    fprintf(stderr, "xargs: invalid number \"%s\" for -n option\n", s);
    exit(1);
  }
  if (n < 1) {
    fprintf(stderr, "xargs: value %ld for -n option should be >= 1\n", n);
    exit(1);
  }
  return n;
}

/* Runs cmd[0..ncmd) and drops the items after the nbase fixed arguments; returns nbase. */
static int run_and_reset(char **cmd, int ncmd, int nbase) {
  cmd[ncmd] = 0;
  run(cmd);
  for (int i = nbase; i < ncmd; i++) free(cmd[i]);
  return nbase;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  long max_items = -1;
  const char *repl = 0;
  int no_empty_run = 0, opt;
  while ((opt = getopt(argc, argv, "n:I:0tr")) != -1) {
    switch (opt) {
      case 'n': max_items = parse_count(optarg); break;
      case 'I': repl = optarg; break;
      case '0': nul_sep = 1; break;
      case 't': trace = 1; break;
      case 'r': no_empty_run = 1; break;
      default:
        fprintf(stderr, "usage: xargs [-n N] [-I REPL] [-0] [-t] [-r] [COMMAND [ARG...]]\n");
        return 1;
    }
  }
  static char *echo_argv[] = {"echo", 0};
  char **base = optind < argc ? argv + optind : echo_argv;
  int nbase = optind < argc ? argc - optind : 1;
  per_line = repl != 0;

  /* Room for arguments: 128 KiB less the environment and a margin. */
  size_t limit = LINE_MAX_BYTES - 2048, used = 0;
  for (char **e = environ; *e; e++) used += arg_size(*e);
  limit = used < limit / 2 ? limit - used : limit / 2;
  size_t base_size = 0;
  for (int i = 0; i < nbase; i++) base_size += arg_size(base[i]);

  char **cmd = xrealloc(0, (size_t)(nbase + 1) * sizeof *cmd);
  int ncmd = nbase, ran = 0, r;
  size_t size = base_size;
  memcpy(cmd, base, (size_t)nbase * sizeof *cmd);
  char *item;
  while ((r = next_item(&item)) > 0) {
    if (repl) {
      /* One command per line, with REPL replaced in every argument. */
      char **line = xrealloc(0, (size_t)(nbase + 1) * sizeof *line);
      size_t total = 0;
      for (int i = 0; i < nbase; i++) {
        line[i] = replace(base[i], repl, item);
        total += arg_size(line[i]);
      }
      line[nbase] = 0;
      if (total > limit) too_long();
      run(line);
      for (int i = 0; i < nbase; i++) free(line[i]);
      free(line);
      free(item);
      ran = 1;
      continue;
    }
    if (base_size + arg_size(item) > limit) too_long();
    if (size + arg_size(item) > limit) {
      /* This item would make the line too long: run what we have first. */
      ncmd = run_and_reset(cmd, ncmd, nbase);
      ran = 1;
      size = base_size;
    }
    cmd = xrealloc(cmd, (size_t)(ncmd + 2) * sizeof *cmd);
    cmd[ncmd++] = item;
    size += arg_size(item);
    if (max_items > 0 && ncmd - nbase >= max_items) {
      ncmd = run_and_reset(cmd, ncmd, nbase);
      ran = 1;
      size = base_size;
    }
  }
  /* The rest; and with no items at all, one run unless -r or -I. */
  if (ncmd > nbase || (!ran && !no_empty_run && !repl && r == 0)) {
    cmd[ncmd] = 0;
    run(cmd);
  }
  if (r < 0) return 1;
  return status;
}
