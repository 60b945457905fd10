/* whoami: the name of the effective user ID, from /etc/passwd, as GNU whoami;
 * "cannot find name for user ID N" (status 1) when it has no entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: whoami [OPTION]...\n"
    "Print the user name associated with the current effective user ID.\n"
    "Same as id -un.\n"
    "\n"
    "      --help        display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  if (argc > 1) {
    fprintf(stderr, "whoami: extra operand '%s'\nTry 'whoami --help' for more information.\n",
            argv[1]);
    return 1;
  }
  unsigned uid = (unsigned)geteuid();
  FILE *f = fopen("/etc/passwd", "r");
  char line[512];
  while (f && fgets(line, sizeof line, f)) {
    char *c1 = strchr(line, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2) continue;
    char *end;
    unsigned long id = strtoul(c2 + 1, &end, 10);
    if (end == c2 + 1 || *end != ':' || id != uid) continue;
    *c1 = '\0';
    printf("%s\n", line);
    fclose(f);
    return 0;
  }
  if (f) fclose(f);
  fprintf(stderr, "whoami: cannot find name for user ID %u\n", uid);
  return 1;
}
