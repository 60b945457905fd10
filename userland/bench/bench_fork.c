/* bench_fork N: N times fork a child that exits at once and wait for it
 * (process creation, copy-on-write address space, exit and reaping). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  for (long i = 0; i < n; i++) {
    pid_t child = fork();
    if (child < 0) bench_fail("fork");
    if (child == 0) _exit((int)(i & 0x7f));
    int status;
    if (waitpid(child, &status, 0) != child) bench_fail("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != (int)(i & 0x7f)) {
      fprintf(stderr, "bench_fork: child %ld returned status %#x\n", i, status);
      return 1;
    }
  }
  printf("ok %ld\n", n);
  return 0;
}
