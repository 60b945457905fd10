/* Basic system data types (Linux rv32 ilp32: 64-bit off_t and time_t). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef unsigned int nlink_t;
typedef long long off_t;
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef long blksize_t;
typedef long long blkcnt_t;
typedef long long time_t;
typedef long long suseconds_t;
typedef int clockid_t;
typedef int id_t;
typedef long clock_t;

#endif
