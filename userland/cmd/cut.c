/* cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [FILE...]: print selected parts
 * of each line. LIST is comma-separated N, N-M, N- or -M (numbered from 1).
 * -b selects bytes and -c is the same (no multibyte characters); -f selects
 * fields separated by DELIM (-d, default TAB), printed joined by DELIM, and a
 * line without DELIM is printed whole unless -s. "-" or no FILE reads stdin. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: cut OPTION... [FILE]...\n"
    "Print selected parts of lines from each FILE to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -b, --bytes=LIST        select only these bytes\n"
    "  -c, --characters=LIST   select only these characters\n"
    "  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n"
    "  -f, --fields=LIST       select only these fields\n"
    "  -s, --only-delimited    do not print lines not containing delimiters\n"
    "      --help        display this help and exit\n"
    "\n"
    "Each LIST is made up of one range, or many ranges separated by commas:\n"
    "  N, N-, N-M or -M (counted from 1).\n";


struct range {
  unsigned long lo, hi; /* inclusive; hi is ULONG_MAX for "N-" */
};

static struct range *ranges;
static size_t nranges;
static int fields; /* -f rather than -b/-c */

static void die(const char *msg) {
  fprintf(stderr, "cut: %s\n", msg);
  exit(1);
}

static void numbered_from_1(void) {
  die(fields ? "fields are numbered from 1" : "byte/character positions are numbered from 1");
}

/* Reads a position at *p (advancing it); returns 0 if there are no digits. */
static int position(const char **p, unsigned long *out) {
  if (**p < '0' || **p > '9') return 0;
  char *end;
  errno = 0;
  *out = strtoul(*p, &end, 10);
  if (errno == ERANGE) {
    const char *what = fields ? "field number" : "byte/character offset";
    fprintf(stderr, "cut: %s '%.*s' is too large\n", what, (int)(end - *p), *p);
    exit(1);
  }
  *p = end;
  if (*out == 0) numbered_from_1();
  return 1;
}

static void parse_list(const char *list) {
  const char *p = list;
  for (;;) {
    unsigned long lo = 1, hi;
    const char *item = p;
    int has_lo = position(&p, &lo);
    hi = lo;
    if (*p == '-') {
      p++;
      hi = (unsigned long)-1;
      int has_hi = position(&p, &hi);
      if (!has_lo && !has_hi) die("invalid range with no endpoint: -");
      if (hi < lo) die("invalid decreasing range");
    } else if (!has_lo && (*p == ',' || *p == 0)) {
      numbered_from_1();
    }
    if (*p != ',' && *p != 0) {
      size_t n = strcspn(item, ",");
      const char *what = fields ? "field value" : "byte/character position";
      fprintf(stderr, "cut: invalid %s '%.*s'\n", what, (int)n, item);
      exit(1);
    }
    struct range *r = realloc(ranges, (nranges + 1) * sizeof *ranges);
    if (!r) die("out of memory");
    ranges = r;
    ranges[nranges].lo = lo;
    ranges[nranges].hi = hi;
    nranges++;
    if (*p == 0) break;
    p++;
  }
}

static int selected(unsigned long pos) {
  for (size_t i = 0; i < nranges; i++)
    if (pos >= ranges[i].lo && pos <= ranges[i].hi) return 1;
  return 0;
}

/* One line (without its newline) in byte mode. */
static void cut_bytes(const char *line, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (selected(i + 1)) putchar(line[i]);
  putchar('\n');
}

/* One line (without its newline) in field mode. */
static void cut_fields(const char *line, size_t len, char delim, int only_delimited) {
  if (!memchr(line, delim, len)) {
    if (!only_delimited) {
      fwrite(line, 1, len, stdout);
      putchar('\n');
    }
    return;
  }
  unsigned long field = 1;
  int printed = 0;
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && line[i] != delim) continue;
    if (selected(field)) {
      if (printed) putchar(delim);
      fwrite(line + start, 1, i - start, stdout);
      printed = 1;
    }
    field++;
    start = i + 1;
  }
  putchar('\n');
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  const char *list = 0;
  char delim = '\t';
  int have_delim = 0, only_delimited = 0, opt;
  while ((opt = getopt(argc, argv, "b:c:f:d:s")) != -1) {
    switch (opt) {
      case 'b':
      case 'c':
      case 'f':
        if (list) die("only one list may be specified");
        list = optarg;
        fields = opt == 'f';
        break;
      case 'd':
        if (strlen(optarg) > 1) die("the delimiter must be a single character");
        delim = optarg[0]; /* "" means NUL, as in GNU */
        have_delim = 1;
        break;
      case 's': only_delimited = 1; break;
      default:
        fprintf(stderr, "usage: cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [FILE...]\n");
        return 1;
    }
  }
  if (!list) die("you must specify a list of bytes, characters, or fields");
  if (have_delim && !fields)
    die("an input delimiter may be specified only when operating on fields");
  if (only_delimited && !fields)
    die("suppressing non-delimited lines makes sense\n\tonly when operating on fields");
  parse_list(list);

  int status = 0;
  char *line = 0;
  size_t cap = 0;
  int i = optind;
  do {
    const char *name = i < argc ? argv[i] : "-";
    FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
    if (!f) {
      fprintf(stderr, "cut: %s: %s\n", name, strerror(errno));
      status = 1;
      continue;
    }
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
      size_t len = (size_t)n;
      if (line[len - 1] == '\n') len--;
      if (fields) cut_fields(line, len, delim, only_delimited);
      else cut_bytes(line, len);
    }
    if (ferror(f)) {
      fprintf(stderr, "cut: %s: %s\n", name, strerror(errno));
      status = 1;
    }
    if (f == stdin) clearerr(f);
    else fclose(f);
  } while (++i < argc);
  free(line);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cut: write error: %s\n", strerror(errno));
    return 1;
  }
  return status;
}
