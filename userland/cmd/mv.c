/* mv [-f] SOURCE DEST | SOURCE... DIR: move (rename) files and directories.
 * Across file systems (EXDEV) the source is copied, keeping modes, times and
 * symlinks, and then removed. -f is accepted: mv never asks anyway. */
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
    "Usage: mv [OPTION]... SOURCE DEST\n"
    "  or:  mv [OPTION]... SOURCE... DIRECTORY\n"
    "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n"
    "\n"
    "  -f, --force                  do not prompt before overwriting\n"
    "      --help        display this help and exit\n";


static int fail(const char *what, const char *path) {
  fprintf(stderr, "mv: %s '%s': %s\n", what, path, strerror(errno));
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

/* Every name in a directory but . and .. (NULL-terminated), or NULL. */
static char **list_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return 0;
  char **names = 0;
  size_t count = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (count + 1 >= cap) {
      cap = cap ? cap * 2 : 16;
      char **n = realloc(names, cap * sizeof *names);
      if (!n) break;
      names = n;
    }
    if (!(names[count] = strdup(e->d_name))) break;
    count++;
  }
  closedir(d);
  if (!names && (names = malloc(sizeof *names)) == 0) return 0;
  names[count] = 0;
  return names;
}

static void free_list(char **names) {
  for (char **p = names; *p; p++) free(*p);
  free(names);
}

static int copy_file(const char *src, const char *dst, const struct stat *st) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    fprintf(stderr, "mv: cannot open '%s' for reading: %s\n", src, strerror(errno));
    return 1;
  }
  unlink(dst);
  int out = open(dst, O_WRONLY | O_CREAT | O_EXCL, st->st_mode & 0777);
  if (out < 0) {
    int e = errno;
    close(in);
    errno = e;
    return fail("cannot create regular file", dst);
  }
  static char buf[16384];
  int status = 0;
  ssize_t n;
  while (!status && (n = read(in, buf, sizeof buf)) != 0) {
    if (n < 0) {
      status = fail("error reading", src);
      break;
    }
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0) {
        status = fail("error writing", dst);
        break;
      }
      off += w;
    }
  }
  close(in);
  if (close(out) < 0 && !status) status = fail("error writing", dst);
  return status;
}

/* Copies src (not following symlinks) to dst, which is replaced if it is not
 * a non-empty directory. */
static int copy_tree(const char *src, const char *dst) {
  struct stat st;
  if (lstat(src, &st) < 0) return fail("cannot stat", src);
  int status = 0;
  if (S_ISDIR(st.st_mode)) {
    struct stat dt;
    /* An existing (empty) directory is replaced, as rename does. */
    if (lstat(dst, &dt) == 0 && rmdir(dst) < 0) {
      fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, dst, strerror(errno));
      return 1;
    }
    if (mkdir(dst, S_IRWXU) < 0) return fail("cannot create directory", dst);
    char **names = list_dir(src);
    if (!names) return fail("cannot read directory", src);
    char s[PATH_MAX], t[PATH_MAX];
    for (char **p = names; *p; p++) {
      if (!join(s, src, *p) || !join(t, dst, *p)) status |= fail("cannot move", src);
      else status |= copy_tree(s, t);
    }
    free_list(names);
  } else if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) return fail("cannot read symbolic link", src);
    target[n] = 0;
    unlink(dst);
    if (symlink(target, dst) < 0) return fail("cannot create symbolic link", dst);
    return 0;
  } else {
    status = copy_file(src, dst, &st);
  }
  if (!status) {
    struct timespec t[2] = {st.st_atim, st.st_mtim};
    utimensat(AT_FDCWD, dst, t, 0);
    chmod(dst, st.st_mode & 07777);
  }
  return status;
}

static int remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) return fail("cannot remove", path);
  if (!S_ISDIR(st.st_mode)) return unlink(path) < 0 ? fail("cannot remove", path) : 0;
  char **names = list_dir(path);
  if (!names) return fail("cannot remove", path);
  int status = 0;
  char child[PATH_MAX];
  for (char **p = names; *p; p++) {
    if (!join(child, path, *p)) status |= fail("cannot remove", path);
    else status |= remove_tree(child);
  }
  free_list(names);
  if (rmdir(path) < 0) status |= fail("cannot remove", path);
  return status;
}

static int move(const char *src, const char *dst) {
  struct stat st, dt;
  if (lstat(src, &st) < 0) return fail("cannot stat", src);
  if (lstat(dst, &dt) == 0) {
    if (st.st_dev == dt.st_dev && st.st_ino == dt.st_ino) {
      fprintf(stderr, "mv: '%s' and '%s' are the same file\n", src, dst);
      return 1;
    }
    if (S_ISDIR(dt.st_mode) && !S_ISDIR(st.st_mode)) {
      fprintf(stderr, "mv: cannot overwrite directory '%s' with non-directory\n", dst);
      return 1;
    }
    if (!S_ISDIR(dt.st_mode) && S_ISDIR(st.st_mode)) {
      fprintf(stderr, "mv: cannot overwrite non-directory '%s' with directory '%s'\n", dst, src);
      return 1;
    }
  }
  if (rename(src, dst) == 0) return 0;
  if (errno == EINVAL && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "mv: cannot move '%s' to a subdirectory of itself, '%s'\n", src, dst);
    return 1;
  }
  if (errno != EXDEV) {
    fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, dst, strerror(errno));
    return 1;
  }
  /* Another file system: copy, then remove the source only if all went well. */
  if (copy_tree(src, dst)) return 1;
  return remove_tree(src);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0;
  while ((opt = getopt(argc, argv, "f")) != -1) {
    if (opt != 'f') {
      fprintf(stderr, "usage: mv [-f] SOURCE DEST | SOURCE... DIR\n");
      return 1;
    }
  }
  int n = argc - optind;
  if (n == 0) {
    fprintf(stderr, "mv: missing file operand\n");
    return 1;
  }
  if (n == 1) {
    fprintf(stderr, "mv: missing destination file operand after '%s'\n", argv[optind]);
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
    if (!to_dir) {
      status |= move(argv[i], last);
      continue;
    }
    /* The last component of the source, without trailing slashes. */
    char name[NAME_MAX + 1];
    size_t end = strlen(argv[i]);
    while (end > 1 && argv[i][end - 1] == '/') end--;
    size_t start = end;
    while (start > 0 && argv[i][start - 1] != '/') start--;
    if (end - start > NAME_MAX) end = start + NAME_MAX;
    memcpy(name, argv[i] + start, end - start);
    name[end - start] = 0;
    if (!join(dst, last, name)) status |= fail("cannot move", argv[i]);
    else status |= move(argv[i], dst);
  }
  return status;
}
