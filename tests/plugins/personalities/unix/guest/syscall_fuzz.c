/* syscall_fuzz ROUNDS CALLS SEED: forks ROUNDS children; each makes CALLS
 * system calls with random numbers (from the implemented set, minus those
 * that end or replace the process or wait without end) and random arguments
 * (small integers, flags, pointers into and around its own memory, garbage).
 * Children may die of their own doing (a handler at a garbage address, an
 * unmapped stack); the kernel must never fail. Prints how the children
 * ended. Deterministic for a given SEED. */
#include <stdio.h>
#include <stdlib.h>

#include "raw_syscall.h"

static unsigned long state;
static unsigned long next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

/* Calls that never return to the caller, start other programs, block
 * without a bound or sleep are left out: exit (93, 94), clone (220),
 * execve (221), reboot (142), kill family (129-131: could hit the parent),
 * rt_sigsuspend (133), waitid (95), clock_nanosleep (407), ppoll (414),
 * rt_sigreturn (139). */
static const int calls[] = {
  17, 23, 24, 25, 29, 34, 35, 36, 37, 45, 46, 48, 49, 50, 52, 53, 56, 57, 59, 61, 62, 63, 64,
  65, 66, 67, 68, 78, 82, 83, 96, 124, 132, 134, 135, 136, 153, 154, 155, 156, 157, 160, 165, 166,
  172, 173, 174, 175, 176, 177, 178, 179, 214, 215, 222, 226, 276, 278, 291, 403, 406,
  43, 44, 116, 158, 159, 261,
  /* and a few unimplemented or unassigned numbers */
  0, 79, 80, 101, 260, 435, 999, -1,
};

static char area[8192];

static long arg(void) {
  unsigned long r = next();
  switch (r % 8) {
    case 0: return (long)(next() % 8);
    case 1: return (long)(area + next() % sizeof area);
    case 2: return (long)area;
    case 3: return -100; /* AT_FDCWD */
    case 4: return (long)(next() % 70000);
    case 5: return (long)(1UL << (next() % 32));
    case 6: return (long)"/tmp";
    default: return (long)next();
  }
}

int main(int argc, char **argv) {
  if (argc < 4) {
    printf("usage: syscall_fuzz ROUNDS CALLS SEED\n");
    return 2;
  }
  int rounds = atoi(argv[1]), per = atoi(argv[2]);
  unsigned long seed = strtoul(argv[3], 0, 10);
  int exited = 0, killed = 0;
  for (int r = 0; r < rounds; r++) {
    long pid = rsys(220, 17, 0, 0, 0, 0, 0);
    if (pid < 0) {
      printf("clone failed: %ld\n", pid);
      return 1;
    }
    if (pid == 0) {
      state = seed * 2654435761UL + (unsigned long)r + 1;
      for (int fd = 0; fd < 3; fd++) rsys(57, fd, 0, 0, 0, 0, 0); /* no console to block on */
      for (int i = 0; i < per; i++) {
        int nr = calls[next() % (sizeof calls / sizeof calls[0])];
        rsys(nr, arg(), arg(), arg(), arg(), arg(), arg());
      }
      rsys(94, 0, 0, 0, 0, 0, 0);
    }
    int info[32];
    long w = rsys(95, 1, pid, (long)info, 4, 0, 0);
    if (w != 0) {
      printf("waitid failed: %ld\n", w);
      return 1;
    }
    if (info[2] == 1) exited++;
    else killed++;
  }
  printf("fuzz: %d rounds, %d exited, %d killed\n", rounds, exited, killed);
  return 0;
}
