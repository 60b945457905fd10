/* bench_interp N: N runs of a small stack-machine bytecode program (a loop
 * of 200 iterations summing a polynomial) through a switch-dispatched
 * interpreter; prints "ok N CHECKSUM". */
#include <stdint.h>
#include <stdio.h>

#include "bench_common.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, DUP, JNZ, HALT };

/* vars: 0 = counter, 1 = accumulator, 2 = seed */
/* Not const, so the compiler cannot specialise the interpreter for it. */
int32_t program[] = {
  PUSH, 200, STORE, 0,          /* i = 200 */
  /* loop (pc 4): */
  LOAD, 0, DUP, MUL,            /* i*i */
  LOAD, 2, XOR,                 /* ^ seed */
  LOAD, 1, ADD, STORE, 1,       /* acc += ... */
  LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0, /* i -= 1 */
  JNZ, 4,
  HALT,
};

static int32_t run(int32_t seed) {
  int32_t stack[16], vars[3] = {0, 0, seed};
  int sp = 0, pc = 0;
  for (;;) {
    int32_t op = program[pc++];
    switch (op) {
      case PUSH: stack[sp++] = program[pc++]; break;
      case LOAD: stack[sp++] = vars[program[pc++]]; break;
      case STORE: vars[program[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case JNZ: {
        int32_t target = program[pc++];
        if (stack[--sp] != 0) pc = target;
        break;
      }
      default: return vars[1];
    }
  }
}

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  uint32_t sum = 0;
  for (long i = 0; i < n; i++) sum = sum * 31u + (uint32_t)run((int32_t)i);
  printf("ok %ld %08x\n", n, (unsigned)sum);
  return 0;
}
