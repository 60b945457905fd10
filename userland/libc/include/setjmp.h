/* Non-local jumps: ra, sp and s0-s11 saved; sigsetjmp also saves the signal mask. */
#ifndef _SETJMP_H
#define _SETJMP_H

typedef unsigned long jmp_buf[14];
typedef struct {
  unsigned long __regs[14];
  int __saved;
  unsigned long long __mask;
} sigjmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
void siglongjmp(sigjmp_buf env, int val) __attribute__((noreturn));

#endif
