/* test_pipe_write: a blocking write() to a pipe writes everything, however
 * large, waiting for the reader as POSIX asks; a signal handler that
 * interrupts it after part of the data went through makes it return that
 * part (not EINTR), even with SA_RESTART. */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

#include "check.h"

#define BIG (300 * 1024)

static volatile int got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }

/* Reads until EOF in small pieces, yielding between them; returns the total. */
static long drain(int fd) {
  static char buf[1000];
  long total = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) return -1;
    if (n == 0) return total;
    total += n;
    sched_yield();
  }
}

/* Reads at least `want` bytes, then signals the parent (blocked in its write)
 * and keeps the read end open until the parent says its write returned. */
static int read_then_signal(int fd, long want, int sync_fd) {
  static char buf[1000];
  long total = 0;
  while (total < want) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return 1;
    total += n;
  }
  kill(getppid(), SIGUSR1);
  char done;
  return read(sync_fd, &done, 1) == 1 ? 0 : 1;
}

int main(void) {
  char *data = malloc(BIG);
  CHECK(data != NULL, "malloc");
  for (int i = 0; i < BIG; i++) data[i] = (char)i;

  /* 1: one write of 300 KiB through a 64 KiB pipe returns 300 KiB. */
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    close(fds[1]);
    _exit(drain(fds[0]) == BIG ? 0 : 1);
  }
  close(fds[0]);
  ssize_t n = write(fds[1], data, BIG);
  CHECK(n == BIG, "a blocking pipe write returns only when all of it is written");
  close(fds[1]);
  int status;
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "the reader received every byte");
  printf("full write: %d bytes\n", BIG);

  /* 2: a handler interrupting a partly done write: the write returns the part. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
  int sync[2];
  CHECK(pipe(fds) == 0 && pipe(sync) == 0, "pipe");
  pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    close(fds[1]);
    close(sync[1]);
    _exit(read_then_signal(fds[0], 100 * 1024, sync[0]));
  }
  close(fds[0]);
  close(sync[0]);
  n = write(fds[1], data, BIG);
  CHECK(got_usr1, "the handler ran");
  CHECK(n > 0 && n < BIG, "an interrupted partial write returns the bytes written");
  CHECK(write(sync[1], "d", 1) == 1, "tell the reader");
  close(sync[1]);
  close(fds[1]);
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "the reader exited cleanly");
  printf("interrupted write: partial count\n");
  return 0;
}
