/* Synchronisation on futexes: the internal lock, mutexes (normal,
 * recursive, error-checking), condition variables, read-write locks,
 * barriers and spinlocks. A lock word is 0 (free), 1 (held) or 2 (held,
 * someone may sleep on it), as in Drepper's "Futexes Are Tricky". */
#include <pthread.h>

#include "pthread_impl.h"

long __futex_wait(volatile int *addr, int val, const struct timespec *abstime, int realtime) {
  if (!abstime) return __sc4(SYS_futex_time64_, addr, FUTEX_WAIT_ | FUTEX_PRIVATE_, val, 0);
  struct __kernel_timespec ts = {abstime->tv_sec, abstime->tv_nsec};
  int op = FUTEX_WAIT_BITSET_ | FUTEX_PRIVATE_ | (realtime ? FUTEX_CLOCK_REALTIME_ : 0);
  return __sc6(SYS_futex_time64_, addr, op, val, &ts, 0, -1);
}

long __futex_wake(volatile int *addr, int n) {
  return __sc3(SYS_futex_time64_, addr, FUTEX_WAKE_ | FUTEX_PRIVATE_, n);
}

static inline int cas(volatile int *p, int old, int new_) {
  __atomic_compare_exchange_n(p, &old, new_, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return old;
}

/* Takes a lock word; 0, or ETIMEDOUT when `abstime` (realtime) passes. */
static int lock_word(volatile int *l, const struct timespec *abstime) {
  int c = cas(l, 0, 1);
  if (c == 0) return 0;
  if (c != 2) c = __atomic_exchange_n(l, 2, __ATOMIC_SEQ_CST);
  while (c != 0) {
    if (__futex_wait(l, 2, abstime, 1) == -ETIMEDOUT) return ETIMEDOUT;
    c = __atomic_exchange_n(l, 2, __ATOMIC_SEQ_CST);
  }
  return 0;
}

static void unlock_word(volatile int *l) {
  if (__atomic_exchange_n(l, 0, __ATOMIC_SEQ_CST) == 2) __futex_wake(l, 1);
}

void __lock(volatile int *l) { lock_word(l, 0); }
void __unlock(volatile int *l) { unlock_word(l); }

int pthread_mutexattr_init(pthread_mutexattr_t *a) {
  a->type = PTHREAD_MUTEX_DEFAULT;
  return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a) {
  (void)a;
  return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type) {
  if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK) return EINVAL;
  a->type = type;
  return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type) {
  *type = a->type;
  return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a) {
  m->lock = 0;
  m->type = a ? a->type : PTHREAD_MUTEX_DEFAULT;
  m->owner = 0;
  m->count = 0;
  return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m) { return m->lock ? EBUSY : 0; }

/* The checks before taking the word: 0 to go on, else the answer. */
static int relock(pthread_mutex_t *m, int me, int trying) {
  if (m->owner != me || m->type == PTHREAD_MUTEX_NORMAL) return trying && m->lock ? EBUSY : -1;
  if (m->type == PTHREAD_MUTEX_ERRORCHECK) return trying ? EBUSY : EDEADLK;
  if (m->count == 0x7fffffff) return EAGAIN;
  m->count++;
  return 0;
}

static int mutex_lock(pthread_mutex_t *m, const struct timespec *abstime) {
  int me = __pthread_tid();
  int r = relock(m, me, 0);
  if (r >= 0) return r;
  r = lock_word(&m->lock, abstime);
  if (r) return r;
  m->owner = me;
  m->count = 1;
  return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m) { return mutex_lock(m, 0); }

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime) {
  if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000) return EINVAL;
  return mutex_lock(m, abstime);
}

int pthread_mutex_trylock(pthread_mutex_t *m) {
  int me = __pthread_tid();
  if (m->owner == me && m->type == PTHREAD_MUTEX_RECURSIVE) return relock(m, me, 1);
  if (cas(&m->lock, 0, 1) != 0) return EBUSY;
  m->owner = me;
  m->count = 1;
  return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m) {
  if (m->type != PTHREAD_MUTEX_NORMAL) {
    if (m->owner != __pthread_tid()) return EPERM;
    if (--m->count > 0) return 0;
  }
  m->owner = 0;
  m->count = 0;
  unlock_word(&m->lock);
  return 0;
}

int pthread_condattr_init(pthread_condattr_t *a) {
  a->clock = CLOCK_REALTIME;
  return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a) {
  (void)a;
  return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock) {
  if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) return EINVAL;
  a->clock = clock;
  return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a) {
  c->seq = 0;
  c->clock = a ? a->clock : CLOCK_REALTIME;
  return 0;
}

