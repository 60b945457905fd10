/* dirname NAME...: print each NAME without its last component and the slashes
 * before it: "." for a name with no slash, "/" for one under the root (or made
 * only of slashes). As GNU dirname. */
#include <stdio.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: dirname NAME...\n"
    "Output each NAME with its last non-slash component and trailing slashes\n"
    "removed; if NAME contains no /'s, output '.' (meaning the current directory).\n"
    "\n"
    "      --help     display this help and exit\n";


static void print_dir(const char *name) {
  size_t len = strlen(name);
  while (len > 1 && name[len - 1] == '/') len--; /* trailing slashes */
  while (len > 0 && name[len - 1] != '/') len--; /* the last component */
  if (len == 0) {
    puts(".");
    return;
  }
  while (len > 1 && name[len - 1] == '/') len--; /* slashes before it */
  printf("%.*s\n", (int)len, name);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (first >= argc) {
    fprintf(stderr, "dirname: missing operand\nTry 'dirname --help' for more information.\n");
    return 1;
  }
  for (int i = first; i < argc; i++) print_dir(argv[i]);
  return fflush(stdout) ? 1 : 0;
}
