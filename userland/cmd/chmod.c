/* chmod [-R] MODE FILE...: change mode bits. MODE is octal (755) or symbolic:
 * comma-separated clauses of [ugoa]* then one or more [+-=] with [rwxXst]* or
 * one of u/g/o (copy that class), e.g. u+x,go-w or a=r. Without u/g/o/a the
 * bits set in the umask are left alone. -R recurses into directories (symlinks
 * found there are skipped). As GNU, directories keep their set-user/group-ID
 * bits unless named (symbolic s, or an octal mode of five digits like 00755). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n"
    "  or:  chmod [OPTION]... OCTAL-MODE FILE...\n"
    "Change the mode of each FILE to MODE.\n"
    "\n"
    "  -R, --recursive        change files and directories recursively\n"
    "      --help        display this help and exit\n"
    "\n"
    "Each MODE is of the form '[ugoa]*([-+=]([rwxXst]*|[ugo]))+'.\n";


#define ALL_BITS 07777
#define SUGID (S_ISUID | S_ISGID)

static int recursive;
static mode_t mask;

/* Replicates the r/w/x bits present in any class to all three classes. */
static mode_t spread(mode_t m) {
  mode_t v = 0;
  if (m & 0444) v |= 0444;
  if (m & 0222) v |= 0222;
  if (m & 0111) v |= 0111;
  return v;
}

/* Applies MODE to old; returns -1 if MODE is not valid. */
static int new_mode(const char *spec, mode_t old, int dir, mode_t *out) {
  if (*spec >= '0' && *spec <= '7') {
    mode_t v = 0;
    const char *p = spec;
    for (; *p >= '0' && *p <= '7'; p++) {
      v = v * 8 + (mode_t)(*p - '0');
      if (v > ALL_BITS) return -1;
    }
    if (*p) return -1;
    *out = v;
    if (dir && p - spec < 5) *out |= old & SUGID;
    return 0;
  }
  mode_t m = old & ALL_BITS;
  const char *p = spec;
  for (;;) {
    mode_t who = 0;
    for (;; p++) {
      if (*p == 'u') who |= S_ISUID | S_IRWXU;
      else if (*p == 'g') who |= S_ISGID | S_IRWXG;
      else if (*p == 'o') who |= S_ISVTX | S_IRWXO;
      else if (*p == 'a') who |= ALL_BITS;
      else break;
    }
    if (*p != '+' && *p != '-' && *p != '=') return -1;
    while (*p == '+' || *p == '-' || *p == '=') {
      char op = *p++;
      mode_t bits = 0, mentioned = 0;
      if (*p == 'u' || *p == 'g' || *p == 'o') {
        int shift = *p == 'u' ? 6 : *p == 'g' ? 3 : 0;
        bits = spread((m >> shift) & 7);
        p++;
      } else {
        for (;; p++) {
          if (*p == 'r') bits |= 0444;
          else if (*p == 'w') bits |= 0222;
          else if (*p == 'x') bits |= 0111;
          else if (*p == 'X') bits |= dir || (m & 0111) ? 0111 : 0;
          else if (*p == 's') bits |= SUGID, mentioned |= SUGID;
          else if (*p == 't') bits |= S_ISVTX;
          else break;
        }
      }
      /* No who: like a, but bits in the umask are not changed. */
      mode_t affected = who ? who : ALL_BITS;
      bits &= affected & (who ? ALL_BITS : ~mask);
      if (op == '+') {
        m |= bits;
      } else if (op == '-') {
        m &= ~bits;
      } else {
        mode_t keep = who ? ~who : 0;
        if (dir) keep |= SUGID & ~mentioned;
        m = (m & keep) | bits;
      }
      m &= ALL_BITS;
    }
    if (*p == 0) break;
    if (*p++ != ',') return -1;
  }
  *out = m;
  return 0;
}

static int change(const char *spec, const char *path, int top) {
  struct stat st;
  if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
    fprintf(stderr, "chmod: cannot access '%s': %s\n", path, strerror(errno));
    return 1;
  }
  if (S_ISLNK(st.st_mode)) return 0; /* found while recursing: not followed */
  int status = 0;
  mode_t m;
  new_mode(spec, st.st_mode, S_ISDIR(st.st_mode), &m);
  if (m != (st.st_mode & ALL_BITS) && chmod(path, m) < 0) {
    fprintf(stderr, "chmod: changing permissions of '%s': %s\n", path, strerror(errno));
    status = 1;
  }
  if (!recursive || !S_ISDIR(st.st_mode)) return status;
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "chmod: cannot read directory '%s': %s\n", path, strerror(errno));
    return 1;
  }
  struct dirent *e;
  char child[PATH_MAX];
  size_t n = strlen(path);
  const char *sep = n && path[n - 1] == '/' ? "" : "/";
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (snprintf(child, sizeof child, "%s%s%s", path, sep, e->d_name) >= (int)sizeof child) {
      fprintf(stderr, "chmod: '%s/%s': %s\n", path, e->d_name, strerror(ENAMETOOLONG));
      status = 1;
      continue;
    }
    status |= change(spec, child, 0);
  }
  closedir(d);
  return status;
}

static int usage(void) {
  fprintf(stderr, "usage: chmod [-R] MODE FILE...\n");
  return 1;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  /* Not getopt: a mode such as -w or -x,o+r looks like an option. Operands
   * (the mode first) are gathered at the front of argv. */
  int n = 0, status = 0, dashdash = 0;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (!dashdash && strcmp(a, "--") == 0) {
      dashdash = 1;
    } else if (dashdash || a[0] != '-' || !a[1]) {
      argv[n++] = a;
    } else if (strspn(a + 1, "R") == strlen(a + 1)) {
      recursive = 1;
    } else if (n == 0 && strspn(a + 1, "rwxXst+-=,ugoa") == strlen(a + 1)) {
      argv[n++] = a;
    } else {
      fprintf(stderr, "chmod: invalid option -- '%c'\n", a[1]);
      return usage();
    }
  }
  if (n == 0) {
    fprintf(stderr, "chmod: missing operand\n");
    return 1;
  }
  const char *spec = argv[0];
  mask = umask(0);
  umask(mask);
  mode_t m;
  if (new_mode(spec, 0, 0, &m) < 0) {
    fprintf(stderr, "chmod: invalid mode: '%s'\n", spec);
    return 1;
  }
  if (n == 1) {
    fprintf(stderr, "chmod: missing operand after '%s'\n", spec);
    return 1;
  }
  for (int i = 1; i < n; i++) status |= change(spec, argv[i], 1);
  return status;
}
