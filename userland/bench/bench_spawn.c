/* bench_spawn N [PROGRAM]: N times fork, execve PROGRAM (default /bin/true)
 * and wait for it: the Unix counterpart of Win32's CreateProcess + wait. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  char *prog = argc > 2 ? argv[2] : "/bin/true";
  char *args[] = {prog, NULL}, *envp[] = {NULL};
  for (long i = 0; i < n; i++) {
    pid_t child = fork();
    if (child < 0) bench_fail("fork");
    if (child == 0) {
      execve(prog, args, envp);
      _exit(127);
    }
    int status;
    if (waitpid(child, &status, 0) != child) bench_fail("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "bench_spawn: child %ld returned status %#x\n", i, status);
      return 1;
    }
  }
  printf("ok %ld\n", n);
  return 0;
}
