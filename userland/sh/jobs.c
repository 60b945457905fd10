/* Strata sh: the job table, waiting for children and reporting how they ended. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

static struct job jobs[SH_MAX_JOBS];
static unsigned job_seq[SH_MAX_JOBS]; /* recency, for %+ (the current job) */
static unsigned seq_counter;

int job_is_done(const struct job *j) {
  for (int i = 0; i < j->npids; i++)
    if (!j->done[i]) return 0;
  return 1;
}

struct job *job_new(const char *text) {
  int slot = -1;
  for (int i = 0; i < SH_MAX_JOBS; i++) {
    if (!jobs[i].used) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    /* Table full: forget the oldest finished job nobody waited for. */
    unsigned best = ~0u;
    for (int i = 0; i < SH_MAX_JOBS; i++) {
      if (job_is_done(&jobs[i]) && job_seq[i] < best) {
        best = job_seq[i];
        slot = i;
      }
    }
    if (slot < 0) return NULL;
  }
  struct job *j = &jobs[slot];
  memset(j, 0, sizeof(*j));
  j->used = 1;
  int id = 1;
  for (int again = 1; again;) {
    again = 0;
    for (int i = 0; i < SH_MAX_JOBS; i++) {
      if (i != slot && jobs[i].used && jobs[i].id == id) {
        id++;
        again = 1;
      }
    }
  }
  j->id = id;
  size_t n = strlen(text);
  if (n > sizeof(j->text) - 1) n = sizeof(j->text) - 1;
  memcpy(j->text, text, n);
  j->text[n] = 0;
  job_seq[slot] = ++seq_counter;
  return j;
}

void job_free(struct job *j) { j->used = 0; }

struct job *job_find_id(int id) {
  for (int i = 0; i < SH_MAX_JOBS; i++)
    if (jobs[i].used && jobs[i].id == id) return &jobs[i];
  return NULL;
}

struct job *job_find_pid(pid_t pid) {
  for (int i = 0; i < SH_MAX_JOBS; i++)
    for (int k = 0; jobs[i].used && k < jobs[i].npids; k++)
      if (jobs[i].pids[k] == pid) return &jobs[i];
  return NULL;
}

struct job *job_current(void) {
  struct job *best = NULL;
  unsigned bs = 0;
  for (int i = 0; i < SH_MAX_JOBS; i++) {
    if (jobs[i].used && jobs[i].background && job_seq[i] >= bs) {
      bs = job_seq[i];
      best = &jobs[i];
    }
  }
  return best;
}

int status_to_exit(int st) {
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  if (WIFSTOPPED(st)) return 128 + WSTOPSIG(st);
  return WEXITSTATUS(st);
}

void report_signal(int st) {
  if (!WIFSIGNALED(st)) return;
  int sig = WTERMSIG(st);
  if (sig == SIGPIPE) return; /* normal end of a pipeline writer */
  if (sig == SIGINT) {
    if (sh.interactive) out_str(2, "\n");
    return;
  }
  /* No "(core dumped)": no core files exist, and the line must read the
   * same on every kernel (Strata sets the core bit, qemu-user does not). */
  out_str(2, signal_name(sig));
  out_str(2, "\n");
}

int job_exit_status(const struct job *j) {
  return j->npids ? status_to_exit(j->status[j->npids - 1]) : 0;
}

/* Files a wait status under the job that owns pid. */
static void record(pid_t pid, int st) {
  struct job *j = job_find_pid(pid);
  if (!j) return;
  for (int k = 0; k < j->npids; k++) {
    if (j->pids[k] != pid) continue;
    if (WIFSTOPPED(st)) {
      j->stopped = 1;
      j->stop_sig = WSTOPSIG(st);
    } else if (WIFCONTINUED(st)) {
      j->stopped = 0;
    } else {
      j->done[k] = 1;
      j->status[k] = st;
    }
  }
}

/* Forgets processes the kernel no longer knows about (ECHILD), so waits end. */
static void mark_all_gone(struct job *j) {
  for (int k = 0; k < j->npids; k++) {
    if (!j->done[k]) {
      j->done[k] = 1;
      j->status[k] = 127 << 8;
    }
  }
}

static void take_terminal_back(void) {
  if (sh.job_control && !sh.is_subshell) tcsetpgrp(sh.tty_fd, sh.shell_pgid);
}

static void print_job_state(int fd, struct job *j, const char *state) {
  out_str(fd, "[");
  out_num(fd, j->id);
  out_str(fd, "]");
  out_str(fd, j == job_current() ? "+  " : "   ");
  out_str(fd, state);
  out_str(fd, "\t\t");
  out_str(fd, j->text);
  out_str(fd, "\n");
}

