import assert from "node:assert/strict";
import { boot, DEFAULT_BOOT_CONFIG, ST_MODULE } from "../../../system/boot.ts";
import { K, OpenFlags } from "../../../kernel/api.ts";
import { ModuleInitError, ModuleResourceError } from "../../../kernel/modules/mod.ts";
import { IRQ, MEMORY_MAP } from "../../../hw/memory_map.ts";
import { echoDriver } from "../fixtures/echo_driver.ts";

const V1 = "tests/kernel/fixtures/echo_driver_v1.ts";
const V2 = "tests/kernel/fixtures/echo_driver_v2.ts";
const te = new TextEncoder();
const td = new TextDecoder();

async function system() {
  // The echo fixture borrows the tape controller's window and IRQ: no tape driver here.
  const modules = DEFAULT_BOOT_CONFIG.modules.filter((m) => m !== ST_MODULE);
  const sys = await boot({ cmd: "true", bootConfig: { modules } }, { kind: "buffer" });
  const k = sys.kernel;
  const open = () => {
    const r = k.vfs.open(null, "/dev/echo0", OpenFlags.READ | OpenFlags.WRITE, 0, undefined);
    if (typeof r === "number") throw new Error(`open /dev/echo0: ${r}`);
    return r.file;
  };
  const read = (f: ReturnType<typeof open>) => {
    const buf = new Uint8Array(64);
    const n = k.vfs.read(f, buf);
    return n < 0 ? n : td.decode(buf.subarray(0, n));
  };
  return { sys, k, open, read };
}

Deno.test("replace: an open file and the driver's state pass from v1 to v2", async () => {
  const { sys, k, open, read } = await system();
  await k.modules.load(V1);
  const f = open();
  assert.equal(k.vfs.write(f, te.encode("abc")), 3);
  assert.equal(read(f), "abc");
  k.vfs.write(f, te.encode("hello"));
  // A reader that found the device empty sleeps on the driver's queue.
  const f2 = open();
  const info = await k.modules.replace("echo", V2);
  assert.equal(info.version, "2.0.0");
  assert.deepEqual(info.resources.irqs, [IRQ.TAPE], "claims handed over");
  assert.equal(read(f), "HELLO", "the same open file now reaches v2, with v1's data");
  assert.equal(k.vfs.ioctl(f2, 0, 0), 2);
  assert.equal(read(f2), K.AGAIN);
  // The claims moved with the module: nobody else can take them.
  await assert.rejects(
    k.modules.loadDescriptor({ ...echoDriver(1), name: "other" }),
    ModuleResourceError,
  );
  sys.machine.close();
});

Deno.test("replace: a thread sleeping on the old driver is woken to retry on the new one", async () => {
  const { sys, k, open } = await system();
  await k.modules.load(V1);
  const f = open();
  assert.equal(k.vfs.read(f, new Uint8Array(4)), K.AGAIN);
  const q = k.vfs.waitQueue(f, "read")!;
  let woken = 0;
  q.add({ wake: () => void woken++ });
  await k.modules.replace("echo", V2);
  assert.equal(woken, 1);
  sys.machine.close();
});

Deno.test("replace: a successor whose init throws leaves the old driver running with its state", async () => {
  const { sys, k, open, read } = await system();
  await k.modules.load(V1);
  const f = open();
  k.vfs.write(f, te.encode("keep"));
  const err = await k.modules.replace("echo", { ...echoDriver(2, true) }).catch((e) => e);
  assert.ok(err instanceof ModuleInitError, String(err));
  assert.equal(k.modules.get("echo")?.version, "1.0.0");
  assert.equal(read(f), "keep");
  sys.machine.close();
});

Deno.test("replace: a device the successor does not register is removed; its files get ENXIO", async () => {
  const { sys, k, open } = await system();
  await k.modules.load(V1);
  const f = open();
  await k.modules.replace("echo", {
    ...echoDriver(2),
    name: "quiet",
    init: () => {},
  });
  assert.equal(k.vfs.read(f, new Uint8Array(4)), K.NXIO);
  assert.equal(typeof k.vfs.open(null, "/dev/echo0", OpenFlags.READ, 0, undefined), "number");
  assert.equal(k.modules.get("echo"), undefined);
  assert.equal(k.modules.get("quiet")?.resources.mmio?.[0].base, MEMORY_MAP.TAPE_BASE);
  sys.machine.close();
});

Deno.test("load: a file imported before is imported afresh (a new module instance)", async () => {
  const { sys, k, open, read } = await system();
  await k.modules.load(V1);
  const f = open();
  k.vfs.write(f, te.encode("old"));
  // An open file is a use of the driver: unloading needs it closed.
  await assert.rejects(k.modules.unload("echo"), /in use/);
  k.vfs.close(f);
  await k.modules.unload("echo");
  await k.modules.load(V1);
  assert.equal(read(open()), K.AGAIN, "the reloaded module starts with its own empty state");
  sys.machine.close();
});

Deno.test("the kernel's own windows (PLIC, CLINT, RTC) cannot be claimed by a module", async () => {
  const { sys, k } = await system();
  for (
    const [base, size] of [
      [MEMORY_MAP.PLIC_BASE, 0x1000],
      [MEMORY_MAP.CLINT_BASE, 0x10],
      [MEMORY_MAP.RTC_BASE, 0x10],
    ]
  ) {
    const err = await k.modules.loadDescriptor({
      ...echoDriver(1),
      name: `grab${base}`,
      resources: { mmio: [{ base, size }] },
    }).catch((e) => e);
    assert.ok(err instanceof ModuleResourceError, String(err));
    assert.match(err.message, /claimed by kernel/);
  }
  sys.machine.close();
});

Deno.test("unloading a module cancels its pending timers and drops its devices", async () => {
  const { sys, k } = await system();
  let fired = 0;
  await k.modules.loadDescriptor({
    ...echoDriver(1),
    init(api, ctx) {
      echoDriver(1).init(api, ctx);
      ctx.startTimer(1_000, () => void fired++);
    },
  });
  await k.modules.unload("echo");
  assert.equal(typeof k.vfs.open(null, "/dev/echo0", OpenFlags.READ, 0, undefined), "number");
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0);
  assert.equal(fired, 0, "the timer went with the module");
});
