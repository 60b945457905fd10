/**
 * Win32 programs started from the Unix shell on a booted machine, with the
 * committed ntdll.dll and kernel32.dll: exec by format, standard handles
 * from descriptors 0/1/2, exit codes to wait(), /proc's personality.
 */
import { HAVE_CLANG } from "../../../host_tools.ts";
import assert from "node:assert/strict";
import { runGuest } from "../../../../system/boot.ts";

const bin = new URL("../../../../userland/bin/win32/", import.meta.url);
const present = (() => {
  try {
    return Deno.statSync(new URL("ntdll.dll", bin)).isFile &&
      Deno.statSync(new URL("hostname.exe", bin)).isFile;
  } catch {
    return false;
  }
})();

async function run(cmd: string): Promise<string> {
  const r = await runGuest({ cmd, maxHostMs: 60_000 });
  assert.equal(r.reason, "init-exit", r.detail);
  return r.output.replaceAll("\r", "");
}

Deno.test({
  name: "win32 exec: PE programs run from the shell, in pipelines, with exit codes and /proc",
  ignore: !present,
  async fn() {
    const out = await run(
      "hostname.exe; echo rc=$?; whoami.exe; hostname.exe | wc -c; " +
        "hostname.exe nope > /tmp/o; echo rc=$?; " +
        "ls /windows/system32/kernel32.dll /windows/system32/ntdll.dll; " +
        "cat /proc/1/status | grep Personality",
    );
    assert.equal(
      out,
      "strata\nrc=0\nstrata\\root\n8\nrc=0\n/windows/system32/kernel32.dll  /windows/system32/ntdll.dll\n" +
        "Personality:\tunix\n",
    );
  },
});

const testPrograms = ["test_w32_files.exe", "test_w32_process.exe", "test_w32_crt.exe"];
const havePrograms = present && testPrograms.every((p) => {
  try {
    return Deno.statSync(new URL(p, bin)).isFile;
  } catch {
    return false;
  }
});

Deno.test({
  name: "win32 exec: the Win32 test programs pass every check on the executive",
  ignore: !havePrograms,
  async fn() {
    // Standard output is a pipe, as the process checks (console calls on a pipe) expect.
    const cmd = testPrograms.map((p) => `cd /tmp; ${p} | cat > /tmp/out; grep failures: /tmp/out`)
      .join("; ");
    assert.equal(await run(cmd), "failures: 0\n".repeat(testPrograms.length));
  },
});

Deno.test({
  name: "win32 exec: a Win32 program starts Unix programs with pipes as standard handles; ps -P",
  ignore: !present || !HAVE_CLANG,
  async fn() {
    const { buildExe } = await import("../../../../userland/win32/build.ts");
    const dir = await Deno.makeTempDir({ prefix: "strata_w32_" });
    try {
      const src = new URL("guest/mixed.c", import.meta.url).pathname;
      await Deno.mkdir(`${dir}/win32`, { recursive: true });
      for (const e of Deno.readDirSync(new URL("../../../../userland/bin/", import.meta.url))) {
        if (e.isFile) {
          await Deno.copyFile(
            new URL(`../../../../userland/bin/${e.name}`, import.meta.url),
            `${dir}/${e.name}`,
          );
        }
      }
      for (const e of Deno.readDirSync(bin)) {
        await Deno.copyFile(new URL(e.name, bin), `${dir}/win32/${e.name}`);
      }
      await buildExe([src], `${dir}/win32/mixed.exe`);
      const r = await runGuest({
        cmd: "mixed.exe; echo rc=$?; mixed.exe fault; echo rc=$?",
        maxHostMs: 60_000,
        binDir: dir,
      });
      const out = r.output.replaceAll("\r", "");
      const lines = out.split("\n").filter((l) => !/^ *\d+ +\d+ +\d+ \S +\d+:\d\d unix /.test(l));
      assert.deepEqual(lines, [
        "echo: hello from unix",
        "echo exit: 0",
        "sh: arg0",
        "    3     2     1 S  0:00 win32  mixed.exe",
        "sh exit: 9",
        "fault exit: c0000005",
        "Personality:\twin32",
        "rc=3",
        "rc=5",
        "",
      ], out);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
