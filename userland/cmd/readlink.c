/* readlink [-f|-e|-m] [-n] [-q|-s] [-v] [-z] FILE...: the target of each
 * symbolic link, or with -f/-e/-m the canonical absolute path (symlinks, `.`
 * and `..` resolved: -f needs every component but the last to exist, -e all
 * of them, -m none), as GNU readlink. Without -f/-e/-m a FILE that is not a
 * symlink gives status 1 and no message unless -v. -n: no newline after the
 * last name; -z: NUL instead of newline. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: readlink [OPTION]... FILE...\n"
    "Print value of a symbolic link or canonical file name\n"
    "\n"
    "  -f, --canonicalize            canonicalize by following every symlink in\n"
    "                                every component of the given name recursively;\n"
    "                                all but the last component must exist\n"
    "  -e, --canonicalize-existing   canonicalize by following every symlink in\n"
    "                                every component of the given name recursively,\n"
    "                                all components must exist\n"
    "  -m, --canonicalize-missing    canonicalize by following every symlink in\n"
    "                                every component of the given name recursively,\n"
    "                                without requirements on components existence\n"
    "  -n, --no-newline              do not output the trailing delimiter\n"
    "  -q, --quiet\n"
    "  -s, --silent                  suppress most error messages (on by default)\n"
    "  -v, --verbose                 report error messages\n"
    "  -z, --zero                    end each output line with NUL, not newline\n"
    "      --help     display this help and exit\n";

enum { MODE_READ, MODE_F, MODE_E, MODE_M };

/* Appends component c (len n) to path p (absolute, no trailing slash but "/"). */
static int push(char *p, const char *c, size_t n) {
  size_t l = strlen(p);
  if (l + n + 2 > PATH_MAX) return -1;
  if (l > 1) p[l++] = '/';
  memcpy(p + l, c, n);
  p[l + n] = 0;
  return 0;
}

static void pop(char *p) {
  char *s = strrchr(p, '/');
  if (s == p) p[1] = 0;
  else if (s) *s = 0;
}

/* Canonicalizes name into out; -1 with errno on failure. */
static int canonicalize(const char *name, int mode, char *out) {
  char rest[PATH_MAX * 2];
  int links = 0;
  if (name[0] == '/') {
    strcpy(out, "/");
  } else if (!getcwd(out, PATH_MAX)) {
    return -1;
  }
  if (strlen(name) >= sizeof rest) return errno = ENAMETOOLONG, -1;
  strcpy(rest, name);
  char *r = rest;
  int missing = 0;
  while (*r) {
    while (*r == '/') r++;
    if (!*r) break;
    char *end = strchr(r, '/');
    size_t n = end ? (size_t)(end - r) : strlen(r);
    int last = !end || !end[strspn(end, "/")];
    if (n == 1 && r[0] == '.') {
      r += n;
      continue;
    }
    if (n == 2 && r[0] == '.' && r[1] == '.') {
      pop(out);
      r += n;
      continue;
    }
    if (push(out, r, n) < 0) return errno = ENAMETOOLONG, -1;
    r += n;
    if (missing) continue;
    struct stat st;
    if (lstat(out, &st) < 0) {
      if (errno != ENOENT || mode == MODE_E || (mode == MODE_F && !last)) return -1;
      if (mode == MODE_M) missing = 1;
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++links > 40) return errno = ELOOP, -1;
      char target[PATH_MAX];
      ssize_t t = readlink(out, target, sizeof target - 1);
      if (t < 0) return -1;
      target[t] = 0;
      pop(out);
      if (target[0] == '/') strcpy(out, "/");
      char joined[PATH_MAX * 2];
      if ((size_t)t + strlen(r) + 2 > sizeof joined) return errno = ENAMETOOLONG, -1;
      snprintf(joined, sizeof joined, "%s%s", target, r);
      strcpy(rest, joined);
      r = rest;
    } else if (!S_ISDIR(st.st_mode) && !last) {
      if (mode != MODE_M) return errno = ENOTDIR, -1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int mode = MODE_READ, newline = 1, verbose = 0, zero = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *o = argv[i] + 1; *o; o++) {
      switch (*o) {
      case 'f': mode = MODE_F; break;
      case 'e': mode = MODE_E; break;
      case 'm': mode = MODE_M; break;
      case 'n': newline = 0; break;
      case 'q': case 's': verbose = 0; break;
      case 'v': verbose = 1; break;
      case 'z': zero = 1; break;
      default:
        fprintf(stderr, "readlink: invalid option -- '%c'\nTry 'readlink --help' for more information.\n", *o);
        return 1;
      }
    }
  }
  if (i >= argc) {
    fprintf(stderr, "readlink: missing operand\nTry 'readlink --help' for more information.\n");
    return 1;
  }
  /* GNU: -n is ignored (with a warning under -v) when there are several names. */
  if (argc - i > 1) newline = 1;
  int status = 0;
  for (; i < argc; i++) {
    char buf[PATH_MAX];
    if (mode == MODE_READ) {
      ssize_t n = readlink(argv[i], buf, sizeof buf - 1);
      if (n < 0) {
        if (verbose) fprintf(stderr, "readlink: %s: %s\n", argv[i], strerror(errno));
        status = 1;
        continue;
      }
      buf[n] = 0;
    } else if (canonicalize(argv[i], mode, buf) < 0) {
      if (verbose) fprintf(stderr, "readlink: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    fputs(buf, stdout);
    if (newline) putchar(zero ? '\0' : '\n');
  }
  return status;
}
