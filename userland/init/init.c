/* Strata init (pid 1): sets up the console and session, starts the shell (or
 * the command given as arguments), reaps orphans, and exits with the shell's
 * status so that the machine halts reporting it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *a, const char *b, const char *c) {
  const char *parts[3] = {a, b, c};
  for (int i = 0; i < 3; i++)
    if (parts[i]) write(2, parts[i], strlen(parts[i]));
}

/* Makes sure fds 0, 1 and 2 exist, opening /dev/console for the missing ones. */
static void open_console(void) {
  int missing = 0;
  for (int fd = 0; fd < 3; fd++)
    if (fcntl(fd, F_GETFD) < 0) missing = 1;
  if (!missing) return;
  int con = open("/dev/console", O_RDWR);
  if (con < 0) return; /* nothing to report to; carry on without a console */
  for (int fd = 0; fd < 3; fd++)
    if (fcntl(fd, F_GETFD) < 0) dup2(con, fd);
  if (con > 2) close(con);
}

/* Signals init itself must survive; the child gets them back at default. */
static const int shielded[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP};

int main(int argc, char **argv) {
  /* A new session makes the console our controlling terminal; it fails
   * harmlessly when we already lead a process group (e.g. under qemu). */
  setsid();
  open_console();
  ioctl(0, TIOCSCTTY, 0);

  for (size_t i = 0; i < sizeof(shielded) / sizeof(shielded[0]); i++)
    signal(shielded[i], SIG_IGN);

  static char *default_cmd[] = {"/bin/sh", NULL};
  char **cmd = argc > 1 ? argv + 1 : default_cmd;
  static char *envp[] = {"HOME=/", "PATH=/bin", "TERM=vt100", NULL};

  pid_t child = fork();
  if (child < 0) {
    say("init: fork: ", strerror(errno), "\n");
    return 1;
  }
  if (child == 0) {
    for (size_t i = 0; i < sizeof(shielded) / sizeof(shielded[0]); i++)
      signal(shielded[i], SIG_DFL);
    execve(cmd[0], cmd, envp);
    int err = errno;
    say("init: cannot run ", cmd[0], ": ");
    say(strerror(err), "\n", NULL);
    _exit(err == ENOENT ? 127 : 126);
  }

  /* Reap everything: our shell, and every orphan the kernel hands to us. */
  for (;;) {
    int st;
    pid_t pid = waitpid(-1, &st, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      say("init: wait: ", strerror(errno), "\n");
      return 1;
    }
    if (pid != child) continue;
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
  }
}
