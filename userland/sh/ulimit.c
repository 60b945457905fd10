/* The ulimit builtin, as bash's (in POSIX mode, as `sh`): query and set the
 * resource limits through getrlimit/setrlimit.
 *
 *   ulimit [-HSa] [-Rcdefilmnpqrstuvx [LIMIT]]...
 *
 * Without a resource option the file size (-f) is meant. -S (the default
 * for a query) works on the soft limit, -H on the hard one; a value set with
 * neither sets both. A value is a number in the resource's unit (512-byte
 * blocks for -c and -f, KiB for -d, -l, -m, -s and -v, seconds for -t,
 * microseconds for -R, a count otherwise), `unlimited`, `hard` or `soft`.
 * One resource prints its bare value; -a or several resources print bash's
 * labelled lines. -p (pipe size, in 512-byte blocks) is read-only. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "sh.h"

struct ulimit_def {
  char opt;
  int resource; /* -1: the pipe size (PIPE_BUF), not a limit */
  unsigned factor;
  const char *desc;
  const char *units;
};

/* In bash's order for Linux (its `ulimit -a` order). */
static const struct ulimit_def defs[] = {
    {'R', RLIMIT_RTTIME, 1, "real-time non-blocking time", "microseconds"},
    {'c', RLIMIT_CORE, 512, "core file size", "blocks"},
    {'d', RLIMIT_DATA, 1024, "data seg size", "kbytes"},
    {'e', RLIMIT_NICE, 1, "scheduling priority", NULL},
    {'f', RLIMIT_FSIZE, 512, "file size", "blocks"},
    {'i', RLIMIT_SIGPENDING, 1, "pending signals", NULL},
    {'l', RLIMIT_MEMLOCK, 1024, "max locked memory", "kbytes"},
    {'m', RLIMIT_RSS, 1024, "max memory size", "kbytes"},
    {'n', RLIMIT_NOFILE, 1, "open files", NULL},
    {'p', -1, 512, "pipe size", "512 bytes"},
    {'q', RLIMIT_MSGQUEUE, 1, "POSIX message queues", "bytes"},
    {'r', RLIMIT_RTPRIO, 1, "real-time priority", NULL},
    {'s', RLIMIT_STACK, 1024, "stack size", "kbytes"},
    {'t', RLIMIT_CPU, 1, "cpu time", "seconds"},
    {'u', RLIMIT_NPROC, 1, "max user processes", NULL},
    {'v', RLIMIT_AS, 1024, "virtual memory", "kbytes"},
    {'x', RLIMIT_LOCKS, 1, "file locks", NULL},
};
#define NDEFS ((int)(sizeof(defs) / sizeof(defs[0])))
#define PIPE_BYTES 4096ULL /* PIPE_BUF */

enum { U_SOFT = 1, U_HARD = 2 };

struct ulimit_req {
  int def;
  const char *value; /* NULL: a query */
};

static int def_index(char opt) {
  for (int i = 0; i < NDEFS; i++)
    if (defs[i].opt == opt) return i;
  return -1;
}

static int get_limits(const struct ulimit_def *d, struct rlimit *rl) {
  if (d->resource < 0) {
    rl->rlim_cur = rl->rlim_max = PIPE_BYTES;
    return 0;
  }
  return getrlimit(d->resource, rl);
}

static void print_one(const struct ulimit_def *d, rlim_t v, int labelled) {
  char line[128], unit[48];
  size_t n = 0;
  if (labelled) {
    if (d->units) snprintf(unit, sizeof unit, "(%s, -%c) ", d->units, d->opt);
    else snprintf(unit, sizeof unit, "(-%c) ", d->opt);
    n = (size_t)snprintf(line, sizeof line, "%-20s %20s", d->desc, unit);
  }
  if (v == RLIM_INFINITY) snprintf(line + n, sizeof line - n, "unlimited\n");
  else snprintf(line + n, sizeof line - n, "%llu\n", v / d->factor);
  out_str(1, line);
}

static void limit_error(const struct ulimit_def *d, const char *what, int err) {
  sh_error_errno("ulimit", arena_concat3(d->desc, ": ", what), err);
}

