/**
 * The power-cut harness of ext2, host-side: the file system runs on a
 * {@link MemorySource} whose disk stops taking writes after the Nth block
 * write (every later write, and everything never synced, is lost). The
 * workload creates, appends to, rewrites, renames and removes files and
 * calls sync (the fsync of this file system) after every few operations,
 * keeping a model of every file. After the cut host `e2fsck -p` repairs
 * the image, or `e2fsck -fy` where preen gives up; then `e2fsck -fn` must
 * be clean and every file unchanged since the last sync that returned must
 * read back exactly. Deterministic: a failing N replays with
 * `powerCutRun(N)`.
 *
 * @module
 */

import { K, OpenFlags } from "../../../kernel/api.ts";
import { Vfs } from "../../../kernel/fs/vfs.ts";
import { Ext2Fs } from "../../../plugins/filesystems/ext2/ext2_fs.ts";
import { fsck, makeImage } from "./host_tools.ts";
import { MemorySource } from "./memory_source.ts";
import { pattern } from "./workload.ts";

const now = () => 1_700_000_000_000_000_000n;
let baseCache: Uint8Array | null = null;

function base(): Uint8Array {
  baseCache ??= makeImage(1024, 1024);
  return baseCache;
}

class PowerCut extends Error {}

interface Model {
  files: Map<string, Uint8Array>;
  durable: Map<string, Uint8Array>;
}

function writeFile(vfs: Vfs, path: string, data: Uint8Array, flags: number): void {
  const o = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE | flags);
  if (typeof o === "number") throw new Error(`open ${path}: ${o}`);
  const n = vfs.write(o.file, data);
  vfs.close(o.file);
  if (n !== data.length) throw new Error(`write ${path}: ${n}`);
}

/** One step of the workload (step i), applied to the fs and the model. */
function step(vfs: Vfs, m: Model, i: number): void {
  const name = `/w/f${i % 7}`;
  const old = m.files.get(name);
  switch (i % 5) {
    case 0:
    case 1: {
      const data = pattern(i, 500 + (i * 997) % 9000);
      writeFile(vfs, name, data, OpenFlags.TRUNC);
      m.files.set(name, data);
      break;
    }
    case 2: {
      const data = pattern(i, 3000);
      writeFile(vfs, name, data, OpenFlags.APPEND);
      const next = new Uint8Array((old?.length ?? 0) + data.length);
      if (old) next.set(old);
      next.set(data, old?.length ?? 0);
      m.files.set(name, next);
      break;
    }
    case 3: {
      if (old === undefined) break;
      const to = `/w/r${i % 3}`;
      if (vfs.rename(null, name, null, to) !== K.OK) throw new Error(`rename ${name}`);
      m.files.delete(name);
      m.files.set(to, old);
      break;
    }
    default: {
      if (old === undefined) break;
      if (vfs.unlink(null, name) !== K.OK) throw new Error(`unlink ${name}`);
      m.files.delete(name);
    }
  }
}

function workload(src: MemorySource, steps: number): Model {
  const fs = Ext2Fs.mount(src, { readOnly: false, now }) as Ext2Fs;
  const vfs = new Vfs({ root: fs });
  const m: Model = { files: new Map(), durable: new Map() };
  const sync = () => {
    if (fs.sync() !== K.OK || src.cut) throw new PowerCut();
    m.durable = new Map(m.files);
  };
  try {
    vfs.mkdir(null, "/w");
    sync();
    for (let i = 0; i < steps; i++) {
      step(vfs, m, i);
      if (i % 3 === 2) sync();
    }
    if (fs.unmount() !== K.OK || src.cut) throw new PowerCut();
    m.durable = new Map(m.files);
  } catch (e) {
    if (!(e instanceof PowerCut)) throw e;
  }
  return m;
}

const STEPS = 40;

/** Block writes the whole workload makes without a cut. */
export function recordWrites(): number {
  const src = new MemorySource(base().slice());
  workload(src, STEPS);
  return src.writes;
}

/** What one cut gave: whether every rule held, how the image was repaired, and why not. */
export interface CutResult {
  /** Every rule held. */
  ok: boolean;
  /** "clean", "preen" or "full" (e2fsck -fy). */
  repair: string;
  /** What went wrong. */
  detail: string;
}

/** Runs the workload with power cut after `cut` disk writes, repairs, and checks. */
export function powerCutRun(cut: number): CutResult {
  const src = new MemorySource(base().slice(), { cutAfterWrites: cut });
  const m = workload(src, STEPS);
  let image = src.image;
  let repair = "clean";
  const preen = fsck(image, ["-p"]);
  image = preen.image;
  if ((preen.code & ~3) !== 0) {
    repair = "full";
    image = fsck(image, ["-fy"]).image;
  } else if (preen.code !== 0) {
    repair = "preen";
  }
  const check = fsck(image, ["-fn"]);
  if (check.code !== 0) {
    return { ok: false, repair, detail: `e2fsck -fn after repair:\n${check.out}` };
  }
  const fs = Ext2Fs.mount(new MemorySource(image), { readOnly: true, now });
  if (typeof fs === "number") return { ok: false, repair, detail: `mount after repair: ${fs}` };
  const vfs = new Vfs({ root: fs });
  for (const [path, data] of m.durable) {
    if (m.files.get(path) !== data) continue; // changed after its last sync: no promise
    const got = vfs.readWholeFile(path);
    if (typeof got === "number") return { ok: false, repair, detail: `${path}: ${got}` };
    if (got.length !== data.length || got.some((b, i) => b !== data[i])) {
      return { ok: false, repair, detail: `${path}: contents differ` };
    }
  }
  return { ok: true, repair, detail: "" };
}
