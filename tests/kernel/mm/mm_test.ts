import assert from "node:assert/strict";
import { Ram } from "../../../hw/ram.ts";
import { K } from "../../../kernel/errors.ts";
import {
  Access,
  AddressSpace,
  AsidAllocator,
  FaultResult,
  FrameAllocator,
  type MmContext,
  PageTable,
  Prot,
  PTE,
  USER_LAYOUT,
} from "../../../kernel/mm/mod.ts";
import { DEFAULT_KERNEL_COSTS } from "../../../kernel/proc/costs.ts";

function context(pages = 256) {
  const ram = new Ram(0x8000_0000, pages * 4096);
  const frames = new FrameAllocator(ram);
  const flushes: [number | undefined, number | undefined][] = [];
  let charged = 0;
  const ctx: MmContext = {
    frames,
    asids: new AsidAllocator(),
    flush: (va, asid) => void flushes.push([va, asid]),
    charge: (c) => void (charged += c),
    costs: DEFAULT_KERNEL_COSTS,
    stats: { pageFaults: 0, zeroFills: 0, cowCopies: 0 },
  };
  return { ram, frames, ctx, flushes, charged: () => charged };
}

Deno.test("frames: allocation is deterministic, refcounted, exhaustible", () => {
  const ram = new Ram(0x8000_0000, 4 * 4096);
  const fa = new FrameAllocator(ram);
  assert.equal(fa.total, 4);
  assert.equal(fa.alloc(), 0);
  assert.equal(fa.alloc(), 1);
  fa.ref(1);
  assert.equal(fa.unref(1), 1);
  assert.equal(fa.free, 2);
  assert.equal(fa.unref(1), 0);
  assert.equal(fa.free, 3);
  assert.equal(fa.alloc(), 1, "a freed frame is reused first");
  assert.equal(fa.alloc(), 2);
  assert.equal(fa.alloc(), 3);
  assert.equal(fa.alloc(), -1, "exhausted");
  assert.throws(() => {
    fa.unref(0);
    fa.unref(0);
  }, /double free/);
  assert.equal(fa.ppn(2), 0x80002);
  assert.equal(fa.frameOfPpn(0x80003), 3);
  assert.equal(fa.frameOfPpn(0x12345), -1);
});

/** The allocator's order written out plainly: one stack of every free frame, lowest on top. */
class StackModel {
  readonly refs: number[];
  readonly stack: number[] = [];
  constructor(total: number, firstFrame: number) {
    this.refs = Array.from({ length: total }, (_, f) => (f < firstFrame ? 1 : 0));
    for (let f = total - 1; f >= firstFrame; f--) this.stack.push(f);
  }
  alloc(): number {
    const f = this.stack.pop();
    if (f === undefined) return -1;
    this.refs[f] = 1;
    return f;
  }
  allocRun(n: number): number {
    for (let f = this.refs.length - n; f >= 0; f--) {
      if (this.refs.slice(f, f + n).every((r) => r === 0)) {
        for (let i = f; i < f + n; i++) this.refs[i] = 1;
        const kept = this.stack.filter((x) => x < f || x >= f + n);
        this.stack.length = 0;
        this.stack.push(...kept);
        return f;
      }
    }
    return -1;
  }
  unref(f: number): void {
    if (--this.refs[f] === 0) this.stack.push(f);
  }
}

Deno.test("frames: the lazily kept free stack hands out what a full stack would", () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (const [pages, firstFrame] of [[64, 0], [64, 3], [40, 40], [200, 1]]) {
    const fa = new FrameAllocator(new Ram(0x8000_0000, pages * 4096), firstFrame);
    const model = new StackModel(pages, firstFrame);
    const held: number[] = [];
    for (let step = 0; step < 3000; step++) {
      const op = rand(10);
      if (op < 5) {
        const f = fa.alloc();
        assert.equal(f, model.alloc(), `alloc, step ${step}`);
        if (f >= 0) held.push(f);
      } else if (op < 6) {
        const n = 1 + rand(6);
        const f = fa.allocRun(n);
        assert.equal(f, model.allocRun(n), `allocRun(${n}), step ${step}`);
        for (let i = 0; f >= 0 && i < n; i++) held.push(f + i);
      } else if (held.length > 0) {
        const f = held.splice(rand(held.length), 1)[0];
        fa.unref(f);
        model.unref(f);
      }
      assert.equal(fa.free, model.stack.length, `free, step ${step}`);
    }
  }
});

