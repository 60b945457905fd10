/* Strata sh: a small POSIX-style shell. Entry point: options, the
 * read-parse-run loop, and interactive set-up (job control). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

struct shell_state sh;

static struct source src;

static void usage(void) __attribute__((noreturn));
static void usage(void) {
  out_str(2, "usage: sh [-i] [-c command [name [arg...]] | file [arg...]]\n");
  exit(2);
}

/* Own process group, own the terminal, and stay out of the way of ^C/^Z. */
static void setup_job_control(void) {
  set_keyboard_signals(SIG_IGN);
  int fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
  if (fd < 0) return;
  pid_t me = getpid();
  if (getpgid(0) != me) setpgid(0, me);
  pid_t pgid = getpgid(0);
  if (tcsetpgrp(fd, pgid) < 0) {
    close(fd);
    return;
  }
  sh.tty_fd = fd;
  sh.shell_pgid = pgid;
  sh.job_control = 1;
}

int main(int argc, char **argv, char **envp) {
  sh.shell_pid = getpid();
  sh.arg0 = argc > 0 ? argv[0] : "sh";
  sh.tty_fd = -1;
  vars_init(envp);
  if (!var_get("PATH")) var_set("PATH", "/bin", 0);
  char ppid[24];
  num_to_str(getppid(), ppid);
  var_set("PPID", ppid, 0);

  const char *command = NULL;
  int force_interactive = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-c") == 0) {
      if (i + 1 >= argc) usage();
      command = argv[i + 1];
      i += 2;
      break;
    }
    if (strcmp(argv[i], "-i") == 0) {
      force_interactive = 1;
      continue;
    }
    if (strcmp(argv[i], "-s") == 0) {
      i++;
      break;
    }
    usage();
  }

  src.fd = -1;
  if (command) {
    src.str = command;
    src.str_len = strlen(command);
    if (i < argc) sh.arg0 = argv[i++];
  } else if (i < argc && strcmp(argv[i - 1], "-s") != 0) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      sh_error_errno(argv[i], NULL, errno);
      exit(127);
    }
    /* Keep the script out of the fds that commands and redirections use. */
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    if (high >= 0) {
      close(fd);
      fd = high;
    }
    src.fd = fd;
    sh.arg0 = argv[i++];
  } else {
    src.fd = 0;
    sh.interactive = force_interactive || isatty(0);
    if (!sh.interactive) src.share_fd = lseek(0, 0, SEEK_CUR) >= 0 ? 1 : 2;
  }
  sh.params = argv + i;
  sh.nparams = argc - i;
  src.interactive = sh.interactive;
  if (sh.interactive) {
    setup_job_control();
    trap_init_interactive();
  }

  sh_exit(run_source(&src, 1));
}

int run_source(struct source *s, int reset_arena) {
  for (;;) {
    if (reset_arena) arena_reset();
    sh.interrupted = sh.breaking = sh.continuing = sh.returning = 0;
    sh_sigint = 0;
    struct andor *list;
    enum parse_result r = parse_line(s, &list);
    if (r == PARSE_EOF) break;
    if (r == PARSE_ERROR) {
      sh.last_status = sh.line_cancelled ? 130 : 2;
      sh.line_cancelled = 0;
      if (!sh.interactive) sh_exit(2);
      continue;
    }
    run_list(list);
    /* ^C reached the shell itself (a loop of builtins): the terminal shows
     * ^C; end its line, as bash and dash do, and report 130. */
    if (interrupt_check() == 2) {
      out_str(2, "\n");
      sh.last_status = 130;
    }
  }
  return sh.last_status;
}

int run_nested(struct source *s) {
  int status = 0;
  for (;;) {
    /* Each line's parse tree goes once it has run; the caller's line stays. */
    struct arena_mark mark = arena_get_mark();
    struct andor *list;
    enum parse_result r = parse_line(s, &list);
    if (r == PARSE_EOF) break;
    if (r == PARSE_ERROR) {
      status = 2;
      break;
    }
    status = run_list(list);
    arena_release(mark);
    if (sh.returning || sh.interrupted || sh.breaking || sh.continuing) break;
  }
  return status;
}
