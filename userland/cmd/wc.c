/* wc [-l] [-w] [-c] [FILE...]: count lines, words and bytes, padded as GNU wc
 * does (width 7 when reading a pipe or terminal; the digits of the total size
 * for regular files; no padding for one count of one input). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: wc [OPTION]... [FILE]...\n"
    "Print newline, word, and byte counts for each FILE, and a total line if\n"
    "more than one FILE is specified.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -c, --bytes            print the byte counts\n"
    "  -l, --lines            print the newline counts\n"
    "  -w, --words            print the word counts\n"
    "      --help        display this help and exit\n";


struct counts {
  unsigned long long lines, words, bytes;
};

static int show_lines, show_words, show_bytes, width;

static int count_fd(int fd, struct counts *c) {
  static unsigned char buf[4096];
  int in_word = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return 0;
    c->bytes += (unsigned long long)n;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') c->lines++;
      if (isspace(buf[i])) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        c->words++;
      }
    }
  }
}

static void print(const struct counts *c, const char *name) {
  const char *sep = "";
  if (show_lines) printf("%s%*llu", sep, width, c->lines), sep = " ";
  if (show_words) printf("%s%*llu", sep, width, c->words), sep = " ";
  if (show_bytes) printf("%s%*llu", sep, width, c->bytes), sep = " ";
  if (name) printf(" %s", name);
  putchar('\n');
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0;
  while ((opt = getopt(argc, argv, "lwc")) != -1) {
    if (opt == 'l') show_lines = 1;
    else if (opt == 'w') show_words = 1;
    else if (opt == 'c') show_bytes = 1;
    else {
      fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
      return 1;
    }
  }
  if (!show_lines && !show_words && !show_bytes) show_lines = show_words = show_bytes = 1;
  int nfiles = argc - optind;
  int from_stdin = nfiles == 0;

  /* Width from what is being read, before reading (GNU's rule). */
  unsigned long long regular_total = 0;
  int min_width = 1;
  for (int i = 0; i < (from_stdin ? 1 : nfiles); i++) {
    struct stat st;
    int ok = from_stdin || strcmp(argv[optind + i], "-") == 0 ? fstat(0, &st)
                                                              : stat(argv[optind + i], &st);
    if (ok < 0) continue;
    if (S_ISREG(st.st_mode)) regular_total += (unsigned long long)st.st_size;
    else min_width = 7;
  }
  width = 1;
  for (; regular_total >= 10; regular_total /= 10) width++;
  if (width < min_width) width = min_width;
  if (show_lines + show_words + show_bytes == 1 && nfiles <= 1) width = 1;

  struct counts total = {0, 0, 0};
  if (from_stdin) {
    struct counts c = {0, 0, 0};
    if (count_fd(0, &c) < 0) {
      fprintf(stderr, "wc: -: %s\n", strerror(errno));
      return 1;
    }
    print(&c, 0);
    return fflush(stdout) ? 1 : 0;
  }
  for (int i = optind; i < argc; i++) {
    struct counts c = {0, 0, 0};
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0 || count_fd(fd, &c) < 0) {
      fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      if (fd > 0) close(fd);
      continue;
    }
    if (fd > 0) close(fd);
    print(&c, argv[i]);
    total.lines += c.lines;
    total.words += c.words;
    total.bytes += c.bytes;
  }
  if (nfiles > 1) print(&total, "total");
  if (fflush(stdout)) status = 1;
  return status;
}
