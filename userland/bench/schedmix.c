/* schedmix: the fixed workload mix that `deno task sched-compare` runs under
 * each scheduler plugin. It starts, at one moment, seven tasks:
 *
 *   cpu0, cpu1  CPU-bound, nice 0: 150 ms of CPU each;
 *   cpu2        CPU-bound, nice 5: 150 ms of CPU (a background job);
 *   io0, io1    I/O-bound: 25 rounds of 0.4 ms of CPU then a 6 ms sleep;
 *   rt0         periodic, SCHED_DEADLINE 3/10 ms: 25 jobs of 2.5 ms of CPU;
 *   rt1         periodic, SCHED_DEADLINE 11/20 ms: 12 jobs of 10 ms of CPU
 *               (0.3 + 0.55 = 0.85 of the CPU: above the rate-monotonic
 *               bound for two tasks, so RM refuses it and it runs as an
 *               ordinary task there).
 *
 * Periodic tasks take their class before the common start. CPU time is measured with CLOCK_THREAD_CPUTIME_ID, so the work does not
 * depend on the policy. Each task prints one line when it ends:
 *   name turnaround_us response_avg_us wait_us misses jobs admitted
 * where turnaround is from the common start, response and wait come from
 * /proc/self/sched, and misses counts jobs that ended after their deadline
 * (measured by the task itself, whatever its class). Output is ordered by
 * the parent, so it is deterministic. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define MS 1000000LL

static long long now_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static volatile unsigned sink;

/* Burns `ns` of this thread's CPU time. */
static void burn(long long ns) {
  long long end = now_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
  unsigned x = sink;
  while (now_ns(CLOCK_THREAD_CPUTIME_ID) < end)
    for (int i = 0; i < 2000; i++) x = x * 1103515245u + 12345u;
  sink = x;
}

static void sleep_until(long long t) {
  struct timespec ts = {(time_t)(t / 1000000000LL), (long)(t % 1000000000LL)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}

/* A /proc/self/sched field, in microseconds for the ms-valued ones. */
static long long sched_field(const char *key, int is_ms) {
  char buf[2048];
  int fd = open("/proc/self/sched", O_RDONLY);
  if (fd < 0) return -1;
  int n = (int)read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strstr(buf, key);
  if (p == NULL || (p = strchr(p, ':')) == NULL) return -1;
  p++;
  while (*p == ' ') p++;
  long long whole = strtoll(p, &p, 10), frac = 0;
  if (is_ms && *p == '.') {
    p++;
    for (int i = 0; i < 3; i++) frac = frac * 10 + (p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : 0);
    return whole * 1000 + frac;
  }
  return whole;
}

struct task {
  const char *name;
  int kind; /* 0 cpu, 1 io, 2 periodic */
  int nice;
  long long work, period, runtime, jobs;
};

static const struct task tasks[] = {
  {"cpu0", 0, 0, 150 * MS, 0, 0, 1},
  {"cpu1", 0, 0, 150 * MS, 0, 0, 1},
  {"cpu2", 0, 5, 150 * MS, 0, 0, 1},
  {"io0", 1, 0, 400000, 6 * MS, 0, 25},
  {"io1", 1, 0, 400000, 6 * MS, 0, 25},
  {"rt0", 2, 0, 2500000, 10 * MS, 3 * MS, 25},
  {"rt1", 2, 0, 10 * MS, 20 * MS, 11 * MS, 12},
};
#define NTASKS (int)(sizeof tasks / sizeof tasks[0])

static void run(const struct task *t, long long start, int out_fd) {
  int admitted = 1, misses = 0;
  if (t->nice) nice(t->nice);
  if (t->kind == 2) {
    struct sched_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.sched_policy = SCHED_DEADLINE;
    a.sched_runtime = (unsigned long long)t->runtime;
    a.sched_deadline = a.sched_period = (unsigned long long)t->period;
    if (sched_setattr(0, &a, 0) < 0) admitted = 0;
  }
  sleep_until(start);
  long long release = start;
  for (long long j = 0; j < t->jobs; j++) {
    burn(t->work);
    if (t->kind == 2 && now_ns(CLOCK_MONOTONIC) > release + t->period) misses++;
    if (t->kind == 1) sleep_until(now_ns(CLOCK_MONOTONIC) + t->period);
    if (t->kind == 2) {
      release += t->period;
      if (j + 1 < t->jobs) sleep_until(release);
    }
  }
  long long turnaround = (now_ns(CLOCK_MONOTONIC) - start) / 1000;
  long long rsum = sched_field("response.sum", 1), rcount = sched_field("response.count", 0);
  char line[160];
  int n = snprintf(line, sizeof line, "%s %lld %lld %lld %d %lld %d\n", t->name, turnaround,
                   rcount > 0 ? rsum / rcount : 0, sched_field("se.statistics.wait_sum", 1),
                   misses, t->kind == 2 ? t->jobs : 0, admitted);
  write(out_fd, line, (size_t)n);
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  int fds[NTASKS][2];
  pid_t pids[NTASKS];
  long long start = now_ns(CLOCK_MONOTONIC) + 20 * MS;
  for (int i = 0; i < NTASKS; i++) {
    if (pipe(fds[i]) < 0) return 1;
    pids[i] = fork();
    if (pids[i] < 0) return 1;
    if (pids[i] == 0) {
      close(fds[i][0]);
      run(&tasks[i], start, fds[i][1]);
      _exit(0);
    }
    close(fds[i][1]);
  }
  for (int i = 0; i < NTASKS; i++) {
    char buf[160];
    int n = (int)read(fds[i][0], buf, sizeof buf);
    if (n > 0) write(1, buf, (size_t)n);
    waitpid(pids[i], NULL, 0);
  }
  return 0;
}
