/* A raw Linux rv32 system call for the differential test programs: the
 * result or -errno comes back as the kernel left it in a0 (libc's syscall()
 * would turn it into -1 and errno). */
#ifndef RAW_SYSCALL_H
#define RAW_SYSCALL_H

static long rsys(long n, long a, long b, long c, long d, long e, long f) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a3 __asm__("a3") = d;
  register long a4 __asm__("a4") = e;
  register long a5 __asm__("a5") = f;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall"
                   : "+r"(a0)
                   : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                   : "memory");
  return a0;
}

#endif
