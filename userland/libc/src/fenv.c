/* fenv.h over fcsr: frm (bits 7:5) is the rounding mode, fflags (bits 4:0)
 * the accrued exceptions, with the same bit values as the FE_* macros. */
#ifdef __riscv_flen
#include <fenv.h>

int feclearexcept(int excepts) {
  __asm__ volatile("csrc fflags, %0" : : "r"(excepts & FE_ALL_EXCEPT));
  return 0;
}

/* Setting the flag bits is how software raises them: no trap is enabled on RISC-V. */
int feraiseexcept(int excepts) {
  __asm__ volatile("csrs fflags, %0" : : "r"(excepts & FE_ALL_EXCEPT));
  return 0;
}

int fetestexcept(int excepts) {
  unsigned f;
  __asm__ volatile("frflags %0" : "=r"(f));
  return (int)f & excepts & FE_ALL_EXCEPT;
}

int fegetexceptflag(fexcept_t *flags, int excepts) {
  *flags = (fexcept_t)fetestexcept(excepts);
  return 0;
}

int fesetexceptflag(const fexcept_t *flags, int excepts) {
  feclearexcept(excepts);
  return feraiseexcept((int)*flags & excepts);
}

int fegetround(void) {
  unsigned r;
  __asm__ volatile("frrm %0" : "=r"(r));
  return (int)r;
}

int fesetround(int mode) {
  if (mode < FE_TONEAREST || mode > FE_UPWARD) return -1;
  __asm__ volatile("fsrm %0" : : "r"(mode));
  return 0;
}

int fegetenv(fenv_t *env) {
  __asm__ volatile("frcsr %0" : "=r"(*env));
  return 0;
}

int fesetenv(const fenv_t *env) {
  unsigned v = env == FE_DFL_ENV ? 0 : *env;
  __asm__ volatile("fscsr %0" : : "r"(v));
  return 0;
}

/* RISC-V never traps on FP exceptions, so "non-stop mode" is just clearing the flags. */
int feholdexcept(fenv_t *env) {
  fegetenv(env);
  feclearexcept(FE_ALL_EXCEPT);
  return 0;
}

int feupdateenv(const fenv_t *env) {
  int raised = fetestexcept(FE_ALL_EXCEPT);
  fesetenv(env);
  return feraiseexcept(raised);
}
#endif
