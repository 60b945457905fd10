/* A NULL dereference kills a child with SIGSEGV; a SIGSEGV handler can
 * recover with siglongjmp or exit with its own status. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>

#include "check.h"

static sigjmp_buf recover;
static volatile sig_atomic_t faults;

static void on_segv_jump(int sig) {
  (void)sig;
  faults++;
  siglongjmp(recover, 1);
}

static void on_segv_exit(int sig) { _exit(sig == SIGSEGV ? 42 : 43); }

static int poke_null(void) {
  volatile int *p = (volatile int *)0;
  *p = 1;
  return *p;
}

int main(void) {
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    poke_null();
    _exit(0);
  }
  int st = wait_for(pid);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "child killed by SIGSEGV");
  dprintf(1, "segv: NULL store kills with SIGSEGV\n");

  pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    signal(SIGSEGV, on_segv_exit);
    volatile int *p = (volatile int *)0;
    (void)*p;
    _exit(0);
  }
  st = wait_for(pid);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "handler exited with its own status");
  dprintf(1, "segv: handler exits\n");

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_segv_jump;
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction");
  for (int i = 0; i < 3; i++) {
    if (sigsetjmp(recover, 1) == 0) poke_null();
  }
  CHECK(faults == 3, "recovered three times (mask restored by siglongjmp)");
  dprintf(1, "segv: handler longjmps and recovers\n");
  return 0;
}
