/**
 * Page functions compiled to WebAssembly: `buildWasmPageFn` compiles a
 * unit's source (`hw/wasm_compile.ts`), instantiates it on the hart's
 * memories and returns a `PageFn` with the JavaScript page function's
 * contract, so that the inner loop calls either kind alike.
 *
 * The compiled code keeps the registers it uses in locals and reads and
 * writes the bound register file in place when it lies in the register
 * memory (`hw/register_memory.ts`, where a host kernel's files come from);
 * a file elsewhere is copied into the hart's scratch file on entry and back
 * on return, and around the host's system calls. Modules are shared by
 * source among harts with the same layout, as the JavaScript factories are.
 *
 * @module
 */

import type { HartMemory } from "./hart_memory.ts";
import { REGISTER_MEMORY } from "./register_memory.ts";
import { type PageArgs, type PageFn, pageFnText, type TranslatorEnv } from "./page_fn.ts";
import type { UnitSource } from "./translator_source.ts";
import { JIT_CACHE_SIZE } from "./translator_policy.ts";
import { compilePageFn } from "./wasm_compile.ts";

/** What the WebAssembly back end needs of a hart besides the translator's environment. */
export interface WasmHart {
  /** RAM's memory. */
  readonly ram: WebAssembly.Memory;
  /** The hart's memory. */
  readonly hart: HartMemory;
  /**
   * Whether a unit stays WebAssembly however many system calls it makes
   * (`JitBackend` "wasm"); else (`"auto"`) one that has made
   * {@link SYSCALL_LOOP} of them is translated again as JavaScript.
   */
  readonly keep: boolean;
}

/**
 * System calls after which the default back end translates a WebAssembly
 * unit again as JavaScript: a loop of system calls runs faster in a
 * JavaScript page function, into which V8 inlines the host's entry
 * (`jitEcall`), than through a WebAssembly import; a unit that makes a
 * few keeps WebAssembly's cheap compile.
 */
export const SYSCALL_LOOP = 1 << 12;

// Modules by layout and source, shared by all harts (bounded as the
// JavaScript factories are).
const MODULES = new Map<string, WebAssembly.Module>();
let moduleChars = 0;
const made = { modules: 0 };

/**
 * WebAssembly modules compiled in this process (a unit whose source a
 * module already has reuses it; statistics).
 *
 * @returns the count
 */
export function modulesMade(): number {
  return made.modules;
}

/** The exported `page` of a module: the page function's arguments after `r` and `io`, `rb` first. */
export type WasmPage = (rb: number, ...args: PageArgs) => number;

/** A page function compiled to WebAssembly: its `PageFn` and the export the table holds. */
export interface WasmPageFn {
  /** The function the inner loop calls. */
  readonly fn: PageFn;
  /** The WebAssembly function, for the hart's table (`HartMemory.table`). */
  readonly wasm: WasmPage;
}

/**
 * The page function of `src` as WebAssembly, on the memories of `w`.
 *
 * @param src the unit's source
 * @param env the hart's environment (its helpers)
 * @param w the hart's memories
 * @param onSyscallLoop called once the function has made {@link SYSCALL_LOOP} system calls
 * @returns the page function and its export
 * @throws {import("./wasm_compile.ts").WasmCompileError} when the source is outside what the back end compiles
 */
export function buildWasmPageFn(
  src: UnitSource,
  env: TranslatorEnv,
  w: WasmHart,
  onSyscallLoop: () => void,
): WasmPageFn {
  const layout = w.hart.layout;
  const text = pageFnText(src, 0);
  const pages = src.phys.length;
  const key = `${JSON.stringify(layout)}\n${pages}\n${text}`;
  let mod = MODULES.get(key);
  if (mod === undefined) {
    const bytes = compilePageFn(text, src.heads, layout, pages);
    mod = new WebAssembly.Module(bytes);
    if (moduleChars + key.length > JIT_CACHE_SIZE) {
      MODULES.clear();
      moduleChars = 0;
    }
    MODULES.set(key, mod);
    made.modules++;
    moduleChars += key.length;
  }
  const scratch = w.hart.scratch;
  const scratchAt = scratch.byteOffset;
  const regMem = REGISTER_MEMORY.buffer;
  const regsOf = env.regs;
  const ecall = env.ecall;
  const fpExec = env.fpExec;
  // Whether the file last bound lies in the register memory (the page
  // function then works on it in place), asked once per file.
  let known: Int32Array | null = null;
  let inPlace = false;
  let syscalls = 0;
  const bound = (): Int32Array => {
    const f = regsOf();
    if (f !== known) {
      known = f;
      inPlace = f.buffer === regMem;
    }
    return f;
  };
  const inst = new WebAssembly.Instance(mod, {
    env: {
      ram: w.ram,
      hart: w.hart.memory,
      regs: REGISTER_MEMORY.memory!,
      fns: w.hart.table,
      codeStore: env.codeStore,
      ecall: (pc: number, n: number, hits: number, lim: number) => {
        if (++syscalls === SYSCALL_LOOP) onSyscallLoop();
        // A bound file outside the register memory: the code works on the copy.
        const cur = bound();
        if (!inPlace) cur.set(scratch);
        const k = ecall(pc, n, hits, lim);
        if (k >= 0) {
          const now = bound();
          if (!inPlace) scratch.set(now);
        }
        return k;
      },
      regsBase: () => {
        const now = bound();
        return inPlace ? now.byteOffset : scratchAt;
      },
      fsOn: env.fsOn,
      fsDirty: env.fsDirty,
      fpExec: (i: number) => {
        const now = bound();
        return fpExec(i, inPlace ? now : scratch);
      },
      lrSet: env.lrSet,
      scTry: env.scTry,
      // The unit's RAM pages, which its source names P0, P1, ...
      ...Object.fromEntries(src.phys.map((p, i) => [`P${i}`, p])),
    },
  });
  const page = inst.exports.page as WasmPage;
  const io = w.hart.io;
  const fn: PageFn = (r, _io, pc, n, lim, vb, ldBase, stBase, asid, ah, fb) => {
    // As the JavaScript function's prologue: past 2^30 instructions in one
    // run the interpreter goes on; the limit is capped below 2^30.
    if (n > 1073741822) return 0;
    if (r !== known) {
      known = r;
      inPlace = r.buffer === regMem;
    }
    let rb = r.byteOffset;
    if (!inPlace) {
      scratch.set(r);
      rb = scratchAt;
    }
    const cap = lim < 1073741823 ? lim : 1073741823;
    const k = page(rb, pc, n, cap, vb, ldBase, stBase, asid, ah, fb);
    // -1: an ecall gave the host control, the registers are where it left them.
    if (k === -1) return -1;
    const now = bound();
    if (!inPlace) now.set(scratch);
    // The count it returns is the run's (after a thread switch inside, from 0).
    return io[11] !== 0 ? k : k - n;
  };
  return { fn, wasm: page };
}
