/**
 * Host e2fsprogs for the ext2 tests: make an image with `mke2fs -t ext2`,
 * check it with `e2fsck`, read a file back with `debugfs`.
 *
 * @module
 */

/** True when the host has mke2fs, e2fsck and debugfs. */
export function haveE2fsprogs(): boolean {
  try {
    for (const tool of ["mke2fs", "e2fsck", "debugfs"]) {
      const r = new Deno.Command(tool, { args: ["-V"], stdout: "null", stderr: "null" })
        .outputSync();
      if (r.code !== 0 && r.code !== 8 && r.code !== 1) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** An image made by `mke2fs -t ext2 -b blockSize` of `sizeKiB` KiB, returned in memory. */
export function makeImage(sizeKiB: number, blockSize = 1024, extra: string[] = []): Uint8Array {
  const path = Deno.makeTempFileSync({ suffix: ".img" });
  try {
    const r = new Deno.Command("mke2fs", {
      args: ["-q", "-F", "-t", "ext2", "-b", String(blockSize), ...extra, path, `${sizeKiB}k`],
      env: { MKE2FS_DETERMINISTIC: "1", E2FSPROGS_FAKE_TIME: "1700000000" },
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    if (r.code !== 0) throw new Error(`mke2fs failed: ${new TextDecoder().decode(r.stderr)}`);
    return Deno.readFileSync(path);
  } finally {
    Deno.removeSync(path);
  }
}

/** Runs e2fsck with `flags` on a copy of `image`: exit code, output, and the image after it. */
export function fsck(
  image: Uint8Array,
  flags: string[],
): { code: number; out: string; image: Uint8Array } {
  const path = Deno.makeTempFileSync({ suffix: ".img" });
  try {
    Deno.writeFileSync(path, image);
    const r = new Deno.Command("e2fsck", {
      args: [...flags, path],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    const td = new TextDecoder();
    return {
      code: r.code,
      out: td.decode(r.stdout) + td.decode(r.stderr),
      image: Deno.readFileSync(path),
    };
  } finally {
    Deno.removeSync(path);
  }
}

/** Runs debugfs requests on a copy of `image`; stdout. */
export function debugfs(image: Uint8Array, request: string): Uint8Array {
  const path = Deno.makeTempFileSync({ suffix: ".img" });
  try {
    Deno.writeFileSync(path, image);
    const r = new Deno.Command("debugfs", {
      args: ["-R", request, path],
      stdout: "piped",
      stderr: "piped",
    })
      .outputSync();
    return r.stdout;
  } finally {
    Deno.removeSync(path);
  }
}
