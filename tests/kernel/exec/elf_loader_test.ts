import assert from "node:assert/strict";
import { Ram } from "../../../hw/ram.ts";
import { parseElf32, PF_R, PF_W, PF_X, PT_LOAD } from "../../../lib/elf.ts";
import { K } from "../../../kernel/errors.ts";
import { loadElf, MAX_PHNUM } from "../../../kernel/exec/elf_loader.ts";
import {
  AddressSpace,
  AsidAllocator,
  FrameAllocator,
  type MmContext,
  Prot,
} from "../../../kernel/mm/mod.ts";
import { DEFAULT_KERNEL_COSTS } from "../../../kernel/proc/costs.ts";

function space(pages = 64): AddressSpace {
  const ram = new Ram(0x8000_0000, pages * 4096);
  const ctx: MmContext = {
    frames: new FrameAllocator(ram),
    asids: new AsidAllocator(),
    flush: () => {},
    charge: () => {},
    costs: DEFAULT_KERNEL_COSTS,
    stats: { pageFaults: 0, zeroFills: 0, cowCopies: 0 },
  };
  return new AddressSpace(ctx);
}

/** Segment: vaddr, filesz, memsz, flags (file bytes all come from offset 0). */
type Seg = [number, number, number, number];

/** An ET_EXEC RISC-V ELF32 with the given PT_LOAD segments (phnum may claim more). */
function elfWith(segs: Seg[], fileBytes = 256): Uint8Array {
  const phoff = 52;
  const b = new Uint8Array(Math.max(fileBytes, phoff + segs.length * 32));
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, 243, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, segs[0]?.[0] ?? 0x10000, true);
  dv.setUint32(28, phoff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, segs.length, true);
  segs.forEach(([vaddr, filesz, memsz, flags], i) => {
    const o = phoff + i * 32;
    dv.setUint32(o, PT_LOAD, true);
    dv.setUint32(o + 8, vaddr, true);
    dv.setUint32(o + 12, vaddr, true);
    dv.setUint32(o + 16, filesz, true);
    dv.setUint32(o + 20, memsz, true);
    dv.setUint32(o + 24, flags, true);
    dv.setUint32(o + 28, 4096, true);
  });
  return b;
}

Deno.test("loadElf rejects overlapping huge segments before any per-page work", () => {
  // Three segments of almost 2 GiB at the same address: Linux refuses the
  // overlap; a per-page loader would spend seconds of host time on them.
  const huge: Seg = [0x10000, 0, 0x7f000000 - 0x20000 - 8 * 1024 * 1024, PF_R | PF_W];
  const sp = space();
  assert.equal(loadElf(sp, parseElf32(elfWith([huge, huge, huge])), "/x"), K.NOEXEC);
  assert.equal(sp.regions.length, 0, "nothing mapped");
});

Deno.test("loadElf refuses more program headers than Linux's 64 KiB table", () => {
  const segs: Seg[] = [];
  for (let i = 0; i <= MAX_PHNUM; i++) segs.push([0x10000 + i * 0x1000, 0, 16, PF_R]);
  assert.equal(loadElf(space(), parseElf32(elfWith(segs)), "/x"), K.NOEXEC);
  assert.equal(
    typeof loadElf(space(), parseElf32(elfWith(segs.slice(0, MAX_PHNUM))), "/x"),
    "object",
    "exactly the limit loads",
  );
});

Deno.test("loadElf maps a huge demand-zero segment as one region", () => {
  const sp = space();
  const lay = loadElf(sp, parseElf32(elfWith([[0x10000, 64, 0x7000_0000, PF_R | PF_W]])), "/x");
  assert.equal(typeof lay, "object");
  const r = sp.findRegion(0x10000)!;
  assert.equal(r.end - r.start, 0x7000_0000);
  assert.equal(sp.resident, 1, "only the page with file bytes is resident");
});

Deno.test("loadElf: segments sharing a page get the union of their protections", () => {
  const sp = space();
  const lay = loadElf(
    sp,
    parseElf32(elfWith([
      [0x10000, 0, 0x1800, PF_R | PF_X],
      [0x11800, 0, 0x1000, PF_R | PF_W],
      [0x12900, 0, 0x100, PF_R],
    ])),
    "/x",
  );
  assert.equal(typeof lay, "object");
  assert.equal(sp.findRegion(0x10000)!.prot, Prot.READ | Prot.EXEC);
  assert.equal(sp.findRegion(0x11000)!.prot, Prot.READ | Prot.EXEC | Prot.WRITE);
  assert.equal(sp.findRegion(0x12000)!.prot, Prot.READ | Prot.WRITE);
  assert.equal(sp.findRegion(0x12fff)!.prot, Prot.READ | Prot.WRITE);
  assert.equal(sp.findRegion(0x13000), undefined);
  // Overlap by a single byte is refused.
  const bad = elfWith([[0x10000, 0, 0x1801, PF_R], [0x11800, 0, 0x10, PF_R]]);
  assert.equal(loadElf(space(), parseElf32(bad), "/x"), K.NOEXEC);
});
