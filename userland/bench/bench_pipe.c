/* bench_pipe N: N one-byte round trips between parent and child over two
 * pipes (each round trip: two writes, two reads, two blocking wake-ups). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  int down[2], up[2];
  if (pipe(down) < 0 || pipe(up) < 0) bench_fail("pipe");
  pid_t child = fork();
  if (child < 0) bench_fail("fork");
  char c = 'x';
  if (child == 0) {
    close(down[1]);
    close(up[0]);
    for (long i = 0; i < n; i++) {
      if (read(down[0], &c, 1) != 1) _exit(3);
      if (write(up[1], &c, 1) != 1) _exit(4);
    }
    _exit(0);
  }
  close(down[0]);
  close(up[1]);
  for (long i = 0; i < n; i++) {
    c = (char)i;
    char back;
    if (write(down[1], &c, 1) != 1) bench_fail("write");
    if (read(up[0], &back, 1) != 1) bench_fail("read");
    if (back != c) {
      fprintf(stderr, "bench_pipe: byte %ld came back changed\n", i);
      return 1;
    }
  }
  close(down[1]);
  close(up[0]);
  int status;
  if (waitpid(child, &status, 0) != child) bench_fail("waitpid");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench_pipe: child failed (status %#x)\n", status);
    return 1;
  }
  printf("ok %ld\n", n);
  return 0;
}
