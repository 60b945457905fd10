/* Directory streams over getdents64. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

struct __dir {
  int fd;
  int pos;
  int len;
  /* Records are 8-byte aligned by the kernel; keep the buffer aligned too. */
  char buf[2048] __attribute__((aligned(8)));
};

DIR *fdopendir(int fd) {
  DIR *d = malloc(sizeof *d);
  if (!d) return 0;
  d->fd = fd;
  d->pos = d->len = 0;
  return d;
}

DIR *opendir(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  DIR *d = fdopendir(fd);
  if (!d) close(fd);
  return d;
}

struct dirent *readdir(DIR *d) {
  if (d->pos >= d->len) {
    long n = __sys_ret(__sc3(SYS_getdents64, d->fd, d->buf, sizeof d->buf));
    if (n <= 0) return 0; /* end (errno untouched) or error (errno set) */
    d->len = (int)n;
    d->pos = 0;
  }
  struct dirent *e = (struct dirent *)(d->buf + d->pos);
  d->pos += e->d_reclen;
  return e;
}

int closedir(DIR *d) {
  int r = close(d->fd);
  free(d);
  return r;
}

void rewinddir(DIR *d) {
  lseek(d->fd, 0, SEEK_SET);
  d->pos = d->len = 0;
}

int dirfd(DIR *d) { return d->fd; }
