/* bench_yield N: parent and child each call sched_yield N times, so the CPU
 * ping-pongs between two runnable processes (a context switch per yield). */
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  pid_t child = fork();
  if (child < 0) bench_fail("fork");
  for (long i = 0; i < n; i++)
    if (sched_yield() < 0) bench_fail("sched_yield");
  if (child == 0) _exit(0);
  int status;
  if (waitpid(child, &status, 0) != child) bench_fail("waitpid");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench_yield: child failed (status %#x)\n", status);
    return 1;
  }
  printf("ok %ld\n", n);
  return 0;
}
