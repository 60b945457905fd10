/* bench_getpid N: N null system calls (getpid), the cheapest trap round trip. */
#include <stdio.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  pid_t first = getpid();
  for (long i = 0; i < n; i++) {
    if (getpid() != first) {
      fprintf(stderr, "bench_getpid: pid changed\n");
      return 1;
    }
  }
  printf("ok %ld\n", n);
  return 0;
}
