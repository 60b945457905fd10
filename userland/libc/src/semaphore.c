/* POSIX unnamed semaphores: a count and a waiter count; sem_post wakes one
 * sleeper through the futex on the count. */
#include <semaphore.h>

#include "pthread_impl.h"

int sem_init(sem_t *s, int pshared, unsigned value) {
  if (value > SEM_VALUE_MAX) {
    errno = EINVAL;
    return -1;
  }
  s->value = (int)value;
  s->waiters = 0;
  s->private_ = !pshared;
  return 0;
}

int sem_destroy(sem_t *s) {
  (void)s;
  return 0;
}

int sem_trywait(sem_t *s) {
  int v = s->value;
  while (v > 0) {
    if (__atomic_compare_exchange_n(&s->value, &v, v - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      return 0;
  }
  errno = EAGAIN;
  return -1;
}

static int sem_wait_until(sem_t *s, const struct timespec *abstime) {
  for (;;) {
    if (sem_trywait(s) == 0) return 0;
    __atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
    long r = __futex_wait(&s->value, 0, abstime, 1);
    __atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
    if (r == -ETIMEDOUT || r == -EINTR) {
      errno = (int)-r;
      return -1;
    }
  }
}

int sem_wait(sem_t *s) { return sem_wait_until(s, 0); }

int sem_timedwait(sem_t *s, const struct timespec *abstime) {
  if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000) {
    errno = EINVAL;
    return -1;
  }
  return sem_wait_until(s, abstime);
}

int sem_post(sem_t *s) {
  if (s->value == SEM_VALUE_MAX) {
    errno = EOVERFLOW;
    return -1;
  }
  __atomic_fetch_add(&s->value, 1, __ATOMIC_SEQ_CST);
  if (s->waiters) __futex_wake(&s->value, 1);
  return 0;
}

int sem_getvalue(sem_t *s, int *value) {
  *value = s->value;
  return 0;
}
