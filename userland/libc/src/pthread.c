/* Threads: creation (clone with the thread flags; the control block at the
 * top of an mmap'd stack, tp pointing at it), exit, join, detach, self, the
 * attributes, once, keys, pthread_kill and pthread_sigmask, and errno's
 * per-thread home. */
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pthread_impl.h"

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000

#define DEFAULT_STACK (256 * 1024)

/* The first thread's control block (tp is set to it at start-up). */
struct __pthread __main_thread = {.self = &__main_thread};

int __pthread_tid(void) {
  struct __pthread *t = __self();
  if (!t->tid) t->tid = (int)__sc0(SYS_gettid);
  return t->tid;
}

static volatile int dead_lock;
static struct __pthread *dead_list;

/* Unmaps the stacks of detached threads that have finished (tid cleared). */
static void reap_dead(void) {
  __lock(&dead_lock);
  struct __pthread **pp = &dead_list;
  while (*pp) {
    struct __pthread *t = *pp;
    if (t->tid == 0) {
      *pp = t->next_dead;
      munmap(t->map_base, t->map_size);
    } else {
      pp = &t->next_dead;
    }
  }
  __unlock(&dead_lock);
}

int __clone_thread(int flags, void *stack, volatile int *ptid, void *tls, volatile int *ctid,
                   struct __pthread *self);

void __pthread_start(struct __pthread *self) __attribute__((noreturn));
void __pthread_start(struct __pthread *self) { pthread_exit(self->start(self->arg)); }

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg) {
  if (dead_list) reap_dead();
  size_t stack = attr && attr->stacksize ? attr->stacksize : DEFAULT_STACK;
  size_t size = (stack + sizeof(struct __pthread) + 4095) & ~(size_t)4095;
  char *base = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return EAGAIN;
  struct __pthread *t =
      (struct __pthread *)((((unsigned long)(base + size) - sizeof(struct __pthread)) & ~15UL));
  t->self = t;
  t->start = start;
  t->arg = arg;
  t->map_base = base;
  t->map_size = size;
  t->dstate = attr ? attr->detachstate : DS_JOINABLE;
  void *sp = (void *)((unsigned long)t & ~15UL);
  int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
              CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
  int r = __clone_thread(flags, sp, &t->tid, t, &t->tid, t);
  if (r < 0) {
    munmap(base, size);
    return -r;
  }
  *thread = t;
  return 0;
}

void pthread_exit(void *result) {
  struct __pthread *self = __self();
  __pthread_run_destructors(self);
  self->result = result;
  int old = __atomic_exchange_n(&self->dstate, DS_EXITING, __ATOMIC_SEQ_CST);
  if (old == DS_DETACHED && self != &__main_thread) {
    __lock(&dead_lock);
    self->next_dead = dead_list;
    dead_list = self;
    __unlock(&dead_lock);
  }
  for (;;) __sc1(SYS_exit, 0);
}

int pthread_join(pthread_t t, void **result) {
  if (t == __self()) return EDEADLK;
  if (t->dstate == DS_DETACHED) return EINVAL;
  for (;;) {
    int tid = t->tid;
    if (tid == 0) break;
    /* The kernel's clear-child-tid wake is a shared futex wake: wait shared. */
    __sc4(SYS_futex_time64_, &t->tid, FUTEX_WAIT_, tid, 0);
  }
  if (result) *result = t->result;
  if (t != &__main_thread) munmap(t->map_base, t->map_size);
  return 0;
}

int pthread_detach(pthread_t t) {
  int old = DS_JOINABLE;
  if (__atomic_compare_exchange_n(&t->dstate, &old, DS_DETACHED, 0, __ATOMIC_SEQ_CST,
                                  __ATOMIC_SEQ_CST))
    return 0;
  if (old == DS_EXITING) return pthread_join(t, 0); /* already finishing: reap it */
  return EINVAL;
}

pthread_t pthread_self(void) { return __self(); }

int pthread_equal(pthread_t a, pthread_t b) { return a == b; }

pid_t pthread_gettid_np(pthread_t t) {
  if (t == __self()) return __pthread_tid();
  return t->tid;
}

int pthread_attr_init(pthread_attr_t *a) {
  a->detachstate = PTHREAD_CREATE_JOINABLE;
  a->stacksize = DEFAULT_STACK;
  return 0;
}

int pthread_attr_destroy(pthread_attr_t *a) {
  (void)a;
  return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int state) {
  if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED) return EINVAL;
  a->detachstate = state;
  return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state) {
  *state = a->detachstate;
  return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size) {
  if (size < PTHREAD_STACK_MIN) return EINVAL;
  a->stacksize = size;
  return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size) {
  *size = a->stacksize;
  return 0;
}

/* once: 0 not run, 1 running, 2 done (3: running with waiters). */
int pthread_once(pthread_once_t *once, void (*fn)(void)) {
  for (;;) {
    int s = *once;
    if (s == 2) return 0;
    if (s == 0) {
      if (!__atomic_compare_exchange_n(once, &s, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        continue;
      fn();
      if (__atomic_exchange_n(once, 2, __ATOMIC_SEQ_CST) == 3) __futex_wake(once, 0x7fffffff);
      return 0;
    }
    if (s == 1 && !__atomic_compare_exchange_n(once, &s, 3, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      continue;
    __futex_wait(once, 3, 0, 0);
  }
}

static volatile int key_lock;
static unsigned char key_used[PTHREAD_KEYS_MAX];
static void (*key_dtor[PTHREAD_KEYS_MAX])(void *);

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
  __lock(&key_lock);
  for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
    if (!key_used[k]) {
      key_used[k] = 1;
      key_dtor[k] = destructor;
      __unlock(&key_lock);
      *key = k;
      return 0;
    }
  }
  __unlock(&key_lock);
  return EAGAIN;
}

int pthread_key_delete(pthread_key_t key) {
  if (key >= PTHREAD_KEYS_MAX || !key_used[key]) return EINVAL;
  __lock(&key_lock);
  key_used[key] = 0;
  key_dtor[key] = 0;
  __unlock(&key_lock);
  return 0;
}

void *pthread_getspecific(pthread_key_t key) {
  if (key >= PTHREAD_KEYS_MAX) return 0;
  return __self()->specific[key];
}

int pthread_setspecific(pthread_key_t key, const void *value) {
  if (key >= PTHREAD_KEYS_MAX || !key_used[key]) return EINVAL;
  __self()->specific[key] = (void *)value;
  return 0;
}

void __pthread_run_destructors(struct __pthread *self) {
  for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
    int ran = 0;
    for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
      void *v = self->specific[k];
      void (*d)(void *) = key_dtor[k];
      if (v && d && key_used[k]) {
        self->specific[k] = 0;
        d(v);
        ran = 1;
      }
    }
    if (!ran) break;
  }
}

int pthread_kill(pthread_t t, int sig) {
  int tid = t == __self() ? __pthread_tid() : t->tid;
  if (tid == 0) return ESRCH;
  long r = __sc3(SYS_tgkill, __sc0(SYS_getpid), tid, sig);
  return r < 0 ? (int)-r : 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old) {
  long r = __sc4(SYS_rt_sigprocmask, how, set, old, 8);
  return r < 0 ? (int)-r : 0;
}
