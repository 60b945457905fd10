import assert from "node:assert/strict";
import { join } from "node:path";
import { runHostCommand } from "../guest_guard.ts";

function works(cmd: string, args: string[], pattern: RegExp): boolean {
  try {
    const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).outputSync();
    return out.success && pattern.test(new TextDecoder().decode(out.stdout));
  } catch {
    return false;
  }
}

const READY = works("qemu-riscv32", ["--version"], /qemu/i) &&
  works("tar", ["--version"], /GNU tar/);
const BIN = new URL("../../userland/bin/", import.meta.url).pathname;

function tree(root: string): void {
  const deep = join(root, "t", "x".repeat(70), "y".repeat(70));
  Deno.mkdirSync(deep, { recursive: true });
  Deno.writeTextFileSync(join(deep, "leaf"), "leaf\n");
  Deno.writeFileSync(join(root, "t", "big"), new Uint8Array(50_000).map((_, i) => i * 31));
  Deno.chmodSync(join(root, "t", "big"), 0o751);
  Deno.symlinkSync("big", join(root, "t", "sym"));
  Deno.linkSync(join(root, "t", "big"), join(root, "t", "hard"));
  Deno.utimeSync(join(root, "t", "big"), 1_600_000_000, 1_600_000_000);
}

function check(root: string): void {
  const deep = join(root, "t", "x".repeat(70), "y".repeat(70), "leaf");
  assert.equal(Deno.readTextFileSync(deep), "leaf\n");
  const big = Deno.statSync(join(root, "t", "big"));
  assert.equal(big.size, 50_000);
  assert.equal(big.mode! & 0o777, 0o751);
  assert.equal(big.mtime!.getTime(), 1_600_000_000_000);
  assert.equal(big.nlink, 2);
  assert.equal(Deno.readLinkSync(join(root, "t", "sym")), "big");
}

Deno.test({
  name: "tar under qemu-riscv32: GNU tar extracts its archive, and it extracts GNU tar's",
  ignore: !READY,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "strata_tar_" });
    try {
      Deno.mkdirSync(join(dir, "src"));
      tree(join(dir, "src"));
      Deno.mkdirSync(join(dir, "a"));
      Deno.mkdirSync(join(dir, "b"));
      const ours = await runHostCommand("sh", [
        "-c",
        `qemu-riscv32 ${BIN}tar cf ours.tar -C src t && cd a && tar xf ../ours.tar`,
      ], { cwd: dir });
      assert.equal(ours.code, 0, ours.stderr);
      check(join(dir, "a"));
      const gnu = await runHostCommand("sh", [
        "-c",
        `tar --format=ustar -cf gnu.tar -C src t && qemu-riscv32 ${BIN}tar xf gnu.tar -C b`,
      ], { cwd: dir });
      assert.equal(gnu.code, 0, gnu.stderr);
      check(join(dir, "b"));
      // Records: the archive is whole 10,240-byte records, as GNU tar's default.
      assert.equal(Deno.statSync(join(dir, "ours.tar")).size % 10240, 0);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
