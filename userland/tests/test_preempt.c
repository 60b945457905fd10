/* A child spins forever without making system calls; the parent must still
 * get the CPU (preemption), sleep, kill the child and reap it. */
#include <signal.h>
#include <time.h>

#include "check.h"

int main(void) {
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    volatile unsigned long spin = 0;
    for (;;) spin++;
  }
  struct timespec ts = {0, 10000000};
  CHECK(nanosleep(&ts, NULL) == 0, "nanosleep 10 ms");
  CHECK(kill(pid, SIGKILL) == 0, "kill");
  int st = wait_for(pid);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "child killed by SIGKILL");
  dprintf(1, "preempt: parent ran while child spun; child killed\n");
  return 0;
}
