/* ln [-s] [-f] TARGET [LINK] | TARGET... DIR: make hard links (symbolic ones
 * with -s); -f removes an existing LINK first. Without LINK, or when LINK is
 * a directory, the link is made inside it under TARGET's last component. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: ln [OPTION]... TARGET LINK_NAME\n"
    "  or:  ln [OPTION]... TARGET\n"
    "  or:  ln [OPTION]... TARGET... DIRECTORY\n"
    "Create hard links by default, symbolic links with --symbolic.\n"
    "\n"
    "  -f, --force                 remove existing destination files\n"
    "  -s, --symbolic              make symbolic links instead of hard links\n"
    "      --help        display this help and exit\n";


static int symbolic, force;

static int make_link(const char *target, const char *name) {
  struct stat ts, ns;
  if (!symbolic) {
    /* link() does not follow a symlink target: it links the symlink itself. */
    if (lstat(target, &ts) < 0) {
      fprintf(stderr, "ln: failed to access '%s': %s\n", target, strerror(errno));
      return 1;
    }
    if (S_ISDIR(ts.st_mode)) {
      fprintf(stderr, "ln: %s: hard link not allowed for directory\n", target);
      return 1;
    }
  }
  if (force && lstat(name, &ns) == 0) {
    if (!symbolic && ts.st_dev == ns.st_dev && ts.st_ino == ns.st_ino) {
      fprintf(stderr, "ln: '%s' and '%s' are the same file\n", target, name);
      return 1;
    }
    if (S_ISDIR(ns.st_mode)) {
      fprintf(stderr, "ln: %s: cannot overwrite directory\n", name);
      return 1;
    }
    if (unlink(name) < 0) {
      fprintf(stderr, "ln: cannot remove '%s': %s\n", name, strerror(errno));
      return 1;
    }
  }
  if (symbolic ? symlink(target, name) == 0 : link(target, name) == 0) return 0;
  if (symbolic)
    fprintf(stderr, "ln: failed to create symbolic link '%s': %s\n", name, strerror(errno));
  else if (errno == EEXIST)
    fprintf(stderr, "ln: failed to create hard link '%s': %s\n", name, strerror(errno));
  else
    fprintf(stderr, "ln: failed to create hard link '%s' => '%s': %s\n", name, target,
            strerror(errno));
  return 1;
}

/* Makes the link for target inside dir, named after target's last component. */
static int link_into(const char *target, const char *dir) {
  size_t end = strlen(target);
  while (end > 1 && target[end - 1] == '/') end--;
  size_t start = end;
  while (start > 0 && target[start - 1] != '/') start--;
  size_t dl = strlen(dir);
  const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
  char name[PATH_MAX];
  if (snprintf(name, sizeof name, "%s%s%.*s", dir, sep, (int)(end - start), target + start) >=
      (int)sizeof name) {
    fprintf(stderr, "ln: '%s': %s\n", target, strerror(ENAMETOOLONG));
    return 1;
  }
  return make_link(target, name);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0;
  while ((opt = getopt(argc, argv, "sf")) != -1) {
    if (opt == 's') symbolic = 1;
    else if (opt == 'f') force = 1;
    else {
      fprintf(stderr, "usage: ln [-s] [-f] TARGET [LINK] | TARGET... DIR\n");
      return 1;
    }
  }
  int n = argc - optind;
  if (n == 0) {
    fprintf(stderr, "ln: missing file operand\n");
    return 1;
  }
  if (n == 1) return link_into(argv[optind], ".");
  const char *last = argv[argc - 1];
  struct stat st;
  int to_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (!to_dir) {
    if (n == 2) return make_link(argv[optind], last);
    if (stat(last, &st) == 0) errno = ENOTDIR;
    fprintf(stderr, "ln: target '%s': %s\n", last, strerror(errno));
    return 1;
  }
  for (int i = optind; i < argc - 1; i++) status |= link_into(argv[i], last);
  return status;
}
