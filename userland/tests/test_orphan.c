/* A child forks a grandchild and exits; the grandchild must be re-parented
 * (to init, pid 1, on Strata; to pid 1 or a subreaper on a Linux host). */
#include <time.h>

#include "check.h"

int main(void) {
  int fds[2], seen[2]; /* fds: grandchild -> us; seen: grandchild -> child */
  CHECK(pipe(fds) == 0 && pipe(seen) == 0, "pipe");
  pid_t child = fork();
  CHECK(child >= 0, "fork");
  if (child == 0) {
    pid_t me = getpid();
    pid_t grandchild = fork();
    if (grandchild < 0) _exit(2);
    if (grandchild == 0) {
      close(fds[0]);
      close(seen[0]);
      if (getppid() != me) _exit(3); /* the child cannot have exited: it waits for us */
      write(seen[1], "s", 1);
      write(fds[1], "g", 1);
      /* Wait (bounded) until our parent is gone and we are re-parented. */
      pid_t pp = me;
      struct timespec ts = {0, 1000000};
      for (int i = 0; i < 5000 && (pp = getppid()) == me; i++) nanosleep(&ts, NULL);
      char verdict = pp == me ? 'n' : pp == 1 ? '1' : 'r';
      write(fds[1], &verdict, 1);
      _exit(0);
    }
    /* Exit only after the grandchild has seen us as its parent. */
    char c;
    close(seen[1]);
    if (read(seen[0], &c, 1) != 1) _exit(4);
    _exit(0);
  }
  int st = wait_for(child);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child exits 0");
  close(fds[1]);
  close(seen[0]);
  close(seen[1]);
  char buf[2];
  int got = 0;
  while (got < 2) {
    ssize_t n = read(fds[0], buf + got, (size_t)(2 - got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (int)n;
  }
  CHECK(got == 2 && buf[0] == 'g', "grandchild reported");
  CHECK(buf[1] != 'n', "grandchild re-parented after its parent exited");
  if (getpid() == 1) {
    /* Run as init ourselves: the orphan became our child, and we reap it. */
    CHECK(buf[1] == '1', "orphan re-parented to pid 1 (us)");
    int gst;
    CHECK(waitpid(-1, &gst, 0) > 0 && WIFEXITED(gst) && WEXITSTATUS(gst) == 0, "reap orphan");
  }
  /* The grandchild is not (or no longer) ours: no children left. */
  CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD, "no children left");
  dprintf(1, "orphan: grandchild re-parented\n");
  return 0;
}
