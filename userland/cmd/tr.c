/* tr [-c] [-d] [-s] SET1 [SET2]: copy stdin to stdout translating the bytes of
 * SET1 to those of SET2, deleting SET1 (-d) and/or squeezing runs of one
 * repeated byte (-s; of SET2 when translating or with -d, else of SET1).
 * -c uses the complement of SET1 (in ascending byte order). Sets accept
 * ranges "a-z", escapes \n \t \r \a \b \f \v \\ \NNN (octal) and the classes
 * [:alpha:] [:alnum:] [:digit:] [:lower:] [:upper:] [:space:] [:blank:]
 * [:punct:] [:print:] [:graph:] [:cntrl:] [:xdigit:]. A SET2 shorter than
 * SET1 is padded with its last byte, as GNU tr does. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: tr [OPTION]... STRING1 [STRING2]\n"
    "Translate, squeeze, and/or delete characters from standard input,\n"
    "writing to standard output.\n"
    "\n"
    "  -c, -C, --complement    use the complement of STRING1\n"
    "  -d, --delete            delete characters in STRING1, do not translate\n"
    "  -s, --squeeze-repeats   replace each sequence of a repeated character\n"
    "                            that is listed in the last specified STRING,\n"
    "                            with a single occurrence of that character\n"
    "      --help     display this help and exit\n"
    "\n"
    "STRINGs are specified as sequences of characters, CHAR1-CHAR2 ranges,\n"
    "backslash escapes and [:CLASS:] names (alnum alpha blank cntrl digit graph\n"
    "lower print punct space upper xdigit).\n";


#define MAXSET 4096

struct set {
  unsigned char c[MAXSET];
  int n;
};

static const struct {
  const char *name;
  int (*test)(int);
} classes[] = {
    {"alpha", isalpha}, {"alnum", isalnum}, {"digit", isdigit}, {"lower", islower},
    {"upper", isupper}, {"space", isspace}, {"blank", isblank}, {"punct", ispunct},
    {"print", isprint}, {"graph", isgraph}, {"cntrl", iscntrl}, {"xdigit", isxdigit},
};

/* One possibly escaped byte at *p; advances *p. */
static int next_char(const char **p) {
  const char *s = *p;
  if (s[0] != '\\' || s[1] == '\0') {
    *p = s + 1;
    return (unsigned char)s[0];
  }
  s++;
  if (*s >= '0' && *s <= '7') {
    int v = 0;
    for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++) v = v * 8 + (*s++ - '0');
    *p = s;
    return v & 0xff;
  }
  *p = s + 1;
  switch (*s) {
  case 'n': return '\n';
  case 't': return '\t';
  case 'r': return '\r';
  case 'a': return '\a';
  case 'b': return '\b';
  case 'f': return '\f';
  case 'v': return '\v';
  default: return (unsigned char)*s;
  }
}

static int add(struct set *set, int c) {
  if (set->n >= MAXSET) {
    fprintf(stderr, "tr: set too large\n");
    return -1;
  }
  set->c[set->n++] = (unsigned char)c;
  return 0;
}

static int parse_set(const char *s, struct set *set) {
  set->n = 0;
  while (*s) {
    if (s[0] == '[' && s[1] == ':') {
      const char *end = strstr(s + 2, ":]");
      size_t len = end ? (size_t)(end - (s + 2)) : 0;
      size_t k;
      for (k = 0; end && k < sizeof classes / sizeof classes[0]; k++) {
        if (strlen(classes[k].name) == len && strncmp(classes[k].name, s + 2, len) == 0) break;
      }
      if (end && k < sizeof classes / sizeof classes[0]) {
        for (int c = 0; c < 256; c++) {
          if (classes[k].test(c) && add(set, c) != 0) return -1;
        }
        s = end + 2;
        continue;
      }
      if (end) {
        fprintf(stderr, "tr: invalid character class '%.*s'\n", (int)len, s + 2);
        return -1;
      }
    }
    const char *start = s;
    int lo = next_char(&s);
    if (s[0] == '-' && s[1] != '\0') {
      s++;
      int hi = next_char(&s);
      if (hi < lo) {
        fprintf(stderr, "tr: range-endpoints of '%.*s' are in reverse collating sequence order\n",
                (int)(s - start), start);
        return -1;
      }
      for (int c = lo; c <= hi; c++) {
        if (add(set, c) != 0) return -1;
      }
    } else if (add(set, lo) != 0) {
      return -1;
    }
  }
  return 0;
}

