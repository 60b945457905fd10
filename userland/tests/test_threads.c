/* Threads: a contended mutex counter, a producer/consumer ring on condition
 * variables, pthread_once and keys with destructors, per-thread errno,
 * detached threads, semaphores, a barrier, a thread-directed signal
 * (pthread_kill) and a process-directed one taken by the thread that does
 * not block it, and exit from a thread ending only that thread. */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>

#include "check.h"

#define WORKERS 4
#define ROUNDS 2000

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add_many(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    pthread_mutex_lock(&count_lock);
    long v = counter;
    if ((i & 63) == 0) sched_yield(); /* hold the lock across a switch */
    counter = v + 1;
    pthread_mutex_unlock(&count_lock);
  }
  return arg;
}

#define RING 8
#define ITEMS 500
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int ring[RING], head, tail, fill;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 1; i <= ITEMS; i++) {
    pthread_mutex_lock(&ring_lock);
    while (fill == RING) pthread_cond_wait(&not_full, &ring_lock);
    ring[head] = i;
    head = (head + 1) % RING;
    fill++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&ring_lock);
  }
  return 0;
}

static void *consumer(void *arg) {
  long sum = 0;
  for (int i = 0; i < ITEMS; i++) {
    pthread_mutex_lock(&ring_lock);
    while (fill == 0) pthread_cond_wait(&not_empty, &ring_lock);
    sum += ring[tail];
    tail = (tail + 1) % RING;
    fill--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&ring_lock);
  }
  *(long *)arg = sum;
  return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_fn(void) { once_runs++; }

static pthread_key_t key;
static volatile int dtor_runs;
static void dtor(void *v) {
  CHECK(v == (void *)&dtor_runs, "destructor value");
  __atomic_fetch_add(&dtor_runs, 1, __ATOMIC_SEQ_CST);
}

static void *keyed(void *arg) {
  pthread_once(&once, once_fn);
  CHECK(pthread_getspecific(key) == 0, "fresh key is NULL");
  pthread_setspecific(key, (void *)&dtor_runs);
  errno = (int)(long)arg; /* per-thread errno */
  sched_yield();
  CHECK(errno == (int)(long)arg, "errno is per thread");
  return 0;
}

static sem_t sem;
static volatile int detached_done;
static void *detached(void *arg) {
  (void)arg;
  __atomic_fetch_add(&detached_done, 1, __ATOMIC_SEQ_CST);
  sem_post(&sem);
  return 0;
}

static pthread_barrier_t barrier;
static volatile int serial;
static void *at_barrier(void *arg) {
  (void)arg;
  if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
    __atomic_fetch_add(&serial, 1, __ATOMIC_SEQ_CST);
  return 0;
}

static volatile int usr1_tid, usr2_tid;
static void on_usr1(int sig) {
  (void)sig;
  usr1_tid = gettid();
}
static void on_usr2(int sig) {
  (void)sig;
  usr2_tid = gettid();
}

static volatile int sig_target_ready, sig_target_tid;
static sem_t sig_done;
static void *signal_target(void *arg) {
  (void)arg;
  sig_target_tid = gettid();
  __atomic_store_n(&sig_target_ready, 1, __ATOMIC_SEQ_CST);
  sem_wait(&sig_done); /* a blocked thread: signals interrupt or run beside it */
  return 0;
}