Deno.test("frames: zero and copy work on RAM", () => {
  const ram = new Ram(0x8000_0000, 4 * 4096);
  const fa = new FrameAllocator(ram);
  const a = fa.alloc(), b = fa.alloc();
  ram.u8.fill(7, a * 4096, a * 4096 + 4096);
  fa.copy(b, a);
  assert.equal(ram.u8[b * 4096 + 4095], 7);
  fa.zero(b);
  assert.equal(ram.u8[b * 4096 + 100], 0);
});

Deno.test("page table: Sv32 entries are written where the MMU walks them", () => {
  const { ram, frames } = context();
  const pt = new PageTable(frames);
  const f = frames.alloc();
  assert.ok(pt.map(0x0040_3000, f, PTE.R | PTE.U | PTE.A));
  const vpn1 = 0x0040_3000 >>> 22, vpn0 = (0x0040_3000 >>> 12) & 0x3ff;
  const rootPte = ram.i32[(pt.root << 10) + vpn1];
  assert.equal(rootPte & 0xf, PTE.V, "non-leaf: V only");
  const l2 = frames.frameOfPpn(rootPte >>> 10);
  const leaf = ram.i32[(l2 << 10) + vpn0];
  assert.equal(leaf >>> 10, frames.ppn(f));
  assert.equal(leaf & 0xff, PTE.V | PTE.R | PTE.U | PTE.A);
  assert.equal(pt.frameAt(0x0040_3abc), f);
  assert.equal(pt.frameAt(0x0040_4000), -1);
  assert.equal(pt.unmap(0x0040_3000), f);
  assert.equal(pt.get(0x0040_3000), 0);
  const before = frames.free;
  pt.destroy();
  assert.equal(frames.free, before + 2, "root and one second-level table freed");
});

Deno.test("page table: forEachLeaf visits the valid leaves of a range in order, across tables", () => {
  const { frames } = context();
  const pt = new PageTable(frames);
  // Leaves on both sides of a 4 MiB boundary, at the top of the address space, and a gap.
  const mapped = [0x003f_e000, 0x003f_f000, 0x0040_0000, 0x0040_5000, 0x0080_0000, 0xffff_f000];
  for (const va of mapped) assert.ok(pt.map(va, frames.alloc(), PTE.R | PTE.U | PTE.A));
  const seen = (start: number, end: number) => {
    const out: number[] = [];
    pt.forEachLeaf(start, end, (va, idx) => {
      assert.equal(idx, pt.pteIndex(va, false));
      out.push(va);
    });
    return out;
  };
  assert.deepEqual(seen(0, 0xffff_ffff), mapped);
  assert.deepEqual(seen(0x003f_f000, 0x0040_5000), [0x003f_f000, 0x0040_0000]);
  assert.deepEqual(seen(0x003f_f000, 0x0040_5001), [0x003f_f000, 0x0040_0000, 0x0040_5000]);
  assert.deepEqual(seen(0x0040_1000, 0x0080_0000), [0x0040_5000]);
  assert.deepEqual(seen(0x00c0_0000, 0xffff_f000), []);
  assert.deepEqual(seen(0xffff_f000, 0xffff_ffff), [0xffff_f000]);
});

Deno.test("page table: forEachLeaf agrees with a walk of every page, after maps and unmaps", () => {
  const { frames } = context(1024);
  const pt = new PageTable(frames);
  // A fixed pseudo-random sequence: leaves around 32-slot chunk edges and table edges.
  let seed = 12345;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const bases = [0x0000_0000, 0x003f_0000, 0x0040_0000, 0x7ff0_0000, 0xfff0_0000];
  const live = new Set<number>();
  for (let k = 0; k < 400; k++) {
    const va = (bases[rand(bases.length)] + rand(256) * 4096) >>> 0;
    if (live.has(va) && rand(2) === 0) {
      frames.unref(pt.unmap(va));
      live.delete(va);
    } else if (!live.has(va)) {
      assert.ok(pt.map(va, frames.alloc(), PTE.R | PTE.U | PTE.A));
      live.add(va);
    }
  }
  for (
    const [start, end] of [[0, 0xffff_ffff], [0x003f_1100, 0x0040_2fff], [0x7ff0_8000, 0x7ff3_1000]]
  ) {
    const got: number[] = [];
    pt.forEachLeaf(start, end, (va) => got.push(va));
    const want = [...live].filter((va) => va + 4096 > start && va < end).sort((a, b) => a - b);
    assert.deepEqual(got, want, `range ${start.toString(16)}-${end.toString(16)}`);
  }
});

