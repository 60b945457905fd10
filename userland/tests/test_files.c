/* File system calls in a scratch directory under argv[1] (default /tmp):
 * openat flags, lseek, getdents64, mkdirat, unlinkat and their errors. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "check.h"

/* The libc has no mkdirat/unlinkat wrappers (yet): call the kernel directly. */
static int mkdirat(int dfd, const char *path, int mode) {
  return (int)syscall(SYS_mkdirat, dfd, path, mode);
}

static int unlinkat(int dfd, const char *path, int flags) {
  return (int)syscall(SYS_unlinkat, dfd, path, flags);
}

struct linux_dirent64 {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* Lists dir with raw getdents64; returns a bitmask of the expected names seen. */
static int list_dir(int dfd, int *count) {
  static char buf[1024];
  int seen = 0;
  *count = 0;
  CHECK(lseek(dfd, 0, SEEK_SET) == 0, "rewind directory");
  for (;;) {
    long n = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
    CHECK(n >= 0, "getdents64");
    if (n == 0) break;
    for (long off = 0; off < n;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      CHECK(d->d_reclen > 0, "dirent record length");
      (*count)++;
      if (strcmp(d->d_name, ".") == 0) seen |= 1;
      else if (strcmp(d->d_name, "..") == 0) seen |= 2;
      else if (strcmp(d->d_name, "file") == 0 && d->d_type == DT_REG) seen |= 4;
      else if (strcmp(d->d_name, "sub") == 0 && d->d_type == DT_DIR) seen |= 8;
      off += d->d_reclen;
    }
  }
  return seen;
}

int main(int argc, char **argv) {
  const char *base = argc > 1 ? argv[1] : "/tmp";
  char path[512];
  snprintf(path, sizeof(path), "%s/strata_test_files.%d", base, (int)getpid());
  CHECK(mkdirat(AT_FDCWD, path, 0755) == 0, "mkdirat scratch dir");
  CHECK_ERR(mkdirat(AT_FDCWD, path, 0755), EEXIST, "mkdirat existing");
  int dfd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY);
  CHECK(dfd >= 0, "open directory");

  int fd = openat(dfd, "file", O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0, "O_CREAT|O_EXCL new file");
  CHECK_ERR(openat(dfd, "file", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST, "O_EXCL existing");
  CHECK(write(fd, "hello", 5) == 5, "write");
  close(fd);

  fd = openat(dfd, "file", O_WRONLY | O_APPEND);
  CHECK(fd >= 0, "O_APPEND open");
  CHECK(lseek(fd, 0, SEEK_SET) == 0, "seek to start");
  CHECK(write(fd, " world", 6) == 6, "append write");
  close(fd);

  char buf[32];
  fd = openat(dfd, "file", O_RDWR);
  CHECK(fd >= 0, "open O_RDWR");
  CHECK(lseek(fd, 0, SEEK_END) == 11, "SEEK_END gives the size");
  CHECK(lseek(fd, 6, SEEK_SET) == 6, "SEEK_SET");
  CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "world", 5) == 0, "read after seek");
  CHECK(lseek(fd, -5, SEEK_CUR) == 6, "SEEK_CUR backwards");
  CHECK(write(fd, "W", 1) == 1, "overwrite in place");
  CHECK(lseek(fd, 0, SEEK_SET) == 0, "rewind");
  CHECK(read(fd, buf, sizeof(buf)) == 11 && memcmp(buf, "hello World", 11) == 0, "contents");
  CHECK(read(fd, buf, sizeof(buf)) == 0, "read at EOF returns 0");
  CHECK_ERR(lseek(fd, -100, SEEK_SET), EINVAL, "negative seek");
  close(fd);
  dprintf(1, "files: create, excl, append, seek, read back\n");

  fd = openat(dfd, "file", O_RDWR | O_TRUNC);
  CHECK(fd >= 0, "O_TRUNC open");
  CHECK(lseek(fd, 0, SEEK_END) == 0, "O_TRUNC empties the file");
  close(fd);

  CHECK(mkdirat(dfd, "sub", 0755) == 0, "mkdirat sub");
  int count;
  int seen = list_dir(dfd, &count);
  CHECK(seen == 15 && count == 4, "getdents64 lists . .. file sub");
  dprintf(1, "files: getdents64 lists . .. file sub\n");

  CHECK_ERR(openat(dfd, "file/x", O_RDONLY), ENOTDIR, "path through a file");
  CHECK_ERR(openat(dfd, "missing", O_RDONLY), ENOENT, "missing file");
  CHECK_ERR(openat(dfd, "missing/x", O_RDONLY | O_CREAT, 0644), ENOENT, "create in missing dir");
  CHECK_ERR(openat(dfd, "sub", O_WRONLY), EISDIR, "open directory for writing");
  CHECK_ERR(openat(dfd, "file", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
  CHECK_ERR(mkdirat(dfd, "file", 0755), EEXIST, "mkdirat over a file");
  CHECK_ERR(unlinkat(dfd, "sub", 0), EISDIR, "unlink a directory");
  CHECK_ERR(unlinkat(dfd, "file", AT_REMOVEDIR), ENOTDIR, "rmdir a file");
  CHECK_ERR(unlinkat(dfd, "missing", 0), ENOENT, "unlink missing");
  dprintf(1, "files: ENOTDIR EISDIR EEXIST ENOENT errors\n");

  fd = openat(dfd, "sub/inner", O_WRONLY | O_CREAT, 0644);
  CHECK(fd >= 0, "create in subdirectory");
  close(fd);
  CHECK_ERR(unlinkat(dfd, "sub", AT_REMOVEDIR), ENOTEMPTY, "rmdir non-empty");
  CHECK(unlinkat(dfd, "sub/inner", 0) == 0, "unlink inner");
  CHECK(unlinkat(dfd, "sub", AT_REMOVEDIR) == 0, "rmdir sub");
  CHECK(unlinkat(dfd, "file", 0) == 0, "unlink file");
  seen = list_dir(dfd, &count);
  CHECK(seen == 3 && count == 2, "directory empty again");
  close(dfd);
  CHECK(unlinkat(AT_FDCWD, path, AT_REMOVEDIR) == 0, "remove scratch dir");
  CHECK_ERR(openat(AT_FDCWD, path, O_RDONLY), ENOENT, "scratch dir gone");
  dprintf(1, "files: unlinkat files and directories\n");
  return 0;
}
