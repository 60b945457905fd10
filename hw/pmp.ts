/**
 * Physical memory protection: 16 entries (`pmpcfg0`-`pmpcfg3`,
 * `pmpaddr0`-`pmpaddr15`) with granularity G = 0 (4 bytes), as QEMU has.
 *
 * Map of this file: the WARL CSR views (`readCfg`, `writeCfg`, `readAddr`,
 * `writeAddr`, with the lock rules), the region of an entry (OFF, TOR, NA4,
 * NAPOT) and `check`, the priority match of an access range.
 *
 * Rules: the lowest-numbered entry that matches any byte of an access must
 * match all of it, and its R/W/X bit decides; M-mode accesses are checked
 * only against locked entries. When no entry matches, M-mode accesses
 * succeed and S/U-mode accesses fail, except that while every entry is OFF
 * all accesses succeed (QEMU's behaviour, so that software that never
 * programs the PMP runs in S and U mode).
 *
 * @module
 */

/** `pmpcfg` entry bits. */
export const PMPCFG = { R: 1, W: 2, X: 4, A: 0x18, L: 0x80 } as const;

/** Address-matching modes (the A field). */
export const PMP_A = { OFF: 0, TOR: 1, NA4: 2, NAPOT: 3 } as const;

const ENTRIES = 16;

/** The PMP unit of one hart. */
export class Pmp {
  /** Configuration byte of each entry. */
  readonly cfg: Uint8Array = new Uint8Array(ENTRIES);
  /** pmpaddr of each entry: physical address bits 33:2. */
  readonly addr: Uint32Array = new Uint32Array(ENTRIES);
  /** True while some entry is not OFF (checks apply). */
  active = false;

  /** `pmpcfg<n>` (n = 0..3): entries 4n..4n+3, one byte each. */
  readCfg(n: number): number {
    const c = this.cfg;
    const b = 4 * n;
    return (c[b] | (c[b + 1] << 8) | (c[b + 2] << 16) | (c[b + 3] << 24)) >>> 0;
  }

  /** Writes `pmpcfg<n>`; locked entries keep their byte. W without R is reserved: W reads 0. */
  writeCfg(n: number, v: number): void {
    for (let k = 0; k < 4; k++) {
      const e = 4 * n + k;
      if ((this.cfg[e] & PMPCFG.L) !== 0) continue;
      let b = (v >>> (8 * k)) & (PMPCFG.R | PMPCFG.W | PMPCFG.X | PMPCFG.A | PMPCFG.L);
      if ((b & PMPCFG.R) === 0) b &= ~PMPCFG.W;
      this.cfg[e] = b;
    }
    this.#updateActive();
  }

  /** `pmpaddr<i>`. */
  readAddr(i: number): number {
    return this.addr[i];
  }

  /**
   * Writes `pmpaddr<i>`, ignored when entry i is locked, or when entry i + 1
   * is a locked TOR entry (its lower bound).
   */
  writeAddr(i: number, v: number): void {
    if ((this.cfg[i] & PMPCFG.L) !== 0) return;
    if (i + 1 < ENTRIES) {
      const next = this.cfg[i + 1];
      if ((next & PMPCFG.L) !== 0 && ((next & PMPCFG.A) >> 3) === PMP_A.TOR) return;
    }
    this.addr[i] = v >>> 0;
  }

  #updateActive(): void {
    this.active = this.cfg.some((c) => (c & PMPCFG.A) !== 0);
  }

  // Region of the last #region() call: [lo, hi) in bytes (up to 2^34).
  #lo = 0;
  #hi = 0;

  /** Computes the byte range of entry i (false when OFF). */
  #region(i: number): boolean {
    const mode = (this.cfg[i] & PMPCFG.A) >> 3;
    const a = this.addr[i];
    switch (mode) {
      case PMP_A.TOR:
        this.#lo = i === 0 ? 0 : this.addr[i - 1] * 4;
        this.#hi = a * 4;
        return true;
      case PMP_A.NA4:
        this.#lo = a * 4;
        this.#hi = a * 4 + 4;
        return true;
      case PMP_A.NAPOT: {
        let t = 0; // trailing ones
        while (t < 32 && Math.floor(a / 2 ** t) % 2 === 1) t++;
        const size = 2 ** (t + 3);
        this.#lo = (a - (2 ** t - 1)) * 4;
        this.#hi = this.#lo + size;
        return true;
      }
    }
    return false;
  }

  /**
   * True when an access of `len` bytes at physical address `pa`, of kind
   * `access` (0 fetch, 1 load, 2 store, as `ACCESS` in hw/mmu.ts), at
   * privilege `priv`, is allowed.
   */
  check(pa: number, len: number, access: number, priv: number): boolean {
    if (!this.active) return true;
    const end = pa + len;
    for (let i = 0; i < ENTRIES; i++) {
      if (!this.#region(i)) continue;
      const lo = this.#lo, hi = this.#hi;
      if (hi <= lo || end <= lo || pa >= hi) continue;
      if (pa < lo || end > hi) return false; // partial match fails
      const c = this.cfg[i];
      if (priv === 3 && (c & PMPCFG.L) === 0) return true;
      const bit = access === 0 ? PMPCFG.X : access === 1 ? PMPCFG.R : PMPCFG.W;
      return (c & bit) !== 0;
    }
    return priv === 3;
  }
}
