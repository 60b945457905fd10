/* ps [-L|-T] [-P]: list every process from /proc: PID, PPID, PGID, state,
 * CPU time (utime+stime, in clock ticks of 1/100 s) and the command line
 * (or [comm] when the command line is empty). With -L (or -T) one line per
 * thread, with its id in an LWP column, from /proc/PID/task/TID/stat. With
 * -P a PERS column gives each process's system-call personality (unix,
 * win32) from the Personality line of /proc/PID/status ("-" where /proc has
 * none, as on Linux). Reads the Linux /proc/PID/stat and /proc/PID/cmdline
 * formats. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " ps [-L|-T] [-P]\n"
    "\n"
    "List every process: PID, PPID, PGID, state, CPU time and command line.\n"
    "\n"
    " -L, -T         one line per thread, with its id in an LWP column\n"
    " -P             add a PERS column: the personality (unix, win32)\n"
    "     --help     display this help and exit\n";

static ssize_t read_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  size_t got = 0;
  while (got < size - 1) {
    ssize_t n = read(fd, buf + got, size - 1 - got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  buf[got] = 0;
  return (ssize_t)got;
}

static int by_pid(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return x < y ? -1 : x > y;
}

/* Control characters (a newline in a command line, say) would break the
 * one-line-per-process table, so they print as '?', as procps does. */
static void printable(char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
}

static int collect_ids(const char *dir, int **ids);
static int show_personality;

/* Prints the Personality value of /proc/PID/status in a PERS column. */
static void print_personality(int pid) {
  char path[64], status[2048], pers[16] = "-";
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  if (read_file(path, status, sizeof status) > 0) {
    char *p = strstr(status, "Personality:\t");
    if (p) sscanf(p + 13, "%15s", pers);
  }
  printf("%-6s ", pers);
}

static void show(int pid, int tid) {
  char path[64], stat[1024], cmd[1024];
  if (tid) snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tid);
  else snprintf(path, sizeof path, "/proc/%d/stat", pid);
  if (read_file(path, stat, sizeof stat) <= 0) return; /* exited meanwhile */
  /* "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
   * cmajflt utime stime ...": comm may hold spaces and ')', so find the last ')'. */
  char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
  if (!open_paren || !close_paren || close_paren < open_paren) return;
  *close_paren = 0;
  char *comm = open_paren + 1;
  char state = '?';
  long ppid = 0, pgrp = 0, utime = 0, stime = 0;
  char *p = close_paren + 1;
  for (int field = 3; field <= 15 && *p; field++) {
    while (*p == ' ') p++;
    char *end;
    if (field == 3) {
      state = *p;
      end = p + 1;
    } else {
      long v = strtol(p, &end, 10);
      if (field == 4) ppid = v;
      else if (field == 5) pgrp = v;
      else if (field == 14) utime = v;
      else if (field == 15) stime = v;
    }
    p = end;
  }
  long ticks = utime + stime, secs = ticks / 100;
  printf("%5d ", pid);
  if (tid) printf("%5d ", tid);
  printf("%5ld %5ld %c %2ld:%02ld ", ppid, pgrp, state, secs / 60, secs % 60);
  if (show_personality) print_personality(pid);
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  ssize_t n = read_file(path, cmd, sizeof cmd);
  if (n > 0) {
    while (n > 0 && cmd[n - 1] == 0) n--;
    for (ssize_t i = 0; i < n; i++)
      if (cmd[i] == 0) cmd[i] = ' ';
    cmd[n] = 0;
    printable(cmd);
    puts(cmd);
  } else {
    printable(comm);
    printf("[%s]\n", comm);
  }
}

/* The numeric entries of `dir`, sorted; -1 if it cannot be read. */
static int collect_ids(const char *dir, int **ids) {
  DIR *d = opendir(dir);
  *ids = 0;
  if (!d) return -1;
  int *pids = 0;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      int *np = realloc(pids, cap * sizeof *pids);
      if (!np) break;
      pids = np;
    }
    pids[n++] = atoi(e->d_name);
  }
  closedir(d);
  qsort(pids, n, sizeof *pids, by_pid);
  *ids = pids;
  return (int)n;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int threads = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-L") || !strcmp(argv[i], "-T")) threads = 1;
    else if (!strcmp(argv[i], "-P")) show_personality = 1;
    else {
      fprintf(stderr, "usage: ps [-L|-T] [-P]\n");
      return 2;
    }
  }
  int *pids;
  int n = collect_ids("/proc", &pids);
  if (n < 0) {
    perror("ps: /proc");
    return 1;
  }
  printf(threads ? "  PID   LWP  PPID  PGID S  TIME " : "  PID  PPID  PGID S  TIME ");
  printf(show_personality ? "PERS   CMD\n" : "CMD\n");
  for (int i = 0; i < n; i++) {
    if (!threads) {
      show(pids[i], 0);
      continue;
    }
    char dir[48];
    int *tids;
    snprintf(dir, sizeof dir, "/proc/%d/task", pids[i]);
    int m = collect_ids(dir, &tids);
    for (int j = 0; j < m; j++) show(pids[i], tids[j]);
    free(tids);
  }
  free(pids);
  return fflush(stdout) ? 1 : 0;
}