Deno.test("address space: demand-zero, permissions, MAPERR/ACCERR", () => {
  const { ctx } = context();
  const as = new AddressSpace(ctx);
  assert.ok(as.asid > 0);
  assert.equal(as.satp >>> 31, 1);
  assert.equal(as.mapRegion(0x10000, 0x2000, Prot.READ | Prot.WRITE, "data"), K.OK);
  assert.equal(as.mapRegion(0x11000, 0x1000, Prot.READ, "x"), K.EXIST);
  assert.equal(as.mapRegion(0x20000, 0x1000, Prot.READ, "ro"), K.OK);
  assert.equal(as.handleFault(0x10004, Access.WRITE), FaultResult.OK);
  assert.equal(ctx.stats.zeroFills, 1);
  assert.equal(as.resident, 1);
  assert.equal(as.handleFault(0x30000, Access.READ), FaultResult.MAPERR);
  assert.equal(as.handleFault(0x20000, Access.WRITE), FaultResult.ACCERR);
  assert.equal(as.handleFault(0x20000, Access.EXEC), FaultResult.ACCERR);
  assert.ok(as.copyOut(0x10ffe, new Uint8Array([1, 2, 3, 4])), "copy across a page boundary");
  assert.deepEqual([...as.copyIn(0x10ffe, 4)!], [1, 2, 3, 4]);
  assert.equal(as.copyOut(0x20000, new Uint8Array(1)), false, "read-only page");
  assert.equal(as.copyIn(0x30000, 1), null, "unmapped");
  assert.equal(as.copyIn(0xffff_fff0, 64), null, "kernel half / wrap");
  assert.equal(as.readU32(0x10ffe), 0x04030201);
  assert.equal(as.readU32(0x50000), K.FAULT);
  assert.ok(as.writeU32(0x10100, 0xdeadbeef));
  assert.equal(as.readU32(0x10100), 0xdeadbeef);
});

Deno.test("address space: readCString checks bounds and length", () => {
  const { ctx } = context();
  const as = new AddressSpace(ctx);
  as.mapRegion(0x10000, 0x2000, Prot.READ | Prot.WRITE, "data");
  as.copyOut(0x10ffc, new TextEncoder().encode("héllo\0"));
  assert.equal(as.readCString(0x10ffc), "héllo");
  assert.equal(as.readCString(0x10ffc, 3), K.NAMETOOLONG);
  as.copyOut(0x11ff0, new Uint8Array(16).fill(65));
  assert.equal(as.readCString(0x11ff0), K.FAULT, "runs off the mapping");
});

Deno.test("address space: copy-on-write fork shares frames until written", () => {
  const { ctx, frames } = context();
  const parent = new AddressSpace(ctx);
  parent.mapRegion(0x10000, 0x3000, Prot.READ | Prot.WRITE, "data");
  parent.copyOut(0x10000, new Uint8Array([42]));
  parent.copyOut(0x11000, new Uint8Array([43]));
  const f0 = parent.pt.frameAt(0x10000);
  const child = parent.fork()!;
  assert.ok(child !== null);
  assert.equal(child.pt.frameAt(0x10000), f0, "shared frame");
  assert.equal(frames.refs[f0], 2);
  assert.equal(parent.pt.get(0x10000) & PTE.W, 0, "parent made read-only");
  assert.equal(child.pt.get(0x10000) & PTE.W, 0, "child read-only");
  // Child writes: gets its own copy; parent's data unchanged.
  assert.ok(child.copyOut(0x10000, new Uint8Array([99])));
  assert.equal(ctx.stats.cowCopies, 1);
  assert.notEqual(child.pt.frameAt(0x10000), f0);
  assert.equal(frames.refs[f0], 1);
  assert.equal(parent.copyIn(0x10000, 1)![0], 42);
  assert.equal(child.copyIn(0x10000, 1)![0], 99);
  // Parent writes its now-exclusive page: no copy, W restored.
  assert.ok(parent.copyOut(0x10000, new Uint8Array([7])));
  assert.equal(ctx.stats.cowCopies, 1);
  assert.equal(parent.pt.frameAt(0x10000), f0);
  assert.ok(parent.pt.get(0x10000) & PTE.W);
  // Untouched page 0x12000 stays absent in both (demand zero later).
  assert.equal(child.pt.frameAt(0x12000), -1);
  const free = frames.free;
  child.destroy();
  assert.ok(frames.free > free, "child's frames released");
  assert.equal(parent.copyIn(0x11000, 1)![0], 43);
  parent.destroy();
  assert.equal(frames.free, frames.total, "everything returned");
});

