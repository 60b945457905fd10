/* seq [-s SEP] [-w] [FIRST [INCR]] LAST: print the integers from FIRST
 * (default 1) to LAST in steps of INCR (default 1), separated by SEP (default
 * "\n") and followed by a newline. -w pads with leading zeros to equal width.
 * Only integers are supported (there is no floating point): anything else is
 * rejected with GNU's "invalid floating point argument" message. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: seq [OPTION]... LAST\n"
    "  or:  seq [OPTION]... FIRST LAST\n"
    "  or:  seq [OPTION]... FIRST INCREMENT LAST\n"
    "Print numbers from FIRST to LAST, in steps of INCREMENT.\n"
    "\n"
    "  -s, --separator=STRING   use STRING to separate numbers (default: \\n)\n"
    "  -w, --equal-width        equalize width by padding with leading zeroes\n"
    "      --help     display this help and exit\n"
    "\n"
    "Only integers are supported.\n";


static void usage_hint(void) { fprintf(stderr, "Try 'seq --help' for more information.\n"); }

static int is_number(const char *s) {
  if (*s == '+' || *s == '-') s++;
  if (*s < '0' || *s > '9') return 0;
  while (*s >= '0' && *s <= '9') s++;
  return *s == '\0';
}

static long long parse(const char *s) {
  char *end;
  errno = 0;
  long long v = is_number(s) ? strtoll(s, &end, 10) : 0;
  if (!is_number(s) || errno == ERANGE) {
    fprintf(stderr, "seq: invalid floating point argument: '%s'\n", s);
    usage_hint();
    exit(1);
  }
  return v;
}

/* v in decimal, zero-padded after any '-' to width characters. */
static void format(char *buf, long long v, int width) {
  char digits[32];
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  int n = 0;
  do digits[n++] = (char)('0' + u % 10); while ((u /= 10) != 0);
  int len = 0;
  if (v < 0) buf[len++] = '-';
  for (int pad = width - n - (v < 0); pad > 0; pad--) buf[len++] = '0';
  while (n > 0) buf[len++] = digits[--n];
  buf[len] = '\0';
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  const char *sep = "\n";
  int equal_width = 0, i = 1;
  /* Options end at the first operand; "-5" is a (negative) operand. */
  while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0' && !is_number(argv[i])) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-w") == 0) {
      equal_width = 1;
    } else if (strncmp(argv[i], "-s", 2) == 0) {
      if (argv[i][2] != '\0') {
        sep = argv[i] + 2;
      } else if (i + 1 < argc) {
        sep = argv[++i];
      } else {
        fprintf(stderr, "seq: option requires an argument -- 's'\n");
        usage_hint();
        return 1;
      }
    } else {
      fprintf(stderr, "seq: invalid option -- '%c'\n", argv[i][1]);
      usage_hint();
      return 1;
    }
    i++;
  }
  int n = argc - i;
  if (n < 1) {
    fprintf(stderr, "seq: missing operand\n");
    usage_hint();
    return 1;
  }
  if (n > 3) {
    fprintf(stderr, "seq: extra operand '%s'\n", argv[i + 3]);
    usage_hint();
    return 1;
  }
  long long first = 1, incr = 1, last;
  if (n >= 2) first = parse(argv[i]);
  if (n == 3) incr = parse(argv[i + 1]);
  last = parse(argv[i + n - 1]);
  if (incr == 0) {
    fprintf(stderr, "seq: invalid Zero increment value: '%s'\n", argv[i + 1]);
    usage_hint();
    return 1;
  }
  char buf[48];
  int width = 0;
  if (equal_width) {
    format(buf, first, 0);
    width = (int)strlen(buf);
    format(buf, last, 0);
    if ((int)strlen(buf) > width) width = (int)strlen(buf);
  }
  int any = 0;
  for (long long v = first; incr > 0 ? v <= last : v >= last;) {
    format(buf, v, width);
    if (any) fputs(sep, stdout);
    fputs(buf, stdout);
    any = 1;
    /* Stop before the next step would overflow. */
    if ((incr > 0 && v > last - incr) || (incr < 0 && v < last - incr)) break;
    v += incr;
  }
  if (any) putchar('\n');
  return 0;
}
