/* Robust futexes: a thread registers a robust list holding a lock word it
 * owns and exits without unlocking it; the kernel marks the word
 * FUTEX_OWNER_DIED (keeping FUTEX_WAITERS) and wakes a waiter, which sees
 * the owner's death. get_robust_list reports the registered head.
 * qemu-riscv32 answers set_robust_list with ENOSYS, so this runs on Strata
 * only (tests/kernel/guest_programs_test.ts). */
#include <pthread.h>
#include <time.h>

#include "check.h"

#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u

long __syscall6(long n, long a, long b, long c, long d, long e, long f);

struct robust_list {
  struct robust_list *next;
};
struct robust_list_head {
  struct robust_list list;
  long futex_offset;
  struct robust_list *list_op_pending;
};

/* A robust lock: the list link, then the lock word. */
static struct {
  struct robust_list link;
  volatile unsigned word;
} lock;

static volatile int owner_ready;
static volatile unsigned owned; /* the word while the owner holds it */

static void *owner(void *arg) {
  (void)arg;
  static struct robust_list_head head;
  head.list.next = &lock.link;
  lock.link.next = &head.list;
  head.futex_offset = (long)((char *)&lock.word - (char *)&lock.link);
  head.list_op_pending = 0;
  CHECK(__syscall6(99, (long)&head, sizeof head, 0, 0, 0, 0) == 0, "set_robust_list");
  struct robust_list_head *got = 0;
  size_t len = 0;
  CHECK(__syscall6(100, 0, (long)&got, (long)&len, 0, 0, 0) == 0, "get_robust_list");
  CHECK(got == &head && len == sizeof head, "get_robust_list reports the head");
  owned = (unsigned)gettid() | FUTEX_WAITERS; /* owned, with a waiter */
  lock.word = owned;
  __atomic_store_n(&owner_ready, 1, __ATOMIC_SEQ_CST);
  struct timespec ts = {0, 5000000};
  nanosleep(&ts, 0); /* the main thread goes to sleep on the word meanwhile */
  return 0;          /* exits holding the lock */
}

int main(void) {
  CHECK(__syscall6(99, 0, 11, 0, 0, 0, 0) == -EINVAL, "set_robust_list bad length");
  pthread_t t;
  pthread_create(&t, 0, owner, 0);
  while (!__atomic_load_n(&owner_ready, __ATOMIC_SEQ_CST)) sched_yield();
  /* Sleep on the word until the kernel changes it at the owner's exit (it
   * may have exited already: then the wait answers EAGAIN at once). */
  while (lock.word == owned) __syscall6(422, (long)&lock.word, 0, (long)owned, 0, 0, 0);
  pthread_join(t, 0);
  CHECK(lock.word == (FUTEX_OWNER_DIED | FUTEX_WAITERS), "owner died, waiters kept");
  printf("robust: owner-died marked and the waiter woken at the owner's exit\n");
  return 0;
}
