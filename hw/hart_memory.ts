/**
 * A hart's WebAssembly memory: the state translated code compiled to
 * WebAssembly (`hw/wasm_compile.ts`) reads and writes besides RAM and the
 * register files, in one `WebAssembly.Memory` the hart's JavaScript uses
 * through typed-array views: the `jitIo` doubles, the FP registers, the
 * MMU's TLB tags and deltas, the code marks (a byte per RAM page) and the
 * table slots of the pages' page functions (an int32 per RAM page), and of
 * the functions of linked translations that hold blocks of a page (a slot
 * and the page's relative base in it, two int32 per RAM page). With
 * it, the table of those functions, and a register file of the register
 * memory (`hw/register_memory.ts`) the page functions work on when the
 * bound file lies elsewhere.
 *
 * ```ts
 * const hm = HartMemory.create(ramPages, ramWasmPages);   // null where WebAssembly is missing
 * const mmu = new Mmu(ram, "sv32", 10, { tags: hm.tags, deltas: hm.deltas });
 * ```
 *
 * @module
 */

import { TLB_ENTRIES } from "./mmu.ts";
import { fixedWasmMemory } from "./ram.ts";
import { REGISTER_MEMORY } from "./register_memory.ts";
import type { HartLayout } from "./wasm_compile.ts";

const PAGE = 65536;
const TLB_BYTES = 9 * TLB_ENTRIES * 4;

/**
 * The memory and its views.
 *
 * @example
 * ```ts
 * import { HartMemory } from "./hart_memory.ts";
 * const hm = HartMemory.create(16, 1);
 * if (hm !== null) hm.io[0] = 5;
 * ```
 */
export class HartMemory {
  /** The memory (imported by page functions as `env.hart`). */
  readonly memory: WebAssembly.Memory;
  /** Where each part lies, and both memories' sizes in pages. */
  readonly layout: HartLayout;
  /** A register file in the register memory, for a bound file that lies elsewhere. */
  readonly scratch: Int32Array;
  /** The hart's `jitIo`. */
  readonly io: Float64Array;
  /** The FP registers (the FPU's storage). */
  readonly fpRegs: Float64Array;
  /** TLB tags (the MMU's). */
  readonly tags: Int32Array;
  /** TLB deltas (the MMU's). */
  readonly deltas: Int32Array;
  /** Code marks, a byte per RAM page (the hart's). */
  readonly codeMark: Uint8Array;
  /** The table slot of each RAM page's WebAssembly page function (0: none). */
  readonly slots: Int32Array;
  /**
   * Per RAM page, two int32: the table slot of the linked translation that
   * holds blocks of it (0: none), and the page's relative base there.
   */
  readonly held: Int32Array;
  /** The WebAssembly page functions, by slot (page functions chain through it). */
  readonly table: WebAssembly.Table;

  private constructor(
    memory: WebAssembly.Memory,
    layout: HartLayout,
    ramPages4k: number,
    scratch: Int32Array,
  ) {
    const buf = memory.buffer;
    this.memory = memory;
    this.layout = layout;
    this.scratch = scratch;
    this.io = new Float64Array(buf, layout.io, 13);
    this.fpRegs = new Float64Array(buf, layout.fw, 32);
    this.tags = new Int32Array(buf, layout.tags, 9 * TLB_ENTRIES);
    this.deltas = new Int32Array(buf, layout.deltas, 9 * TLB_ENTRIES);
    this.codeMark = new Uint8Array(buf, layout.codeMark, ramPages4k);
    this.slots = new Int32Array(buf, layout.slots, ramPages4k);
    this.held = new Int32Array(buf, layout.held, 2 * ramPages4k);
    this.table = new WebAssembly.Table({ element: "anyfunc", initial: 64 });
  }

  /**
   * A hart memory for RAM of `ramPages4k` 4 KiB pages held in a memory of
   * `ramWasmPages` 64 KiB pages, or null when the host cannot make one.
   *
   * @param ramPages4k RAM's size in 4 KiB pages
   * @param ramWasmPages the pages of RAM's WebAssembly memory
   * @returns the memory, or null
   */
  static create(ramPages4k: number, ramWasmPages: number): HartMemory | null {
    const io = 256, fw = 512, tags = 1024;
    const deltas = tags + TLB_BYTES;
    const codeMark = deltas + TLB_BYTES;
    const slots = (codeMark + ramPages4k + 7) & ~7;
    const held = slots + 4 * ramPages4k;
    const hartPages = Math.ceil((held + 8 * ramPages4k) / PAGE);
    const layout: HartLayout = {
      io,
      tags,
      deltas,
      codeMark,
      slots,
      held,
      fw,
      ramPages: ramWasmPages,
      hartPages,
      regPages: REGISTER_MEMORY.pages,
    };
    const memory = fixedWasmMemory(hartPages * PAGE);
    const scratch = memory !== null ? REGISTER_MEMORY.take() : null;
    return scratch !== null ? new HartMemory(memory!, layout, ramPages4k, scratch.file) : null;
  }
}
