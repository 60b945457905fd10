/* clone and futex edge cases, as Linux answers them: bad clone flag
 * combinations, futex errors (EINVAL, EFAULT, EAGAIN, ETIMEDOUT), exit_group
 * from a thread, a thread whose stack pointer is garbage (the process gets
 * SIGSEGV), and the main thread leaving with the others going on. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "check.h"

#define CLONE_VM 0x100
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE 128

long __syscall6(long n, long a, long b, long c, long d, long e, long f);

static long futex(volatile int *addr, int op, int val, void *ts, int val3) {
  return __syscall6(422, (long)addr, op, val, (long)ts, 0, val3);
}

static volatile int word = 5;

static void *exit_group_thread(void *arg) {
  (void)arg;
  _exit(42); /* exit_group: the whole process, status 42 */
}

static void *bad_stack_thread(void *arg) {
  (void)arg;
  __asm__ volatile("li sp, 16\n\tsw zero, 0(sp)" ::: "memory");
  return 0;
}

static void *outliving_thread(void *arg) {
  (void)arg;
  struct timespec ts = {0, 20000000};
  nanosleep(&ts, 0);
  exit(3);
}

static int child_status(void *(*fn)(void *), int main_exits) {
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    pthread_t t;
    pthread_create(&t, 0, fn, 0);
    if (main_exits) pthread_exit(0);
    for (;;) pause();
  }
  int st;
  CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
  return st;
}

int main(void) {
  CHECK(__syscall6(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0, 0) == -EINVAL,
        "CLONE_THREAD without CLONE_SIGHAND");
  CHECK(__syscall6(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0, 0) == -EINVAL,
        "CLONE_SIGHAND without CLONE_VM");
  printf("clone: bad flag combinations give EINVAL\n");

  struct __kernel_ts { long long s, ns; } ms = {0, 1000000};
  CHECK(futex((volatile int *)((char *)&word + 1), FUTEX_WAIT, 5, 0, 0) == -EINVAL, "unaligned");
  CHECK(futex((volatile int *)16, FUTEX_WAIT, 5, 0, 0) == -EFAULT, "unmapped");
  CHECK(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE, 4, 0, 0) == -EAGAIN, "value mismatch");
  CHECK(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE, 5, &ms, 0) == -ETIMEDOUT, "timeout");
  CHECK(futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 5, 0, 0) == -EINVAL, "bitset 0");
  CHECK(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE, 1, 0, 0) == 0, "wake nobody");
  /* WAKE_OP: *word2 += 3 (FUTEX_OP_ADD, compare EQ 0); nobody waits, so 0 are
   * woken. CMP_REQUEUE compares the first word before anything else. */
  static volatile int word2 = 0;
  int op_add3 = (1 << 28) | (0 << 24) | (3 << 12) | 0;
  CHECK(__syscall6(422, (long)&word, 5 | FUTEX_PRIVATE, 1, 1, (long)&word2, op_add3) == 0,
        "wake_op");
  CHECK(word2 == 3, "wake_op stored old + 3");
  CHECK(__syscall6(422, (long)&word, 4 | FUTEX_PRIVATE, 1, 1, (long)&word2, 6) == -EAGAIN,
        "cmp_requeue mismatch");
  CHECK(__syscall6(422, (long)&word, 4 | FUTEX_PRIVATE, 1, 1, (long)&word2, 5) == 0,
        "cmp_requeue nobody");
  printf("futex: EINVAL, EFAULT, EAGAIN, ETIMEDOUT as Linux gives them; WAKE_OP, CMP_REQUEUE\n");

  int st = child_status(exit_group_thread, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "exit_group status");
  printf("exit_group from a thread: status 42\n");
  st = child_status(bad_stack_thread, 0);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "garbage sp: SIGSEGV");
  printf("garbage stack pointer in a thread: process killed by SIGSEGV\n");
  st = child_status(outliving_thread, 1);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "main thread left, the other exits 3");
  printf("main thread exits alone; the last thread's exit(3) ends the process\n");
  return 0;
}
