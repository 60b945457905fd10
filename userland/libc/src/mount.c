/* File systems as a whole: mount, umount, umount2, statfs, fstatfs, sync, syncfs. */
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "internal.h"

#define SYS_umount2 39
#define SYS_mount 40
#define SYS_statfs64 43
#define SYS_fstatfs64 44
#define SYS_sync 81
#define SYS_syncfs 267

int mount(const char *source, const char *target, const char *fstype, unsigned long flags,
          const void *data) {
  return (int)__sys_ret(__sc5(SYS_mount, source, target, fstype, flags, data));
}

int umount2(const char *target, int flags) {
  return (int)__sys_ret(__sc2(SYS_umount2, target, flags));
}

int umount(const char *target) { return umount2(target, 0); }

int statfs(const char *path, struct statfs *buf) {
  return (int)__sys_ret(__sc3(SYS_statfs64, path, sizeof(struct statfs), buf));
}

int fstatfs(int fd, struct statfs *buf) {
  return (int)__sys_ret(__sc3(SYS_fstatfs64, fd, sizeof(struct statfs), buf));
}

void sync(void) { __sc1(SYS_sync, 0); }

int syncfs(int fd) { return (int)__sys_ret(__sc1(SYS_syncfs, fd)); }
