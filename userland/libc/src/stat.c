/* stat family on statx (rv32 Linux has no fstat/newfstatat), plus mkdir/chmod/umask and
 * utimensat/futimens (on utimensat_time64). */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx) {
  return (int)__sys_ret(__sc5(SYS_statx, dirfd, path, flags, mask, stx));
}

/* glibc's dev_t encoding of a (major, minor) pair. */
static dev_t make_dev(unsigned int major, unsigned int minor) {
  return ((dev_t)(major & 0xfffff000u) << 32) | ((dev_t)(major & 0xfffu) << 8) |
         ((dev_t)(minor & 0xffffff00u) << 12) | (dev_t)(minor & 0xffu);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags) {
  struct statx stx;
  memset(&stx, 0, sizeof stx);
  if (statx(dirfd, path, flags, STATX_BASIC_STATS, &stx) < 0) return -1;
  memset(st, 0, sizeof *st);
  st->st_dev = make_dev(stx.stx_dev_major, stx.stx_dev_minor);
  st->st_ino = stx.stx_ino;
  st->st_mode = stx.stx_mode;
  st->st_nlink = stx.stx_nlink;
  st->st_uid = stx.stx_uid;
  st->st_gid = stx.stx_gid;
  st->st_rdev = make_dev(stx.stx_rdev_major, stx.stx_rdev_minor);
  st->st_size = (off_t)stx.stx_size;
  st->st_blksize = (blksize_t)stx.stx_blksize;
  st->st_blocks = (blkcnt_t)stx.stx_blocks;
  st->st_atim.tv_sec = stx.stx_atime.tv_sec;
  st->st_atim.tv_nsec = (long)stx.stx_atime.tv_nsec;
  st->st_mtim.tv_sec = stx.stx_mtime.tv_sec;
  st->st_mtim.tv_nsec = (long)stx.stx_mtime.tv_nsec;
  st->st_ctim.tv_sec = stx.stx_ctime.tv_sec;
  st->st_ctim.tv_nsec = (long)stx.stx_ctime.tv_nsec;
  return 0;
}

int stat(const char *path, struct stat *st) { return fstatat(AT_FDCWD, path, st, 0); }
int lstat(const char *path, struct stat *st) {
  return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}
int fstat(int fd, struct stat *st) { return fstatat(fd, "", st, AT_EMPTY_PATH); }

int mkdir(const char *path, mode_t mode) {
  return (int)__sys_ret(__sc3(SYS_mkdirat, AT_FDCWD, path, mode));
}
int chmod(const char *path, mode_t mode) {
  return (int)__sys_ret(__sc3(SYS_fchmodat, AT_FDCWD, path, mode));
}
mode_t umask(mode_t mask) { return (mode_t)__sc1(SYS_umask, mask); }

int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags) {
  struct __kernel_timespec k[2];
  if (times) {
    for (int i = 0; i < 2; i++) {
      k[i].tv_sec = times[i].tv_sec;
      k[i].tv_nsec = times[i].tv_nsec;
    }
  }
  return (int)__sys_ret(__sc4(SYS_utimensat_time64, dirfd, path, times ? k : 0, flags));
}

int futimens(int fd, const struct timespec times[2]) { return utimensat(fd, 0, times, 0); }
