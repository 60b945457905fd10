/* Path names: realpath (resolved here, component by component, with readlink),
 * POSIX basename/dirname, and unique temporary files and directories. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINKS 40

/* Drops the last component of out ("/a/b" -> "/a", "/a" -> "/"). */
static void pop(char *out, size_t *len) {
  while (*len > 1 && out[*len - 1] != '/') (*len)--;
  if (*len > 1) (*len)--;
  out[*len] = 0;
}

char *realpath(const char *path, char *resolved) {
  static char rest[PATH_MAX * 2]; /* what is still to be resolved */
  char out[PATH_MAX], link[PATH_MAX];
  if (!path) {
    errno = EINVAL;
    return 0;
  }
  if (!*path) {
    errno = ENOENT;
    return 0;
  }
  if (strlen(path) >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return 0;
  }
  size_t len;
  if (path[0] == '/') {
    strcpy(out, "/");
  } else if (!getcwd(out, sizeof out)) {
    return 0;
  }
  len = strlen(out);
  strcpy(rest, path);
  int links = 0;
  char *p = rest;
  while (*p) {
    while (*p == '/') p++;
    char *end = p;
    while (*end && *end != '/') end++;
    size_t clen = (size_t)(end - p);
    if (clen == 0) break;
    if (clen == 1 && p[0] == '.') {
      p = end;
      continue;
    }
    if (clen == 2 && p[0] == '.' && p[1] == '.') {
      pop(out, &len);
      p = end;
      continue;
    }
    if (len + 1 + clen >= sizeof out) {
      errno = ENAMETOOLONG;
      return 0;
    }
    if (len > 1) out[len++] = '/';
    memcpy(out + len, p, clen);
    len += clen;
    out[len] = 0;
    struct stat st;
    if (lstat(out, &st) < 0) return 0;
    if (S_ISLNK(st.st_mode)) {
      if (++links > MAX_LINKS) {
        errno = ELOOP;
        return 0;
      }
      ssize_t n = readlink(out, link, sizeof link - 1);
      if (n < 0) return 0;
      link[n] = 0;
      size_t tail = strlen(end);
      if ((size_t)n + tail + 1 >= sizeof rest) {
        errno = ENAMETOOLONG;
        return 0;
      }
      memmove(rest + n, end, tail + 1); /* rest = link target + what followed */
      memcpy(rest, link, (size_t)n);
      p = rest;
      if (link[0] == '/') {
        strcpy(out, "/");
        len = 1;
      } else {
        pop(out, &len);
      }
      continue;
    }
    if (*end && !S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      return 0;
    }
    p = end;
  }
  if (!resolved) return strdup(out);
  strcpy(resolved, out);
  return resolved;
}

char *basename(char *path) {
  static char dot[] = ".";
  if (!path || !*path) return dot;
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') path[--n] = 0;
  if (n == 1 && path[0] == '/') return path;
  char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

char *dirname(char *path) {
  static char dot[] = ".", root[] = "/";
  if (!path || !*path) return dot;
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  while (n > 0 && path[n - 1] != '/') n--; /* drop the last component */
  if (n == 0) return dot;
  while (n > 1 && path[n - 1] == '/') n--; /* and the slashes before it */
  if (n == 1 && path[0] == '/') return root;
  path[n] = 0;
  return path;
}

/* Replaces the trailing XXXXXX with letters and digits and calls make() until
 * it does not fail with EEXIST (at most 1000 tries). */
static int fill_unique(char *template_, int (*make)(const char *, void *), void *arg) {
  static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static unsigned long long state;
  size_t n = strlen(template_);
  if (n < 6 || strcmp(template_ + n - 6, "XXXXXX") != 0) {
    errno = EINVAL;
    return -1;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  state ^= (unsigned long long)ts.tv_nsec * 0x9e3779b97f4a7c15ull + (unsigned)getpid();
  for (int tries = 0; tries < 1000; tries++) {
    unsigned long long v = state = state * 6364136223846793005ull + 1442695040888963407ull;
    for (int i = 0; i < 6; i++) {
      template_[n - 6 + i] = chars[(v >> 20) % 62];
      v = v * 6364136223846793005ull + 1;
    }
    int r = make(template_, arg);
    if (r >= 0 || errno != EEXIST) return r;
  }
  errno = EEXIST;
  return -1;
}

static int make_file(const char *path, void *arg) {
  (void)arg;
  return open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
}

static int make_dir(const char *path, void *arg) {
  (void)arg;
  return mkdir(path, 0700);
}

int mkstemp(char *template_) { return fill_unique(template_, make_file, 0); }

char *mkdtemp(char *template_) { return fill_unique(template_, make_dir, 0) < 0 ? 0 : template_; }

FILE *tmpfile(void) {
  char name[] = "/tmp/tmpfXXXXXX";
  int fd = mkstemp(name);
  if (fd < 0) return 0;
  unlink(name);
  FILE *f = fdopen(fd, "w+");
  if (!f) close(fd);
  return f;
}
