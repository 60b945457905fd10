/* cmp [-l | -s] FILE1 [FILE2 [SKIP1 [SKIP2]]]: compares two files byte by byte
 * ("-" or a missing FILE2 is standard input), after skipping SKIP1 / SKIP2
 * bytes (decimal). As GNU diffutils: the first difference is reported as
 * "A B differ: byte N, line M" on stdout; a file that ends first gives
 * "cmp: EOF on A after byte N, line M" (", in line M" when that line is
 * unfinished; "which is empty" for an empty one) on stderr. -l lists every
 * differing byte as "OFFSET OCTAL1 OCTAL2" (offset 1-based); -s prints
 * nothing, errors included. Exit 0 when identical, 1 when different, 2 on
 * trouble. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]\n"
    "Compare two files byte by byte.\n"
    "\n"
    "The optional SKIP1 and SKIP2 specify the number of bytes to skip\n"
    "at the beginning of each file (zero by default).\n"
    "\n"
    "  -l, --verbose              output byte numbers and differing byte values\n"
    "  -s, --quiet, --silent      suppress all normal output\n"
    "      --help                 display this help and exit\n"
    "\n"
    "If a FILE is '-' or missing, read standard input.\n"
    "Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.\n";


typedef long long i64;

static int silent;

struct input {
  const char *name;
  int fd;
  struct stat st;
  unsigned char buf[4096];
  ssize_t len, pos; /* bytes buffered and the next one to use */
};

static void trouble(const char *name) {
  if (!silent) fprintf(stderr, "cmp: %s: %s\n", name, strerror(errno));
  exit(2);
}

static void usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "cmp: ");
  fprintf(stderr, msg, arg);
  fprintf(stderr, "\nusage: cmp [-l | -s] FILE1 [FILE2 [SKIP1 [SKIP2]]]\n");
  exit(2);
}

/* The next byte, or -1 at end of file. */
static int next(struct input *in) {
  if (in->pos == in->len) {
    ssize_t n;
    do n = read(in->fd, in->buf, sizeof in->buf);
    while (n < 0 && errno == EINTR);
    if (n < 0) trouble(in->name);
    in->len = n;
    in->pos = 0;
    if (n == 0) return -1;
  }
  return in->buf[in->pos++];
}

static void open_input(struct input *in, const char *name) {
  in->name = name;
  in->fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
  if (in->fd < 0 || fstat(in->fd, &in->st) < 0) trouble(name);
  in->len = in->pos = 0;
}

static i64 parse_skip(const char *s) {
  char *end;
  errno = 0;
  i64 v = strtoll(s, &end, 10);
  if (end == s || *end || v < 0 || errno) usage_error("invalid --ignore-initial value '%s'", s);
  return v;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int list = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "ls")) != -1) {
    if (c == 'l') list = 1;
    else if (c == 's') silent = 1;
    else {
      char opt[2] = {(char)optopt, 0};
      usage_error("invalid option -- '%s'", opt);
    }
  }
  if (list && silent) usage_error("options -l and -s are incompatible%s", "");
  int n = argc - optind;
  if (n < 1) usage_error("missing operand after '%s'", "cmp");
  if (n > 4) usage_error("extra operand '%s'", argv[optind + 4]);
  const char *name2 = n >= 2 ? argv[optind + 1] : "-";
  i64 skip[2] = {n >= 3 ? parse_skip(argv[optind + 2]) : 0,
                 n >= 4 ? parse_skip(argv[optind + 3]) : 0};

  static struct input in[2];
  open_input(&in[0], argv[optind]);
  open_input(&in[1], name2);
  /* The same file at the same place is equal to itself. */
  if (in[0].st.st_dev == in[1].st.st_dev && in[0].st.st_ino == in[1].st.st_ino &&
      skip[0] == skip[1] && lseek(in[0].fd, 0, SEEK_CUR) == lseek(in[1].fd, 0, SEEK_CUR))
    return 0;
  for (int f = 0; f < 2; f++)
    for (i64 k = 0; k < skip[f]; k++)
      if (next(&in[f]) < 0) break;

  /* -l pads offsets to the width of the smaller regular file's size, as GNU. */
  int width = 1;
  if (list) {
    i64 most = 0x7fffffffffffffffLL;
    for (int f = 0; f < 2; f++)
      if (S_ISREG(in[f].st.st_mode) && in[f].st.st_size - skip[f] < most)
        most = in[f].st.st_size - skip[f];
    while (most >= 10) {
      most /= 10;
      width++;
    }
  }

  i64 byte = 0, lines = 0; /* bytes compared so far and newlines among them */
  int last = -1, status = 0;
  for (;;) {
    int a = next(&in[0]), b = next(&in[1]);
    if (a < 0 || b < 0) {
      if (a == b) break;
      if (!silent) {
        const char *name = in[a < 0 ? 0 : 1].name;
        fflush(stdout);
        if (byte == 0) fprintf(stderr, "cmp: EOF on %s which is empty\n", name);
        else if (list) fprintf(stderr, "cmp: EOF on %s after byte %lld\n", name, byte);
        else
          fprintf(stderr, "cmp: EOF on %s after byte %lld, %sline %lld\n", name, byte,
                  last == '\n' ? "" : "in ", last == '\n' ? lines : lines + 1);
      }
      status = 1;
      break;
    }
    byte++;
    if (a != b) {
      status = 1;
      if (silent) break;
      if (!list) {
        printf("%s %s differ: byte %lld, line %lld\n", in[0].name, in[1].name, byte, lines + 1);
        break;
      }
      printf("%*lld %3o %3o\n", width, byte, a, b);
    }
    if (a == '\n') lines++;
    last = a;
  }
  if (fflush(stdout) != 0) trouble("write error");
  return status;
}
