/* statfs(2) and fstatfs(2) with 64-bit counts (the rv32 statfs64 calls). */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

#include <stdint.h>

typedef struct { int __val[2]; } fsid_t;

struct statfs {
  uint32_t f_type;
  uint32_t f_bsize;
  uint64_t f_blocks;
  uint64_t f_bfree;
  uint64_t f_bavail;
  uint64_t f_files;
  uint64_t f_ffree;
  fsid_t f_fsid;
  uint32_t f_namelen;
  uint32_t f_frsize;
  uint32_t f_flags;
  uint32_t f_spare[4];
  uint32_t __pad;
};

#define ST_RDONLY 1

int statfs(const char *path, struct statfs *buf);
int fstatfs(int fd, struct statfs *buf);

#endif
