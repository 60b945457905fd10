/* POSIX unnamed semaphores on futexes. */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H

#include <time.h>

typedef struct {
  volatile int value;
  volatile int waiters;
  int private_;
} sem_t;

#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *sem, int pshared, unsigned value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);

#endif