Deno.test("address space: munmap splits regions and frees pages; mprotect", () => {
  const { ctx, frames } = context();
  const as = new AddressSpace(ctx);
  const a = as.mmapAnon(0, 0x4000, Prot.READ | Prot.WRITE, false);
  assert.ok(a > 0 && a + 0x4000 <= USER_LAYOUT.MMAP_TOP);
  assert.ok(as.copyOut(a, new Uint8Array(0x4000).fill(1)));
  const used = frames.total - frames.free;
  assert.equal(as.unmap(a + 0x1000, 0x1000), K.OK);
  assert.equal(as.regions.length, 2);
  assert.equal(frames.total - frames.free, used - 1);
  assert.equal(as.copyIn(a + 0x1000, 1), null);
  assert.equal(as.protect(a, 0x1000, Prot.READ), K.OK);
  assert.equal(as.copyOut(a, new Uint8Array(1)), false);
  assert.equal(as.copyIn(a, 1)![0], 1);
  assert.equal(as.protect(a, 0x3000, Prot.READ), K.NOMEM, "hole in range");
  const b = as.mmapAnon(0, 0x1000, Prot.READ, false);
  assert.equal(b, a + 0x1000, "highest free gap (the hole)");
  const fixed = as.mmapAnon(a, 0x2000, Prot.READ | Prot.WRITE, true);
  assert.equal(fixed, a);
  assert.equal(as.copyIn(a, 1)![0], 0, "fixed mapping replaced the old pages");
  assert.equal(as.mmapAnon(0x123, 0x1000, Prot.READ, true), K.INVAL);
});

Deno.test("address space: brk grows and shrinks the heap", () => {
  const { ctx } = context();
  const as = new AddressSpace(ctx);
  as.mapRegion(0x10000, 0x1000, Prot.READ | Prot.EXEC, "/bin/x");
  as.initBrk(0x10800);
  assert.equal(as.setBrk(0), 0x11000);
  assert.equal(as.setBrk(0x13000), 0x13000);
  assert.ok(as.copyOut(0x12ffc, new Uint8Array(4)));
  assert.equal(as.setBrk(0x11800), 0x11800);
  assert.equal(as.copyIn(0x12000, 1), null, "shrunk");
  assert.equal(as.setBrk(0x1000), 0x11800, "below start: unchanged");
  assert.equal(as.setBrk(0x7fff_0000), 0x11800, "into the stack: refused");
});

Deno.test("address space: out of frames is a clean NOMEM, not an exception", () => {
  const { ctx } = context(8);
  const as = new AddressSpace(ctx);
  as.mapRegion(0x10000, 0x10_0000, Prot.READ | Prot.WRITE, "big");
  let r: number = FaultResult.OK;
  for (let va = 0x10000; r === FaultResult.OK; va += 0x1000) r = as.handleFault(va, Access.WRITE);
  assert.equal(r, FaultResult.NOMEM);
  assert.equal(as.copyOut(0x10000 + 0x9_0000, new Uint8Array(1)), false);
});

Deno.test("asids: unique until exhausted, then shared 0", () => {
  const a = new AsidAllocator();
  const seen = new Set<number>();
  for (let i = 0; i < 511; i++) seen.add(a.alloc());
  assert.equal(seen.size, 511);
  assert.ok(!seen.has(0));
  assert.equal(a.alloc(), 0);
  a.free(5);
  assert.equal(a.alloc(), 5);
});

Deno.test("address space: check() validates a range without moving data", () => {
  const { ctx } = context();
  const as = new AddressSpace(ctx);
  as.mapRegion(0x10000, 0x2000, Prot.READ | Prot.WRITE, "data");
  as.mapRegion(0x20000, 0x1000, Prot.READ, "ro");
  assert.ok(as.check(0x10ff0, 0x20, true));
  assert.ok(as.check(0x20000, 0x1000, false));
  assert.equal(as.check(0x20000, 4, true), false, "read-only");
  assert.equal(as.check(0x11ff0, 0x20, false), false, "runs off the end");
  assert.equal(as.check(0, 4, false), false);
  assert.ok(as.check(0x30000, 0, false), "empty range");
});
