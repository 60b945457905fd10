/* Library-private thread declarations: the thread control block that tp
 * points at, the futex calls, and the internal lock. */
#ifndef _LIBC_PTHREAD_IMPL_H
#define _LIBC_PTHREAD_IMPL_H

#include <pthread.h>

#include "internal.h"

#define SYS_set_robust_list_ 99
#define SYS_futex_time64_ 422

#define FUTEX_WAIT_ 0
#define FUTEX_WAKE_ 1
#define FUTEX_WAIT_BITSET_ 9
#define FUTEX_PRIVATE_ 128
#define FUTEX_CLOCK_REALTIME_ 256

/* Detach states of a thread. */
#define DS_JOINABLE 0
#define DS_DETACHED 1
#define DS_EXITING 2

/* The thread control block: tp points here. The first thread's is static;
 * the others' sit at the top of their stack mapping. */
struct __pthread {
  struct __pthread *self;
  int errno_val; /* at tp + 4: errno.h reads it there */
  volatile int tid; /* set by the kernel (PARENT_SETTID), zeroed at exit (CHILD_CLEARTID) */
  volatile int dstate;
  void *(*start)(void *);
  void *arg;
  void *result;
  void *map_base;
  size_t map_size;
  struct __pthread *next_dead; /* exited detached threads whose stacks wait to be unmapped */
  void *specific[PTHREAD_KEYS_MAX];
};

static inline struct __pthread *__self(void) {
  struct __pthread *t;
  __asm__("mv %0, tp" : "=r"(t));
  return t;
}

extern struct __pthread __main_thread;

/* The tid of the calling thread (the first thread learns its own lazily). */
int __pthread_tid(void);

/* futex_time64 on a private word; returns the raw result (-errno). */
long __futex_wait(volatile int *addr, int val, const struct timespec *abstime, int realtime);
long __futex_wake(volatile int *addr, int n);

/* The libc's internal lock (malloc, thread lists): 0 free, 1 held, 2 contended. */
void __lock(volatile int *l);
void __unlock(volatile int *l);

/* Runs the key destructors of the calling thread. */
void __pthread_run_destructors(struct __pthread *self);

#endif
