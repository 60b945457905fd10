/**
 * cpio "newc" archives (the Linux initramfs format): reader and writer.
 *
 * Each member is a 110-byte ASCII header (magic `070701`, or `070702` with
 * a checksum, then 13 eight-digit hex fields: ino, mode, uid, gid, nlink,
 * mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize,
 * check), the NUL-terminated name padded to a multiple of 4 bytes, and the
 * data padded likewise. A member named `TRAILER!!!` ends the archive. A
 * symbolic link's data is its target.
 *
 * The reader validates everything and throws {@link CpioFormatError} with
 * the offset of the problem; it never reads outside the input.
 *
 * @module
 */

/** One archive member. */
export interface CpioEntry {
  /** Path inside the archive (no leading `/`, e.g. `bin/sh`). */
  name: string;
  /** Type and permission bits (st_mode encoding). */
  mode: number;
  /** Owner. */
  uid: number;
  /** Group. */
  gid: number;
  /** Link count. */
  nlink: number;
  /** Modification time (seconds since the epoch). */
  mtime: number;
  /** Contents (regular files) or target (symlinks). */
  data: Uint8Array;
  /** Inode number (hard links share one); the writer numbers entries when 0/absent. */
  ino?: number;
  /** Device major of special files. */
  rdevMajor?: number;
  /** Device minor of special files. */
  rdevMinor?: number;
  /** Device of the file system the file came from (major). */
  devMajor?: number;
  /** Device of the file system the file came from (minor). */
  devMinor?: number;
}

/** Raised for malformed archives. */
export class CpioFormatError extends Error {
  /** Byte offset in the archive where the problem was found. */
  readonly offset: number;
  /** Creates the error. */
  constructor(message: string, offset: number, options?: ErrorOptions) {
    super(`cpio: ${message} at offset ${offset}`, options);
    this.name = "CpioFormatError";
    this.offset = offset;
  }
}

const HEADER_SIZE = 110;
const TRAILER = "TRAILER!!!";
const te = new TextEncoder();
const td = new TextDecoder("utf-8", { fatal: true });

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function hexField(b: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = b[at + i];
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else throw new CpioFormatError(`bad hex digit 0x${c.toString(16)} in header`, at + i);
    v = v * 16 + d;
  }
  return v;
}

/** Parses a newc archive into its members (the trailer excluded). */
export function readCpio(bytes: Uint8Array): CpioEntry[] {
  const out: CpioEntry[] = [];
  let off = 0;
  for (;;) {
    if (off + HEADER_SIZE > bytes.length) {
      throw new CpioFormatError("truncated header (no TRAILER!!! member)", off);
    }
    const magic = String.fromCharCode(...bytes.subarray(off, off + 6));
    if (magic !== "070701" && magic !== "070702") {
      throw new CpioFormatError(`bad magic "${magic.replace(/[^ -~]/g, "?")}" (not newc)`, off);
    }
    const f = (k: number) => hexField(bytes, off + 6 + 8 * k);
    const ino = f(0), mode = f(1), uid = f(2), gid = f(3), nlink = f(4), mtime = f(5);
    const size = f(6), devMajor = f(7), devMinor = f(8), rdevMajor = f(9), rdevMinor = f(10);
    const nameSize = f(11), check = f(12);
    if (nameSize < 1 || nameSize > 4096) {
      throw new CpioFormatError(`bad name size ${nameSize}`, off);
    }
    const nameAt = off + HEADER_SIZE;
    if (nameAt + nameSize > bytes.length) throw new CpioFormatError("truncated name", nameAt);
    if (bytes[nameAt + nameSize - 1] !== 0) {
      throw new CpioFormatError("name is not NUL-terminated", nameAt);
    }
    let name: string;
    try {
      name = td.decode(bytes.subarray(nameAt, nameAt + nameSize - 1));
    } catch (cause) {
      throw new CpioFormatError("name is not valid UTF-8", nameAt, { cause });
    }
    if (name.includes("\0")) throw new CpioFormatError("NUL inside name", nameAt);
    const dataAt = pad4(nameAt + nameSize);
    if (dataAt + size > bytes.length) {
      throw new CpioFormatError(`truncated data of "${name}" (${size} bytes)`, dataAt);
    }
    if (name === TRAILER) break;
    const data = bytes.slice(dataAt, dataAt + size);
    if (magic === "070702") {
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum = (sum + data[i]) >>> 0;
      if (sum !== check) throw new CpioFormatError(`checksum mismatch for "${name}"`, off);
    }
    out.push({
      name,
      mode,
      uid,
      gid,
      nlink,
      mtime,
      data,
      ino,
      devMajor,
      devMinor,
      rdevMajor,
      rdevMinor,
    });
    off = pad4(dataAt + size);
  }
  return out;
}

function hex8(v: number): string {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new RangeError(`cpio field out of range: ${v}`);
  }
  return v.toString(16).toUpperCase().padStart(8, "0");
}

/** Serialises members (plus the trailer) as a newc archive. */
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let nextIno = 1;
  const push = (e: CpioEntry) => {
    const name = te.encode(e.name);
    if (name.includes(0)) throw new RangeError(`cpio name contains NUL: ${e.name}`);
    const header = "070701" + [
      e.ino ? e.ino : (e.name === TRAILER ? 0 : nextIno++),
      e.mode,
      e.uid,
      e.gid,
      e.nlink,
      e.mtime,
      e.data.length,
      e.devMajor ?? 0,
      e.devMinor ?? 0,
      e.rdevMajor ?? 0,
      e.rdevMinor ?? 0,
      name.length + 1,
      0,
    ].map(hex8).join("");
    const headLen = pad4(HEADER_SIZE + name.length + 1);
    const member = new Uint8Array(headLen + pad4(e.data.length));
    member.set(te.encode(header), 0);
    member.set(name, HEADER_SIZE);
    member.set(e.data, headLen);
    chunks.push(member);
    total += member.length;
  };
  for (const e of entries) push(e);
  push({ name: TRAILER, mode: 0, uid: 0, gid: 0, nlink: 1, mtime: 0, data: new Uint8Array(0) });
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
