/**
 * The corrupt-image fuzz of ext2: a populated base image (directories,
 * files with single and double indirect blocks, symlinks), then per seed
 * random bytes written into one region (superblock, group descriptors,
 * inode table, a directory block, an indirect block) or a structural lie
 * (a directory entry pointing at its own ancestor, an indirect block that
 * points to itself). Each mutated image is mounted and exercised: a walk of
 * the tree, reads, then creates, writes, renames, removals and an unmount.
 * Every call must answer a number or a status: a host exception fails the
 * seed, and the source refuses any write outside the image.
 *
 * @module
 */

import { K, OpenFlags } from "../../../kernel/api.ts";
import { Vfs } from "../../../kernel/fs/vfs.ts";
import { Tx } from "../../../plugins/filesystems/ext2/block_source.ts";
import { Ext2Fs } from "../../../plugins/filesystems/ext2/ext2_fs.ts";
import { I, readInode } from "../../../plugins/filesystems/ext2/inode.ts";
import { findEntry } from "../../../plugins/filesystems/ext2/dir.ts";
import { GD, gdField32, u32 } from "../../../plugins/filesystems/ext2/superblock.ts";
import { makeImage } from "./host_tools.ts";
import { MemorySource } from "./memory_source.ts";
import { pattern, put } from "./workload.ts";

const now = () => 1_700_000_000_000_000_000n;

/** Byte ranges of the base image worth damaging. */
export interface Regions {
  /** [start, end) byte ranges by name. */
  ranges: Array<[string, number, number]>;
  /** Byte offset of the `..`-free entry of /d/e/f to point at /d (a cycle). */
  cycleEntry: number;
  /** Inode number of /d. */
  dInode: number;
  /** Byte offset of the first pointer in /big's single indirect block, and that block's number. */
  indirect: [number, number];
}

/** Builds the populated base image (1 KiB blocks, 2 MiB) and locates its regions. */
export function baseImage(): { image: Uint8Array; regions: Regions } {
  const image = makeImage(2048, 1024);
  const src = new MemorySource(image);
  const fs = Ext2Fs.mount(src, { readOnly: false, now }) as Ext2Fs;
  const vfs = new Vfs({ root: fs });
  vfs.mkdir(null, "/d");
  vfs.mkdir(null, "/d/e");
  vfs.mkdir(null, "/d/e/f");
  for (let i = 0; i < 40; i++) put(vfs, `/d/e/file${i}`, pattern(i, 100 + 37 * i));
  put(vfs, "/big", pattern(1, 400_000));
  vfs.symlink("/d/e", null, "/s");
  vfs.symlink("/" + "y".repeat(100), null, "/slow");
  fs.unmount();
  const g = fs.geometry;
  const tx = new Tx(src, g.blockSize, g.blocksCount);
  const look = (dir: number, name: string) => findEntry(tx, g, dir, name)!;
  const d = look(2, "d").ino;
  const e = look(d, "e").ino;
  const fEntry = look(e, "f");
  const big = look(2, "big").ino;
  const ind = u32(readInode(tx, g, big), I.BLOCK + 4 * 12);
  const dind = u32(readInode(tx, g, big), I.BLOCK + 4 * 13);
  const table = gdField32(tx, g, 0, GD.INODE_TABLE);
  const rootDir = u32(readInode(tx, g, 2), I.BLOCK);
  const eDir = u32(readInode(tx, g, e), I.BLOCK);
  const bs = g.blockSize;
  return {
    image,
    regions: {
      ranges: [
        ["superblock", 1024, 1024 + 264],
        ["descriptors", 2 * bs, 2 * bs + 32],
        ["inode table", table * bs, table * bs + 16 * g.inodeSize],
        ["root directory", rootDir * bs, rootDir * bs + bs],
        ["directory", eDir * bs, eDir * bs + bs],
        ["indirect", ind * bs, ind * bs + bs],
        ["double indirect", dind * bs, dind * bs + 64],
      ],
      cycleEntry: fEntry.block * bs + fEntry.off,
      dInode: d,
      indirect: [ind * bs, ind],
    },
  };
}

