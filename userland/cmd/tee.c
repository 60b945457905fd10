/* tee [-a] [-i] [FILE...]: copy standard input to standard output and to each
 * FILE (created or truncated; -a appends). A FILE that cannot be opened or
 * written is reported and dropped while copying goes on to the others; the exit
 * status is then 1. -i ignores SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: tee [OPTION]... [FILE]...\n"
    "Copy standard input to each FILE, and also to standard output.\n"
    "\n"
    "  -a, --append              append to the given FILEs, do not overwrite\n"
    "  -i, --ignore-interrupts   ignore interrupt signals\n"
    "      --help        display this help and exit\n";


static int write_all(int fd, const char *buf, ssize_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, (size_t)n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    buf += w;
    n -= w;
  }
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, flags = O_WRONLY | O_CREAT | O_TRUNC, status = 0;
  while ((opt = getopt(argc, argv, "ai")) != -1) {
    if (opt == 'a') flags = O_WRONLY | O_CREAT | O_APPEND;
    else if (opt == 'i') signal(SIGINT, SIG_IGN);
    else {
      fprintf(stderr, "usage: tee [-a] [-i] [FILE...]\n");
      return 1;
    }
  }
  /* fds[0] is standard output; then one slot per FILE, -1 once dropped. */
  int count = argc - optind + 1;
  int *fds = malloc((size_t)count * sizeof *fds);
  if (!fds) {
    fprintf(stderr, "tee: %s\n", strerror(ENOMEM));
    return 1;
  }
  fds[0] = 1;
  for (int i = 1; i < count; i++) {
    const char *name = argv[optind + i - 1];
    fds[i] = open(name, flags, 0666);
    if (fds[i] < 0) {
      fprintf(stderr, "tee: %s: %s\n", name, strerror(errno));
      status = 1;
    }
  }
  static char buf[4096];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fprintf(stderr, "tee: standard input: %s\n", strerror(errno));
      status = 1;
      break;
    }
    if (n == 0) break;
    for (int i = 0; i < count; i++) {
      if (fds[i] < 0 || write_all(fds[i], buf, n) == 0) continue;
      fprintf(stderr, "tee: %s: %s\n", i ? argv[optind + i - 1] : "standard output",
              strerror(errno));
      if (i) close(fds[i]);
      fds[i] = -1;
      status = 1;
    }
  }
  for (int i = 1; i < count; i++) {
    if (fds[i] >= 0 && close(fds[i]) < 0) {
      fprintf(stderr, "tee: %s: %s\n", argv[optind + i - 1], strerror(errno));
      status = 1;
    }
  }
  free(fds);
  return status;
}
