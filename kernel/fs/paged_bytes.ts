/**
 * Sparse file data in 4 KiB pages, for the ramfs: pages allocated on first
 * write and counted in a shared {@link PageAccount} (the file system's size
 * limit), holes read as zeros, and data deferred to a loader that runs at
 * first use (the initramfs's files, read from the host when first opened
 * for reading or writing). Deferred pages are counted from the start.
 *
 * @module
 */

/** Pages in use and allowed, shared by the files of one {@link RamFs}. */
export interface PageAccount {
  /** Data pages allocated. */
  used: number;
  /** Most data pages (Infinity: no limit). */
  limit: number;
}

/** Bytes of a sparse file page. */
export const PAGE_SIZE = 4096;

/**
 * Sparse byte storage: 4 KiB pages allocated on first write, counted in a
 * {@link PageAccount}, or, until first use, bytes a loader gives ({@link defer}).
 */
export class PagedBytes {
  readonly #pages = new Map<number, Uint8Array>();
  readonly #account: PageAccount;
  #load: (() => Uint8Array | null) | null = null;
  #deferredPages = 0;
  #deferredSize = 0;

  /** Creates empty storage counting its pages in `account` (default: its own, unlimited). */
  constructor(account: PageAccount = { used: 0, limit: Infinity }) {
    this.#account = account;
  }

  /** Pages allocated (deferred ones included). */
  get pageCount(): number {
    return this.#pages.size + this.#deferredPages;
  }

  /**
   * Holds `size` bytes that `load` gives at first use (empty storage only):
   * their pages count in the account now; {@link resident} runs the loader.
   * `load` returns exactly `size` bytes (the storage keeps them as its
   * pages, without a copy), or null when it cannot.
   */
  defer(size: number, load: () => Uint8Array | null): void {
    if (this.#pages.size !== 0 || this.#load !== null) {
      throw new RangeError("deferred bytes need empty storage");
    }
    this.#deferredSize = size;
    this.#deferredPages = Math.ceil(size / PAGE_SIZE);
    this.#account.used += this.#deferredPages;
    this.#load = this.#deferredPages > 0 ? load : null;
  }

  /**
   * Whether the bytes are in memory, loading deferred ones first; false
   * when the loader failed (the bytes stay deferred, so a later call tries again).
   */
  resident(): boolean {
    const load = this.#load;
    if (load === null) return true;
    const bytes = load();
    const n = this.#deferredPages;
    if (bytes === null || bytes.length !== this.#deferredSize) return false;
    this.#load = null;
    this.#deferredPages = 0;
    for (let i = 0; i < n; i++) {
      const at = i * PAGE_SIZE;
      let page = bytes.subarray(at, at + PAGE_SIZE);
      if (page.length < PAGE_SIZE) {
        // The last, partial page: a page of its own, so writes past the end fit.
        const full = new Uint8Array(PAGE_SIZE);
        full.set(page);
        page = full;
      }
      this.#pages.set(i, page);
    }
    return true;
  }

  /** Copies `n` bytes at `pos` into `buf` (holes give zeros). */
  read(buf: Uint8Array, pos: number, n: number): void {
    let done = 0;
    while (done < n) {
      const p = pos + done;
      const off = p % PAGE_SIZE;
      const k = Math.min(PAGE_SIZE - off, n - done);
      const page = this.#pages.get((p - off) / PAGE_SIZE);
      if (page === undefined) buf.fill(0, done, done + k);
      else buf.set(page.subarray(off, off + k), done);
      done += k;
    }
  }

  /**
   * Stores `src` at `pos`, allocating pages as needed; returns the bytes
   * stored, fewer than asked when the account's limit stops a new page.
   */
  write(src: Uint8Array, pos: number): number {
    let done = 0;
    while (done < src.length) {
      const p = pos + done;
      const off = p % PAGE_SIZE;
      const k = Math.min(PAGE_SIZE - off, src.length - done);
      const idx = (p - off) / PAGE_SIZE;
      let page = this.#pages.get(idx);
      if (page === undefined) {
        if (this.#account.used >= this.#account.limit) return done;
        page = new Uint8Array(PAGE_SIZE);
        this.#pages.set(idx, page);
        this.#account.used++;
      }
      page.set(src.subarray(done, done + k), off);
      done += k;
    }
    return done;
  }

  /**
   * Forgets everything from byte `size` on (so a later extension reads
   * zeros). Deferred bytes are dropped unloaded when `size` is 0, and must
   * be {@link resident} otherwise.
   */
  discardFrom(size: number): void {
    if (this.#load !== null) {
      if (size !== 0 && this.resident()) return this.discardFrom(size);
      this.#account.used -= this.#deferredPages;
      this.#deferredPages = 0;
      this.#load = null;
    }
    const off = size % PAGE_SIZE;
    const first = (size - off) / PAGE_SIZE;
    for (const idx of [...this.#pages.keys()]) {
      if (idx > first || (idx === first && off === 0)) {
        this.#pages.delete(idx);
        this.#account.used--;
      }
    }
    if (off !== 0) this.#pages.get(first)?.fill(0, off);
  }
}
