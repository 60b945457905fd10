/* mkdir [-p] [-m MODE] DIR...: make directories; -p makes parents and accepts
 * existing ones. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: mkdir [OPTION]... DIRECTORY...\n"
    "Create the DIRECTORY(ies), if they do not already exist.\n"
    "\n"
    "  -m, --mode=MODE   set file mode (octal), not a=rwx - umask\n"
    "  -p, --parents     no error if existing, make parent directories as needed\n"
    "      --help        display this help and exit\n";


static int make_parents(char *path, mode_t mode) {
  for (char *p = path + 1;; p++) {
    if (*p != '/' && *p) continue;
    char saved = *p;
    *p = 0;
    struct stat st;
    if (mkdir(path, saved ? 0777 : mode) < 0) {
      int e = errno;
      if (e != EEXIST || stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
        errno = e == EEXIST ? ENOTDIR : e;
        *p = saved;
        return -1;
      }
    }
    *p = saved;
    if (!saved) return 0;
    while (p[1] == '/') p++;
    if (!p[1]) return 0; /* trailing slash */
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, parents = 0, status = 0;
  mode_t mode = 0777;
  while ((opt = getopt(argc, argv, "pm:")) != -1) {
    if (opt == 'p') {
      parents = 1;
    } else if (opt == 'm') {
      char *end;
      mode = (mode_t)strtoul(optarg, &end, 8);
      if (*end || mode > 07777) {
        fprintf(stderr, "mkdir: invalid mode '%s'\n", optarg);
        return 1;
      }
    } else {
      fprintf(stderr, "usage: mkdir [-p] [-m MODE] DIR...\n");
      return 1;
    }
  }
  if (optind == argc) {
    fprintf(stderr, "mkdir: missing operand\n");
    return 1;
  }
  for (int i = optind; i < argc; i++) {
    int r = parents ? make_parents(argv[i], mode) : mkdir(argv[i], mode);
    if (r < 0) {
      fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
