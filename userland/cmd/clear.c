/* clear [-x]: clears the terminal screen (ANSI/xterm: cursor home, erase the
 * display) and its scrollback (ESC [ 3 J) unless -x is given, as ncurses'
 * clear does for xterm-compatible terminals. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: clear [-x]\n"
    "Clear the terminal screen.\n"
    "\n"
    "  -x        do not try to clear the scrollback\n"
    "  --help    display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int scrollback = 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-x") == 0) {
      scrollback = 0;
    } else {
      fprintf(stderr, "clear: invalid option -- '%s'\nusage: clear [-x]\n", argv[i]);
      return 1;
    }
  }
  const char *seq = scrollback ? "\x1b[H\x1b[2J\x1b[3J" : "\x1b[H\x1b[2J";
  return write(1, seq, strlen(seq)) < 0;
}
