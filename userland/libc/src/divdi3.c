/* 64-bit division helpers the compiler calls on rv32 (no libgcc/compiler-rt
 * is linked, the build is -nostdlib). Shift-subtract, with a 32-bit fast path. */
typedef unsigned long long u64;
typedef long long s64;

u64 __udivmoddi4(u64 n, u64 d, u64 *rem);
u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
s64 __divdi3(s64 n, s64 d);
s64 __moddi3(s64 n, s64 d);

u64 __udivmoddi4(u64 n, u64 d, u64 *rem) {
  if (d == 0) {
    /* Undefined in C: stop loudly instead of returning garbage. */
    __builtin_trap();
  }
  if ((n >> 32) == 0 && (d >> 32) == 0) {
    unsigned a = (unsigned)n, b = (unsigned)d;
    if (rem) *rem = a % b;
    return a / b;
  }
  u64 q = 0, r = 0;
  for (int i = 63; i >= 0; i--) {
    r = (r << 1) | ((n >> i) & 1);
    if (r >= d) {
      r -= d;
      q |= 1ULL << i;
    }
  }
  if (rem) *rem = r;
  return q;
}

u64 __udivdi3(u64 n, u64 d) { return __udivmoddi4(n, d, 0); }
u64 __umoddi3(u64 n, u64 d) {
  u64 r;
  __udivmoddi4(n, d, &r);
  return r;
}
s64 __divdi3(s64 n, s64 d) {
  int neg = (n < 0) != (d < 0);
  u64 q = __udivmoddi4(n < 0 ? 0 - (u64)n : (u64)n, d < 0 ? 0 - (u64)d : (u64)d, 0);
  return neg ? (s64)(0 - q) : (s64)q;
}
s64 __moddi3(s64 n, s64 d) {
  u64 r;
  __udivmoddi4(n < 0 ? 0 - (u64)n : (u64)n, d < 0 ? 0 - (u64)d : (u64)d, &r);
  return n < 0 ? (s64)(0 - r) : (s64)r;
}
