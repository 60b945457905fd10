/* top [-b] [-n N] [-d SECS]: a live view of the processes, in procps-ng top's
 * layout, from /proc: the uptime line (as uptime), task counts by state,
 * memory from /proc/meminfo in MiB, then one row per process sorted by %CPU:
 * PID, USER (the uid owning /proc/PID: there is no user database), PR, NI,
 * VIRT and RES in KiB, S, %CPU (the share of one CPU the process used since
 * the previous frame, or over its lifetime in the first), %MEM (RES of
 * MemTotal), TIME+ (M:SS.hh) and the command. procps' SHR column is left out
 * (the kernel does not count shared pages).
 *
 * On a terminal the screen is redrawn every SECS (default 3, tenths allowed)
 * and `q` (or ^C) quits; the keys are polled every 100 ms in raw mode. -b
 * (batch) prints frames one after another without screen control, for N
 * frames (-n; default: until killed, 1 when not on a terminal without -n). */
#include <ctype.h>
#include <dirent.h>
#include <getopt.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " top [options]\n"
    "\n"
    "Options:\n"
    " -b            batch mode: no screen control, no keys\n"
    " -n NUMBER     stop after NUMBER frames\n"
    " -d SECONDS    delay between frames (default 3; tenths allowed)\n"
    "\n"
    "Keys: q quits.\n"
    "\n"
    "     --help     display this help and exit\n";

#define MAX_PROCS 512

struct proc {
  int pid, uid;
  char state;
  long prio, nice, ticks, start;
  unsigned long vsize_kb, rss_kb;
  int cpu10; /* %CPU in tenths */
  char cmd[64];
};

static struct proc procs[MAX_PROCS], prev[MAX_PROCS];
static int nprocs, nprev;
static long prev_uptime_cs = -1;
static struct termios saved;
static int raw_on;

static ssize_t read_file(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t total = 0, n;
  while (total + 1 < (ssize_t)cap && (n = read(fd, buf + total, cap - 1 - (size_t)total)) > 0) total += n;
  close(fd);
  buf[total] = 0;
  return total;
}

/* "123.45 ..." -> 12345 (centiseconds). */
static long uptime_cs(void) {
  char buf[128];
  if (read_file("/proc/uptime", buf, sizeof buf) <= 0) return 0;
  char *end;
  long s = strtol(buf, &end, 10), cs = 0;
  if (*end == '.') cs = (end[1] - '0') * 10 + (isdigit((unsigned char)end[2]) ? end[2] - '0' : 0);
  return s * 100 + cs;
}

static int read_proc(int pid, struct proc *p) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  if (read_file(path, buf, sizeof buf) <= 0) return -1;
  char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
  if (!open_paren || !close_paren) return -1;
  memset(p, 0, sizeof *p);
  p->pid = pid;
  size_t clen = (size_t)(close_paren - open_paren - 1);
  if (clen >= sizeof p->cmd) clen = sizeof p->cmd - 1;
  memcpy(p->cmd, open_paren + 1, clen);
  char *q = close_paren + 1;
  long utime = 0, stime = 0;
  for (int field = 3; field <= 24 && *q; field++) {
    while (*q == ' ') q++;
    char *end;
    if (field == 3) {
      p->state = *q;
      end = q + 1;
    } else {
      long v = strtol(q, &end, 10);
      if (field == 14) utime = v;
      else if (field == 15) stime = v;
      else if (field == 18) p->prio = v;
      else if (field == 19) p->nice = v;
      else if (field == 22) p->start = v;
      else if (field == 23) p->vsize_kb = (unsigned long)v / 1024;
      else if (field == 24) p->rss_kb = (unsigned long)v * 4;
    }
    q = end;
  }
  p->ticks = utime + stime;
  struct stat st;
  snprintf(path, sizeof path, "/proc/%d", pid);
  p->uid = stat(path, &st) == 0 ? (int)st.st_uid : 0;
  return 0;
}

static void sample(void) {
  memcpy(prev, procs, sizeof(struct proc) * (size_t)nprocs);
  nprev = nprocs;
  nprocs = 0;
  DIR *d = opendir("/proc");
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) && nprocs < MAX_PROCS) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    if (read_proc(atoi(e->d_name), &procs[nprocs]) == 0) nprocs++;
  }
  closedir(d);
  long now = uptime_cs();
  for (int i = 0; i < nprocs; i++) {
    struct proc *p = &procs[i];
    long base_ticks = 0, span = now - p->start;
    for (int k = 0; prev_uptime_cs >= 0 && k < nprev; k++) {
      if (prev[k].pid == p->pid && prev[k].start == p->start) {
        base_ticks = prev[k].ticks;
        span = now - prev_uptime_cs;
        break;
      }
    }
    p->cpu10 = span > 0 ? (int)((p->ticks - base_ticks) * 1000 / span) : 0;
  }
  prev_uptime_cs = now;
}

static int by_cpu(const void *a, const void *b) {
  const struct proc *x = a, *y = b;
  if (x->cpu10 != y->cpu10) return y->cpu10 - x->cpu10;
  return x->pid - y->pid;
}

static unsigned long meminfo(const char *text, const char *key) {
  const char *p = strstr(text, key);
  return p ? strtoul(p + strlen(key), NULL, 10) : 0;
}

static void mib(char *out, size_t n, unsigned long kb) {
  snprintf(out, n, "%lu.%lu", kb / 1024, kb % 1024 * 10 / 1024);
}

