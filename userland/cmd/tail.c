/* tail [-n N | -n +N | -N] [FILE...]: the last N lines (default 10) of each
 * input, or everything from line N on with +N. Several files get
 * "==> NAME <==" headers as GNU tail prints them; "-" or no FILE reads stdin.
 * Inputs are read sequentially (no seeking), so pipes work. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: tail [OPTION]... [FILE]...\n"
    "Print the last 10 lines of each FILE to standard output.\n"
    "With more than one FILE, precede each with a header giving the file name.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n"
    "                             or use -n +NUM to skip NUM-1 lines at the start\n"
    "      --help        display this help and exit\n";


static long count = 10;
static int from_start; /* +N: print from line N on */

static int write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* +N: skip N-1 lines, then copy the rest as it arrives. */
static int tail_from(int fd) {
  static char buf[4096];
  long skip = count > 0 ? count - 1 : 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return 0;
    ssize_t i = 0;
    while (skip > 0 && i < n) {
      if (buf[i++] == '\n') skip--;
    }
    if (i < n && write_all(buf + i, (size_t)(n - i)) != 0) return -1;
  }
}

/* -N: read everything into memory, then print from the start of the N-th
 * line counted from the end (a last line without '\n' still counts). */
static int tail_last(int fd) {
  size_t len = 0, cap = 4096;
  char *data = malloc(cap);
  if (!data) return -1;
  for (;;) {
    if (len == cap) {
      char *p = realloc(data, cap * 2);
      if (!p) {
        free(data);
        return -1;
      }
      data = p;
      cap *= 2;
    }
    ssize_t n = read(fd, data + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      free(data);
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  size_t start = len;
  long lines = count;
  if (lines > 0 && start > 0 && data[start - 1] == '\n') start--;
  while (lines > 0 && start > 0) {
    if (data[start - 1] == '\n' && --lines == 0) break;
    start--;
  }
  if (count == 0) start = len;
  int rc = write_all(data + start, len - start);
  free(data);
  return rc;
}

static int parse_count(const char *s) {
  char *end;
  const char *p = s;
  from_start = 0;
  if (*p == '+') from_start = 1, p++;
  else if (*p == '-') p++;
  if (*p < '0' || *p > '9') return -1;
  count = strtol(p, &end, 10);
  return *end == '\0' ? 0 : -1;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  /* The traditional form `tail -3` means `tail -n 3`. */
  if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
    if (parse_count(argv[1] + 1) != 0) {
      fprintf(stderr, "tail: invalid number of lines: '%s'\n", argv[1] + 1);
      return 1;
    }
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  while ((opt = getopt(argc, argv, "n:")) != -1) {
    if (opt != 'n') {
      fprintf(stderr, "usage: tail [-n [+]LINES] [FILE...]\n");
      return 1;
    }
    if (parse_count(optarg) != 0) {
      fprintf(stderr, "tail: invalid number of lines: '%s'\n", optarg);
      return 1;
    }
  }
  int status = 0;
  static char *stdin_only[] = {"-"};
  char **names = argv + optind;
  int nfiles = argc - optind;
  if (nfiles == 0) names = stdin_only, nfiles = 1;
  int printed = 0;
  for (int i = 0; i < nfiles; i++) {
    const char *name = names[i];
    int is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? 0 : open(name, O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", name, strerror(errno));
      status = 1;
      continue;
    }
    if (nfiles > 1) {
      printf("%s==> %s <==\n", printed ? "\n" : "", is_stdin ? "standard input" : name);
      fflush(stdout);
    }
    printed = 1;
    if ((from_start ? tail_from(fd) : tail_last(fd)) != 0) {
      fprintf(stderr, "tail: error reading '%s': %s\n", name, strerror(errno));
      status = 1;
    }
    if (!is_stdin) close(fd);
  }
  return status;
}
