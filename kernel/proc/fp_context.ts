/**
 * Lazy floating-point context switching, driven by `sstatus.FS`.
 *
 * The FPU holds the F/D registers and `fcsr` of one thread, its owner.
 * Switching to another thread saves the owner's registers only when FS is
 * Dirty (the owner wrote FP state since it was loaded), then loads the new
 * thread's saved registers, or zeros for a thread that never used the FPU,
 * and sets FS to Clean or Initial. Switching back to the owner with nothing
 * run in between costs nothing.
 *
 * The saved state lives in `Thread.fp`; `sync` refreshes it from the FPU
 * (signal delivery writes it into the signal frame) and a thread whose
 * `fp.reload` is set (rt_sigreturn edited it) gets it loaded again.
 *
 * The trap loop also keeps the state right across process changes: a new
 * process created by a system call (fork) starts with a copy of its
 * parent thread's FP state; an exec (the address space was replaced)
 * starts from Initial (zero registers, fcsr 0).
 *
 * @module
 */

import { CSR, MSTATUS, MSTATUS_FS_SHIFT } from "../../hw/csr.ts";
import type { Thread } from "./process.ts";

/** The FPU as the kernel sees it (a subset of `hw/fpu.ts` Fpu). */
export interface FpuPort {
  /** The 32 FP registers as doubles (raw 64-bit contents). */
  readonly f64: Float64Array;
  /** `fcsr` (frm and fflags). */
  fcsr: number;
}

/** The CPU operations this module needs. */
export interface FpCpuPort {
  /** The FPU, if the hart has F/D. */
  readonly fpu?: FpuPort;
  /** `mstatus` as a plain field (its FS bits are `sstatus.FS`; reading it costs no CSR call). */
  readonly mstatus: number;
  /** Host CSR read. */
  readCsr(addr: number): number;
  /** Host CSR write. */
  writeCsr(addr: number, value: number): void;
  /** Optional: sets `sstatus.FS` alone (and SD), without a read and write of the whole register. */
  setFs?(fs: number): void;
}

// mstatus.FS values (Dirty, 3, is a literal where the switch tests it).
const FS_INITIAL = 1;
const FS_CLEAN = 2;

/** Per-thread FP state with lazy saves. */
export class FpContexts {
  readonly #cpu: FpCpuPort;
  #owner: Thread | null = null;
  /** FP register saves performed (FS was Dirty at a switch). */
  saves = 0;
  /** FP register loads performed. */
  loads = 0;

  /** Creates the switcher for `cpu` (does nothing when the hart has no FPU). */
  constructor(cpu: FpCpuPort) {
    this.#cpu = cpu;
  }

  /** Makes `t`'s FP state the FPU's before `t` runs. */
  switchTo(t: Thread): void {
    const s = t.fp;
    if (this.#owner === t && (s === null || !s.reload)) return;
    const fpu = this.#cpu.fpu;
    if (fpu === undefined) return;
    // mstatus.FS is bits 13-14 (literals on the switch path: a module
    // constant costs a load and a hole check in optimized code).
    const fs = (this.#cpu.mstatus >>> 13) & 3;
    if (this.#owner !== t) {
      // FS Initial means the FPU holds zeros (only FP writes leave Initial,
      // and they make it Dirty): nothing to save, and nothing to load for a
      // thread without FP state. Switches between integer-only threads stop here.
      if (s === null && fs === 1 /* FS_INITIAL */) {
        this.#owner = t;
        return;
      }
      if (fs === 3 /* FS_DIRTY */) this.#saveOwner(fpu);
    }
    if (s !== null) {
      fpu.f64.set(s.regs);
      fpu.fcsr = s.fcsr;
      s.reload = false;
      this.loads++;
    } else {
      fpu.f64.fill(0);
      fpu.fcsr = 0;
    }
    this.#setFs(s !== null ? FS_CLEAN : FS_INITIAL);
    this.#owner = t;
  }

  /**
   * Brings `t.fp` up to date with the FPU when `t` owns it (before the
   * kernel reads `t.fp`, e.g. to build a signal frame). FS is unchanged.
   */
  sync(t: Thread): void {
    const fpu = this.#cpu.fpu;
    if (fpu === undefined || this.#owner !== t) return;
    const fs = (this.#cpu.readCsr(CSR.sstatus) & MSTATUS.FS) >>> MSTATUS_FS_SHIFT;
    if (fs === FS_INITIAL && t.fp === null) return;
    const s = t.fp ?? (t.fp = { regs: new Float64Array(32), fcsr: 0, reload: false });
    s.regs.set(fpu.f64);
    s.fcsr = fpu.fcsr;
  }

  /** `child` starts with a copy of `parent`'s current FP state (fork). */
  copy(parent: Thread, child: Thread): void {
    if (this.#cpu.fpu === undefined) return;
    this.sync(parent);
    const s = parent.fp;
    child.fp = s === null ? null : { regs: s.regs.slice(), fcsr: s.fcsr, reload: false };
  }

  /** `t` starts over with Initial FP state (exec). */
  reset(t: Thread): void {
    t.fp = null;
    if (this.#owner === t) {
      const fpu = this.#cpu.fpu!;
      fpu.f64.fill(0);
      fpu.fcsr = 0;
      this.#setFs(FS_INITIAL);
    }
  }

  /** Saves the FPU into the owner's `fp` (the caller saw FS Dirty). */
  #saveOwner(fpu: FpuPort): void {
    const o = this.#owner;
    if (o === null) return;
    const s = o.fp ?? (o.fp = { regs: new Float64Array(32), fcsr: 0, reload: false });
    s.regs.set(fpu.f64);
    s.fcsr = fpu.fcsr;
    this.saves++;
  }

  #setFs(fs: number): void {
    const cpu = this.#cpu;
    if (cpu.setFs !== undefined) {
      cpu.setFs(fs);
      return;
    }
    const st = cpu.readCsr(CSR.sstatus);
    cpu.writeCsr(CSR.sstatus, (st & ~MSTATUS.FS) | (fs << MSTATUS_FS_SHIFT));
  }
}