static void frame(int max_rows) {
  char buf[256];
  long up = uptime_cs() / 100;
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  printf("top - %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (up >= 86400) printf("%ld day%s, ", up / 86400, up / 86400 == 1 ? "" : "s");
  if (up % 86400 >= 3600) printf("%2ld:%02ld, ", up % 86400 / 3600, up % 3600 / 60);
  else printf("%ld min, ", up % 3600 / 60);
  const char *load = "0.00, 0.00, 0.00";
  char lbuf[64];
  if (read_file("/proc/loadavg", buf, sizeof buf) > 0) {
    /* The first three fields, joined with ", ". */
    char *f[3], *q = buf;
    int n = 0;
    while (n < 3 && *q) {
      while (*q == ' ') q++;
      f[n++] = q;
      while (*q && *q != ' ' && *q != '\n') q++;
      if (*q) *q++ = 0;
    }
    if (n == 3) {
      snprintf(lbuf, sizeof lbuf, "%s, %s, %s", f[0], f[1], f[2]);
      load = lbuf;
    }
  }
  printf(" 0 users,  load average: %s\n", load);
  int run = 0, sleep_ = 0, stop = 0, zombie = 0;
  for (int i = 0; i < nprocs; i++) {
    char s = procs[i].state;
    if (s == 'R') run++;
    else if (s == 'T' || s == 't') stop++;
    else if (s == 'Z') zombie++;
    else sleep_++;
  }
  printf("Tasks: %3d total, %3d running, %3d sleeping, %3d stopped, %3d zombie\n", nprocs, run,
         sleep_, stop, zombie);
  char mem[4096];
  if (read_file("/proc/meminfo", mem, sizeof mem) <= 0) mem[0] = 0;
  unsigned long total = meminfo(mem, "MemTotal:"), free_ = meminfo(mem, "MemFree:");
  unsigned long avail = strstr(mem, "MemAvailable:") ? meminfo(mem, "MemAvailable:") : free_;
  unsigned long cache = meminfo(mem, "Buffers:") + meminfo(mem, "Cached:");
  char a[24], b[24], c[24], d[24];
  mib(a, sizeof a, total);
  mib(b, sizeof b, free_);
  mib(c, sizeof c, total - avail);
  mib(d, sizeof d, cache);
  printf("MiB Mem : %8s total, %8s free, %8s used, %8s buff/cache\n\n", a, b, c, d);
  printf("  PID USER      PR  NI    VIRT    RES S  %%CPU  %%MEM     TIME+ COMMAND\n");
  for (int i = 0; i < nprocs && (max_rows <= 0 || i < max_rows); i++) {
    struct proc *p = &procs[i];
    unsigned long mem10 = total ? p->rss_kb * 1000 / total : 0;
    long cs = p->ticks;
    printf("%5d %-8d %3ld %3ld %7lu %6lu %c %3d.%d %3lu.%lu %3ld:%02ld.%02ld %s\n", p->pid, p->uid,
           p->prio, p->nice, p->vsize_kb, p->rss_kb, p->state, p->cpu10 / 10, p->cpu10 % 10,
           mem10 / 10, mem10 % 10, cs / 6000, cs / 100 % 60, cs % 100, p->cmd);
  }
}

static void restore(void) {
  if (raw_on) tcsetattr(0, TCSADRAIN, &saved);
  raw_on = 0;
}

static void on_signal(int sig) {
  restore();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Waits `tenths` tenths of a second, polling for keys; 1 if `q` was pressed. */
static int wait_keys(long tenths) {
  for (long i = 0; i < tenths; i++) {
    unsigned char c;
    while (read(0, &c, 1) == 1)
      if (c == 'q' || c == 'Q' || c == 3) return 1;
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
  }
  return 0;
}

/* "3", "0.5", "1.25" -> tenths of a second; -1 if malformed. */
static long parse_tenths(const char *s) {
  char *end;
  if (!isdigit((unsigned char)*s)) return -1;
  long t = strtol(s, &end, 10) * 10;
  if (*end == '.') {
    end++;
    if (isdigit((unsigned char)*end)) t += *end++ - '0';
    while (isdigit((unsigned char)*end)) end++;
  }
  return *end ? -1 : t;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int batch = 0, frames = -1, opt;
  long delay = 30;
  while ((opt = getopt(argc, argv, "bn:d:")) != -1) {
    if (opt == 'b') {
      batch = 1;
    } else if (opt == 'n') {
      char *end;
      frames = (int)strtol(optarg, &end, 10);
      if (*end || frames < 0) {
        fprintf(stderr, "top: bad iterations argument '%s'\n", optarg);
        return 1;
      }
    } else if (opt == 'd') {
      delay = parse_tenths(optarg);
      if (delay < 0) {
        fprintf(stderr, "top: bad delay interval '%s'\n", optarg);
        return 1;
      }
    } else {
      fputs(usage_text, stderr);
      return 1;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "top: unknown argument '%s'\n", argv[optind]);
    return 1;
  }
  int screen = !batch && isatty(1) && isatty(0) && tcgetattr(0, &saved) == 0;
  if (!screen && frames < 0) frames = batch ? -1 : 1;
  int rows = 24;
  if (screen) {
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 8) rows = ws.ws_row;
    struct termios raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    tcsetattr(0, TCSADRAIN, &raw);
    raw_on = 1;
  }
  for (int n = 0; frames < 0 || n < frames; n++) {
    sample();
    qsort(procs, (size_t)nprocs, sizeof procs[0], by_cpu);
    if (screen) fputs("\x1b[H\x1b[2J", stdout);
    frame(screen ? rows - 7 : 0);
    if (!screen && frames != 1) putchar('\n');
    fflush(stdout);
    if (frames >= 0 && n + 1 >= frames) break;
    if (screen ? wait_keys(delay) : (usleep((unsigned)delay * 100000), 0)) break;
  }
  restore();
  return 0;
}
