/* Differential check of compiled F/D code against QEMU: hashes the bits of
   many single and double operations (arithmetic, FMA, square root, min/max,
   compares, classification, conversions in every rounding mode, sign
   injection) on pseudo-random and edge operands, plus the accrued fflags.
   Built with -march=rv32imafdc -mabi=ilp32d (the _fd suffix), so the
   compiler's C.FLD/C.FSD forms appear too. EXPECTED was computed by running
   this same file under qemu-riscv32 (see the note at the bottom). */
#include <stdint.h>

#define EXPECTED 0xff845309u /* from qemu-riscv32 */

static uint32_t state = 0x9e3779b9u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static double dbits(uint32_t hi, uint32_t lo) {
  union { uint64_t u; double d; } v = {((uint64_t)hi << 32) | lo};
  return v.d;
}
static float fbits(uint32_t x) {
  union { uint32_t u; float f; } v = {x};
  return v.f;
}
static uint32_t hd(double d) {
  union { double d; uint64_t u; } v = {d};
  return (uint32_t)v.u ^ (uint32_t)(v.u >> 32) * 31u;
}
static uint32_t hf(float f) {
  union { float f; uint32_t u; } v = {f};
  return v.u;
}

static const uint32_t dedge[] = {0, 0x80000000u, 0x7ff00000u, 0xfff00000u, 0x7ff80000u,
                                 0x3ff00000u, 0x00100000u, 0x000fffffu, 0x7fefffffu, 0x41e00000u,
                                 0xc1e00000u, 0x3fe00000u};
static const uint32_t fedge[] = {0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u,
                                 0x7f800001u, 0x3f800000u, 0x00800000u, 0x007fffffu,
                                 0x7f7fffffu, 0x4f000000u, 0xcf000000u, 1u};

static double pick_d(void) {
  uint32_t k = next() % 8;
  if (k == 0) return dbits(dedge[next() % 12], next() % 3 == 0 ? next() : 0);
  if (k == 1) return dbits((next() & 0x800fffffu) | ((900 + next() % 250) << 20), next());
  if (k == 2) return dbits(next() & 0x801fffffu, next());
  return dbits(next(), next());
}
static float pick_f(void) {
  uint32_t k = next() % 8;
  if (k == 0) return fbits(fedge[next() % 13]);
  if (k == 1) return fbits((next() & 0x807fffffu) | ((100 + next() % 60) << 23));
  if (k == 2) return fbits(next() & 0x80ffffffu);
  return fbits(next());
}

#define FOP3(insn, d, a, b, c) __asm__ volatile(insn " %0, %1, %2, %3" : "=f"(d) : "f"(a), "f"(b), "f"(c))
#define FOP2(insn, d, a, b) __asm__ volatile(insn " %0, %1, %2" : "=f"(d) : "f"(a), "f"(b))
#define FOP1(insn, d, a) __asm__ volatile(insn " %0, %1" : "=f"(d) : "f"(a))
#define XOP1(insn, x, a) __asm__ volatile(insn " %0, %1" : "=r"(x) : "f"(a))
#define XOP2(insn, x, a, b) __asm__ volatile(insn " %0, %1, %2" : "=r"(x) : "f"(a), "f"(b))

__attribute__((noinline)) uint32_t mix_d(uint32_t h, double a, double b, double c) {
  double r;
  int32_t x;
  h = h * 33u + hd(a + b);
  h = h * 33u + hd(a - c);
  h = h * 33u + hd(a * b);
  h = h * 33u + hd(a / b);
  FOP3("fmadd.d", r, a, b, c); h = h * 33u + hd(r);
  FOP3("fnmsub.d", r, a, c, b); h = h * 33u + hd(r);
  FOP1("fsqrt.d", r, a); h = h * 33u + hd(r);
  FOP2("fmin.d", r, a, b); h = h * 33u + hd(r);
  FOP2("fmax.d", r, b, c); h = h * 33u + hd(r);
  FOP2("fsgnjx.d", r, a, b); h = h * 33u + hd(r);
  XOP2("flt.d", x, a, b); h = h * 33u + (uint32_t)x;
  XOP2("feq.d", x, a, c); h = h * 33u + (uint32_t)x;
  XOP1("fclass.d", x, a); h = h * 33u + (uint32_t)x;
  XOP1("fcvt.w.d", x, a); h = h * 33u + (uint32_t)x;
  __asm__ volatile("fcvt.wu.d %0, %1, rtz" : "=r"(x) : "f"(b)); h = h * 33u + (uint32_t)x;
  __asm__ volatile("fcvt.w.d %0, %1, rmm" : "=r"(x) : "f"(c)); h = h * 33u + (uint32_t)x;
  float s;
  __asm__ volatile("fcvt.s.d %0, %1, rup" : "=f"(s) : "f"(a)); h = h * 33u + hf(s);
  __asm__ volatile("fdiv.d %0, %1, %2, rdn" : "=f"(r) : "f"(a), "f"(c)); h = h * 33u + hd(r);
  __asm__ volatile("fadd.d %0, %1, %2, rtz" : "=f"(r) : "f"(b), "f"(c)); h = h * 33u + hd(r);
  return h;
}

__attribute__((noinline)) uint32_t mix_f(uint32_t h, float a, float b, float c) {
  float r;
  int32_t x;
  h = h * 33u + hf(a + b);
  h = h * 33u + hf(a * c);
  h = h * 33u + hf(b / c);
  FOP3("fmadd.s", r, a, b, c); h = h * 33u + hf(r);
  FOP3("fmsub.s", r, c, b, a); h = h * 33u + hf(r);
  FOP1("fsqrt.s", r, b); h = h * 33u + hf(r);
  FOP2("fmin.s", r, a, c); h = h * 33u + hf(r);
  FOP2("fsgnjn.s", r, a, b); h = h * 33u + hf(r);
  XOP2("fle.s", x, a, b); h = h * 33u + (uint32_t)x;
  XOP1("fclass.s", x, c); h = h * 33u + (uint32_t)x;
  XOP1("fcvt.wu.s", x, a); h = h * 33u + (uint32_t)x;
  __asm__ volatile("fcvt.s.w %0, %1, rdn" : "=f"(r) : "r"((int32_t)next())); h = h * 33u + hf(r);
  __asm__ volatile("fmul.s %0, %1, %2, rup" : "=f"(r) : "f"(a), "f"(b)); h = h * 33u + hf(r);
  double d;
  __asm__ volatile("fcvt.d.s %0, %1" : "=f"(d) : "f"(b)); h = h * 33u + hd(d);
  return h;
}

uint32_t run_hash(void) {
  uint32_t h = 5381;
  for (int i = 0; i < 3000; i++) {
    uint32_t frm = next() % 5;
    __asm__ volatile("fsrm %0" : : "r"(frm));
    h = mix_d(h, pick_d(), pick_d(), pick_d());
    h = mix_f(h, pick_f(), pick_f(), pick_f());
    uint32_t fl;
    __asm__ volatile("frflags %0" : "=r"(fl));
    h = h * 33u + fl;
    __asm__ volatile("fsflags zero");
  }
  return h;
}

#ifndef HOST_LINUX
int main(void) {
  uint32_t h = run_hash();
  return h == EXPECTED ? 0 : 1;
}
#endif
/* To recompute EXPECTED: compile with -DHOST_LINUX plus a small main that
   prints run_hash() for riscv32 Linux, and run it with qemu-riscv32. */
