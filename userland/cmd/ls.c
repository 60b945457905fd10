/* ls [-l] [-a] [-d] [-1] [PATH...]: list directory contents, sorted by name.
 * -d: list directories themselves, not their contents.
 * -l: long format (mode, links, uid, gid, size or device numbers, date in UTC,
 * name, "-> target" for symlinks). Columns on a terminal, one per line otherwise. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static int long_format, show_all, dirs_as_files, one_per_line, status;

static const char usage_text[] =
    "Usage: ls [OPTION]... [FILE]...\n"
    "List information about the FILEs (the current directory by default).\n"
    "Sort entries alphabetically.\n"
    "\n"
    "  -a, --all                  do not ignore entries starting with .\n"
    "  -d                         list directories themselves, not their contents\n"
    "  -l                         use a long listing format\n"
    "  -1                         list one file per line\n"
    "      --help        display this help and exit\n"
    "\n"
    "Exit status:\n"
    " 0  if OK,\n"
    " 1  if minor problems (e.g., cannot access subdirectory),\n"
    " 2  if serious trouble (e.g., cannot access command-line argument).\n";


static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mode_string(mode_t m, char *s) {
  const char *types = "?pc?d?b?-?l?s???";
  s[0] = types[(m >> 12) & 15];
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) s[1 + i] = (m & (0400u >> i)) ? rwx[i] : '-';
  if (m & S_ISUID) s[3] = (m & S_IXUSR) ? 's' : 'S';
  if (m & S_ISGID) s[6] = (m & S_IXGRP) ? 's' : 'S';
  if (m & S_ISVTX) s[9] = (m & S_IXOTH) ? 't' : 'T';
  s[10] = 0;
}

static void print_long(const char *dir, const char *name, const struct stat *st) {
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char mode[11];
  mode_string(st->st_mode, mode);
  time_t t = st->st_mtime;
  struct tm tm;
  if (!gmtime_r(&t, &tm)) {
    t = 0;
    gmtime_r(&t, &tm);
  }
  printf("%s %2u %u %u ", mode, st->st_nlink, st->st_uid, st->st_gid);
  if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
    unsigned major = (unsigned)(((st->st_rdev >> 32) & 0xfffff000u) | ((st->st_rdev >> 8) & 0xfffu));
    unsigned minor = (unsigned)(((st->st_rdev >> 12) & 0xffffff00u) | (st->st_rdev & 0xffu));
    printf("%3u, %3u", major, minor);
  } else {
    printf("%8lld", (long long)st->st_size);
  }
  printf(" %s %2d %04d %02d:%02d %s", months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, tm.tm_hour,
         tm.tm_min, name);
  if (S_ISLNK(st->st_mode) && dir) {
    char path[PATH_MAX], target[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n >= 0) {
      target[n] = 0;
      printf(" -> %s", target);
    }
  } else if (S_ISLNK(st->st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(name, target, sizeof target - 1);
    if (n >= 0) {
      target[n] = 0;
      printf(" -> %s", target);
    }
  }
  putchar('\n');
}

static void print_names(const char *dir, char **names, size_t n) {
  if (long_format) {
    char path[PATH_MAX];
    for (size_t i = 0; i < n; i++) {
      struct stat st;
      if (dir) snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      if (lstat(dir ? path : names[i], &st) < 0) {
        fprintf(stderr, "ls: cannot access '%s': %s\n", dir ? path : names[i], strerror(errno));
        status = 1;
        continue;
      }
      print_long(dir, names[i], &st);
    }
    return;
  }
  if (one_per_line || n == 0) {
    for (size_t i = 0; i < n; i++) puts(names[i]);
    return;
  }
  /* Columns, filled down then across, as ls does on a terminal. */
  struct winsize ws;
  int cols_avail = ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
  size_t widest = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(names[i]);
    if (l > widest) widest = l;
  }
  size_t colw = widest + 2, ncols = (size_t)cols_avail / colw;
  if (ncols < 1) ncols = 1;
  size_t nrows = (n + ncols - 1) / ncols;
  for (size_t r = 0; r < nrows; r++) {
    for (size_t c = 0; c < ncols; c++) {
      size_t i = c * nrows + r;
      if (i >= n) break;
      int last = c + 1 == ncols || i + nrows >= n;
      if (last) fputs(names[i], stdout);
      else printf("%-*s", (int)colw, names[i]);
    }
    putchar('\n');
  }
}

static void list_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "ls: cannot open directory '%s': %s\n", path, strerror(errno));
    status = 1;
    return;
  }
  char **names = 0;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' && !show_all) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      char **nn = realloc(names, cap * sizeof *names);
      if (!nn) break;
      names = nn;
    }
    if (!(names[n] = strdup(e->d_name))) break;
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  print_names(path, names, n);
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  while ((opt = getopt(argc, argv, "lad1")) != -1) {
    if (opt == 'l') long_format = 1;
    else if (opt == 'a') show_all = 1;
    else if (opt == 'd') dirs_as_files = 1;
    else if (opt == '1') one_per_line = 1;
    else {
      fprintf(stderr, "usage: ls [-lad1] [PATH...]\n");
      return 2;
    }
  }
  if (!isatty(1)) one_per_line = 1;
  int nargs = argc - optind;
  if (nargs == 0) {
    char *dot[] = {"."};
    if (dirs_as_files) print_names(0, dot, 1);
    else list_dir(".");
    return fflush(stdout) ? 1 : status;
  }
  /* Files first (as given, sorted), then each directory with a header if several. */
  char **files = malloc((size_t)nargs * sizeof *files), **dirs = malloc((size_t)nargs * sizeof *dirs);
  size_t nf = 0, nd = 0;
  if (!files || !dirs) {
    perror("ls");
    return 2;
  }
  for (int i = optind; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) < 0 && lstat(argv[i], &st) < 0) {
      fprintf(stderr, "ls: cannot access '%s': %s\n", argv[i], strerror(errno));
      status = 2;
      continue;
    }
    if (S_ISDIR(st.st_mode) && !dirs_as_files) dirs[nd++] = argv[i];
    else files[nf++] = argv[i];
  }
  qsort(files, nf, sizeof *files, by_name);
  qsort(dirs, nd, sizeof *dirs, by_name);
  print_names(0, files, nf);
  for (size_t i = 0; i < nd; i++) {
    if (nargs > 1) printf("%s%s:\n", nf || i ? "\n" : "", dirs[i]);
    list_dir(dirs[i]);
  }
  return fflush(stdout) ? 1 : status;
}
