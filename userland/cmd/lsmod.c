/* lsmod: list loaded modules from /proc/modules, as Linux's lsmod prints
 * them: name, size, and the use count with the modules that use each. */
#include <stdio.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: lsmod\n"
    "Show the status of the loaded modules (from /proc/modules).\n"
    "\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  if (argc > 1) {
    fprintf(stderr, "lsmod: extra operand '%s'\nUsage: lsmod\n", argv[1]);
    return 1;
  }
  FILE *f = fopen("/proc/modules", "r");
  if (f == NULL) {
    perror("lsmod: /proc/modules");
    return 1;
  }
  printf("%-19s %8s  %s\n", "Module", "Size", "Used by");
  char line[512], name[128], deps[256];
  unsigned long size;
  int refs;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%127s %lu %d %255s", name, &size, &refs, deps) != 4) continue;
    size_t n = strlen(deps);
    if (strcmp(deps, "-") == 0) deps[0] = 0;
    else if (n > 0 && deps[n - 1] == ',') deps[n - 1] = 0;
    printf("%-19s %8lu  %d%s%s\n", name, size, refs, deps[0] ? " " : "", deps);
  }
  fclose(f);
  return 0;
}
