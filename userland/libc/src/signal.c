/* Signals over rt_sigaction/rt_sigprocmask with the 8-byte kernel sigset. */
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#include "internal.h"

#define SIGSET_BYTES 8

/* The riscv kernel's sigaction is 16 bytes: handler, flags, 64-bit mask (no
 * sa_restorer on riscv). qemu-riscv32 7.2 instead uses handler, flags,
 * restorer, mask (20 bytes): it reads the mask one word late, so sa_mask was
 * lost, and its writes of the old action overran a 16-byte buffer. The first
 * call probes which layout the kernel below us speaks: a real kernel (Linux,
 * Strata) writes 16 bytes of the old action and leaves word 4 alone; qemu 7.2
 * writes 20. The buffer is always 5 words, so either fits. */
#define KSA_WORDS 5
#define KSA_MARKER 0x5a17c0deUL

enum { LAYOUT_UNKNOWN, LAYOUT_KERNEL, LAYOUT_WITH_RESTORER };
static int ksa_layout;

static int probe_layout(int sig) {
  unsigned long w[KSA_WORDS] = {0, 0, 0, 0, KSA_MARKER};
  if (__sc4(SYS_rt_sigaction, sig, 0, w, SIGSET_BYTES) < 0) return LAYOUT_UNKNOWN;
  return w[4] == KSA_MARKER ? LAYOUT_KERNEL : LAYOUT_WITH_RESTORER;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (ksa_layout == LAYOUT_UNKNOWN) ksa_layout = probe_layout(sig);
  int m = ksa_layout == LAYOUT_WITH_RESTORER ? 3 : 2; /* index of the mask */
  unsigned long kact[KSA_WORDS] = {0}, kold[KSA_WORDS] = {0};
  if (act) {
    kact[0] = (unsigned long)act->sa_handler;
    kact[1] = act->sa_flags;
    kact[m] = (unsigned long)act->sa_mask;
    kact[m + 1] = (unsigned long)(act->sa_mask >> 32);
  }
  long r = __sc4(SYS_rt_sigaction, sig, act ? kact : 0, old ? kold : 0, SIGSET_BYTES);
  if (__sys_ret(r) < 0) return -1;
  if (old) {
    old->sa_handler = (sighandler_t)kold[0];
    old->sa_flags = kold[1];
    old->sa_mask = kold[m] | ((sigset_t)kold[m + 1] << 32);
  }
  return 0;
}

sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction sa, old;
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART;
  sa.sa_mask = 0;
  if (sigaction(sig, &sa, &old) < 0) return SIG_ERR;
  return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
  return (int)__sys_ret(__sc4(SYS_rt_sigprocmask, how, set, old, SIGSET_BYTES));
}
int sigpending(sigset_t *set) { return (int)__sys_ret(__sc2(SYS_rt_sigpending, set, SIGSET_BYTES)); }
int sigsuspend(const sigset_t *mask) {
  return (int)__sys_ret(__sc2(SYS_rt_sigsuspend, mask, SIGSET_BYTES));
}
int pause(void) {
  sigset_t cur;
  if (sigprocmask(SIG_BLOCK, 0, &cur) < 0) return -1;
  return sigsuspend(&cur);
}

int kill(pid_t pid, int sig) { return (int)__sys_ret(__sc2(SYS_kill, pid, sig)); }
int killpg(pid_t pgrp, int sig) {
  if (pgrp <= 1) {
    errno = EINVAL;
    return -1;
  }
  return kill(-pgrp, sig);
}
int raise(int sig) {
  return (int)__sys_ret(__sc3(SYS_tgkill, __sc0(SYS_getpid), __sc0(SYS_gettid), sig));
}

static int bad_signal(int sig) {
  if (sig < 1 || sig > 64) {
    errno = EINVAL;
    return 1;
  }
  return 0;
}
int sigemptyset(sigset_t *set) {
  *set = 0;
  return 0;
}
int sigfillset(sigset_t *set) {
  *set = ~0ULL;
  return 0;
}
int sigaddset(sigset_t *set, int sig) {
  if (bad_signal(sig)) return -1;
  *set |= 1ULL << (sig - 1);
  return 0;
}
int sigdelset(sigset_t *set, int sig) {
  if (bad_signal(sig)) return -1;
  *set &= ~(1ULL << (sig - 1));
  return 0;
}
int sigismember(const sigset_t *set, int sig) {
  if (bad_signal(sig)) return -1;
  return (*set >> (sig - 1)) & 1;
}

/* Second half of sigsetjmp (setjmp.S): remember the current mask, return 0. */
int __sigsetjmp_save_mask(sigjmp_buf env) {
  sigprocmask(SIG_BLOCK, 0, (sigset_t *)&env->__mask);
  return 0;
}

void siglongjmp(sigjmp_buf env, int val) {
  if (env->__saved) sigprocmask(SIG_SETMASK, (const sigset_t *)&env->__mask, 0);
  longjmp(env->__regs, val);
}

void abort(void) {
  sigset_t set = 1ULL << (SIGABRT - 1);
  sigprocmask(SIG_UNBLOCK, &set, 0);
  raise(SIGABRT);
  /* A handler returned: force the default action. */
  struct sigaction sa;
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = 0;
  sa.sa_mask = 0;
  sigaction(SIGABRT, &sa, 0);
  raise(SIGABRT);
  _exit(127);
}
