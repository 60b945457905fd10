/* which [-a] NAME...: the path of each NAME's executable in $PATH (default
 * "/bin:/usr/bin"; an empty element means the current directory), the first
 * match or, with -a, every one. A NAME containing '/' is printed as is when it
 * is an executable regular file. Missing names print nothing; the status is 1
 * when any name (or no name at all) was given but not found, as debianutils
 * which. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: which [-a] args\n"
    "Write the full path of COMMAND(s) to standard output.\n"
    "\n"
    "  -a     print all matching pathnames of each argument\n"
    "  --help display this help and exit\n";


static int executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Prints the matches for one NAME; returns whether there was any. */
static int search(const char *name, const char *path, int all) {
  if (strchr(name, '/')) {
    if (!executable(name)) return 0;
    printf("%s\n", name);
    return 1;
  }
  int found = 0;
  const char *dir = path;
  for (;;) {
    size_t len = strcspn(dir, ":");
    char *full = malloc(len + strlen(name) + 3);
    if (!full) {
      fprintf(stderr, "which: out of memory\n");
      exit(2);
    }
    if (len == 0) sprintf(full, "./%s", name);
    else sprintf(full, "%.*s/%s", (int)len, dir, name);
    if (executable(full)) {
      printf("%s\n", full);
      found = 1;
    }
    free(full);
    if ((found && !all) || dir[len] == '\0') break;
    dir += len + 1;
  }
  return found;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int all = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "a")) != -1) {
    if (c != 'a') {
      fprintf(stderr, "which: invalid option -- '%c'\nusage: which [-a] NAME...\n", optopt);
      return 2;
    }
    all = 1;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  int status = optind >= argc;
  for (int i = optind; i < argc; i++)
    if (!search(argv[i], path, all)) status = 1;
  return status;
}
