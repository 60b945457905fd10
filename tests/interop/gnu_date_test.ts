/**
 * Interop: our `date` (libc gmtime_r and strftime) under qemu-riscv32 against
 * GNU date on the host, for the same instants and format. Needs qemu-riscv32
 * and GNU coreutils' date; skipped without them.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runHostCommand } from "../guest_guard.ts";

const DATE = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "userland", "bin", "date");
const FORMAT =
  "+%a %A %b %B %c|%C %d %D %e %F %H %I %j %k %l %m %M %p %R %s %S %T %u %w %y %Y %z %Z %%";

function works(cmd: string, args: string[], want: RegExp): boolean {
  try {
    const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).outputSync();
    return out.success && want.test(new TextDecoder().decode(out.stdout));
  } catch {
    return false;
  }
}

const READY = works("qemu-riscv32", ["--version"], /qemu/i) &&
  works("date", ["--version"], /GNU coreutils/);

/** Instants from year 1 to 9999: calendar edges plus a fixed pseudo-random spread. */
function instants(): number[] {
  const edges = [
    -62135596800, // 0001-01-01
    -2208988800, // 1900-01-01 (1900 is not a leap year)
    -2203977600, // 1900-02-28
    -2203891200, // 1900-03-01
    -1, // 1969-12-31 23:59:59
    0,
    951782400, // 2000-02-29
    951868800, // 2000-03-01
    978307199, // 2000-12-31 23:59:59 (day 366)
    4107456000, // 2100-03-01
    253402300799, // 9999-12-31 23:59:59
  ];
  let x = 12345;
  const spread: number[] = [];
  for (let i = 0; i < 30; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    spread.push(Math.floor(-62135596800 + (x / 2147483648) * (253402300799 + 62135596800)));
  }
  return [...edges, ...spread];
}

Deno.test({
  name: "date: gmtime_r and strftime agree with GNU date from year 1 to 9999",
  ignore: !READY,
  async fn() {
    const env = { LC_ALL: "C", TZ: "UTC" };
    for (const t of instants()) {
      const args = ["-u", "-d", `@${t}`, FORMAT];
      const ours = await runHostCommand("qemu-riscv32", [DATE, ...args], { env, inheritEnv: true });
      const gnu = new Deno.Command("date", { args, env }).outputSync();
      assert.ok(gnu.success, `GNU date failed for @${t}`);
      assert.equal(ours.code, 0, `our date failed for @${t}`);
      assert.equal(ours.stdout, new TextDecoder().decode(gnu.stdout), `@${t}`);
    }
  },
});
