/* sort [-f] [-n] [-r] [-u] [-k N[,M]] [-t C] [FILE...]: print the lines of
 * all inputs (stdin for none or "-") in order: bytewise (C locale) by
 * default, -f folding lower case to upper, -n by leading numeric value
 * (optional blanks, '-', digits, '.fraction'; anything else counts as 0).
 * -k N compares from field N to the end of the line (-k N,M: to the end of
 * field M); fields are separated by blank-to-nonblank transitions (leading
 * blanks belong to the field) or by the byte C with -t C. Lines with equal
 * keys are ordered by the whole line bytewise as GNU sort's last resort; -r
 * reverses the result, -u keeps only the first of each run of equal keys. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: sort [OPTION]... [FILE]...\n"
    "Write sorted concatenation of all FILE(s) to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -f, --ignore-case           fold lower case to upper case characters\n"
    "  -n, --numeric-sort          compare according to string numerical value\n"
    "  -r, --reverse               reverse the result of comparisons\n"
    "  -k, --key=KEYDEF            sort via a key; KEYDEF gives location\n"
    "  -t, --field-separator=SEP   use SEP instead of non-blank to blank transition\n"
    "  -u, --unique                output only the first of an equal run\n"
    "      --help        display this help and exit\n"
    "\n"
    "KEYDEF is F[,F] for start and stop field positions, counted from 1.\n";


struct line {
  char *text;
  size_t len;
  size_t index; /* input order, to keep the first of equal keys with -u */
};

static int fold, numeric, reverse, unique;
static long key_start, key_end; /* 1-based fields; 0 = whole line / end of line */
static int tab = -1;

static int is_blank(int c) { return c == ' ' || c == '\t'; }

/* Start of field n (1-based) in s[0..len). */
static size_t field_start(const char *s, size_t len, long n) {
  size_t i = 0;
  for (long f = 1; f < n && i < len; f++) {
    if (tab >= 0) {
      while (i < len && s[i] != tab) i++;
      if (i < len) i++;
      else return len;
    } else {
      while (i < len && is_blank((unsigned char)s[i])) i++;
      while (i < len && !is_blank((unsigned char)s[i])) i++;
    }
  }
  return i;
}

/* End of field n, starting from that field's start. */
static size_t field_end(const char *s, size_t len, size_t i) {
  if (tab >= 0) {
    while (i < len && s[i] != tab) i++;
  } else {
    while (i < len && is_blank((unsigned char)s[i])) i++;
    while (i < len && !is_blank((unsigned char)s[i])) i++;
  }
  return i;
}

