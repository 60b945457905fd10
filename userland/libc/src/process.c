/* Running other programs: execl/execlp/execle, system, popen/pclose; and
 * alarm over setitimer(ITIMER_REAL) (the rv32 kernel has no alarm call). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#define MAX_EXEC_ARGS 256

/* Collects arg, ... up to the NULL into argv; with_env also takes the envp after it. */
static int collect(const char *arg, va_list ap, char **argv, char ***envp) {
  int n = 0;
  argv[n++] = (char *)arg;
  while (arg) {
    arg = va_arg(ap, const char *);
    if (n == MAX_EXEC_ARGS) {
      errno = E2BIG;
      return -1;
    }
    argv[n++] = (char *)arg;
  }
  if (envp) *envp = va_arg(ap, char **);
  return 0;
}

int execl(const char *path, const char *arg, ...) {
  char *argv[MAX_EXEC_ARGS + 1];
  va_list ap;
  va_start(ap, arg);
  int r = collect(arg, ap, argv, 0);
  va_end(ap);
  return r < 0 ? -1 : execve(path, argv, environ);
}

int execlp(const char *file, const char *arg, ...) {
  char *argv[MAX_EXEC_ARGS + 1];
  va_list ap;
  va_start(ap, arg);
  int r = collect(arg, ap, argv, 0);
  va_end(ap);
  return r < 0 ? -1 : execvp(file, argv);
}

int execle(const char *path, const char *arg, ...) {
  char *argv[MAX_EXEC_ARGS + 1], **envp;
  va_list ap;
  va_start(ap, arg);
  int r = collect(arg, ap, argv, &envp);
  va_end(ap);
  return r < 0 ? -1 : execve(path, argv, envp);
}

static pid_t wait_for(pid_t pid, int *status) {
  pid_t r;
  while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR) {
  }
  return r;
}

/* As POSIX: SIGINT and SIGQUIT ignored and SIGCHLD blocked in the caller while
 * the command runs; the child gets them back. system(NULL) says whether
 * /bin/sh exists. Returns the wait status, or 127 << 8 when sh cannot run. */
int system(const char *command) {
  if (!command) return access("/bin/sh", X_OK) == 0;
  struct sigaction ign, old_int, old_quit;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ign, &old_int);
  sigaction(SIGQUIT, &ign, &old_quit);
  sigset_t chld, old_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old_mask);
  int status = -1;
  pid_t pid = fork();
  if (pid == 0) {
    sigaction(SIGINT, &old_int, 0);
    sigaction(SIGQUIT, &old_quit, 0);
    sigprocmask(SIG_SETMASK, &old_mask, 0);
    execl("/bin/sh", "sh", "-c", command, (char *)0);
    _exit(127);
  }
  if (pid > 0 && wait_for(pid, &status) < 0) status = -1;
  int saved = errno;
  sigaction(SIGINT, &old_int, 0);
  sigaction(SIGQUIT, &old_quit, 0);
  sigprocmask(SIG_SETMASK, &old_mask, 0);
  errno = saved;
  return status;
}

/* Which child each popen stream belongs to. */
static struct {
  FILE *f;
  pid_t pid;
} popened[16];

FILE *popen(const char *command, const char *mode) {
  int reading = mode[0] == 'r';
  if ((mode[0] != 'r' && mode[0] != 'w') || (mode[1] && mode[1] != 'e')) {
    errno = EINVAL;
    return 0;
  }
  int slot = 0;
  while (slot < 16 && popened[slot].f) slot++;
  if (slot == 16) {
    errno = EMFILE;
    return 0;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return 0; /* other popen streams never leak into children */
  int mine = reading ? fds[0] : fds[1], theirs = reading ? fds[1] : fds[0];
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
  if (pid == 0) {
    int target = reading ? 1 : 0;
    if (theirs != target) dup2(theirs, target); /* dup2 leaves the copy without FD_CLOEXEC */
    else fcntl(target, F_SETFD, 0);
    execl("/bin/sh", "sh", "-c", command, (char *)0);
    _exit(127);
  }
  close(theirs);
  FILE *f = fdopen(mine, reading ? "r" : "w");
  if (!f) {
    close(mine);
    wait_for(pid, 0);
    return 0;
  }
  if (mode[1] != 'e') fcntl(mine, F_SETFD, 0);
  popened[slot].f = f;
  popened[slot].pid = pid;
  return f;
}

int pclose(FILE *f) {
  for (int i = 0; i < 16; i++) {
    if (popened[i].f != f) continue;
    pid_t pid = popened[i].pid;
    popened[i].f = 0;
    fclose(f);
    int status;
    return wait_for(pid, &status) < 0 ? -1 : status;
  }
  errno = ECHILD;
  return -1;
}

/* Kernel itimerval on rv32: four 32-bit longs. */
struct kitimerval {
  long interval_sec, interval_usec, value_sec, value_usec;
};

static void from_kernel(const struct kitimerval *k, struct itimerval *v) {
  v->it_interval.tv_sec = k->interval_sec;
  v->it_interval.tv_usec = k->interval_usec;
  v->it_value.tv_sec = k->value_sec;
  v->it_value.tv_usec = k->value_usec;
}

int getitimer(int which, struct itimerval *value) {
  struct kitimerval k;
  long r = __sys_ret(__sc2(SYS_getitimer, which, &k));
  if (r == 0) from_kernel(&k, value);
  return (int)r;
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old) {
  if (value->it_value.tv_sec > 0x7fffffff || value->it_interval.tv_sec > 0x7fffffff) {
    errno = EINVAL;
    return -1;
  }
  struct kitimerval k = {(long)value->it_interval.tv_sec, (long)value->it_interval.tv_usec,
                         (long)value->it_value.tv_sec, (long)value->it_value.tv_usec};
  struct kitimerval ko;
  long r = __sys_ret(__sc3(SYS_setitimer, which, &k, old ? &ko : 0));
  if (r == 0 && old) from_kernel(&ko, old);
  return (int)r;
}

/* Returns the seconds left on the previous alarm (rounded as glibc does), or
 * (unsigned)-1 with errno set if the kernel has no interval timers. */
unsigned alarm(unsigned seconds) {
  struct itimerval v = {{0, 0}, {seconds, 0}}, old;
  if (setitimer(ITIMER_REAL, &v, &old) < 0) return (unsigned)-1;
  unsigned left = (unsigned)old.it_value.tv_sec;
  if (old.it_value.tv_usec >= 500000 || (left == 0 && old.it_value.tv_usec > 0)) left++;
  return left;
}
