/**
 * Address-space identifiers for Sv32 (9 bits: 1..511; 0 is kept for the
 * overflow case). While ASIDs last, switching address spaces needs no TLB
 * flush; when they run out, new spaces share ASID 0 and the kernel flushes
 * that ASID whenever it switches to one of them.
 *
 * @module
 */

/** Highest Sv32 ASID. */
export const MAX_ASID = 511;

/** Hands out ASIDs next-fit (so a freed ASID is reused late; deterministic). */
export class AsidAllocator {
  readonly #used = new Uint8Array(MAX_ASID + 1);
  #inUse = 0;
  #hint = 1;

  /** Number of ASIDs in use (not counting shared ASID 0). */
  get inUse(): number {
    return this.#inUse;
  }

  /** Allocates an ASID; 0 means "none free: shared, flush on every switch". */
  alloc(): number {
    for (let n = 0; n < MAX_ASID; n++) {
      const a = ((this.#hint - 1 + n) % MAX_ASID) + 1;
      if (this.#used[a] === 0) {
        this.#used[a] = 1;
        this.#inUse++;
        this.#hint = a + 1 > MAX_ASID ? 1 : a + 1;
        return a;
      }
    }
    return 0;
  }

  /** Returns an ASID (0 is ignored). */
  free(asid: number): void {
    if (asid > 0 && asid <= MAX_ASID && this.#used[asid] === 1) {
      this.#used[asid] = 0;
      this.#inUse--;
    }
  }
}
