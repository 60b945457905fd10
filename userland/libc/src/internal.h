/* Library-private declarations shared by the libc sources. */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>

/* The single trap stub (syscall_raw.S); returns the raw result or -errno. */
long __syscall6(long n, long a, long b, long c, long d, long e, long f);

/*
 * Inline traps, as musl does: the number goes straight to a7 and the
 * arguments stay in a0-a5, so a call like getpid() is `li a7,172; ecall`
 * with no detour through the generic stub. The "memory" clobber keeps the
 * compiler from caching across a call that reads or writes user memory.
 */
#define __SC_REGS(n)                  \
  register long __a7 __asm__("a7") = (n); \
  register long __a0 __asm__("a0")
static inline long __sc6_(long n, long a, long b, long c, long d, long e, long f) {
  __SC_REGS(n) = a;
  register long __a1 __asm__("a1") = b;
  register long __a2 __asm__("a2") = c;
  register long __a3 __asm__("a3") = d;
  register long __a4 __asm__("a4") = e;
  register long __a5 __asm__("a5") = f;
  __asm__ volatile("ecall"
                   : "+r"(__a0)
                   : "r"(__a7), "r"(__a1), "r"(__a2), "r"(__a3), "r"(__a4), "r"(__a5)
                   : "memory");
  return __a0;
}
static inline long __sc3_(long n, long a, long b, long c) {
  __SC_REGS(n) = a;
  register long __a1 __asm__("a1") = b;
  register long __a2 __asm__("a2") = c;
  __asm__ volatile("ecall" : "+r"(__a0) : "r"(__a7), "r"(__a1), "r"(__a2) : "memory");
  return __a0;
}
static inline long __sc0_(long n) {
  __SC_REGS(n);
  __asm__ volatile("ecall" : "=r"(__a0) : "r"(__a7) : "memory");
  return __a0;
}

#define __sc0(n) __sc0_((n))
#define __sc1(n, a) __sc3_((n), (long)(a), 0, 0)
#define __sc2(n, a, b) __sc3_((n), (long)(a), (long)(b), 0)
#define __sc3(n, a, b, c) __sc3_((n), (long)(a), (long)(b), (long)(c))
#define __sc4(n, a, b, c, d) __sc6_((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __sc5(n, a, b, c, d, e) \
  __sc6_((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define __sc6(n, a, b, c, d, e, f) \
  __sc6_((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

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

/* printf flags (shared by printf.c and the float conversions in fp_print.c). */
#define FL_LEFT 1
#define FL_PLUS 2
#define FL_SPACE 4
#define FL_ALT 8
#define FL_ZERO 16

extern const char *__progname;
void __stdio_flush_all(void);
void __stdio_init(void);

#endif
