/* Strata sh: traps. A caught signal only marks itself pending; its action
 * runs between commands (after the foreground command that was running
 * ends), as POSIX shells do. The EXIT action runs when the shell exits. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* Condition 0 is EXIT, 1..64 are signals. NULL: default; "": ignore. */
static char *actions[TRAP_CONDITIONS];
static volatile sig_atomic_t pending[TRAP_CONDITIONS];
static volatile sig_atomic_t any_pending;
/* Signals ignored when a non-interactive shell started stay ignored (POSIX). */
static unsigned char ignored_at_start[TRAP_CONDITIONS];
static int started, running_trap, exiting;

volatile int sh_sigint;

/* An interactive shell without an INT trap: ^C abandons the command line it is running. */
static void on_interactive_int(int sig) {
  (void)sig;
  sh_sigint = 1;
}

pid_t sh_fork(void) {
  if (!sh.interactive) return fork();
  /* The child must never run with the shell's SIGINT handler: a ^C aimed at
   * it (it may already own the terminal) would only set a mark and be lost. */
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, &old);
  pid_t pid = fork();
  if (pid == 0) signal(SIGINT, SIG_DFL);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return pid;
}

int interrupt_check(void) {
  if (sh_sigint && !sh.interrupted) sh.interrupted = 2;
  return sh.interrupted;
}

static void on_signal(int sig) {
  pending[sig] = 1;
  any_pending = 1;
}

static void note_start(void) {
  if (started) return;
  started = 1;
  for (int sig = 1; sig < TRAP_CONDITIONS; sig++) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) ignored_at_start[sig] = 1;
  }
}

/* What a signal is set to without a trap: an interactive shell ignores the
 * job-control and keyboard signals itself. */
static void (*untrapped(int sig))(int) {
  if (sh.interactive && sig == SIGINT) return on_interactive_int;
  return sh.interactive && is_keyboard_signal(sig) ? SIG_IGN : SIG_DFL;
}

static void install(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  if (!actions[sig]) {
    /* No SA_RESTART: ^C must end a `read` or `wait` builtin that blocks. */
    sa.sa_handler = untrapped(sig);
  } else if (!*actions[sig]) {
    sa.sa_handler = SIG_IGN;
  } else {
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
  }
  sigaction(sig, &sa, NULL);
}

int trap_set(int cond, const char *action) {
  note_start();
  if (cond == SIGKILL || cond == SIGSTOP) return -1;
  if (cond > 0 && ignored_at_start[cond] && !sh.interactive) return 0; /* silently kept */
  char *copy = NULL;
  if (action) {
    copy = strdup(action);
    if (!copy) return -1;
  }
  free(actions[cond]);
  actions[cond] = copy;
  if (cond > 0) install(cond);
  return 0;
}

void trap_init_interactive(void) {
  if (!actions[SIGINT]) install(SIGINT);
}

const char *trap_action(int cond) { return cond >= 0 && cond < TRAP_CONDITIONS ? actions[cond] : NULL; }

void traps_reset_in_child(void) {
  for (int cond = 0; cond < TRAP_CONDITIONS; cond++) {
    if (!actions[cond] || !*actions[cond]) continue; /* ignored stays ignored */
    free(actions[cond]);
    actions[cond] = NULL;
    if (cond > 0) signal(cond, SIG_DFL);
    pending[cond] = 0;
  }
}

/* Runs an action like eval; $? is put back afterwards unless it exits. */
static void run_action(const char *text, int status_before) {
  struct arena_mark mark = arena_get_mark();
  struct source src;
  memset(&src, 0, sizeof src);
  src.fd = -1;
  src.str = arena_strdup(text);
  src.str_len = strlen(src.str);
  running_trap++;
  run_nested(&src);
  running_trap--;
  arena_release(mark);
  sh.last_status = status_before;
}

void traps_run_pending(void) {
  if (!any_pending || running_trap) return;
  any_pending = 0;
  for (int sig = 1; sig < TRAP_CONDITIONS; sig++) {
    if (!pending[sig]) continue;
    pending[sig] = 0;
    /* Copied: the action may replace its own trap. */
    if (actions[sig] && *actions[sig]) run_action(arena_strdup(actions[sig]), sh.last_status);
  }
}

void sh_exit(int status) {
  if (!exiting && actions[0] && *actions[0]) {
    exiting = 1;
    sh.last_status = status;
    run_action(arena_strdup(actions[0]), status);
  }
  exit(status);
}
