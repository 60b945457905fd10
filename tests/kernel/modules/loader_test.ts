import assert from "node:assert/strict";
import { Bus, type MmioDevice } from "../../../hw/bus.ts";
import { Ram } from "../../../hw/ram.ts";
import {
  API_VERSION,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  ResourceError,
} from "../../../kernel/api.ts";
import {
  ModuleBusyError,
  ModuleDependencyError,
  ModuleDescriptorError,
  ModuleExistsError,
  ModuleInitError,
  ModuleLoader,
  ModuleNotFoundError,
  ModuleResourceError,
  ModuleVersionError,
  type Registrar,
} from "../../../kernel/modules/mod.ts";

function setup() {
  const bus = new Bus(new Ram(0x8000_0000, 4096));
  const regs = new Uint8Array(0x100);
  const dev: MmioDevice = {
    name: "dummy",
    read: (off) => regs[off],
    write: (off, _w, v) => void (regs[off] = v),
  };
  bus.map(0x1000_0000, 0x100, dev);
  const irqs = new Map<number, (() => void) | null>();
  const dropped: string[] = [];
  // Registrations made through a module's context, with the owner they were tagged with.
  const owners: (string | null)[] = [];
  const registrar = (owner: string): Registrar => {
    const record = () => {
      owners.push(owner);
      return 0;
    };
    return {
      registerCharDevice: record,
      unregisterCharDevice: record,
      registerPersonality: record,
      unregisterPersonality: record,
      // This fake host has no scheduler: a scheduler module's init fails cleanly.
      setScheduler: () => {
        throw new Error("no scheduler in this host");
      },
      registerFileSystem: record,
      startTimer: record,
      cancelTimer: () => void record(),
      onConsoleInputEnd: () => void record(),
      onConsoleResize: () => void record(),
      allocDmaBuffer: () => (record(), null),
      registerBlockDisk: record,
      unregisterBlockDisk: record,
    };
  };
  const loader = new ModuleLoader({
    bus,
    setIrqHandler: (irq, h) => void irqs.set(irq, h),
    registrar,
    dropRegistrations: (n) => void dropped.push(n),
    holdRegistrations: (n) => void dropped.push(`held:${n}`),
    settleRegistrations: () => {},
    log: () => {},
    spendCycles: () => {},
    spinWait: (cond) => cond() ? 0 : -1,
  });
  loader.attach({} as KernelApi);
  return { loader, irqs, dropped, owners, regs };
}

function desc(over: Partial<ModuleDescriptor> = {}): ModuleDescriptor {
  return {
    name: "m",
    version: "1.0.0",
    apiVersion: API_VERSION,
    kind: "driver",
    init: () => {},
    exit: () => {},
    ...over,
  };
}

Deno.test("loader refuses a wrong API version without calling init", async () => {
  const { loader } = setup();
  let called = false;
  await assert.rejects(
    loader.loadDescriptor(desc({ apiVersion: API_VERSION + 1, init: () => void (called = true) })),
    ModuleVersionError,
  );
  assert.equal(called, false);
  assert.equal(loader.list().length, 0);
});

Deno.test("a throwing init is undone: resources, IRQ handlers and registrations released", async () => {
  const { loader, irqs, dropped } = setup();
  const bad = desc({
    name: "bad",
    resources: { mmio: [{ base: 0x1000_0000, size: 0x100 }], irqs: [10] },
    init: (_api, ctx) => {
      ctx.onIrq(10, () => {});
      throw new Error("device not found");
    },
  });
  const err = await loader.loadDescriptor(bad).catch((e) => e);
  assert.ok(err instanceof ModuleInitError);
  assert.match(err.message, /device not found/);
  assert.equal(irqs.get(10), null, "handler removed");
  assert.deepEqual(dropped, ["bad"]);
  assert.equal(loader.get("bad"), undefined);
  // The same resources can be claimed by a good module afterwards.
  await loader.loadDescriptor(desc({ name: "good", resources: bad.resources }));
  assert.equal(loader.get("good")?.resources.irqs?.[0], 10);
});

Deno.test("malformed descriptors are refused with ModuleDescriptorError", async () => {
  const { loader } = setup();
  await assert.rejects(
    loader.loadDescriptor(null as unknown as ModuleDescriptor),
    ModuleDescriptorError,
  );
  await assert.rejects(
    loader.loadDescriptor(desc({ kind: "toaster" as never })),
    ModuleDescriptorError,
  );
  await assert.rejects(
    loader.loadDescriptor(desc({ init: undefined as never })),
    ModuleDescriptorError,
  );
  await assert.rejects(
    loader.loadDescriptor(desc({ resources: { irqs: [-1] } })),
    ModuleDescriptorError,
  );
});

