/* `--help` for the utilities: help_option() prints the program's usage text on
 * standard output and exits 0 when an argument before `--` is `--help` (or,
 * for programs whose operands are free text or a command, only when it is
 * the first argument). Each utility includes this once. */
#ifndef STRATA_HELP_H
#define STRATA_HELP_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { HELP_ANYWHERE, HELP_FIRST_ONLY, HELP_ALONE };

static void help_option(int argc, char **argv, int where, const char *text) {
  int last = where == HELP_ANYWHERE ? argc - 1 : 1;
  if (where == HELP_ALONE && argc != 2) return;
  for (int i = 1; i <= last && i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) break;
    if (strcmp(argv[i], "--help") == 0) {
      size_t n = strlen(text);
      while (n > 0) {
        ssize_t w = write(1, text, n);
        if (w <= 0) exit(1);
        text += w;
        n -= (size_t)w;
      }
      exit(0);
    }
  }
}

#endif
