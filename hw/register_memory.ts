/**
 * Register files in a WebAssembly memory: one memory per process, fixed in
 * size, from which a host kernel takes its threads' register files (33
 * int32 slots each) so that page functions compiled to WebAssembly
 * (`hw/wasm_compile.ts`) work on the bound file in place, with no copy on
 * the way in or out of translated code or around a system call.
 *
 * ```ts
 * const f = REGISTER_MEMORY.take();            // null when none is left
 * if (f !== null) cpu.bindRegisters(f.file, f.view);
 * ```
 *
 * A file's slot is used again once both its arrays are collected (a
 * `FinalizationRegistry`), zeroed. The registry's callbacks run between
 * turns of the host's event loop, which a machine with a host-fed console
 * takes now and then; a run that never yields (a buffer console) reuses
 * nothing until it does. Where WebAssembly is missing, or the memory is
 * full, `take` gives null and the caller makes a file elsewhere; page
 * functions then work on a copy of it (correct, and slower).
 *
 * @module
 */

import { fixedWasmMemory } from "./ram.ts";

/**
 * Bytes of the memory: 246,723 files of {@link REGISTER_FILE_BYTES}. A
 * page of it is host memory once a file in it has been taken.
 */
export const REGISTER_MEMORY_BYTES = 32 << 20;
/** Bytes per file: 33 slots, rounded up to 8. */
export const REGISTER_FILE_BYTES = 136;

/** A file and its view of x0..x31. */
export interface RegisterFile {
  /** The 33 slots (x0..x31 and the sink of writes to x0). */
  readonly file: Int32Array;
  /** Its first 32 slots. */
  readonly view: Int32Array;
}

interface Slot {
  readonly offset: number;
  live: number;
}

/**
 * The pool.
 *
 * @example
 * ```ts
 * import { REGISTER_MEMORY } from "./register_memory.ts";
 * const f = REGISTER_MEMORY.take();
 * if (f !== null) console.log(REGISTER_MEMORY.offsetOf(f.file) >= 0); // true
 * ```
 */
export class RegisterMemory {
  /** The memory (imported by page functions as `env.regs`), or null. */
  readonly memory: WebAssembly.Memory | null;
  /** Its buffer, or null. */
  readonly buffer: ArrayBuffer | null;
  /** Its size in 64 KiB pages. */
  readonly pages: number;
  #next = 0;
  readonly #free: number[] = [];
  readonly #registry = new FinalizationRegistry<Slot>((slot) => {
    if (--slot.live === 0) this.#free.push(slot.offset);
  });

  /** A pool of `bytes` (a multiple of 64 KiB). */
  constructor(bytes: number = REGISTER_MEMORY_BYTES) {
    this.pages = bytes >>> 16;
    const memory = fixedWasmMemory(bytes);
    this.memory = memory;
    this.buffer = memory !== null ? memory.buffer as ArrayBuffer : null;
  }

  /** A zeroed file, or null when the memory is missing or full. */
  take(): RegisterFile | null {
    const buf = this.buffer;
    if (buf === null) return null;
    let offset = this.#free.pop();
    if (offset === undefined) {
      if (this.#next + REGISTER_FILE_BYTES > buf.byteLength) return null;
      offset = this.#next;
      this.#next += REGISTER_FILE_BYTES;
    }
    const file = new Int32Array(buf, offset, 33).fill(0);
    const view = new Int32Array(buf, offset, 32);
    const slot: Slot = { offset, live: 2 };
    this.#registry.register(file, slot);
    this.#registry.register(view, slot);
    return { file, view };
  }

  /** The byte offset of `file` in the memory, or -1 when it lies elsewhere. */
  offsetOf(file: Int32Array): number {
    return file.buffer === this.buffer ? file.byteOffset : -1;
  }
}

/** The process's pool. */
export const REGISTER_MEMORY: RegisterMemory = new RegisterMemory();
