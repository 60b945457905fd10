/**
 * Main memory: one `ArrayBuffer` viewed as bytes, halfwords and words. The
 * buffer is a `WebAssembly.Memory`'s where the host has WebAssembly (the
 * translator's compiled page functions import it; see `hw/wasm_compile.ts`),
 * of the RAM's size rounded up to 64 KiB, never grown.
 *
 * RISC-V is little-endian, and so is every host Deno runs on, so typed-array
 * views give guest byte order directly.
 *
 * @module
 */

/** Raised when RAM is created with a size that is not a positive multiple of 4 KiB. */
export class RamSizeError extends Error {
  /** Creates the error. */
  constructor(size: number) {
    super(`RAM size must be a positive multiple of 4096 bytes, got ${size}`);
    this.name = "RamSizeError";
  }
}

/**
 * A `WebAssembly.Memory` of at least `size` bytes (64 KiB pages), never
 * grown, or null when the host cannot make one (no WebAssembly, no room).
 *
 * @param size bytes
 * @returns the memory, or null
 */
export function fixedWasmMemory(size: number): WebAssembly.Memory | null {
  const pages = Math.ceil(size / 65536);
  if (typeof WebAssembly !== "object" || pages > 65536) return null;
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    return null;
  }
}

/** Physical RAM at a base address. */
export class Ram {
  /** Physical address of the first byte. */
  readonly base: number;
  /** Size in bytes. */
  readonly size: number;
  /** Byte view. */
  readonly u8: Uint8Array;
  /** Halfword view (index = offset >> 1). */
  readonly u16: Uint16Array;
  /** Signed word view (index = offset >> 2). */
  readonly i32: Int32Array;
  /** DataView for unaligned accesses. */
  readonly view: DataView;
  /** The WebAssembly memory that holds RAM at offset 0, or null (a plain buffer). */
  readonly memory: WebAssembly.Memory | null;
  /**
   * Write listener for code-cache invalidation: called with the byte offset
   * of any write made through {@link Ram.write} or {@link Ram.notifyWrite}.
   */
  onWrite: ((offset: number, length: number) => void) | null = null;

  /** Allocates zeroed RAM of `size` bytes at `base`. */
  constructor(base: number, size: number) {
    if (!(size > 0) || size % 4096 !== 0) throw new RamSizeError(size);
    this.base = base >>> 0;
    this.size = size;
    this.memory = fixedWasmMemory(size);
    const buf = this.memory !== null ? this.memory.buffer : new ArrayBuffer(size);
    this.u8 = new Uint8Array(buf, 0, size);
    this.u16 = new Uint16Array(buf, 0, size >> 1);
    this.i32 = new Int32Array(buf, 0, size >> 2);
    this.view = new DataView(buf, 0, size);
  }

  /** Reads an unsigned little-endian value at byte offset `off`. */
  read(off: number, width: 1 | 2 | 4): number {
    if (width === 1) return this.u8[off];
    if (width === 2) return this.view.getUint16(off, true);
    return this.view.getUint32(off, true);
  }

  /** Writes a little-endian value at byte offset `off`. */
  write(off: number, width: 1 | 2 | 4, value: number): void {
    if (width === 1) this.u8[off] = value;
    else if (width === 2) this.view.setUint16(off, value, true);
    else this.view.setUint32(off, value, true);
    if (this.onWrite !== null) this.onWrite(off, width);
  }

  /** Copies bytes into RAM at offset `off` (e.g. loaders, DMA). */
  load(off: number, data: Uint8Array): void {
    this.u8.set(data, off);
    if (this.onWrite !== null) this.onWrite(off, data.length);
  }

  /** Tells the code cache that `[off, off+length)` was changed by a bulk writer. */
  notifyWrite(off: number, length: number): void {
    if (this.onWrite !== null) this.onWrite(off, length);
  }
}