static void usage_hint(void) { fprintf(stderr, "Try 'tr --help' for more information.\n"); }

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int complement = 0, delete = 0, squeeze = 0, opt;
  while ((opt = getopt(argc, argv, "cCds")) != -1) {
    if (opt == 'c' || opt == 'C') complement = 1;
    else if (opt == 'd') delete = 1;
    else if (opt == 's') squeeze = 1;
    else {
      usage_hint();
      return 1;
    }
  }
  int nsets = argc - optind;
  int want = delete && squeeze ? 2 : delete || (squeeze && nsets < 2) ? 1 : 2;
  if (nsets == 0) {
    fprintf(stderr, "tr: missing operand\n");
    usage_hint();
    return 1;
  }
  if (nsets < want) {
    fprintf(stderr, "tr: missing operand after '%s'\n", argv[argc - 1]);
    fprintf(stderr, delete ? "Two strings must be given when both deleting and squeezing repeats.\n"
                           : "Two strings must be given when translating.\n");
    usage_hint();
    return 1;
  }
  if (nsets > want) {
    fprintf(stderr, "tr: extra operand '%s'\n", argv[optind + want]);
    if (delete && !squeeze)
      fprintf(stderr, "Only one string may be given when deleting without squeezing repeats.\n");
    usage_hint();
    return 1;
  }

  static struct set s1, s2;
  if (parse_set(argv[optind], &s1) != 0) return 1;
  if (want == 2 && parse_set(argv[optind + 1], &s2) != 0) return 1;
  if (complement) {
    unsigned char in[256] = {0};
    for (int i = 0; i < s1.n; i++) in[s1.c[i]] = 1;
    s1.n = 0;
    for (int c = 0; c < 256; c++) {
      if (!in[c]) s1.c[s1.n++] = (unsigned char)c;
    }
  }

  /* map: the output byte for each input byte; -1 drops it. */
  int map[256];
  unsigned char squeezable[256] = {0};
  for (int c = 0; c < 256; c++) map[c] = c;
  if (delete) {
    for (int i = 0; i < s1.n; i++) map[s1.c[i]] = -1;
  } else if (want == 2) {
    if (s2.n == 0) {
      fprintf(stderr, "tr: when not truncating set1, string2 must be non-empty\n");
      return 1;
    }
    for (int i = 0; i < s1.n; i++) map[s1.c[i]] = s2.c[i < s2.n ? i : s2.n - 1];
  }
  if (squeeze) {
    const struct set *sq = want == 2 ? &s2 : &s1;
    for (int i = 0; i < sq->n; i++) squeezable[sq->c[i]] = 1;
  }

  static unsigned char in[4096], out[4096];
  int last = -1;
  for (;;) {
    ssize_t n = read(0, in, sizeof in);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fprintf(stderr, "tr: read error: %s\n", strerror(errno));
      return 1;
    }
    if (n == 0) break;
    size_t o = 0;
    for (ssize_t i = 0; i < n; i++) {
      int c = map[in[i]];
      if (c < 0) continue;
      if (squeeze && c == last && squeezable[c]) continue;
      out[o++] = (unsigned char)c;
      last = c;
    }
    if (o > 0 && write(1, out, o) != (ssize_t)o) {
      fprintf(stderr, "tr: write error: %s\n", strerror(errno));
      return 1;
    }
  }
  return 0;
}