int pthread_cond_destroy(pthread_cond_t *c) {
  (void)c;
  return 0;
}

/* Waits for a change of the sequence word read while the mutex was held. */
static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime) {
  int seq = c->seq;
  int count = m->count;
  m->count = 1;
  int r = pthread_mutex_unlock(m);
  if (r) {
    m->count = count;
    return r;
  }
  long w = __futex_wait(&c->seq, seq, abstime, c->clock == CLOCK_REALTIME);
  /* Relock as contended: another waiter may have been woken with us. */
  int me = __pthread_tid();
  if (__atomic_exchange_n(&m->lock, 2, __ATOMIC_SEQ_CST) != 0) lock_word(&m->lock, 0);
  m->owner = me;
  m->count = count;
  return w == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) { return cond_wait(c, m, 0); }

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime) {
  if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000) return EINVAL;
  return cond_wait(c, m, abstime);
}

int pthread_cond_signal(pthread_cond_t *c) {
  __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
  __futex_wake(&c->seq, 1);
  return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c) {
  __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
  __futex_wake(&c->seq, 0x7fffffff);
  return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *a) {
  (void)a;
  pthread_mutex_init(&rw->m, 0);
  pthread_cond_init(&rw->c, 0);
  rw->readers = rw->writer = rw->writers_waiting = 0;
  return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw) {
  return rw->readers || rw->writer ? EBUSY : 0;
}

/* Readers wait while a writer holds the lock or waits for it (writers first). */
int pthread_rwlock_rdlock(pthread_rwlock_t *rw) {
  pthread_mutex_lock(&rw->m);
  if (rw->writer == __pthread_tid()) {
    pthread_mutex_unlock(&rw->m);
    return EDEADLK;
  }
  while (rw->writer || rw->writers_waiting) pthread_cond_wait(&rw->c, &rw->m);
  rw->readers++;
  pthread_mutex_unlock(&rw->m);
  return 0;
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw) {
  pthread_mutex_lock(&rw->m);
  int busy = rw->writer || rw->writers_waiting;
  if (!busy) rw->readers++;
  pthread_mutex_unlock(&rw->m);
  return busy ? EBUSY : 0;
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw) {
  int me = __pthread_tid();
  pthread_mutex_lock(&rw->m);
  if (rw->writer == me) {
    pthread_mutex_unlock(&rw->m);
    return EDEADLK;
  }
  rw->writers_waiting++;
  while (rw->writer || rw->readers) pthread_cond_wait(&rw->c, &rw->m);
  rw->writers_waiting--;
  rw->writer = me;
  pthread_mutex_unlock(&rw->m);
  return 0;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw) {
  pthread_mutex_lock(&rw->m);
  int busy = rw->writer || rw->readers;
  if (!busy) rw->writer = __pthread_tid();
  pthread_mutex_unlock(&rw->m);
  return busy ? EBUSY : 0;
}

int pthread_rwlock_unlock(pthread_rwlock_t *rw) {
  pthread_mutex_lock(&rw->m);
  int r = 0;
  if (rw->writer == __pthread_tid()) rw->writer = 0;
  else if (rw->readers > 0) rw->readers--;
  else r = EPERM;
  pthread_mutex_unlock(&rw->m);
  if (!r) pthread_cond_broadcast(&rw->c);
  return r;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count) {
  (void)a;
  if (count == 0) return EINVAL;
  pthread_mutex_init(&b->m, 0);
  pthread_cond_init(&b->c, 0);
  b->count = count;
  b->waiting = 0;
  b->phase = 0;
  return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b) { return b->waiting ? EBUSY : 0; }

int pthread_barrier_wait(pthread_barrier_t *b) {
  pthread_mutex_lock(&b->m);
  unsigned phase = b->phase;
  if (++b->waiting == b->count) {
    b->waiting = 0;
    b->phase++;
    pthread_mutex_unlock(&b->m);
    pthread_cond_broadcast(&b->c);
    return PTHREAD_BARRIER_SERIAL_THREAD;
  }
  while (b->phase == phase) pthread_cond_wait(&b->c, &b->m);
  pthread_mutex_unlock(&b->m);
  return 0;
}

int pthread_spin_init(pthread_spinlock_t *s, int pshared) {
  (void)pshared;
  *s = 0;
  return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *s) { return *s ? EBUSY : 0; }

/* One CPU: a spinner that finds the lock held yields so the holder can run. */
int pthread_spin_lock(pthread_spinlock_t *s) {
  while (__atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE)) __sc0(SYS_sched_yield);
  return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *s) {
  return __atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_unlock(pthread_spinlock_t *s) {
  __atomic_store_n(s, 0, __ATOMIC_RELEASE);
  return 0;
}
