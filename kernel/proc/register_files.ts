/**
 * Thread register files, made in batches ahead of need.
 *
 * A thread's register file (an `Int32Array` of 33 slots and its 32-slot
 * view) is bound to the CPU while the thread runs: a context switch stores
 * the two typed-array objects into the hart (`Cpu.bindRegisters`). The hart
 * lives in V8's old generation; a typed array made when the thread is
 * created (at fork, clone or spawn) sits in the young generation until two
 * scavenges have passed, and a program that switches threads without
 * allocating (a `sched_yield` or pipe ping-pong) triggers none. Every store
 * of a young object into an old one goes through V8's write barrier stub
 * (about 46 host instructions each, two per switch). So the files are made
 * here in batches: the first batch when this module loads, before the
 * machine boots (whose allocations promote it), the next ones when a batch
 * runs out (promoted by the scavenges that follow). Each file's view is
 * made with it, for the same reason. A file is taken once and never
 * returned: a thread's file goes away with the thread (and its slot in the
 * register memory is used again).
 *
 * @module
 */

import { TypedSlab } from "../../lib/typed_slab.ts";
import { REGISTER_MEMORY } from "../../hw/register_memory.ts";

const ready: Int32Array[] = [];
const views: Int32Array[] = [];
// The view of the file taken last (for registerView).
let lastFile: Int32Array | null = null;
let lastView: Int32Array | null = null;

// Files are views of the register memory (hw/register_memory.ts), where
// page functions compiled to WebAssembly reach them in place; when that is
// full or missing, views of shared buffers (a typed array of its own costs
// about 1 µs, a view about 30 ns: see lib/typed_slab.ts). Each file's
// 32-slot view is one more view of the same bytes.
const SLAB = new TypedSlab();

function makeBatch(): void {
  for (let i = 0; i < REGISTER_FILE_BATCH; i++) {
    const f = REGISTER_MEMORY.take();
    const file = f !== null ? f.file : SLAB.int32(33);
    ready.push(file);
    views.push(f !== null ? f.view : new Int32Array(file.buffer, file.byteOffset, 32));
  }
}

/** Register files made per batch. */
export const REGISTER_FILE_BATCH = 64;

makeBatch();

/**
 * A zeroed register file for a new thread (x0..x31 and the slot that takes
 * the CPU's writes to x0): one of the current batch, a new batch when it is
 * used up.
 */
export function takeRegisterFile(): Int32Array {
  if (ready.length === 0) makeBatch();
  lastFile = ready.pop()!;
  lastView = views.pop()!;
  return lastFile;
}

/** The view of x0..x31 of `file`: the one made with it when `file` was the last taken, else a new one. */
export function registerView(file: Int32Array): Int32Array {
  return file === lastFile ? lastView! : file.subarray(0, 32);
}
