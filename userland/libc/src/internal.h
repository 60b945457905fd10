/* Library-private declarations shared by the libc sources. */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>

/* The single trap stub (syscall_raw.S); returns the raw result or -errno. */
long __syscall6(long n, long a, long b, long c, long d, long e, long f);

#define __sc0(n) __syscall6((n), 0, 0, 0, 0, 0, 0)
#define __sc1(n, a) __syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define __sc2(n, a, b) __syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define __sc3(n, a, b, c) __syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __sc4(n, a, b, c, d) __syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __sc5(n, a, b, c, d, e) \
  __syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define __sc6(n, a, b, c, d, e, f) \
  __syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Results in [-4095, -1] are -errno; anything else is a value. */
static inline long __sys_ret(long r) {
  if ((unsigned long)r > -4096UL) {
    errno = (int)-r;
    return -1;
  }
  return r;
}

/* Kernel timespec: 64-bit seconds and nanoseconds (the *_time64 syscalls). */
struct __kernel_timespec {
  long long tv_sec;
  long long tv_nsec;
};

extern const char *__progname;
void __stdio_flush_all(void);
void __stdio_init(void);

#endif
