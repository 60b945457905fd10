import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import { OpenFlags, type PathLoc, RamFs, S_IFDIR, S_IFMT, Vfs } from "../../../kernel/fs/mod.ts";

/** Deterministic LCG so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const PARTS = ["a", "b", "c", ".", "..", "", "l"];

function randomPath(r: (n: number) => number): string {
  const n = 1 + r(4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(PARTS[r(PARTS.length)]);
  return (r(4) === 0 ? "" : "/") + parts.join("/") + (r(6) === 0 ? "/" : "");
}

/** Walks the tree checking invariants: entries resolve, directory link counts add up. */
function checkTree(vfs: Vfs, path: string, depth: number): number {
  const r = vfs.open(null, path, OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof r !== "number", `open ${path}: ${r}`);
  const entries = vfs.readdir(r.file);
  vfs.close(r.file);
  assert.ok(Array.isArray(entries));
  assert.deepEqual(entries.slice(0, 2).map((e) => e.name), [".", ".."]);
  let subdirs = 0;
  let count = 1;
  for (const e of entries.slice(2)) {
    const child = (path === "/" ? "" : path) + "/" + e.name;
    const st = vfs.lstat(null, child);
    assert.ok(typeof st !== "number", `lstat ${child}: ${st}`);
    assert.equal(st.mode & S_IFMT, e.type);
    assert.equal(st.ino, e.ino);
    if (e.type === S_IFDIR) {
      subdirs++;
      assert.ok(depth < 64);
      count += checkTree(vfs, child, depth + 1);
    } else count++;
  }
  const self = vfs.stat(null, path);
  assert.ok(typeof self !== "number");
  assert.equal(self.nlink, 2 + subdirs, `nlink of ${path}`);
  return count;
}

Deno.test("vfs fuzz: random operations never throw and keep the tree consistent", () => {
  for (const seed of [1, 2, 3, 4]) {
    const r = rng(seed);
    const vfs = new Vfs({ root: new RamFs() });
    let cwd: PathLoc = vfs.root();
    const statuses = new Set<number>();
    for (let step = 0; step < 1500; step++) {
      const p = randomPath(r), q = randomPath(r);
      let st: number;
      switch (r(9)) {
        case 0:
          st = vfs.mkdir(cwd, p);
          break;
        case 1: {
          const o = vfs.open(
            cwd,
            p,
            OpenFlags.WRITE | OpenFlags.CREATE | (r(2) ? OpenFlags.EXCL : 0),
          );
          st = typeof o === "number" ? o : vfs.write(o.file, new Uint8Array(r(10)));
          if (typeof o !== "number") vfs.close(o.file);
          break;
        }
        case 2:
          st = vfs.unlink(cwd, p);
          break;
        case 3:
          st = vfs.rmdir(cwd, p);
          break;
        case 4:
          st = vfs.rename(cwd, p, cwd, q);
          break;
        case 5:
          st = vfs.symlink(q, cwd, p);
          break;
        case 6: {
          const c = vfs.chdir(cwd, p);
          st = typeof c === "number" ? c : K.OK;
          if (typeof c !== "number") cwd = c;
          break;
        }
        case 7:
          st = vfs.link(cwd, p, cwd, q);
          break;
        default: {
          const s = vfs.stat(cwd, p);
          st = typeof s === "number" ? s : K.OK;
        }
      }
      assert.ok(Number.isInteger(st) && st >= -200, `step ${step}: ${st}`);
      statuses.add(st < 0 ? st : 0);
    }
    // the walk reaches every entry, and errors of many kinds were exercised
    assert.ok(checkTree(vfs, "/", 0) >= 1);
    assert.ok(statuses.size >= 6, `statuses seen: ${[...statuses]}`);
  }
});
