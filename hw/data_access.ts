/**
 * The hart's load and store path outside the fast loop: translation, RAM or
 * device access, misaligned accesses done in hardware (byte by byte, every
 * byte of a store translated before any is written) or trapped, data
 * triggers, and invalidation of decoded code hit by a store.
 *
 * `read` and `write` report a fault through {@link DataAccess.fault} (the
 * cause, -1 when none) and {@link DataAccess.faultVa} (the tval); the CPU
 * then raises the exception.
 *
 * @module
 */

import { type AccessWidth, type Bus, BusFault } from "./bus.ts";
import { CAUSE } from "./csr.ts";
import { ACCESS, type Mmu } from "./mmu.ts";
import type { Ram } from "./ram.ts";
import { MCONTROL, type Triggers } from "./trigger.ts";

const TWO_32 = 0x1_0000_0000;

/** Loads and stores for one hart. */
export class DataAccess {
  /** Cause of the last access's fault, -1 when it succeeded. */
  fault: number = -1;
  /** tval of that fault. */
  faultVa = 0;
  readonly #ram: Ram;
  readonly #bus: Bus;
  readonly #mmu: Mmu;
  readonly #triggers: Triggers;
  readonly #misalignedHw: boolean;
  readonly #u8: Uint8Array;
  readonly #u16: Uint16Array;
  readonly #i32: Int32Array;
  readonly #codeMark: Uint8Array;
  readonly #codeWritten: (off: number) => void;
  readonly #byteOffs = new Int32Array(8);

  /**
   * Creates the path. `codeMark` has a nonzero byte per RAM page holding
   * decoded code; `codeWritten(off)` is called after a store to such a page.
   */
  constructor(
    bus: Bus,
    mmu: Mmu,
    triggers: Triggers,
    misalignedHw: boolean,
    codeMark: Uint8Array,
    codeWritten: (off: number) => void,
  ) {
    this.#ram = bus.ram;
    this.#bus = bus;
    this.#mmu = mmu;
    this.#triggers = triggers;
    this.#misalignedHw = misalignedHw;
    this.#u8 = bus.ram.u8;
    this.#u16 = bus.ram.u16;
    this.#i32 = bus.ram.i32;
    this.#codeMark = codeMark;
    this.#codeWritten = codeWritten;
  }

  #setFault(cause: number, va: number): void {
    this.fault = cause;
    this.faultVa = va >>> 0;
  }

  /**
   * Reads `width` (1, 2 or 4) bytes at `va` for a load, at effective
   * privilege `priv`, whose whole access has natural alignment `align`. On a
   * fault sets fault/faultVa and
   * returns 0. Misaligned RAM accesses are split into bytes when
   * `misaligned` is "hardware" (a fault names the first byte of the page that
   * faulted); on devices they raise the misaligned-load exception.
   */
  read(va: number, width: AccessWidth, align: number, priv: number): number {
    this.fault = -1;
    if (this.#triggers.armed && this.#triggers.fires(MCONTROL.LOAD, va, priv)) {
      this.#setFault(CAUSE.BREAKPOINT, va);
      return 0;
    }
    if ((va & (align - 1)) === 0) {
      return this.#readAligned(va, width, priv);
    }
    if (!this.#misalignedHw) {
      this.#setFault(CAUSE.MISALIGNED_LOAD, va);
      return 0;
    }
    if ((va & (width - 1)) === 0) return this.#readAligned(va, width, priv);
    let v = 0;
    const ram = this.#ram;
    for (let i = 0; i < width; i++) {
      const a = (va + i) | 0;
      const pa = this.#mmu.translate(a, ACCESS.LOAD, priv);
      if (pa < 0) {
        this.#setFault(~pa, a);
        return 0;
      }
      const off = pa - ram.base;
      if (off < 0 || off >= ram.size) {
        this.#setFault(CAUSE.MISALIGNED_LOAD, va);
        return 0;
      }
      v |= this.#u8[off] << (8 * i);
    }
    return v;
  }

  #readAligned(va: number, width: AccessWidth, priv: number): number {
    const pa = this.#mmu.translate(va, ACCESS.LOAD, priv);
    if (pa < 0) {
      this.#setFault(~pa, va);
      return 0;
    }
    const ram = this.#ram;
    const off = pa - ram.base;
    if (off >= 0 && off + width <= ram.size) return ram.read(off, width);
    if (pa >= TWO_32) {
      this.#setFault(CAUSE.LOAD_ACCESS, va);
      return 0;
    }
    try {
      return this.#bus.read(pa, width);
    } catch (e) {
      if (!(e instanceof BusFault)) throw e;
      this.#setFault(CAUSE.LOAD_ACCESS, va);
      return 0;
    }
  }

  /**
   * Stores `width` (1, 2, 4 or 8) bytes at `va` at privilege `priv`: `lo` holds the low 32 bits,
   * `hi` the high ones of an 8-byte store. Misaligned RAM stores are split
   * into bytes in "hardware" mode; every byte is translated before any is
   * written, so a fault leaves memory unchanged.
   */
  write(va: number, width: number, lo: number, hi: number, priv: number): void {
    this.fault = -1;
    if (this.#triggers.armed && this.#triggers.fires(MCONTROL.STORE, va, priv)) {
      this.#setFault(CAUSE.BREAKPOINT, va);
      return;
    }
    if ((va & (width - 1)) === 0) {
      if (width === 8) {
        this.#writeAligned(va, 4, lo, priv);
        if (this.fault < 0) this.#writeAligned((va + 4) | 0, 4, hi, priv);
      } else {
        this.#writeAligned(va, width as AccessWidth, lo, priv);
      }
      return;
    }
    if (!this.#misalignedHw) {
      this.#setFault(CAUSE.MISALIGNED_STORE, va);
      return;
    }
    const ram = this.#ram;
    const offs = this.#byteOffs;
    for (let i = 0; i < width; i++) {
      const a = (va + i) | 0;
      const pa = this.#mmu.translate(a, ACCESS.STORE, priv);
      if (pa < 0) {
        this.#setFault(~pa, a);
        return;
      }
      const off = pa - ram.base;
      if (off < 0 || off >= ram.size) {
        this.#setFault(CAUSE.MISALIGNED_STORE, va);
        return;
      }
      offs[i] = off;
    }
    for (let i = 0; i < width; i++) {
      const off = offs[i];
      this.#u8[off] = i < 4 ? lo >>> (8 * i) : hi >>> (8 * (i - 4));
      if (this.#codeMark[off >>> 12] !== 0) this.#codeWritten(off);
    }
  }

  #writeAligned(va: number, width: AccessWidth, value: number, priv: number): void {
    const pa = this.#mmu.translate(va, ACCESS.STORE, priv);
    if (pa < 0) {
      this.#setFault(~pa, va);
      return;
    }
    const ram = this.#ram;
    const off = pa - ram.base;
    if (off >= 0 && off + width <= ram.size) {
      if (width === 4) this.#i32[off >> 2] = value;
      else if (width === 2) this.#u16[off >> 1] = value;
      else this.#u8[off] = value;
      if (this.#codeMark[off >>> 12] !== 0) this.#codeWritten(off);
      return;
    }
    if (pa >= TWO_32) {
      this.#setFault(CAUSE.STORE_ACCESS, va);
      return;
    }
    try {
      this.#bus.write(pa, width, width === 4 ? value >>> 0 : value & (width === 2 ? 0xffff : 0xff));
    } catch (e) {
      if (!(e instanceof BusFault)) throw e;
      this.#setFault(CAUSE.STORE_ACCESS, va);
    }
  }
}
