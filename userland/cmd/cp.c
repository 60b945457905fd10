/* cp [-r|-R] [-f] [-p] SOURCE DEST | SOURCE... DIR: copy files; -r copies
 * directories recursively (symlinks inside them are copied as symlinks), -f
 * removes a destination that cannot be opened and tries again, -p keeps mode
 * bits and access/modification times. Symlinks named as operands are followed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: cp [OPTION]... SOURCE DEST\n"
    "  or:  cp [OPTION]... SOURCE... DIRECTORY\n"
    "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n"
    "\n"
    "  -f, --force                  if an existing destination file cannot be\n"
    "                                 opened, remove it and try again\n"
    "  -p                           preserve mode and timestamps\n"
    "  -R, -r, --recursive          copy directories recursively\n"
    "      --help        display this help and exit\n";


static int recursive, force, preserve;
static mode_t mask;
/* The directory made by the current top-level copy (and its operands), so that
 * `cp -r a a/b` does not copy a/b/b into itself forever. */
static const char *top_src, *top_dst;
static dev_t made_dev;
static ino_t made_ino;
static int made;

static int fail(const char *what, const char *path) {
  fprintf(stderr, "cp: %s '%s': %s\n", what, path, strerror(errno));
  return 1;
}

/* "dir" + "/" + name, without doubling a trailing slash; NULL if too long. */
static char *join(char *buf, const char *dir, const char *name) {
  size_t n = strlen(dir);
  const char *sep = n && dir[n - 1] == '/' ? "" : "/";
  if (snprintf(buf, PATH_MAX, "%s%s%s", dir, sep, name) >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return 0;
  }
  return buf;
}

/* Last path component, ignoring trailing slashes ("a/b/" -> "b/"). */
static const char *base_name(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  while (n > 0 && path[n - 1] != '/') n--;
  return path + n;
}

static void keep_attrs(const char *dst, const struct stat *st) {
  struct timespec t[2] = {st->st_atim, st->st_mtim};
  utimensat(AT_FDCWD, dst, t, 0);
  chmod(dst, st->st_mode & 07777);
}

static int copy_data(const char *src, const char *dst, const struct stat *st) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    fprintf(stderr, "cp: cannot open '%s' for reading: %s\n", src, strerror(errno));
    return 1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
  if (out < 0 && force && errno != ENOENT && unlink(dst) == 0)
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
  if (out < 0) {
    int e = errno;
    close(in);
    errno = e;
    return fail("cannot create regular file", dst);
  }
  static char buf[16384];
  int status = 0;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0) {
      status = fail("error reading", src);
      break;
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0) {
        status = fail("error writing", dst);
        break;
      }
      off += w;
    }
    if (status) break;
  }
  close(in);
  if (close(out) < 0 && !status) status = fail("error writing", dst);
  if (!status && preserve) keep_attrs(dst, st);
  return status;
}

static int copy(const char *src, const char *dst, int top);

static int copy_dir(const char *src, const char *dst, const struct stat *st, int top) {
  struct stat dt;
  int created = 0;
  if (stat(dst, &dt) == 0) {
    if (!S_ISDIR(dt.st_mode)) {
      fprintf(stderr, "cp: cannot overwrite non-directory '%s' with directory '%s'\n", dst, src);
      return 1;
    }
  } else if (mkdir(dst, (st->st_mode & 0777) | S_IRWXU) < 0 || stat(dst, &dt) < 0) {
    return fail("cannot create directory", dst);
  } else {
    created = 1;
  }
  if (top) {
    made = 1;
    made_dev = dt.st_dev;
    made_ino = dt.st_ino;
  }
  DIR *d = opendir(src);
  if (!d) return fail("cannot access", src);
  int status = 0;
  struct dirent *e;
  char s[PATH_MAX], t[PATH_MAX];
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (!join(s, src, e->d_name) || !join(t, dst, e->d_name)) {
      status |= fail("cannot copy", src);
      continue;
    }
    status |= copy(s, t, 0);
  }
  closedir(d);
  if (preserve) keep_attrs(dst, st);
  else if (created) chmod(dst, st->st_mode & 0777 & ~mask);
  return status;
}

static int copy(const char *src, const char *dst, int top) {
  struct stat st, dt;
  /* Operands are followed; inside a tree, symlinks are copied as symlinks. */
  if ((top ? stat(src, &st) : lstat(src, &st)) < 0) return fail("cannot stat", src);
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) {
      fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", src);
      return 1;
    }
    if (!top && made && st.st_dev == made_dev && st.st_ino == made_ino) {
      fprintf(stderr, "cp: cannot copy a directory, '%s', into itself, '%s'\n", top_src, top_dst);
      return 1;
    }
    return copy_dir(src, dst, &st, top);
  }
  int have = stat(dst, &dt) == 0;
  if (have && dt.st_dev == st.st_dev && dt.st_ino == st.st_ino) {
    fprintf(stderr, "cp: '%s' and '%s' are the same file\n", src, dst);
    return 1;
  }
  if (have && S_ISDIR(dt.st_mode)) {
    fprintf(stderr, "cp: cannot overwrite directory '%s' with non-directory\n", dst);
    return 1;
  }
  if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) return fail("cannot read symbolic link", src);
    target[n] = 0;
    struct stat lt;
    if (lstat(dst, &lt) == 0) unlink(dst);
    if (symlink(target, dst) < 0) return fail("cannot create symbolic link", dst);
    return 0;
  }
  return copy_data(src, dst, &st);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0;
  while ((opt = getopt(argc, argv, "rRfp")) != -1) {
    if (opt == 'r' || opt == 'R') recursive = 1;
    else if (opt == 'f') force = 1;
    else if (opt == 'p') preserve = 1;
    else {
      fprintf(stderr, "usage: cp [-r] [-f] [-p] SOURCE DEST | SOURCE... DIR\n");
      return 1;
    }
  }
  mask = umask(0);
  umask(mask);
  int n = argc - optind;
  if (n == 0) {
    fprintf(stderr, "cp: missing file operand\n");
    return 1;
  }
  if (n == 1) {
    fprintf(stderr, "cp: missing destination file operand after '%s'\n", argv[optind]);
    return 1;
  }
  const char *last = argv[argc - 1];
  struct stat st;
  int to_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (n > 2 && !to_dir) {
    if (stat(last, &st) == 0) errno = ENOTDIR;
    return fail("target", last);
  }
  char dst[PATH_MAX];
  for (int i = optind; i < argc - 1; i++) {
    made = 0;
    top_src = argv[i];
    top_dst = to_dir ? dst : last;
    if (!to_dir) {
      status |= copy(argv[i], last, 1);
    } else if (!join(dst, last, base_name(argv[i]))) {
      status |= fail("cannot copy", argv[i]);
    } else {
      /* base_name may keep a trailing slash ("d/"): drop it from the target. */
      size_t len = strlen(dst);
      while (len > 1 && dst[len - 1] == '/') dst[--len] = 0;
      status |= copy(argv[i], dst, 1);
    }
  }
  return status;
}
