/* echo [-n] [-e] [ARG...]: print the arguments separated by spaces. -e turns on
 * backslash escapes (\n \t \\ \c ...), -n drops the final newline. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "help.h"

/* Flushes stdout; a failed write (a closed or full output) is reported, as GNU echo does. */
static int finish(void) {
  if (fflush(stdout) == 0) return 0;
  fprintf(stderr, "echo: write error: %s\n", strerror(errno));
  return 1;
}

static const char usage_text[] =
    "Usage: echo [SHORT-OPTION]... [STRING]...\n"
    "Echo the STRING(s) to standard output.\n"
    "\n"
    "  -n             do not output the trailing newline\n"
    "  -e             enable interpretation of backslash escapes\n"
    "  -E             disable interpretation of backslash escapes (default)\n"
    "      --help     display this help and exit\n"
    "\n"
    "If -e is in effect, the following sequences are recognized:\n"
    "\n"
    "  \\\\      backslash\n"
    "  \\a      alert (BEL)\n"
    "  \\b      backspace\n"
    "  \\c      produce no further output\n"
    "  \\e      escape\n"
    "  \\n      new line\n"
    "  \\r      carriage return\n"
    "  \\t      horizontal tab\n"
    "  \\0NNN   byte with octal value NNN (1 to 3 digits)\n";


static int put_escaped(const char *s) {
  for (; *s; s++) {
    if (*s != '\\' || !s[1]) {
      putchar(*s);
      continue;
    }
    switch (*++s) {
      case 'n': putchar('\n'); break;
      case 't': putchar('\t'); break;
      case 'r': putchar('\r'); break;
      case 'a': putchar('\a'); break;
      case 'b': putchar('\b'); break;
      case 'e': putchar(27); break;
      case '\\': putchar('\\'); break;
      case 'c': return 1; /* stop all output here */
      case '0': {
        int v = 0;
        for (int i = 0; i < 3 && s[1] >= '0' && s[1] <= '7'; i++) v = v * 8 + (*++s - '0');
        putchar(v);
        break;
      }
      default:
        putchar('\\');
        putchar(*s);
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ALONE, usage_text);
  int newline = 1, escapes = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *o = argv[i] + 1;
    if (strspn(o, "neE") != strlen(o)) break; /* not an option: print it */
    for (; *o; o++) {
      if (*o == 'n') newline = 0;
      else if (*o == 'e') escapes = 1;
      else escapes = 0;
    }
  }
  for (int first = 1; i < argc; i++, first = 0) {
    if (!first) putchar(' ');
    if (escapes) {
      if (put_escaped(argv[i])) return finish();
    } else {
      fputs(argv[i], stdout);
    }
  }
  if (newline) putchar('\n');
  return finish();
}
