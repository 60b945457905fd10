import assert from "node:assert/strict";
import { runGuest } from "../../../../system/boot.ts";
import { parseParams } from "../../../../plugins/personalities/unix/module_calls.ts";
import { parseModuleRef, resolveModule } from "../../../../kernel/modules/module_names.ts";
import { PLUGIN_DIR } from "../../../../kernel/modules/module_names.ts";

/** A plugin file's size: what /proc/modules and lsmod show as the module's size. */
function size(file: string): number {
  return Deno.statSync(new URL(`../../../../plugins/${file}`, import.meta.url)).size;
}

async function sh(cmd: string, modulePaths?: string[]): Promise<string> {
  const r = await runGuest({ cmd, modulePaths, maxHostMs: 60_000 });
  return r.output.replaceAll("\r\n", "\n");
}

Deno.test("module names: NAME and NAME@FILE resolve only inside trusted directories", () => {
  assert.deepEqual(parseModuleRef("edf"), { name: "edf", file: null });
  assert.deepEqual(parseModuleRef("ata@drivers/x/mod.ts"), {
    name: "ata",
    file: "drivers/x/mod.ts",
  });
  for (const bad of ["", "../x", "a/b", "x@/etc/passwd.ts", "x@../y.ts", "x@a//b.ts", "x@y.js"]) {
    assert.equal(parseModuleRef(bad), null, bad);
  }
  const dirs = [PLUGIN_DIR];
  assert.match(resolveModule({ name: "edf", file: null }, dirs)!, /plugins\/schedulers\/edf\.ts$/);
  assert.match(resolveModule({ name: "unix", file: null }, dirs)!, /personalities\/unix\/mod\.ts$/);
  assert.equal(resolveModule({ name: "nosuch", file: null }, dirs), null);
  assert.deepEqual(parseParams(" a=1  b=x=y c "), { a: "1", b: "x=y", c: "" });
  assert.equal(parseParams("1a=2"), null);
});

Deno.test("lsmod, insmod, modinfo, modswap, rmmod: Linux's formats and errors", async () => {
  const out = await sh([
    "cat /proc/modules | head -1",
    "insmod edf; lsmod | grep -E '^(Module|round_robin|edf) '",
    "modinfo edf | grep -E '^(filename|kind|state):'",
    "rmmod edf; echo rc=$?",
    "modswap edf stride; lsmod | grep -c -E '^(edf|stride) '",
    "insmod nosuch; insmod ../x; insmod unix; insmod ready_set",
    "rmmod -f stride; echo rc=$?; rmmod stride",
  ].join("; "));
  assert.equal(
    out,
    [
      `round_robin ${size("schedulers/round_robin.ts")} 1 - Live 0x00000000`,
      "Module                  Size  Used by",
      `${"round_robin".padEnd(19)} ${String(size("schedulers/round_robin.ts")).padStart(8)}  0`,
      `${"edf".padEnd(19)} ${String(size("schedulers/edf.ts")).padStart(8)}  1`,
      "filename:       plugins/schedulers/edf.ts",
      "kind:           scheduler",
      "state:          Live",
      "rmmod: ERROR: Module edf is in use",
      "rc=1",
      "1",
      "insmod: ERROR: could not insert module nosuch: No such module in the module directories",
      "insmod: ERROR: could not insert module ../x: Invalid argument",
      "insmod: ERROR: could not insert module unix: Module already loaded",
      "insmod: ERROR: could not insert module ready_set: Invalid module format",
      "rc=0",
      "rmmod: ERROR: Module stride is not currently loaded",
      "",
    ].join("\n"),
  );
});

Deno.test("--module-path: parameters, versions by NAME@FILE, a throwing init is undone", async () => {
  const dir = await Deno.makeTempDir();
  const api = new URL("../../../../kernel/api.ts", import.meta.url).href;
  const mod = (version: string) => `
import { API_VERSION } from "${api}";
export const module = {
  name: "hello", version: "${version}", apiVersion: API_VERSION, kind: "driver",
  description: "test module",
  init(_api, ctx) {
    if (ctx.params.fail === "1") throw new Error("asked to fail");
    ctx.log("hello ${version} params " + JSON.stringify(ctx.params));
  },
  exit() {},
};`;
  try {
    await Deno.writeTextFile(`${dir}/hello.ts`, mod("1.0.0"));
    await Deno.writeTextFile(`${dir}/hello_v2.ts`, mod("2.0.0"));
    const out = await sh(
      "insmod hello fail=1; lsmod | grep -c hello; insmod hello speed=3 mode=fast; " +
        "modswap hello hello@hello_v2.ts; modinfo hello | grep version; " +
        "dmesg | grep 'hello [0-9.]* params' | sed 's/.*hello: //'",
      [dir],
    );
    assert.equal(
      out,
      [
        "insmod: ERROR: could not insert module hello: Input/output error",
        "0",
        "version:        2.0.0",
        'hello 1.0.0 params {"speed":"3","mode":"fast"}',
        'hello 2.0.0 params {"speed":"3","mode":"fast"}',
        "",
      ].join("\n"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("module calls: only uid 0 may load, unload or replace", async () => {
  const { ModuleCalls } = await import("../../../../kernel/modules/module_calls.ts");
  const { HostWork } = await import("../../../../kernel/proc/host_work.ts");
  const { K } = await import("../../../../kernel/errors.ts");
  type Thread = import("../../../../kernel/proc/process.ts").Thread;
  const loader = { get: () => ({}) } as unknown as ConstructorParameters<typeof ModuleCalls>[0];
  const work = new HostWork<unknown>({ newQueue: () => ({}), block: () => -1, wakeAll: () => {} });
  const calls = new ModuleCalls(loader, work, () => [PLUGIN_DIR], () => {});
  const user = { process: { uid: 1000 } } as unknown as Thread;
  assert.equal(calls.load(user, "edf", {}), K.PERM);
  assert.equal(calls.unload(user, "edf", false), K.PERM);
  assert.equal(calls.swap(user, "edf", "rm"), K.PERM);
});
