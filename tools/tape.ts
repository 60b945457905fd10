/**
 * `deno task tape`: converts SIMH `.tap` images to and from plain data.
 *
 * - `ls FILE.tap`: each tape file (the records between filemarks) with its
 *   record count, sizes, and how many records are LZ4-compressed with the ratio;
 * - `cat FILE.tap N`: tape file N (from 0) to stdout, compressed records
 *   decompressed (`deno task tape cat t.tap 0 | tar tf -`);
 * - `write FILE.tap INPUT... [--block BYTES] [--lz4]`: a tape with one tape
 *   file per input (`-` is stdin), cut into records of BYTES (default 10240)
 *   and compressed with `--lz4`.
 *
 * A malformed image gives a one-line error and exit status 1.
 *
 * @module
 */

import {
  isCompressedRecord,
  makeDataRecord,
  parseTap,
  recordPayload,
  serializeTap,
  TAP_CLASS,
  TapeFormatError,
  type TapObject,
} from "../hw/simh_tap.ts";

/** Raised for a wrong command line or an unusable file; the message is the one line shown. */
export class TapeToolError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TapeToolError";
  }
}

/** One tape file's summary. */
export interface TapeFileInfo {
  /** Records. */
  records: number;
  /** Bytes delivered to a reader (decompressed). */
  bytes: number;
  /** Bytes stored on tape. */
  stored: number;
  /** Compressed records. */
  compressed: number;
  /** Smallest and largest record. */
  minRecord: number;
  /** Largest record. */
  maxRecord: number;
  /** Whether a filemark ends it (the last file may end at the end of data). */
  closed: boolean;
}

const USAGE = "usage: deno task tape ls FILE.tap | cat FILE.tap N | " +
  "write FILE.tap INPUT... [--block BYTES] [--lz4]";

function parse(bytes: Uint8Array, name: string): TapObject[] {
  try {
    return parseTap(bytes).objects;
  } catch (e) {
    if (e instanceof TapeFormatError) {
      throw new TapeToolError(`${name}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

function payload(o: TapObject & { kind: "record" }, name: string, file: number): Uint8Array {
  try {
    return recordPayload(o);
  } catch (e) {
    if (e instanceof TapeFormatError) {
      throw new TapeToolError(`${name}: tape file ${file}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** Whether a record delivers data to a reader (what the drive shows). */
function dataRecord(o: TapObject): o is TapObject & { kind: "record" } {
  return o.kind === "record" &&
    (o.cls === TAP_CLASS.GOOD || o.cls === TAP_CLASS.BAD || isCompressedRecord(o));
}

/** Summaries of the tape files of an image. */
export function listTape(bytes: Uint8Array, name = "tape"): TapeFileInfo[] {
  const out: TapeFileInfo[] = [];
  let cur: TapeFileInfo | null = null;
  for (const o of parse(bytes, name)) {
    if (o.kind === "mark") {
      out.push(cur ?? blank());
      out[out.length - 1].closed = true;
      cur = null;
      continue;
    }
    if (!dataRecord(o)) continue;
    cur ??= blank();
    const n = payload(o, name, out.length).length;
    cur.records++;
    cur.bytes += n;
    cur.stored += o.data.length;
    if (isCompressedRecord(o)) cur.compressed++;
    cur.minRecord = cur.records === 1 ? n : Math.min(cur.minRecord, n);
    cur.maxRecord = Math.max(cur.maxRecord, n);
  }
  if (cur !== null) out.push(cur);
  return out;
}

function blank(): TapeFileInfo {
  return {
    records: 0,
    bytes: 0,
    stored: 0,
    compressed: 0,
    minRecord: 0,
    maxRecord: 0,
    closed: false,
  };
}

/** The data of tape file `n` (decompressed). */
export function catTape(bytes: Uint8Array, n: number, name = "tape"): Uint8Array {
  const parts: Uint8Array[] = [];
  let file = 0;
  let found = false;
  for (const o of parse(bytes, name)) {
    if (o.kind === "mark") {
      if (file === n) {
        found = true;
        break;
      }
      file++;
      continue;
    }
    if (file === n && dataRecord(o)) parts.push(payload(o, name, file));
  }
  if (!found && (file < n || (file === n && parts.length === 0))) {
    throw new TapeToolError(`${name}: no tape file ${n} (the tape has ${file})`);
  }
  const size = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A tape image with one tape file per input, cut into `block`-byte records. */
export function writeTape(inputs: Uint8Array[], block = 10240, lz4 = false): Uint8Array {
  if (!Number.isInteger(block) || block < 1 || block > 256 * 1024) {
    throw new TapeToolError(`--block must be 1..262144 bytes, got ${block}`);
  }
  const objects: TapObject[] = [];
  for (const data of inputs) {
    for (let at = 0; at < data.length; at += block) {
      objects.push(makeDataRecord(data.subarray(at, at + block), lz4));
    }
    objects.push({ kind: "mark" });
  }
  return serializeTap(objects);
}

function ratio(info: TapeFileInfo): string {
  return info.stored === 0 ? "1.00" : (info.bytes / info.stored).toFixed(2);
}

/** The `ls` lines. */
export function formatList(files: TapeFileInfo[]): string {
  return files.map((f, i) => {
    const sizes = f.records === 0
      ? "no data"
      : f.minRecord === f.maxRecord
      ? `${f.maxRecord}-byte records`
      : `records of ${f.minRecord}..${f.maxRecord} bytes`;
    const mark = f.closed ? "" : " (no filemark: end of data)";
    return `file ${i}: ${f.records} records, ${f.bytes} bytes, ${sizes}, ` +
      `${f.compressed} compressed, ratio ${ratio(f)}:1${mark}`;
  }).join("\n");
}

function readInput(path: string): Uint8Array {
  try {
    if (path !== "-") return Deno.readFileSync(path);
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = Deno.stdin.readSync(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch (e) {
    throw new TapeToolError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function writeAll(data: Uint8Array): void {
  let at = 0;
  while (at < data.length) at += Deno.stdout.writeSync(data.subarray(at));
}

/** Runs the tool; returns the exit status. */
export function main(args: string[]): number {
  try {
    const [verb, file, ...rest] = args;
    if (verb === undefined || file === undefined) throw new TapeToolError(USAGE);
    switch (verb) {
      case "ls": {
        const text = formatList(listTape(readInput(file), file));
        if (text !== "") console.log(text);
        return 0;
      }
      case "cat": {
        const n = Number(rest[0]);
        if (!Number.isInteger(n) || n < 0) throw new TapeToolError(`bad tape file number`);
        writeAll(catTape(readInput(file), n, file));
        return 0;
      }
      case "write": {
        let block = 10240, lz4 = false;
        const inputs: string[] = [];
        for (let i = 0; i < rest.length; i++) {
          if (rest[i] === "--lz4") lz4 = true;
          else if (rest[i] === "--block") block = Number(rest[++i]);
          else inputs.push(rest[i]);
        }
        if (inputs.length === 0) throw new TapeToolError(USAGE);
        const image = writeTape(inputs.map(readInput), block, lz4);
        try {
          Deno.writeFileSync(file, image);
        } catch (e) {
          throw new TapeToolError(`cannot write ${file}: ${(e as Error).message}`, { cause: e });
        }
        return 0;
      }
      default:
        throw new TapeToolError(USAGE);
    }
  } catch (e) {
    if (!(e instanceof TapeToolError)) throw e;
    console.error(`tape: ${e.message}`);
    return e.message === USAGE ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(main(Deno.args));
