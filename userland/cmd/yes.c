/* yes [STRING...]: writes the STRINGs, separated by spaces (default "y"), as a
 * line over and over until writing fails. A reader that goes away ends it
 * (SIGPIPE, or quietly with status 1 when SIGPIPE is ignored); any other write
 * error is reported. Options are rejected as GNU does; the first "--" ends them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: yes [STRING]...\n"
    "Repeatedly output a line with all specified STRING(s), or 'y'.\n"
    "\n"
    "      --help     display this help and exit\n";


int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  /* As GNU's argument permutation: before the first "--" (which is dropped),
   * any word starting with '-' is an option, and yes has none. */
  int words = 0, dashdash = 0;
  for (int i = 1; i < argc; i++) {
    if (!dashdash && strcmp(argv[i], "--") == 0) {
      dashdash = 1;
      continue;
    }
    if (!dashdash && argv[i][0] == '-' && argv[i][1]) {
      if (argv[i][1] == '-') fprintf(stderr, "yes: unrecognized option '%s'\n", argv[i]);
      else fprintf(stderr, "yes: invalid option -- '%c'\n", argv[i][1]);
      return 1;
    }
    argv[++words] = argv[i];
  }
  /* Build one line, then repeat it to fill a buffer so each write is large. */
  static char buf[8192];
  size_t len = 0;
  if (words == 0) {
    memcpy(buf, "y\n", 2);
    len = 2;
  } else {
    for (int i = 1; i <= words; i++) {
      size_t n = strlen(argv[i]);
      if (len + n + 1 > sizeof buf) {
        fprintf(stderr, "yes: argument list too long\n");
        return 1;
      }
      memcpy(buf + len, argv[i], n);
      len += n;
      buf[len++] = i < words ? ' ' : '\n';
    }
  }
  size_t line = len;
  while (len + line <= sizeof buf) {
    memcpy(buf + len, buf, line);
    len += line;
  }
  for (;;) {
    size_t off = 0;
    while (off < len) {
      ssize_t n = write(1, buf + off, len - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0 && errno != EPIPE)
          fprintf(stderr, "yes: standard output: %s\n", strerror(errno));
        return 1;
      }
      off += (size_t)n;
    }
  }
}
