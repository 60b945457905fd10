/* cat [-n] [FILE...]: copy files (or stdin, also for "-") to stdout. -n numbers lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: cat [OPTION]... [FILE]...\n"
    "Concatenate FILE(s) to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -n, --number             number all output lines\n"
    "      --help        display this help and exit\n";


static char buf[4096];
static int number_lines;
static unsigned long line_no = 1;
static int at_line_start = 1;

static int write_all(const char *p, size_t n) {
  while (n) {
    ssize_t w = write(1, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Numbered output goes through stdio; the plain path copies with read/write. */
static int copy_fd(int fd) {
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return (int)n;
    if (!number_lines) {
      if (write_all(buf, (size_t)n) < 0) return -1;
      continue;
    }
    for (ssize_t i = 0; i < n; i++) {
      if (at_line_start) printf("%6lu\t", line_no++);
      putchar(buf[i]);
      at_line_start = buf[i] == '\n';
    }
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0;
  while ((opt = getopt(argc, argv, "nu")) != -1) {
    if (opt == 'n') number_lines = 1;
    else if (opt != 'u') {
      fprintf(stderr, "usage: cat [-n] [FILE...]\n");
      return 1;
    }
  }
  if (optind == argc) argv[argc++] = "-"; /* argv has room: argv[argc] is NULL */
  for (int i = optind; i < argc; i++) {
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (copy_fd(fd) < 0) {
      fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
    if (fd != 0) close(fd);
  }
  if (fflush(stdout)) status = 1;
  return status;
}