Deno.test("two drivers cannot claim the same range, IRQ or DMA channel; unmapped ranges refused", async () => {
  const { loader } = setup();
  await loader.loadDescriptor(desc({
    name: "a",
    resources: { mmio: [{ base: 0x1000_0000, size: 0x10 }], irqs: [10], dma: [0] },
  }));
  await assert.rejects(
    loader.loadDescriptor(
      desc({ name: "b", resources: { mmio: [{ base: 0x1000_0008, size: 8 }] } }),
    ),
    ModuleResourceError,
  );
  await assert.rejects(
    loader.loadDescriptor(desc({ name: "c", resources: { irqs: [10] } })),
    ModuleResourceError,
  );
  await assert.rejects(
    loader.loadDescriptor(desc({ name: "d", resources: { dma: [0] } })),
    ModuleResourceError,
  );
  await assert.rejects(
    loader.loadDescriptor(
      desc({ name: "e", resources: { mmio: [{ base: 0x2000_0000, size: 4 }] } }),
    ),
    ModuleResourceError,
  );
  await assert.rejects(loader.loadDescriptor(desc({ name: "a" })), ModuleExistsError);
});

Deno.test("a driver gets only what it claimed", async () => {
  const { loader, regs } = setup();
  let ctx: ModuleContext | null = null;
  await loader.loadDescriptor(desc({
    name: "drv",
    resources: { mmio: [{ base: 0x1000_0000, size: 0x10 }], irqs: [11] },
    init: (_api, c) => void (ctx = c),
  }));
  const c = ctx! as ModuleContext;
  const w = c.mmio(0x1000_0000);
  w.write8(3, 0x5a);
  assert.equal(regs[3], 0x5a);
  assert.equal(w.read8(3), 0x5a);
  assert.throws(() => w.read8(0x10), ResourceError, "outside the claimed window");
  assert.throws(() => c.mmio(0x1000_0080), ResourceError);
  assert.throws(() => c.onIrq(12, () => {}), ResourceError);
});

Deno.test("references: busy modules are not unloaded unless forced; dependencies count", async () => {
  const { loader } = setup();
  await assert.rejects(
    loader.loadDescriptor(desc({ name: "b", dependsOn: ["a"] })),
    ModuleDependencyError,
  );
  let exited = 0;
  await loader.loadDescriptor(desc({ name: "a", exit: () => void exited++ }));
  await loader.loadDescriptor(desc({ name: "b", dependsOn: ["a"] }));
  assert.equal(loader.get("a")?.refs, 1);
  await assert.rejects(loader.unload("a"), ModuleBusyError);
  loader.ref("b");
  await assert.rejects(loader.unload("b"), ModuleBusyError);
  loader.unref("b");
  await loader.unload("b");
  assert.equal(loader.get("a")?.refs, 0);
  loader.ref("a");
  await loader.unload("a", true);
  assert.equal(exited, 1);
  await assert.rejects(loader.unload("a"), ModuleNotFoundError);
});

Deno.test("registrations during init are tagged with the module as owner", async () => {
  const { loader, owners } = setup();
  await loader.loadDescriptor(desc({
    name: "x",
    init: (_api, ctx) => void ctx.onConsoleInputEnd(() => {}),
  }));
  await loader.loadDescriptor(desc({
    name: "y",
    init: (_api, ctx) => void ctx.registerPersonality({} as never),
  }));
  assert.deepEqual(owners, ["x", "y"]);
});

Deno.test("load() imports a plugin file and refuses a file without a descriptor", async () => {
  const { loader } = setup();
  const info = await loader.load("plugins/schedulers/round_robin.ts").catch((e) => e);
  // round_robin calls ctx.setScheduler, which the fake host refuses: init fails cleanly.
  assert.ok(info instanceof ModuleInitError);
  assert.equal(loader.get("round_robin"), undefined);
  await assert.rejects(loader.load("kernel/errors.ts"), ModuleDescriptorError);
  await assert.rejects(loader.load("no/such/file.ts"), ModuleDescriptorError);
});

Deno.test("prefetch() imports ahead and leaves failures to load()", async () => {
  const { loader } = setup();
  await loader.prefetch([
    "plugins/schedulers/round_robin.ts",
    "no/such/file.ts",
    "kernel/errors.ts",
  ]);
  const info = await loader.load("plugins/schedulers/round_robin.ts").catch((e) => e);
  assert.ok(info instanceof ModuleInitError);
  await assert.rejects(loader.load("no/such/file.ts"), /cannot import/);
  await assert.rejects(loader.load("kernel/errors.ts"), ModuleDescriptorError);
});
