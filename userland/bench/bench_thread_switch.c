/* bench_thread_switch N: N futex ping-pong round trips between two threads
 * of one process (each round trip: two futex waits, two futex wakes, two
 * thread switches without an address-space change). */
#include <pthread.h>
#include <stdio.h>

#include "bench_common.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

long __syscall6(long n, long a, long b, long c, long d, long e, long f);

static volatile int turn; /* 0: the main thread's turn, 1: the partner's */
static long rounds;

static void futex_wait(int val) { __syscall6(422, (long)&turn, FUTEX_WAIT_PRIVATE, val, 0, 0, 0); }
static void futex_wake(void) { __syscall6(422, (long)&turn, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0); }

static void *partner(void *arg) {
  for (long i = 0; i < rounds; i++) {
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 1) futex_wait(0);
    __atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
    futex_wake();
  }
  return arg;
}

int main(int argc, char **argv) {
  rounds = bench_n(argc, argv);
  pthread_t t;
  if (pthread_create(&t, 0, partner, 0) != 0) bench_fail("pthread_create");
  for (long i = 0; i < rounds; i++) {
    __atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
    futex_wake();
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 0) futex_wait(1);
  }
  if (pthread_join(t, 0) != 0) bench_fail("pthread_join");
  printf("ok %ld\n", rounds);
  return 0;
}
