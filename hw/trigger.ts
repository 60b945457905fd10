/**
 * Debug triggers (Sdtrig): two `mcontrol` (type 2) address-match triggers
 * behind `tselect`, `tdata1`, `tdata2`, `tdata3` and `tinfo`, raising a
 * breakpoint exception (action 0) before an instruction executes at, or a
 * load or store accesses, the matched address.
 *
 * Map of this file: the WARL rules of `tdata1` (type fixed at 2, dmode 0,
 * select 0 = address, timing 0 = before, action 0, no chaining, sizelo 0,
 * match 0 equal / 2 greater-or-equal / 3 less-than), the CSR views, and the
 * match functions the CPU calls while a trigger is armed.
 *
 * @module
 */

/** mcontrol bits of `tdata1`. */
export const MCONTROL = {
  LOAD: 1 << 0,
  STORE: 1 << 1,
  EXECUTE: 1 << 2,
  U: 1 << 3,
  S: 1 << 4,
  M: 1 << 6,
  MATCH: 0xf << 7,
  HIT: 1 << 20,
} as const;

/** Number of triggers. */
export const TRIGGER_COUNT = 2;

const TYPE_MCONTROL = 0x2000_0000; // type 2 in bits 31:28
const WRITABLE = MCONTROL.LOAD | MCONTROL.STORE | MCONTROL.EXECUTE | MCONTROL.U | MCONTROL.S |
  MCONTROL.M | MCONTROL.MATCH | MCONTROL.HIT;
const MODE_BIT = [MCONTROL.U, MCONTROL.S, 0, MCONTROL.M];

/** The trigger module of one hart. */
export class Triggers {
  /** `tselect`. */
  select = 0;
  readonly #tdata1 = new Uint32Array(TRIGGER_COUNT).fill(TYPE_MCONTROL);
  readonly #tdata2 = new Uint32Array(TRIGGER_COUNT);
  /** True when some trigger can fire (the CPU then checks every access). */
  armed = false;

  /** Reads trigger CSR 0x7a0..0x7a4; NaN for others. */
  read(csr: number): number {
    const i = this.select;
    switch (csr) {
      case 0x7a0:
        return i;
      case 0x7a1:
        return this.#tdata1[i];
      case 0x7a2:
        return this.#tdata2[i];
      case 0x7a3:
        return 0;
      case 0x7a4:
        return 1 << 2; // tinfo: type 2 only
    }
    return NaN;
  }

  /** Writes trigger CSR 0x7a0..0x7a4 with its WARL rules. */
  write(csr: number, v: number): void {
    const i = this.select;
    switch (csr) {
      case 0x7a0:
        if (v >>> 0 < TRIGGER_COUNT) this.select = v >>> 0;
        return;
      case 0x7a1: {
        let d = (v & WRITABLE) >>> 0;
        const match = (d & MCONTROL.MATCH) >>> 7;
        if (match !== 0 && match !== 2 && match !== 3) d &= ~MCONTROL.MATCH;
        this.#tdata1[i] = (TYPE_MCONTROL | d) >>> 0;
        break;
      }
      case 0x7a2:
        this.#tdata2[i] = v >>> 0;
        return;
    }
    this.armed = this.#tdata1.some((d) =>
      (d & (MCONTROL.LOAD | MCONTROL.STORE | MCONTROL.EXECUTE)) !== 0 &&
      (d & (MCONTROL.U | MCONTROL.S | MCONTROL.M)) !== 0
    );
  }

  /**
   * True when a trigger of kind `kind` (an MCONTROL.LOAD/STORE/EXECUTE
   * bit) fires for virtual address `va` at privilege `priv`; sets its hit bit.
   */
  fires(kind: number, va: number, priv: number): boolean {
    const a = va >>> 0;
    for (let i = 0; i < TRIGGER_COUNT; i++) {
      const d = this.#tdata1[i];
      if ((d & kind) === 0 || (d & MODE_BIT[priv]) === 0) continue;
      const t = this.#tdata2[i];
      const match = (d & MCONTROL.MATCH) >>> 7;
      const hit = match === 0 ? a === t : match === 2 ? a >= t : a < t;
      if (hit) {
        this.#tdata1[i] = (d | MCONTROL.HIT) >>> 0;
        return true;
      }
    }
    return false;
  }
}