int main(void) {
  /* 1. Contended mutex counter. */
  pthread_t th[WORKERS];
  for (long i = 0; i < WORKERS; i++)
    CHECK(pthread_create(&th[i], 0, add_many, (void *)i) == 0, "create");
  for (long i = 0; i < WORKERS; i++) {
    void *r;
    CHECK(pthread_join(th[i], &r) == 0 && r == (void *)i, "join result");
  }
  CHECK(counter == WORKERS * ROUNDS, "mutex counter");
  printf("threads: %d workers counted to %ld under a mutex\n", WORKERS, counter);

  /* 2. Producer/consumer. */
  long sum = 0;
  pthread_t p, c;
  pthread_create(&c, 0, consumer, &sum);
  pthread_create(&p, 0, producer, 0);
  pthread_join(p, 0);
  pthread_join(c, 0);
  CHECK(sum == (long)ITEMS * (ITEMS + 1) / 2, "producer/consumer sum");
  printf("threads: producer/consumer passed %d items, sum %ld\n", ITEMS, sum);

  /* 3. once, keys with destructors, per-thread errno. */
  CHECK(pthread_key_create(&key, dtor) == 0, "key_create");
  for (long i = 0; i < WORKERS; i++) pthread_create(&th[i], 0, keyed, (void *)(i + 100));
  for (int i = 0; i < WORKERS; i++) pthread_join(th[i], 0);
  CHECK(once_runs == 1, "once ran once");
  CHECK(dtor_runs == WORKERS, "destructors ran");
  printf("threads: once ran once, %d key destructors, errno per thread\n", dtor_runs);

  /* 4. Mutex types and their error codes. */
  pthread_mutexattr_t ma;
  pthread_mutex_t m;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&m, &ma);
  CHECK(pthread_mutex_lock(&m) == 0, "errorcheck lock");
  CHECK(pthread_mutex_lock(&m) == EDEADLK, "errorcheck relock EDEADLK");
  CHECK(pthread_mutex_unlock(&m) == 0, "errorcheck unlock");
  CHECK(pthread_mutex_unlock(&m) == EPERM, "errorcheck unlock unowned EPERM");
  pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&m, &ma);
  CHECK(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0, "recursive lock twice");
  CHECK(pthread_mutex_trylock(&m) == 0, "recursive trylock");
  CHECK(pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0, "recursive unlock");
  CHECK(pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == EPERM, "recursive depth");
  pthread_mutex_init(&m, 0);
  pthread_mutex_lock(&m);
  CHECK(pthread_mutex_trylock(&m) == EBUSY, "trylock EBUSY");
  pthread_mutex_unlock(&m);
  printf("threads: errorcheck and recursive mutexes give EDEADLK, EPERM, EBUSY\n");

  /* 5. Detached threads and semaphores; a barrier. */
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  sem_init(&sem, 0, 0);
  for (int i = 0; i < 3; i++) CHECK(pthread_create(&p, &at, detached, 0) == 0, "detached");
  for (int i = 0; i < 3; i++) sem_wait(&sem);
  CHECK(detached_done == 3, "detached ran");
  CHECK(sem_trywait(&sem) == -1 && errno == EAGAIN, "sem_trywait EAGAIN");
  pthread_barrier_init(&barrier, 0, WORKERS);
  for (int i = 0; i < WORKERS; i++) pthread_create(&th[i], 0, at_barrier, 0);
  for (int i = 0; i < WORKERS; i++) pthread_join(th[i], 0);
  CHECK(serial == 1, "one serial thread at the barrier");
  printf("threads: 3 detached threads posted a semaphore; barrier of %d\n", WORKERS);

  /* 6. Signals: thread-directed to the target; process-directed to the one
   * thread that does not block it. */
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_handler = on_usr2;
  sigaction(SIGUSR2, &sa, 0);
  sem_init(&sig_done, 0, 0);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &set, &old); /* inherited by the target... */
  pthread_create(&p, 0, signal_target, 0);
  while (!__atomic_load_n(&sig_target_ready, __ATOMIC_SEQ_CST)) sched_yield();
  CHECK(pthread_kill(p, SIGUSR1) == 0, "pthread_kill");
  while (!usr1_tid) sched_yield();
  CHECK(usr1_tid == sig_target_tid && usr1_tid != getpid(), "thread-directed signal");
  /* ...and then the main thread unblocks USR2 while the target still blocks it. */
  pthread_sigmask(SIG_SETMASK, &old, 0);
  kill(getpid(), SIGUSR2);
  while (!usr2_tid) sched_yield();
  CHECK(usr2_tid == getpid(), "process-directed signal to the unblocking thread");
  sem_post(&sig_done);
  pthread_join(p, 0);
  printf("threads: pthread_kill hit its thread; kill went to the thread not blocking it\n");
  return 0;
}