static void key_of(const struct line *l, const char **k, size_t *klen) {
  if (key_start == 0) {
    *k = l->text;
    *klen = l->len;
    return;
  }
  size_t b = field_start(l->text, l->len, key_start), e = l->len;
  if (key_end > 0) {
    e = field_end(l->text, l->len, field_start(l->text, l->len, key_end));
    if (e < b) e = b;
  }
  *k = l->text + b;
  *klen = e - b;
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen, int fold_case) {
  size_t n = alen < blen ? alen : blen;
  for (size_t i = 0; i < n; i++) {
    int x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (fold_case) x = toupper(x), y = toupper(y);
    if (x != y) return x < y ? -1 : 1;
  }
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* Compare the leading numbers of two keys digit by digit (no overflow). */
static int cmp_numbers(const char *a, size_t alen, const char *b, size_t blen) {
  const char *ae = a + alen, *be = b + blen;
  while (a < ae && is_blank((unsigned char)*a)) a++;
  while (b < be && is_blank((unsigned char)*b)) b++;
  int aneg = a < ae && *a == '-', bneg = b < be && *b == '-';
  if (aneg) a++;
  if (bneg) b++;
  while (a < ae && *a == '0') a++;
  while (b < be && *b == '0') b++;
  const char *ai = a, *bi = b;
  while (ai < ae && isdigit((unsigned char)*ai)) ai++;
  while (bi < be && isdigit((unsigned char)*bi)) bi++;
  const char *af = ai, *bf = bi, *afe = ai, *bfe = bi;
  if (af < ae && *af == '.') for (afe = ++af; afe < ae && isdigit((unsigned char)*afe); afe++);
  if (bf < be && *bf == '.') for (bfe = ++bf; bfe < be && isdigit((unsigned char)*bfe); bfe++);
  while (afe > af && afe[-1] == '0') afe--;
  while (bfe > bf && bfe[-1] == '0') bfe--;
  int azero = ai == a && afe <= af, bzero = bi == b && bfe <= bf;
  if (azero) aneg = 0;
  if (bzero) bneg = 0;
  if (aneg != bneg) return aneg ? -1 : 1;
  int r;
  if (ai - a != bi - b) {
    r = ai - a < bi - b ? -1 : 1;
  } else {
    r = memcmp(a, b, (size_t)(ai - a));
    if (r == 0) r = cmp_bytes(af, (size_t)(afe - af), bf, (size_t)(bfe - bf), 0);
    r = r < 0 ? -1 : r > 0;
  }
  return aneg ? -r : r;
}

static int cmp_keys(const struct line *x, const struct line *y) {
  const char *a, *b;
  size_t alen, blen;
  key_of(x, &a, &alen);
  key_of(y, &b, &blen);
  return numeric ? cmp_numbers(a, alen, b, blen) : cmp_bytes(a, alen, b, blen, fold);
}

static int cmp_lines(const void *pa, const void *pb) {
  const struct line *x = pa, *y = pb;
  int r = cmp_keys(x, y);
  if (r == 0 && !unique) r = cmp_bytes(x->text, x->len, y->text, y->len, 0);
  if (reverse) r = -r;
  /* Equal lines keep input order, so -u keeps the first one. */
  if (r == 0) r = x->index < y->index ? -1 : x->index > y->index;
  return r;
}

static struct line *lines;
static size_t nlines, cap;

static int read_lines(FILE *f) {
  char *buf = NULL;
  size_t bufcap = 0;
  ssize_t n;
  while ((n = getline(&buf, &bufcap, f)) >= 0) {
    if (n > 0 && buf[n - 1] == '\n') n--;
    if (nlines == cap) {
      size_t nc = cap ? cap * 2 : 256;
      struct line *p = realloc(lines, nc * sizeof *p);
      if (!p) return -1;
      lines = p;
      cap = nc;
    }
    char *text = malloc((size_t)n + 1);
    if (!text) return -1;
    memcpy(text, buf, (size_t)n);
    text[n] = '\0';
    lines[nlines].text = text;
    lines[nlines].len = (size_t)n;
    lines[nlines].index = nlines;
    nlines++;
  }
  free(buf);
  return ferror(f) ? -1 : 0;
}

static long parse_field(const char **s, const char *arg, const char *what) {
  char *end;
  if (!isdigit((unsigned char)**s)) {
    fprintf(stderr, "sort: invalid number at field %s: invalid count at start of '%s'\n", what, *s);
    exit(2);
  }
  long n = strtol(*s, &end, 10);
  if (n == 0) {
    fprintf(stderr, "sort: field number is zero: invalid field specification '%s'\n", arg);
    exit(2);
  }
  *s = end;
  return n;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  while ((opt = getopt(argc, argv, "fnruk:t:")) != -1) {
    if (opt == 'f') fold = 1;
    else if (opt == 'n') numeric = 1;
    else if (opt == 'r') reverse = 1;
    else if (opt == 'u') unique = 1;
    else if (opt == 'k') {
      const char *s = optarg;
      key_start = parse_field(&s, optarg, "start");
      key_end = 0;
      if (*s == ',') {
        s++;
        key_end = parse_field(&s, optarg, "end");
      }
      if (*s != '\0') {
        fprintf(stderr, "sort: invalid key specification '%s' (only N or N,M)\n", optarg);
        return 2;
      }
    } else if (opt == 't') {
      if (optarg[0] == '\0') {
        fprintf(stderr, "sort: empty tab\n");
        return 2;
      }
      if (optarg[1] != '\0') {
        fprintf(stderr, "sort: multi-character tab '%s'\n", optarg);
        return 2;
      }
      tab = (unsigned char)optarg[0];
    } else {
      fprintf(stderr, "usage: sort [-fnru] [-k N[,M]] [-t C] [FILE...]\n");
      return 2;
    }
  }
  if (optind >= argc) {
    if (read_lines(stdin) != 0) {
      fprintf(stderr, "sort: read failed: -: %s\n", strerror(errno));
      return 2;
    }
  }
  for (int i = optind; i < argc; i++) {
    int is_stdin = strcmp(argv[i], "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(argv[i], "r");
    if (!f || read_lines(f) != 0) {
      fprintf(stderr, "sort: %s: %s: %s\n", f ? "read failed" : "cannot read", argv[i],
              strerror(errno));
      return 2;
    }
    if (!is_stdin) fclose(f);
  }
  qsort(lines, nlines, sizeof *lines, cmp_lines);
  for (size_t i = 0; i < nlines; i++) {
    if (unique && i > 0 && cmp_keys(&lines[i - 1], &lines[i]) == 0) continue;
    fwrite(lines[i].text, 1, lines[i].len, stdout);
    putchar('\n');
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "sort: write failed: %s\n", strerror(errno));
    return 2;
  }
  return 0;
}