function rng(seed: number): () => number {
  let x = (seed * 0x9e3779b1) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/** The image of seed `seed`: which damage, and the bytes. */
export function mutate(
  base: Uint8Array,
  regions: Regions,
  seed: number,
): { image: Uint8Array; what: string } {
  const image = base.slice();
  const r = rng(seed);
  const kind = seed % 10;
  const le32 = (at: number, v: number) => new DataView(image.buffer).setUint32(at, v >>> 0, true);
  if (kind === 8) {
    le32(regions.cycleEntry, regions.dInode); // /d/e/f is now /d: a directory cycle
    return { image, what: "directory cycle" };
  }
  if (kind === 9) {
    const [at, blk] = regions.indirect;
    le32(at + 4 * Math.floor(r() * 8), blk); // the indirect block points to itself
    return { image, what: "self-pointing indirect block" };
  }
  const [name, start, end] = regions.ranges[kind % regions.ranges.length];
  const count = 1 + Math.floor(r() * 8);
  for (let i = 0; i < count; i++) {
    const at = start + Math.floor(r() * (end - start));
    image[at] = r() < 0.3 ? 0xff : Math.floor(r() * 256);
  }
  return { image, what: `${count} bytes in the ${name}` };
}

function walk(vfs: Vfs, path: string, depth: number, seen: Set<number>): void {
  if (depth > 8) return;
  const o = vfs.open(null, path, OpenFlags.READ | OpenFlags.DIRECTORY);
  if (typeof o === "number") return;
  const list = vfs.readdir(o.file);
  vfs.close(o.file);
  if (typeof list === "number") return;
  for (const e of list) {
    if (e.name === "." || e.name === "..") continue;
    const p = `${path === "/" ? "" : path}/${e.name}`;
    const st = vfs.lstat(null, p);
    if (typeof st === "number") continue;
    if ((st.mode & 0o170000) === 0o040000) {
      if (!seen.has(st.ino)) {
        seen.add(st.ino);
        walk(vfs, p, depth + 1, seen);
      }
    } else if ((st.mode & 0o170000) === 0o120000) {
      vfs.readlink(null, p);
    } else {
      const f = vfs.open(null, p, OpenFlags.READ);
      if (typeof f === "number") continue;
      vfs.read(f.file, new Uint8Array(70_000));
      vfs.close(f.file);
    }
  }
}

/** Mounts and exercises one mutated image; the statuses seen (throws only on a host exception). */
export function exercise(image: Uint8Array): string {
  const src = new MemorySource(image);
  const fs = Ext2Fs.mount(src, { readOnly: false, now });
  if (typeof fs === "number") {
    if (fs !== K.INVAL) throw new Error(`mount answered ${fs}, not EINVAL`);
    return "mount refused";
  }
  const vfs = new Vfs({ root: fs });
  walk(vfs, "/", 0, new Set([2]));
  const w = vfs.open(null, "/d/e/new", OpenFlags.WRITE | OpenFlags.CREATE);
  if (typeof w !== "number") {
    vfs.write(w.file, pattern(9, 20_000));
    vfs.close(w.file);
  }
  vfs.mkdir(null, "/m");
  vfs.rename(null, "/d/e/file3", null, "/m/x");
  vfs.rename(null, "/d/e/f", null, "/g");
  vfs.unlink(null, "/d/e/file5");
  vfs.truncate(null, "/big", 1000);
  vfs.unlink(null, "/big");
  vfs.rmdir(null, "/d/e/f");
  put2(vfs);
  fs.unmount();
  return "exercised";
}

function put2(vfs: Vfs): void {
  const o = vfs.open(null, "/after", OpenFlags.WRITE | OpenFlags.CREATE);
  if (typeof o === "number") return;
  vfs.pwrite(o.file, pattern(3, 3000), 0);
  vfs.close(o.file);
}