/* Parses a value for d into *out (the current limits in cur); 0 on success. */
static int parse_value(const struct ulimit_def *d, const char *s, const struct rlimit *cur,
                       rlim_t *out) {
  if (strcmp(s, "unlimited") == 0) *out = RLIM_INFINITY;
  else if (strcmp(s, "hard") == 0) *out = cur->rlim_max;
  else if (strcmp(s, "soft") == 0) *out = cur->rlim_cur;
  else {
    rlim_t v = 0;
    if (!*s) goto bad;
    for (const char *p = s; *p; p++) {
      if (*p < '0' || *p > '9') goto bad;
      if (v > (RLIM_INFINITY - 9) / 10) goto bad;
      v = v * 10 + (rlim_t)(*p - '0');
    }
    if (v > (RLIM_INFINITY - 1) / d->factor) goto bad;
    *out = v * d->factor;
  }
  return 0;
bad:
  sh_error("ulimit", arena_concat3(s, ": ", "invalid number"));
  return 1;
}

static int set_one(const struct ulimit_def *d, const char *s, int mode) {
  struct rlimit rl;
  if (get_limits(d, &rl) < 0) {
    limit_error(d, "cannot get limit", errno);
    return 1;
  }
  rlim_t v;
  if (parse_value(d, s, &rl, &v)) return 1;
  if (d->resource < 0) {
    limit_error(d, "cannot modify limit", EINVAL);
    return 1;
  }
  if (mode & U_SOFT) rl.rlim_cur = v;
  if (mode & U_HARD) rl.rlim_max = v;
  if (setrlimit(d->resource, &rl) < 0) {
    limit_error(d, "cannot modify limit", errno);
    return 1;
  }
  return 0;
}

static int query_one(const struct ulimit_def *d, int mode, int labelled) {
  struct rlimit rl;
  if (get_limits(d, &rl) < 0) {
    limit_error(d, "cannot get limit", errno);
    return 1;
  }
  print_one(d, (mode & U_SOFT) ? rl.rlim_cur : rl.rlim_max, labelled);
  return 0;
}

static void usage(void) {
  out_str(2, "ulimit: usage: ulimit [-SHaRcdefilmnpqrstuvx] [limit]\n");
}

/* Parses the arguments into reqs; returns how many, or -1 after an error. */
static int parse_args(int argc, char **argv, struct ulimit_req *reqs, int *mode, int *all) {
  int n = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] && !(a[1] == '-' && !a[2])) {
      for (const char *p = a + 1; *p; p++) {
        int k;
        if (*p == 'H') *mode |= U_HARD;
        else if (*p == 'S') *mode |= U_SOFT;
        else if (*p == 'a') *all = 1;
        else if ((k = def_index(*p)) >= 0 && n < NDEFS * 2)
          reqs[n++] = (struct ulimit_req){k, NULL};
        else {
          char opt[3] = {'-', *p, 0};
          sh_error("ulimit", arena_concat3(opt, ": ", "invalid option"));
          usage();
          return -1;
        }
      }
      continue;
    }
    if (a[0] == '-' && a[1] == '-' && !a[2] && ++i >= argc) break;
    if (n == 0) reqs[n++] = (struct ulimit_req){def_index('f'), NULL};
    if (reqs[n - 1].value != NULL) {
      sh_error("ulimit", "too many arguments");
      return -1;
    }
    reqs[n - 1].value = argv[i];
  }
  return n;
}

int builtin_ulimit(int argc, char **argv) {
  struct ulimit_req reqs[NDEFS * 2];
  int mode = 0, all = 0;
  int n = parse_args(argc, argv, reqs, &mode, &all);
  if (n < 0) return 2;
  int query_mode = mode == U_HARD ? U_HARD : U_SOFT;
  if (all) {
    for (int i = 0; i < NDEFS; i++) query_one(&defs[i], query_mode, 1);
    return 0;
  }
  if (n == 0) reqs[n++] = (struct ulimit_req){def_index('f'), NULL};
  int queries = 0, status = 0;
  for (int i = 0; i < n; i++) queries += reqs[i].value == NULL;
  for (int i = 0; i < n; i++) {
    const struct ulimit_def *d = &defs[reqs[i].def];
    if (reqs[i].value != NULL) status |= set_one(d, reqs[i].value, mode ? mode : U_SOFT | U_HARD);
    else status |= query_one(d, query_mode, queries > 1);
  }
  return status;
}
