/* An unknown system call number returns -ENOSYS in a0 (raw ecall), and
 * syscall() turns that into -1/ENOSYS. */
#include "check.h"

static long raw_syscall0(long n) {
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0");
  __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
  return a0;
}

int main(void) {
  CHECK(raw_syscall0(999) == -ENOSYS, "raw ecall 999 returns -ENOSYS");
  CHECK(raw_syscall0(4000) == -ENOSYS, "raw ecall 4000 returns -ENOSYS");
  CHECK_ERR(syscall(999), ENOSYS, "syscall(999)");
  /* The process still works normally. */
  CHECK(getpid() > 0, "getpid after ENOSYS");
  dprintf(1, "enosys: unknown syscalls return ENOSYS\n");
  return 0;
}
