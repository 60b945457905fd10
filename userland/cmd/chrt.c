/* chrt: show or set a task's scheduling class and priority, as util-linux's
 * chrt does: `chrt -p PID`, `chrt [-o|-f|-r|-b|-i] -p PRIO PID`,
 * `chrt [class] PRIO COMMAND [ARG]...`, and for SCHED_DEADLINE
 * `chrt -d -T RUNTIME -D DEADLINE [-P PERIOD] 0 COMMAND` (times in ns). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: chrt [options] [<priority>] <command> [<argument>...]\n"
    "       chrt [options] --pid [<priority>] <pid>\n"
    "Show or change the real-time scheduling attributes of a process.\n"
    "\n"
    "Policy options:\n"
    "  -b, --batch          set policy to SCHED_BATCH\n"
    "  -d, --deadline       set policy to SCHED_DEADLINE\n"
    "  -f, --fifo           set policy to SCHED_FIFO\n"
    "  -i, --idle           set policy to SCHED_IDLE\n"
    "  -o, --other          set policy to SCHED_OTHER\n"
    "  -r, --rr             set policy to SCHED_RR (default)\n"
    "\n"
    "Scheduling options:\n"
    "  -R, --reset-on-fork  set reset-on-fork flag\n"
    "  -T, --sched-runtime <ns>   runtime parameter for DEADLINE\n"
    "  -P, --sched-period <ns>    period parameter for DEADLINE\n"
    "  -D, --sched-deadline <ns>  deadline parameter for DEADLINE\n"
    "\n"
    "Other options:\n"
    "  -m, --max            show min and max valid priorities\n"
    "  -p, --pid            operate on existing given pid\n"
    "      --help           display this help\n";

static const char *policy_name(int p) {
  switch (p & ~SCHED_RESET_ON_FORK) {
  case SCHED_OTHER: return "SCHED_OTHER";
  case SCHED_FIFO: return "SCHED_FIFO";
  case SCHED_RR: return "SCHED_RR";
  case SCHED_BATCH: return "SCHED_BATCH";
  case SCHED_IDLE: return "SCHED_IDLE";
  case SCHED_DEADLINE: return "SCHED_DEADLINE";
  default: return "unknown";
  }
}

static int show(pid_t pid) {
  struct sched_attr a;
  memset(&a, 0, sizeof a);
  if (sched_getattr(pid, &a, sizeof a, 0) < 0) {
    fprintf(stderr, "chrt: failed to get pid %d's policy: %s\n", pid, strerror(errno));
    return 1;
  }
  const char *rf = (a.sched_flags & SCHED_FLAG_RESET_ON_FORK) ? "|SCHED_RESET_ON_FORK" : "";
  printf("pid %d's current scheduling policy: %s%s\n", pid, policy_name((int)a.sched_policy), rf);
  printf("pid %d's current scheduling priority: %u\n", pid, a.sched_priority);
  if (a.sched_policy == SCHED_DEADLINE)
    printf("pid %d's current runtime/deadline/period parameters: %llu/%llu/%llu\n", pid,
           (unsigned long long)a.sched_runtime, (unsigned long long)a.sched_deadline,
           (unsigned long long)a.sched_period);
  return 0;
}

static void show_limits(void) {
  static const int ps[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE};
  for (unsigned i = 0; i < sizeof ps / sizeof ps[0]; i++)
    printf("%s min/max priority\t: %d/%d\n", policy_name(ps[i]), sched_get_priority_min(ps[i]) < 0 ? 0 : sched_get_priority_min(ps[i]),
           sched_get_priority_max(ps[i]) < 0 ? 0 : sched_get_priority_max(ps[i]));
}

static int number(const char *s, unsigned long long *out) {
  char *end;
  if (*s == 0) return -1;
  *out = strtoull(s, &end, 10);
  return *end == 0 ? 0 : -1;
}

static int bad(const char *what, const char *s) {
  fprintf(stderr, "chrt: invalid %s argument: '%s'\nTry 'chrt --help' for more information.\n", what, s);
  return 1;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int policy = SCHED_RR, reset = 0, use_pid = 0, i = 1;
  unsigned long long runtime = 0, deadline = 0, period = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != 0; i++) {
    const char *o = argv[i];
    if (!strcmp(o, "-b") || !strcmp(o, "--batch")) policy = SCHED_BATCH;
    else if (!strcmp(o, "-d") || !strcmp(o, "--deadline")) policy = SCHED_DEADLINE;
    else if (!strcmp(o, "-f") || !strcmp(o, "--fifo")) policy = SCHED_FIFO;
    else if (!strcmp(o, "-i") || !strcmp(o, "--idle")) policy = SCHED_IDLE;
    else if (!strcmp(o, "-o") || !strcmp(o, "--other")) policy = SCHED_OTHER;
    else if (!strcmp(o, "-r") || !strcmp(o, "--rr")) policy = SCHED_RR;
    else if (!strcmp(o, "-R") || !strcmp(o, "--reset-on-fork")) reset = 1;
    else if (!strcmp(o, "-p") || !strcmp(o, "--pid")) use_pid = 1;
    else if (!strcmp(o, "-m") || !strcmp(o, "--max")) {
      show_limits();
      return 0;
    } else if (!strcmp(o, "-T") || !strcmp(o, "-P") || !strcmp(o, "-D") ||
               !strcmp(o, "--sched-runtime") || !strcmp(o, "--sched-period") ||
               !strcmp(o, "--sched-deadline")) {
      unsigned long long v;
      if (i + 1 >= argc || number(argv[i + 1], &v) < 0) return bad("time", i + 1 < argc ? argv[i + 1] : "");
      char c = o[1] == '-' ? o[8] : o[1];
      if (c == 'T' || c == 'r') runtime = v;
      else if (c == 'P' || c == 'p') period = v;
      else deadline = v;
      i++;
    } else {
      fprintf(stderr, "chrt: invalid option -- '%s'\nTry 'chrt --help' for more information.\n", o);
      return 1;
    }
  }
  int remaining = argc - i;
  if (use_pid && remaining == 1) {
    unsigned long long pid;
    if (number(argv[i], &pid) < 0) return bad("PID", argv[i]);
    return show((pid_t)pid);
  }
  if (remaining < 2) {
    fprintf(stderr, "chrt: bad usage\nTry 'chrt --help' for more information.\n");
    return 1;
  }
  unsigned long long prio;
  if (number(argv[i], &prio) < 0) return bad("priority", argv[i]);
  pid_t pid = 0;
  if (use_pid) {
    unsigned long long p;
    if (number(argv[i + 1], &p) < 0) return bad("PID", argv[i + 1]);
    pid = (pid_t)p;
  }
  struct sched_attr a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.sched_policy = (uint32_t)policy;
  a.sched_flags = reset ? SCHED_FLAG_RESET_ON_FORK : 0;
  a.sched_priority = (uint32_t)prio;
  a.sched_runtime = runtime;
  a.sched_deadline = deadline ? deadline : period;
  a.sched_period = period;
  if (policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE) {
    errno = 0;
    int cur = nice(0);
    a.sched_nice = (cur == -1 && errno != 0) ? 0 : cur;
  }
  if (sched_setattr(pid, &a, 0) < 0) {
    fprintf(stderr, "chrt: failed to set pid %d's policy: %s\n", pid, strerror(errno));
    return 1;
  }
  if (use_pid) return 0;
  execvp(argv[i + 1], argv + i + 1);
  fprintf(stderr, "chrt: failed to execute %s: %s\n", argv[i + 1], strerror(errno));
  return 1;
}
