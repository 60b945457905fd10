/**
 * The hart's run loop (`run`): the host's budget, halts, interrupts and
 * debug triggers at instruction boundaries, the inner loop
 * (`hw/cpu_fast.ts`) in between, and the slow path after it: fetch misses
 * and traps (`hw/cpu_slow.ts`), one instruction outside the inner loop
 * (`hw/cpu_exec.ts`), the host's ecall hook.
 *
 * @module
 */

import { MCONTROL } from "./trigger.ts";
import { CAUSE } from "./csr.ts";
import { EcallOutcome, type HartState, NO_PAGE, StopReason } from "./hart_state.ts";
import {
  chargeWalks,
  clockToLoop,
  exception,
  fetchMiss,
  pendingInterrupt,
  trap,
} from "./cpu_slow.ts";
import { exec } from "./cpu_exec.ts";
import { fastLoop, SLOW_FETCH, SLOW_HOT, SLOW_STOP } from "./cpu_fast.ts";

/**
 * RAM page `page` reached its heat threshold (`pc`: where the interpreted
 * run that crossed it began, a control point on that page): asks the
 * translator, with that page offset as an entry. (The start of an
 * interpreted run is where a translation, if the page has one, lacked a
 * head: a function reached only through a pointer, after its page
 * function left there.)
 */
function hotPage(s: HartState, page: number, pc: number): void {
  const ops = s.codePages[page];
  if (ops !== null) s.translator!.hot(page, ops, pc & 4095, s.instret);
}

/** Executes at most `maxInstructions` instructions (traps count as steps) and returns why it stopped (a StopReason). */
export function run(s: HartState, maxInstructions: number): number {
  const limit = maxInstructions;
  let n = 0;
  s.regs[0] = 0;
  s.fVa = NO_PAGE;
  for (;;) {
    if (s.halt) {
      s.halt = false;
      return StopReason.HALT;
    }
    if (n >= limit) return StopReason.BUDGET;
    if ((s.mip & s.mie) !== 0) {
      const code = pendingInterrupt(s);
      if (code >= 0) {
        n++;
        if (trap(s, code, true, 0)) return StopReason.HOST_TRAP;
        continue;
      }
    }
    // Armed debug triggers: one instruction per trip, execute match first.
    const armed = s.triggers.armed;
    if (armed && s.triggers.fires(MCONTROL.EXECUTE, s.pc, s.priv)) {
      n++;
      if (exception(s, CAUSE.BREAKPOINT, s.pc, false)) return StopReason.HOST_TRAP;
      continue;
    }
    // Armed triggers, or a fetch page the PMP does not allow as a whole:
    // one instruction per trip, so each fetch is checked.
    const stepLimit = armed || s.fetchStep ? n + 1 : limit;
    const slow = fastLoop(s, n, stepLimit);
    // The inner loop's cycle count (SLOW_STOP: the ecall already moved the clock).
    if (slow !== SLOW_STOP) clockToLoop(s);
    n = s.runCount;
    if (slow === 0) continue;
    if (slow === SLOW_STOP) return s.runStop;
    if (slow === SLOW_HOT) {
      hotPage(s, s.hotPage, s.slowImm);
      continue;
    }
    if (slow === SLOW_FETCH) {
      const trapped = fetchMiss(s);
      if (trapped !== 0) {
        n++;
        if (trapped === 2) {
          chargeWalks(s);
          return StopReason.HOST_TRAP;
        }
      }
    } else {
      s.fVa = NO_PAGE;
      s.instretBias = 1;
      const stop = exec(s, slow, s.slowImm);
      s.instretBias = 0;
      if (stop >= 0) {
        chargeWalks(s);
        if (
          stop === StopReason.HOST_TRAP && s.ecallHook !== null &&
          s.scause === CAUSE.USER_ECALL
        ) {
          const outcome = s.ecallHook();
          if (outcome === EcallOutcome.RESUMED) continue;
          if (outcome === EcallOutcome.SERVICED) return StopReason.SERVICED;
        }
        return stop;
      }
    }
    chargeWalks(s);
  }
}