int job_wait_fg(struct job *j) {
  int opts = sh.job_control ? WUNTRACED : 0;
  while (!job_is_done(j) && !j->stopped) {
    int st;
    pid_t pid = waitpid(-1, &st, opts);
    if (pid < 0) {
      if (errno == EINTR) continue;
      mark_all_gone(j);
      break;
    }
    record(pid, st);
  }
  take_terminal_back();
  if (j->stopped && !job_is_done(j)) {
    j->background = 1;
    j->notified = 1;
    job_seq[j - jobs] = ++seq_counter;
    out_str(2, "\n");
    print_job_state(2, j, signal_name(j->stop_sig));
    return 128 + j->stop_sig;
  }
  int last = j->status[j->npids - 1];
  report_signal(last);
  /* Like bash: ^C ends the whole command line (loops included), not just one command. */
  if (sh.interactive && WIFSIGNALED(last) && (WTERMSIG(last) == SIGINT || WTERMSIG(last) == SIGQUIT))
    sh.interrupted = 1;
  int status = job_exit_status(j);
  job_free(j);
  return status;
}

static const char *done_state(struct job *j, char *buf) {
  int st = j->status[j->npids - 1];
  if (WIFSIGNALED(st)) return signal_name(WTERMSIG(st));
  if (WEXITSTATUS(st) == 0) return "Done";
  strcpy(buf, "Exit ");
  num_to_str(WEXITSTATUS(st), buf + 5);
  return buf;
}

void jobs_reap(int report) {
  int opts = WNOHANG | (sh.job_control ? WUNTRACED : 0);
  for (;;) {
    int st;
    pid_t pid = waitpid(-1, &st, opts);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) break;
    record(pid, st);
  }
  if (!report) return;
  char buf[24];
  for (int i = 0; i < SH_MAX_JOBS; i++) {
    struct job *j = &jobs[i];
    if (!j->used || !j->background) continue;
    if (job_is_done(j)) {
      print_job_state(2, j, done_state(j, buf));
      job_free(j);
    } else if (j->stopped && !j->notified) {
      print_job_state(2, j, signal_name(j->stop_sig));
      j->notified = 1;
    }
  }
}

void jobs_list(int fd) {
  char buf[24];
  jobs_reap(0);
  for (int i = 0; i < SH_MAX_JOBS; i++) {
    struct job *j = &jobs[i];
    if (!j->used || !j->background) continue;
    if (job_is_done(j)) {
      print_job_state(fd, j, done_state(j, buf));
      job_free(j);
    } else {
      print_job_state(fd, j, j->stopped ? signal_name(j->stop_sig) : "Running");
      if (j->stopped) j->notified = 1;
    }
  }
}

/* Blocks until job j is finished (or stopped); with `interruptible` (the
 * `wait` builtin), ^C reaching the shell ends the wait: returns -1. */
static int wait_job(struct job *j, int interruptible) {
  while (!job_is_done(j) && !j->stopped) {
    int st;
    pid_t pid = waitpid(-1, &st, sh.job_control ? WUNTRACED : 0);
    if (pid < 0) {
      if (errno == EINTR) {
        if (interruptible && interrupt_check()) return -1;
        continue;
      }
      mark_all_gone(j);
      return 0;
    }
    record(pid, st);
  }
  return 0;
}

int jobs_wait(pid_t pid, int *found) {
  *found = 1;
  if (pid == 0) {
    for (int i = 0; i < SH_MAX_JOBS; i++) {
      struct job *j = &jobs[i];
      if (!j->used || !j->background) continue;
      if (wait_job(j, 1) < 0) return 130;
      if (job_is_done(j)) job_free(j);
    }
    return 0;
  }
  struct job *j = job_find_pid(pid);
  if (!j) {
    *found = 0;
    return 127;
  }
  int k = 0;
  while (j->pids[k] != pid) k++;
  while (!j->done[k] && !j->stopped) {
    int st;
    pid_t got = waitpid(-1, &st, sh.job_control ? WUNTRACED : 0);
    if (got < 0) {
      if (errno == EINTR) {
        if (interrupt_check()) return 130;
        continue;
      }
      mark_all_gone(j);
      break;
    }
    record(got, st);
  }
  if (!j->done[k]) return 128 + SIGTSTP;
  int status = status_to_exit(j->status[k]);
  if (job_is_done(j)) job_free(j);
  return status;
}

int job_continue(struct job *j, int foreground) {
  if (foreground) {
    out_str(2, j->text);
    out_str(2, "\n");
    j->background = 0;
    if (sh.job_control) tcsetpgrp(sh.tty_fd, j->pgid);
  } else {
    out_str(2, "[");
    out_num(2, j->id);
    out_str(2, "] ");
    out_str(2, j->text);
    out_str(2, " &\n");
  }
  j->stopped = 0;
  j->notified = 0;
  if (kill(-j->pgid, SIGCONT) < 0) {
    for (int k = 0; k < j->npids; k++)
      if (!j->done[k]) kill(j->pids[k], SIGCONT);
  }
  if (foreground) return job_wait_fg(j);
  return 0;
}
