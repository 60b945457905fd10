/* head [-n N | -N | -c [-]N] [-q|-v] [FILE...]: the first N lines (default 10)
 * of each input, or with -c the first N bytes (-c -N: all but the last N
 * bytes; N may end in b, K, M for 512, 1024, 1048576), with "==> NAME <=="
 * headers when there are several (-q never, -v always), as GNU head prints them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: head [OPTION]... [FILE]...\n"
    "Print the first 10 lines of each FILE to standard output.\n"
    "With more than one FILE, precede each with a header giving the file name.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -c, --bytes=[-]NUM       print the first NUM bytes of each file;\n"
    "                             with the leading '-', print all but the last\n"
    "                             NUM bytes of each file\n"
    "  -n, --lines=NUM          print the first NUM lines instead of the first 10\n"
    "  -q, --quiet, --silent    never print headers giving file names\n"
    "  -v, --verbose            always print headers giving file names\n"
    "      --help        display this help and exit\n"
    "\n"
    "NUM may have a multiplier suffix: b 512, K 1024, M 1024*1024.\n";

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

/* The first `bytes` bytes. */
static int head_bytes(int fd, long long bytes) {
  static char buf[4096];
  while (bytes > 0) {
    ssize_t n = read(fd, buf, bytes < (long long)sizeof buf ? (size_t)bytes : sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    if (write_all(buf, (size_t)n) < 0) return -1;
    bytes -= n;
  }
  return 0;
}

/* All but the last `skip` bytes: keeps a window of `skip` bytes back. */
static int head_all_but(int fd, long long skip) {
  size_t cap = (size_t)skip + 4096;
  char *win = malloc(cap);
  if (!win) return -1;
  size_t have = 0;
  for (;;) {
    ssize_t n = read(fd, win + have, cap - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return free(win), -1;
    if (n == 0) break;
    have += (size_t)n;
    if (have > (size_t)skip) {
      size_t out = have - (size_t)skip;
      if (write_all(win, out) < 0) return free(win), -1;
      memmove(win, win + out, (size_t)skip);
      have = (size_t)skip;
    }
  }
  free(win);
  return 0;
}

/* "N", "Nb", "NK", "NM" (with a leading '-' allowed when neg is given). */
static int parse_count(const char *s, long long *out, int *neg) {
  if (neg) {
    *neg = *s == '-';
    if (*neg) s++;
  }
  char *end;
  if (*s < '0' || *s > '9') return -1;
  long long v = strtoll(s, &end, 10);
  if (*end == 'b') v *= 512, end++;
  else if (*end == 'K') v *= 1024, end++;
  else if (*end == 'M') v *= 1024 * 1024, end++;
  if (*end) return -1;
  *out = v;
  return 0;
}

static int head_fd(int fd, long lines) {
  static char buf[4096];
  while (lines > 0) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    ssize_t keep = 0;
    while (keep < n && lines > 0) {
      if (buf[keep++] == '\n') lines--;
    }
    if (write(1, buf, (size_t)keep) != keep) return -1;
  }
  return 0;
}

static long long bytes = -1;
static int all_but;

static int head_input(int fd, long lines) {
  if (bytes < 0) return head_fd(fd, lines);
  return all_but ? head_all_but(fd, bytes) : head_bytes(fd, bytes);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  long lines = 10;
  int opt, headers = -1;
  /* The traditional form `head -3` means `head -n 3`. */
  if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
    char *end;
    lines = strtol(argv[1] + 1, &end, 10);
    if (*end != '\0') {
      fprintf(stderr, "head: invalid number of lines: '%s'\n", argv[1] + 1);
      return 2;
    }
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  while ((opt = getopt(argc, argv, "n:c:qv")) != -1) {
    if (opt == 'q' || opt == 'v') {
      headers = opt == 'v';
      continue;
    }
    if (opt == 'c') {
      if (parse_count(optarg, &bytes, &all_but) < 0) {
        fprintf(stderr, "head: invalid number of bytes: '%s'\n", optarg);
        return 1;
      }
      continue;
    }
    if (opt != 'n') {
      fprintf(stderr, "Try 'head --help' for more information.\n");
      return 1;
    }
    bytes = -1;
    char *end;
    lines = strtol(optarg, &end, 10);
    if (*end != '\0' || lines < 0) {
      fprintf(stderr, "head: invalid number of lines: '%s'\n", optarg);
      return 2;
    }
  }
  if (optind >= argc) return head_input(0, lines) == 0 ? 0 : 1;
  int status = 0;
  int many = headers >= 0 ? headers : argc - optind > 1;
  for (int i = optind; i < argc; i++) {
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (many) printf("%s==> %s <==\n", i > optind ? "\n" : "", fd == 0 ? "standard input" : argv[i]);
    fflush(stdout);
    if (head_input(fd, lines) != 0) status = 1;
    if (fd != 0) close(fd);
  }
  return status;
}
