import assert from "node:assert/strict";
import { BareMetalError, drainUart, runBareElf } from "../../system/bare_runner.ts";
import { BufferConsole } from "../../hw/console_io.ts";
import { MEMORY_MAP } from "../../hw/memory_map.ts";
import { TraceRecorder } from "../../kernel/proc/trace.ts";
import { parseElf32 } from "../../lib/elf.ts";
import { createMachine } from "../../hw/machine.ts";

const BIN = new URL("../baremetal/bin/", import.meta.url);

function elfNames(): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(BIN)) if (e.name.endsWith(".elf")) names.push(e.name);
  return names.sort();
}

function runOne(name: string) {
  // misaligned.elf checks the trapping behaviour; ma_data.elf the hardware one.
  const cpu = name === "misaligned.elf" ? { misaligned: "trap" as const } : {};
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n, cpu });
  const image = parseElf32(Deno.readFileSync(new URL(name, BIN)));
  return { result: runBareElf(m, image, { maxInstructions: 5_000_000 }), machine: m };
}

Deno.test("there are bare-metal programs for every area", () => {
  const names = elfNames();
  for (
    const want of [
      "rv32ui_arith",
      "rv32ui_branches",
      "rv32ui_memory",
      "rv32um",
      "rv32ua",
      "priv_traps",
      "sv32",
      "misaligned",
      "timer",
      "c_algorithms",
      "c_mixhash",
      "c_algorithms_rvc",
      "c_mixhash_rvc",
      "c_fphash_fd",
    ]
  ) {
    assert.ok(names.includes(`${want}.elf`), `${want}.elf is built`);
  }
});

for (const name of elfNames()) {
  Deno.test(`bare-metal ${name} passes`, () => {
    const { result } = runOne(name);
    assert.equal(result.status, "pass", `${name}: ${JSON.stringify(result)}`);
  });
}

Deno.test("the C program prints through the HTIF write syscall", () => {
  const { result } = runOne("c_algorithms.elf");
  assert.equal(result.output, "hello from bare metal\n");
});

Deno.test("determinism: the same program twice gives identical cycles and instret", () => {
  for (const name of ["c_algorithms.elf", "timer.elf", "sv32.elf"]) {
    const a = runOne(name).result;
    const b = runOne(name).result;
    assert.equal(a.cycles, b.cycles, name);
    assert.equal(a.instructions, b.instructions, name);
  }
});

Deno.test("a failing program reports its test number; budget exhaustion is 'limit'", () => {
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const image = parseElf32(Deno.readFileSync(new URL("rv32ui_arith.elf", BIN)));
  const r = runBareElf(m, image, { maxInstructions: 10 });
  assert.equal(r.status, "limit");
  // Write "fail 7" through tohost by hand: a two-instruction program.
  const bytes = image.bytes.slice();
  const text = image.programHeaders.find((p) => p.vaddr === image.entry)!;
  const tohost = image.symbols.get("tohost")!;
  const dv = new DataView(bytes.buffer);
  const hi = (tohost + 0x800) >>> 12, lo = (tohost - (hi << 12)) | 0;
  dv.setUint32(text.offset, ((hi & 0xfffff) << 12) | (5 << 7) | 0x37, true); // lui t0, %hi
  dv.setUint32(text.offset + 4, ((15 & 0xfff) << 20) | (6 << 7) | 0x13, true); // li t1, 15
  dv.setUint32(
    text.offset + 8,
    (((lo >> 5) & 0x7f) << 25) | (6 << 20) | (5 << 15) | (2 << 12) |
      ((lo & 31) << 7) | 0x23,
    true,
  ); // sw t1, %lo(t0)
  dv.setUint32(text.offset + 12, 0x0000006f, true); // j .
  const m2 = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const r2 = runBareElf(m2, parseElf32(bytes), {});
  assert.equal(r2.status, "fail");
  assert.equal(r2.code, 7);
});

Deno.test("an ELF without tohost is refused with BareMetalError", () => {
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const image = parseElf32(Deno.readFileSync(new URL("rv32um.elf", BIN)));
  image.symbols.delete("tohost");
  assert.throws(() => runBareElf(m, image), BareMetalError);
});

/** rv32ui_arith with its first instruction replaced by 0 (illegal): it traps to mtvec = 0. */
function trapStormImage() {
  const bytes = Deno.readFileSync(new URL("rv32ui_arith.elf", BIN));
  const image = parseElf32(bytes);
  const seg = image.programHeaders.find((ph) =>
    ph.type === 1 && image.entry >= ph.vaddr && image.entry < ph.vaddr + ph.filesz
  )!;
  bytes.fill(0, seg.offset + image.entry - seg.vaddr, seg.offset + image.entry - seg.vaddr + 4);
  return parseElf32(bytes);
}

Deno.test("a trap storm (mtvec = 0 faulting on itself) ends with a message, not a hang", () => {
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const r = runBareElf(m, trapStormImage(), { maxInstructions: 50_000_000 });
  assert.equal(r.status, "trap-storm");
  assert.equal(r.message, "trap storm at pc=0x0 (cause 1)");
  m.close();
});

Deno.test("traps count against maxInstructions", () => {
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const r = runBareElf(m, trapStormImage(), { maxInstructions: 3000 });
  assert.equal(r.status, "limit");
  assert.equal(m.cpu.mcause, 1);
  // 3,000 steps, every one a trap: 3,000 trap charges of simulated time.
  assert.ok(r.cycles <= 3000 * m.cpu.costs.trap + 100, `${r.cycles} cycles`);
  m.close();
});

Deno.test("bare runner: the README's runBareElf example runs as written", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .find((code) => code.includes("runBareElf("));
  assert.ok(block !== undefined, "README shows runBareElf");
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  const logged: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => logged.push(a.join(" "));
  try {
    await Deno.writeTextFile(file, block.replace('"./mod.ts"', JSON.stringify(mod)));
    await import(new URL(`file://${file}`).href);
  } finally {
    console.log = orig;
    await Deno.remove(file);
  }
  assert.match(logged.join("\n"), /^pass 0 \d+$/);
});

Deno.test("bare runner: drainUart sends what the UART still holds (FIFO and shift register)", () => {
  const console = new BufferConsole();
  const m = createMachine({ ramSize: 1 << 20, console });
  for (const c of "tail\n") m.bus.write(MEMORY_MAP.UART0_BASE, 1, c.charCodeAt(0));
  assert.equal(console.text, ""); // still in the UART: nothing has been shifted out yet
  assert.equal(m.uart.transmitting, true);
  drainUart(m);
  assert.equal(console.text, "tail\n");
  assert.equal(m.uart.transmitting, false);
});

Deno.test("bare runner: a trace sink gets run spans, host requests and the verdict", () => {
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const rec = new TraceRecorder(m.clock.frequency);
  const image = parseElf32(Deno.readFileSync(new URL("c_algorithms.elf", BIN)));
  const r = runBareElf(m, image, { maxInstructions: 50_000_000, trace: rec });
  assert.equal(r.status, "pass");
  const ev = JSON.parse(rec.toJSON()).traceEvents as {
    name: string;
    cat: string;
    args?: { instructions?: number };
  }[];
  const runs = ev.filter((e) => e.cat === "sched" && e.name === "run");
  assert.ok(runs.length >= 1);
  assert.equal(runs.reduce((n, e) => n + (e.args?.instructions ?? 0), 0), r.instructions);
  assert.equal(ev.at(-1)!.name, "pass");
});
