/* rm [-r|-R] [-f] PATH...: remove files; -r removes directories and their
 * contents, -f ignores missing paths and never fails on them. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: rm [OPTION]... [FILE]...\n"
    "Remove (unlink) the FILE(s).\n"
    "\n"
    "  -f, --force           ignore nonexistent files and arguments, never prompt\n"
    "  -r, -R, --recursive   remove directories and their contents recursively\n"
    "      --help     display this help and exit\n";


static int recursive, force;

static int report(const char *path) {
  if (force && errno == ENOENT) return 0;
  fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
  return 1;
}

static int remove_path(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) return report(path);
  if (!S_ISDIR(st.st_mode)) return unlink(path) < 0 ? report(path) : 0;
  if (!recursive) {
    fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path);
    return 1;
  }
  DIR *d = opendir(path);
  if (!d) return report(path);
  /* Read every name first: deleting while reading could make getdents skip some. */
  char **names = 0;
  size_t count = 0, cap = 0;
  int status = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (count == cap) {
      cap = cap ? cap * 2 : 16;
      char **n = realloc(names, cap * sizeof *names);
      if (!n) break;
      names = n;
    }
    if (!(names[count] = strdup(e->d_name))) break;
    count++;
  }
  closedir(d);
  char child[PATH_MAX];
  for (size_t i = 0; i < count; i++) {
    if (snprintf(child, sizeof child, "%s/%s", path, names[i]) >= (int)sizeof child) {
      errno = ENAMETOOLONG;
      status |= report(path);
    } else {
      status |= remove_path(child);
    }
    free(names[i]);
  }
  free(names);
  if (rmdir(path) < 0) status |= report(path);
  return status;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0;
  while ((opt = getopt(argc, argv, "rRf")) != -1) {
    if (opt == 'r' || opt == 'R') recursive = 1;
    else if (opt == 'f') force = 1;
    else {
      fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
      return 1;
    }
  }
  if (optind == argc && !force) {
    fprintf(stderr, "rm: missing operand\n");
    return 1;
  }
  for (int i = optind; i < argc; i++) {
    const char *base = strrchr(argv[i], '/');
    base = base ? base + 1 : argv[i];
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
      fprintf(stderr, "rm: refusing to remove '.' or '..' directory: skipping '%s'\n", argv[i]);
      status = 1;
      continue;
    }
    status |= remove_path(argv[i]);
  }
  return status;
}
