/**
 * `deno task image [OUT] [--size SIZE] [--whole]`: builds a bootable disk
 * image of the guest userland with the host's `mke2fs -t ext2 -d` (e2fsprogs).
 *
 * The image (default `strata.img`, 64M) has an MBR with one Linux
 * partition from sector 2048 (1 MiB) to the end, holding an ext2 file
 * system with `/bin` (every program of `userland/bin`), `/sbin/init` (a
 * link to `/bin/init`), and the empty directories `/dev`, `/proc`, `/sys`, `/tmp`
 * (mode 1777), `/mnt` and `/root`. Boot it with
 * `deno task start --disk strata.img --root /dev/hda1`. With `--whole`
 * the file system covers the whole disk (no partition table;
 * `--root /dev/hda`).
 *
 * @module
 */

import { join } from "node:path";
import { buildMbr } from "../kernel/block/mbr.ts";

/** Raised for a wrong command line or a failing host tool; the message is the one line shown. */
export class ImageToolError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ImageToolError";
  }
}

/** Options of {@link buildImage}. */
export interface ImageOptions {
  /** Output file. */
  out: string;
  /** Size in bytes (a multiple of 1 MiB, at least 4 MiB). */
  sizeBytes: number;
  /** No partition table: the file system is the whole disk. */
  whole: boolean;
  /** Directory of the programs (default `userland/bin`). */
  binDir?: string;
}

/** First sector of the partition. */
export const PARTITION_START = 2048;

function run(cmd: string, args: string[]): void {
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  } catch (e) {
    throw new ImageToolError(`cannot run ${cmd} (install e2fsprogs): ${(e as Error).message}`);
  }
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
    throw new ImageToolError(`${cmd} failed: ${err}`);
  }
}

/** Fills a staging directory with the root tree. */
function stage(dir: string, binDir: string): void {
  for (const d of ["bin", "sbin", "dev", "proc", "sys", "tmp", "mnt", "root", "etc"]) {
    Deno.mkdirSync(join(dir, d));
  }
  Deno.chmodSync(join(dir, "tmp"), 0o1777);
  for (const e of Deno.readDirSync(binDir)) {
    if (!e.isFile) continue;
    Deno.copyFileSync(join(binDir, e.name), join(dir, "bin", e.name));
    Deno.chmodSync(join(dir, "bin", e.name), 0o755);
  }
  Deno.symlinkSync("../bin/init", join(dir, "sbin", "init"));
}

/** Builds the image. */
export function buildImage(options: ImageOptions): void {
  const size = options.sizeBytes;
  if (!Number.isInteger(size) || size < 4 << 20 || size % (1 << 20) !== 0) {
    throw new ImageToolError(`the size must be a whole number of MiB, at least 4M`);
  }
  const binDir = options.binDir ?? new URL("../userland/bin", import.meta.url).pathname;
  const staging = Deno.makeTempDirSync({ prefix: "strata-image-" });
  try {
    stage(staging, binDir);
    const fd = Deno.openSync(options.out, { write: true, create: true, truncate: true });
    fd.truncateSync(size);
    fd.close();
    const offset = options.whole ? 0 : PARTITION_START * 512;
    const fsKiB = (size - offset) / 1024;
    run("mke2fs", [
      "-q",
      "-F",
      "-t",
      "ext2",
      "-b",
      "1024",
      "-L",
      "strata",
      "-E",
      `offset=${offset},root_owner=0:0`,
      "-d",
      staging,
      options.out,
      `${fsKiB}k`,
    ]);
    if (!options.whole) {
      const mbr = buildMbr([{
        type: 0x83,
        start: PARTITION_START,
        sectors: size / 512 - PARTITION_START,
        bootable: true,
      }]);
      const f = Deno.openSync(options.out, { write: true });
      f.writeSync(mbr);
      f.close();
    }
  } finally {
    Deno.removeSync(staging, { recursive: true });
  }
}

/** Parses the command line. */
export function parseImageArgs(args: string[]): ImageOptions {
  const o: ImageOptions = { out: "strata.img", sizeBytes: 64 << 20, whole: false };
  let outSet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--whole") o.whole = true;
    else if (a === "--size") {
      const m = /^(\d+)([MG])$/i.exec(args[++i] ?? "");
      if (m === null) throw new ImageToolError(`--size takes e.g. 64M or 1G`);
      o.sizeBytes = Number(m[1]) * (m[2].toUpperCase() === "G" ? 1 << 30 : 1 << 20);
    } else if (!a.startsWith("-") && !outSet) {
      o.out = a;
      outSet = true;
    } else {throw new ImageToolError(
        `unknown argument '${a}' (usage: image [OUT] [--size 64M] [--whole])`,
      );}
  }
  return o;
}

if (import.meta.main) {
  try {
    const o = parseImageArgs(Deno.args);
    buildImage(o);
    console.log(
      `${o.out}: ${o.sizeBytes >> 20} MiB, ext2 ${
        o.whole ? "on the whole disk (--root /dev/hda)" : "in partition 1 (--root /dev/hda1)"
      }`,
    );
  } catch (e) {
    if (!(e instanceof ImageToolError)) throw e;
    console.error(`image: ${e.message}`);
    Deno.exit(1);
  }
}
