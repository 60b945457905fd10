/* hexdump [-C] [-n LENGTH] [-s OFFSET] [FILE...]: show bytes in hexadecimal, as util-linux
 * hexdump does. The files are read as one stream (standard input when there are none).
 * Default format: the offset, then eight 16-bit little-endian words per line.
 * -C: canonical layout, the offset, sixteen bytes and their printable characters.
 * -n LENGTH: show at most LENGTH bytes. -s OFFSET: skip OFFSET bytes first (both take a
 * decimal, 0x hex or 0 octal number with an optional b/k/m/g multiplier).
 * A line equal to the previous one is shown as a single "*"; the last line is the end offset. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " hexdump [options] <file>...\n"
    "\n"
    "Display file contents in hexadecimal.\n"
    "\n"
    "Options:\n"
    " -C, --canonical           canonical hex+ASCII display\n"
    " -n, --length <length>     interpret only length bytes of input\n"
    " -s, --skip <offset>       skip offset bytes from the beginning\n"
    "\n"
    "     --help     display this help\n";


static char **files;
static int nfiles, next_file, cur_fd = -1, status, failed;

/* Opens the next readable input; 0 when there is none left. */
static int next_input(void) {
  if (nfiles == 0) {
    if (next_file++ > 0) return 0;
    cur_fd = 0;
    return 1;
  }
  while (next_file < nfiles) {
    const char *name = files[next_file++];
    cur_fd = open(name, O_RDONLY);
    if (cur_fd >= 0) return 1;
    fprintf(stderr, "hexdump: %s: %s\n", name, strerror(errno));
    status = 1;
    failed++;
  }
  return 0;
}

/* Reads up to n bytes from the concatenated inputs; returns how many (0 at the end). */
static size_t read_stream(unsigned char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    if (cur_fd < 0 && !next_input()) break;
    ssize_t r = read(cur_fd, buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      fprintf(stderr, "hexdump: %s: %s\n", nfiles ? files[next_file - 1] : "stdin", strerror(errno));
      status = 1;
    }
    if (r <= 0) {
      if (cur_fd > 0) close(cur_fd);
      cur_fd = -1;
      continue;
    }
    got += (size_t)r;
  }
  return got;
}

static int parse_size(const char *s, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 0);
  if (end == s || errno || v < 0) return -1;
  long long mult = 1;
  if (*end) {
    switch (*end++) {
    case 'b': mult = 512; break;
    case 'k': case 'K': mult = 1024; break;
    case 'm': case 'M': mult = 1024 * 1024; break;
    case 'g': case 'G': mult = 1024 * 1024 * 1024; break;
    default: return -1;
    }
    if (*end == 'i' && end[1] == 'B') end += 2;
  }
  if (*end) return -1;
  *out = v * mult;
  return 0;
}

static void print_line(int canonical, long long off, const unsigned char *b, size_t n) {
  if (canonical) {
    printf("%08llx ", off);
    for (size_t i = 0; i < 16; i++) {
      if (i == 8) putchar(' ');
      if (i < n) printf(" %02x", b[i]);
      else fputs("   ", stdout);
    }
    fputs("  |", stdout);
    for (size_t i = 0; i < n; i++) putchar(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
    fputs("|\n", stdout);
  } else {
    printf("%07llx", off);
    for (size_t i = 0; i < 16; i += 2) {
      if (i < n) printf(" %04x", b[i] | (i + 1 < n ? b[i + 1] << 8 : 0));
      else fputs("     ", stdout);
    }
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int canonical = 0, opt;
  long long length = -1, skip = 0;
  while ((opt = getopt(argc, argv, "Cn:s:")) != -1) {
    if (opt == 'C') {
      canonical = 1;
    } else if (opt == 'n') {
      if (parse_size(optarg, &length) < 0) {
        fprintf(stderr, "hexdump: failed to parse length: '%s': Invalid argument\n", optarg);
        return 1;
      }
    } else if (opt == 's') {
      if (parse_size(optarg, &skip) < 0) {
        fprintf(stderr, "hexdump: failed to parse offset: '%s': Invalid argument\n", optarg);
        return 1;
      }
    } else {
      fprintf(stderr, "usage: hexdump [-C] [-n LENGTH] [-s OFFSET] [FILE...]\n");
      return 1;
    }
  }
  files = argv + optind;
  nfiles = argc - optind;

  unsigned char line[16], prev[16];
  long long off = 0;
  /* Skip by reading, so that pipes work too. */
  while (off < skip) {
    long long want = skip - off;
    size_t got = read_stream(line, want < 16 ? (size_t)want : 16);
    if (got == 0) break;
    off += (long long)got;
  }
  int have_prev = 0, starred = 0;
  while (length != 0) {
    size_t want = length >= 0 && length < 16 ? (size_t)length : 16;
    size_t got = read_stream(line, want);
    if (got == 0) break;
    if (length > 0) length -= (long long)got;
    if (got == 16 && have_prev && memcmp(line, prev, 16) == 0) {
      if (!starred) puts("*");
      starred = 1;
    } else {
      print_line(canonical, off, line, got);
      starred = 0;
    }
    memcpy(prev, line, 16);
    have_prev = got == 16;
    off += (long long)got;
  }
  if (off > 0) printf(canonical ? "%08llx\n" : "%07llx\n", off);
  if (nfiles > 0 && failed == nfiles) {
    fprintf(stderr, "hexdump: all input file arguments failed\n");
    return 1;
  }
  return status;
}
