/* Floating-point environment over fcsr (the F extension): rounding mode in
 * frm, sticky exception flags in fflags. Only in the rv32imafdc library. */
#ifndef _FENV_H
#define _FENV_H

#define FE_INEXACT 0x01
#define FE_UNDERFLOW 0x02
#define FE_OVERFLOW 0x04
#define FE_DIVBYZERO 0x08
#define FE_INVALID 0x10
#define FE_ALL_EXCEPT 0x1f

#define FE_TONEAREST 0
#define FE_TOWARDZERO 1
#define FE_DOWNWARD 2
#define FE_UPWARD 3

typedef unsigned int fexcept_t;
typedef unsigned int fenv_t; /* the whole fcsr */

#define FE_DFL_ENV ((const fenv_t *)-1)

int feclearexcept(int excepts);
int feraiseexcept(int excepts);
int fetestexcept(int excepts);
int fegetexceptflag(fexcept_t *flags, int excepts);
int fesetexceptflag(const fexcept_t *flags, int excepts);
int fegetround(void);
int fesetround(int mode);
int fegetenv(fenv_t *env);
int fesetenv(const fenv_t *env);
int feholdexcept(fenv_t *env);
int feupdateenv(const fenv_t *env);

#endif
