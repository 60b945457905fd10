/**
 * The host side of the engine-differential system-call tests
 * (`jit_ecall_test.ts`, `translator_link_test.ts`): a hook that answers
 * U-mode `ecall`s (a0 += a7 * 3, then SRET past the call), and varies its
 * outcome by call number (declined every 71st call, serviced with the answer
 * given after `run` returns every 97th, a clock event scheduled every 41st,
 * recorded where it fires),
 * plus the test's own changes; a driver that runs the hart in `run`
 * slices of pseudo-random length until it reaches the end pc; and the check
 * that a translated run ended exactly as the interpreted one
 * (`assertSameEnd`).
 */

import assert from "node:assert/strict";
import { CAUSE } from "../../hw/csr.ts";
import { EcallOutcome, PRIV, StopReason } from "../../hw/cpu.ts";
import type { TestMachine } from "./cpu_test_asm.ts";

const A0 = 10, A7 = 17;

/** What the harness needs from a test. */
export interface EcallHarness<T> {
  /** Where the program starts (U-mode). */
  start: number;
  /** Where it ends (a jump to itself). */
  end: number;
  /** Seed of the slice lengths. */
  seed: number;
  /** Longest `run` slice, in instructions. */
  span: number;
  /** Most slices before giving up. */
  guard: number;
  /** What to record at each call. */
  record: () => T;
  /** The test's own change of the machine at call number `calls` (1-based). */
  vary?: (calls: number) => void;
}

/**
 * Records {@link runEcallHarness} gives for a program that makes `calls`
 * calls: one per call and one per clock event it scheduled (every 41st).
 *
 * @param calls the program's calls
 * @returns the number of records
 */
export function harnessRecords(calls: number): number {
  return calls + Math.floor(calls / 41);
}

/**
 * Runs the program of `m` under the harness and returns what `record` gave
 * at every call.
 *
 * @param m a test machine with the program loaded (and any page tables set)
 * @param h the test's part
 * @returns the record of each call, in order
 */
export function runEcallHarness<T>(m: TestMachine, h: EcallHarness<T>): T[] {
  const cpu = m.cpu;
  cpu.hostSupervisor = true;
  cpu.writeCsr(0x302, 1 << CAUSE.USER_ECALL); // medeleg
  cpu.priv = PRIV.U;
  cpu.pc = h.start;
  const seen: T[] = [];
  let calls = 0;
  const answer = () => {
    cpu.x[A0] = (cpu.x[A0] + cpu.x[A7] * 3) | 0;
    cpu.sepc = (cpu.sepc + 4) >>> 0;
    cpu.sret();
  };
  let pending = false;
  cpu.ecallHook = () => {
    calls++;
    seen.push(h.record());
    if (calls % 71 === 0) return EcallOutcome.DECLINED;
    if (calls % 97 === 0) {
      pending = true;
      return EcallOutcome.SERVICED;
    }
    // The event is recorded where it fires: translated code must not run past it.
    if (calls % 41 === 0) m.clock.schedule(3 + (calls % 7), () => seen.push(h.record()));
    h.vary?.(calls);
    answer();
    return EcallOutcome.RESUMED;
  };
  let seed = h.seed;
  for (let guard = 0; cpu.pc !== h.end && guard < h.guard; guard++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const stop = cpu.run(1 + (seed % h.span));
    if (stop === StopReason.HOST_TRAP || pending) {
      pending = false;
      answer();
    }
  }
  return seen;
}

/**
 * The end of a run under the translator (`jit`) equals the interpreter's
 * (`interp`): registers, pc, retired instructions, the clock, TLB hits and
 * misses, and all of RAM.
 */
export function assertSameEnd(jit: TestMachine, interp: TestMachine): void {
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.equal(jit.cpu.pc, interp.cpu.pc);
  assert.equal(jit.cpu.instret, interp.cpu.instret);
  assert.equal(jit.clock.now, interp.clock.now);
  assert.equal(jit.cpu.mmu.hits, interp.cpu.mmu.hits);
  assert.equal(jit.cpu.mmu.misses, interp.cpu.mmu.misses);
  assert.deepStrictEqual(jit.ram.u8, interp.ram.u8);
}
