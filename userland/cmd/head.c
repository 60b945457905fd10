/* head [-n N | -N] [FILE...]: the first N lines (default 10) of each input, with
 * "==> NAME <==" headers when there are several, as GNU head prints them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int main(int argc, char **argv) {
  long lines = 10;
  int opt;
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
  while ((opt = getopt(argc, argv, "n:")) != -1) {
    if (opt != 'n') {
      fprintf(stderr, "usage: head [-n LINES] [FILE...]\n");
      return 2;
    }
    char *end;
    lines = strtol(optarg, &end, 10);
    if (*end != '\0' || lines < 0) {
      fprintf(stderr, "head: invalid number of lines: '%s'\n", optarg);
      return 2;
    }
  }
  if (optind >= argc) return head_fd(0, lines) == 0 ? 0 : 1;
  int status = 0;
  int many = argc - optind > 1;
  for (int i = optind; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (many) printf("%s==> %s <==\n", i > optind ? "\n" : "", argv[i]);
    fflush(stdout);
    if (head_fd(fd, lines) != 0) status = 1;
    close(fd);
  }
  return status;
}
