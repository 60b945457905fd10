import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { formatMemory, Monitor } from "../../system/monitor.ts";
import { serveMonitor } from "../../system/monitor_server.ts";

async function booted() {
  const sys = await boot({ cmd: "true" }, { kind: "buffer" });
  return { sys, mon: new Monitor(sys.kernel) };
}

Deno.test("monitor: info commands describe the machine and the kernel", async () => {
  const { sys, mon } = await booted();
  try {
    assert.match(await mon.execute("info registers"), /^ pc {7}[0-9a-f]{8}\n x0\/zero {2}00000000/);
    assert.match(await mon.execute("info mtree"), /0c000000-0fffffff \(prio 0, i\/o\): plic/);
    assert.match(await mon.execute("info mtree"), /80000000-83ffffff \(prio 0, ram\): ram/);
    assert.match(await mon.execute("info modules"), /^round_robin +1\.0\.0 +scheduler +refs 1/m);
    assert.match(await mon.execute("info sched"), /^policy: round_robin$/m);
    assert.match(await mon.execute("info processes"), /^ +1 +0 R unix +1 init$/m);
    assert.match(await mon.execute("info pic"), /^context 1 \(S\): enabled 10 20/m);
    assert.match(await mon.execute("info irq"), /CPU0/);
    assert.equal(await mon.execute("info tlb"), "paging is off (satp.MODE = Bare)");
    assert.equal(
      await mon.execute("info nothing"),
      "info: unknown item 'nothing' " +
        "(registers, tlb, mtree, irq, pic, modules, processes, sched)",
    );
    assert.equal(await mon.execute("frobnicate"), "frobnicate: unknown command (try 'help')");
    assert.match(await mon.execute("help"), /^module swap OLD NEW/m);
  } finally {
    sys.machine.close();
  }
});

Deno.test("monitor: x and xp with QEMU's /FMT", async () => {
  const { sys, mon } = await booted();
  try {
    // init's ELF header is mapped at 0x10000 in its address space.
    assert.equal(await mon.execute("x /4xb 0x10000"), "00010000: 0x7f 0x45 0x4c 0x46");
    assert.equal(await mon.execute("x/3c 0x10001"), "00010001: 'E' 'L' 'F'");
    assert.equal(await mon.execute("xp /1xw 0x7000000"), "xp: address not in RAM");
    assert.equal(await mon.execute("x /1xw 0"), "x: cannot read 4 bytes at 0x0");
    assert.equal(await mon.execute("x 12 34"), "x: usage: x /FMT ADDR, e.g. x /4xw 0x10000");
  } finally {
    sys.machine.close();
  }
  const b = Uint8Array.of(1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff);
  assert.equal(formatMemory(0x100, b, 4, "d"), "00000100: 1 -1");
  assert.equal(formatMemory(0x100, b, 2, "x"), "00000100: 0x0001 0x0000 0xffff 0xffff");
});

Deno.test("monitor: modules, scheduler, stop/cont and trace", async () => {
  const { sys, mon } = await booted();
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    assert.equal(await mon.execute("module load faulty throw_on=2"), "loaded faulty 1.0.0");
    assert.equal(await mon.execute("module unload faulty"), "unloaded faulty");
    assert.equal(
      await mon.execute("module load nosuch"),
      "module: no module 'nosuch' in the module directories",
    );
    assert.equal(await mon.execute("sched edf"), "scheduler: edf");
    assert.equal(await mon.execute("module swap edf stride"), "replaced edf by stride 1.0.0");
    assert.equal(
      await mon.execute("module unload stride"),
      "module: module stride: is in use (1 reference)",
    );
    assert.equal(await mon.execute("stop"), "");
    assert.equal(sys.kernel.loop.paused, true);
    assert.equal(await mon.execute("cont"), "");
    assert.equal(sys.kernel.loop.paused, false);
    assert.equal(await mon.execute(`trace start ${file}`), `tracing to ${file}`);
    const r = await sys.run();
    assert.equal(r.status, 0);
    assert.match(await mon.execute("trace stop"), /^wrote \d+ events to /);
    assert.ok(JSON.parse(await Deno.readTextFile(file)).traceEvents.length > 10);
  } finally {
    sys.machine.close();
    await Deno.remove(file);
  }
});

Deno.test("monitor: served on a Unix socket with a prompt", async () => {
  const { sys, mon } = await booted();
  const dir = await Deno.makeTempDir();
  const server = serveMonitor(mon, `${dir}/mon.sock`);
  try {
    const conn = await Deno.connect({ transport: "unix", path: `${dir}/mon.sock` });
    const td = new TextDecoder();
    const buf = new Uint8Array(8192);
    let text = "";
    const until = async (s: string) => {
      while (!text.includes(s)) {
        const n = await conn.read(buf);
        if (n === null) break;
        text += td.decode(buf.subarray(0, n));
      }
    };
    await until("(strata) ");
    await conn.write(new TextEncoder().encode("info sched\n"));
    await until("policy: round_robin\n");
    await until("ready:");
    conn.close();
    assert.match(text, /^Strata monitor - type 'help'/);
  } finally {
    server.close();
    sys.machine.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("monitor: info block lists the disks, their driver and partitions", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/d.img`;
  const { buildMbr } = await import("../../kernel/block/mbr.ts");
  const img = new Uint8Array(2 << 20);
  img.set(buildMbr([{ type: 0x83, start: 64, sectors: 4032 }]));
  await Deno.writeFile(path, img);
  const sys = await boot({ cmd: "true", disks: [{ path }], ataDriver: "irq" }, { kind: "buffer" });
  try {
    const out = await new Monitor(sys.kernel).execute("info block");
    assert.match(
      out,
      /^hda: .*, 4096 sectors \(2 MiB\), driver ata_irq, elevator clook, 0 queued, read-write\n {4}hda1: start 64, 4032 sectors$/,
    );
  } finally {
    sys.machine.close();
    await Deno.remove(dir, { recursive: true });
  }
});
