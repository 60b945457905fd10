import assert from "node:assert/strict";
import {
  ElfFormatError,
  loadElfIntoRam,
  parseElf32,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
} from "../../lib/elf.ts";
import { Ram } from "../../hw/ram.ts";

/** Builds a small valid RISC-V ELF32: one code segment, one bss-ish segment, a symtab. */
function buildElf(): Uint8Array {
  const code = new Uint8Array([0x13, 0x00, 0x00, 0x00, 0x6f, 0x00, 0x00, 0x00]); // nop; j .
  const strtab = new TextEncoder().encode("\0tohost\0_start\0");
  const shstr = new TextEncoder().encode("\0.symtab\0.strtab\0.shstrtab\0");
  const ehdr = 52, phdrs = 2 * 32;
  const codeOff = ehdr + phdrs;
  const dataOff = codeOff + code.length; // 4 bytes of data
  const symOff = dataOff + 4;
  const syms = 3 * 16;
  const strOff = symOff + syms;
  const shstrOff = strOff + strtab.length;
  const shOff = (shstrOff + shstr.length + 3) & ~3;
  const total = shOff + 4 * 40;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, 243, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, 0x8000_0000, true);
  dv.setUint32(28, ehdr, true);
  dv.setUint32(32, shOff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, 2, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, 4, true);
  dv.setUint16(50, 3, true);
  const ph = (i: number, off: number, addr: number, fs: number, ms: number, fl: number) => {
    const o = ehdr + i * 32;
    dv.setUint32(o, PT_LOAD, true);
    dv.setUint32(o + 4, off, true);
    dv.setUint32(o + 8, addr, true);
    dv.setUint32(o + 12, addr, true);
    dv.setUint32(o + 16, fs, true);
    dv.setUint32(o + 20, ms, true);
    dv.setUint32(o + 24, fl, true);
    dv.setUint32(o + 28, 4, true);
  };
  ph(0, codeOff, 0x8000_0000, code.length, code.length, PF_R | PF_X);
  ph(1, dataOff, 0x8000_1000, 4, 16, PF_R | PF_W);
  b.set(code, codeOff);
  dv.setUint32(dataOff, 0xdeadbeef, true);
  // symbols: null, tohost (shndx 2), _start (shndx 1)
  dv.setUint32(symOff + 16, 1, true);
  dv.setUint32(symOff + 20, 0x8000_1000, true);
  dv.setUint16(symOff + 30, 2, true);
  dv.setUint32(symOff + 32, 8, true);
  dv.setUint32(symOff + 36, 0x8000_0000, true);
  dv.setUint16(symOff + 46, 1, true);
  b.set(strtab, strOff);
  b.set(shstr, shstrOff);
  const sh = (
    i: number,
    name: number,
    type: number,
    off: number,
    size: number,
    link: number,
    ent: number,
  ) => {
    const o = shOff + i * 40;
    dv.setUint32(o, name, true);
    dv.setUint32(o + 4, type, true);
    dv.setUint32(o + 16, off, true);
    dv.setUint32(o + 20, size, true);
    dv.setUint32(o + 24, link, true);
    dv.setUint32(o + 36, ent, true);
  };
  sh(1, 1, 2, symOff, syms, 2, 16);
  sh(2, 9, 3, strOff, strtab.length, 0, 0);
  sh(3, 17, 3, shstrOff, shstr.length, 0, 0);
  return b;
}

Deno.test("parseElf32 reads headers, segments and symbols", () => {
  const img = parseElf32(buildElf());
  assert.equal(img.entry, 0x8000_0000);
  assert.equal(img.machine, 243);
  assert.equal(img.type, 2);
  assert.equal(img.phnum, 2);
  assert.equal(img.programHeaders[1].memsz, 16);
  assert.equal(img.programHeaders[0].flags, PF_R | PF_X);
  assert.equal(img.symbols.get("tohost"), 0x8000_1000);
  assert.equal(img.symbols.get("_start"), 0x8000_0000);
  assert.equal(img.symbols.size, 2);
});

Deno.test("loadElfIntoRam copies segments, zero-fills bss and notifies writes", () => {
  const ram = new Ram(0x8000_0000, 0x4000);
  ram.u8.fill(0xaa);
  const writes: [number, number][] = [];
  ram.onWrite = (o, l) => writes.push([o, l]);
  loadElfIntoRam(parseElf32(buildElf()), ram);
  assert.equal(ram.i32[0], 0x13);
  assert.equal(ram.i32[0x1000 >> 2] >>> 0, 0xdeadbeef);
  assert.equal(ram.i32[(0x1000 >> 2) + 1], 0);
  assert.equal(ram.i32[(0x1000 >> 2) + 3], 0);
  assert.equal(ram.u8[0x1010], 0xaa);
  assert.ok(writes.some(([o]) => o === 0));
  assert.ok(writes.some(([o, l]) => o === 0x1004 && l === 12));
});

Deno.test("loadElfIntoRam rejects a segment outside RAM without writing", () => {
  const ram = new Ram(0x8000_0000, 0x1000); // data segment at +0x1000 does not fit
  assert.throws(() => loadElfIntoRam(parseElf32(buildElf()), ram), ElfFormatError);
  assert.equal(ram.i32[0], 0);
});

Deno.test("parseElf32 rejects wrong class, endianness, machine and truncation", () => {
  const good = buildElf();
  const mut = (f: (b: Uint8Array) => void) => {
    const b = good.slice();
    f(b);
    return b;
  };
  assert.throws(() => parseElf32(new Uint8Array(10)), /too short/);
  assert.throws(() => parseElf32(mut((b) => (b[0] = 0))), /magic/);
  assert.throws(() => parseElf32(mut((b) => (b[4] = 2))), /ELFCLASS32/);
  assert.throws(() => parseElf32(mut((b) => (b[5] = 2))), /little-endian/);
  assert.throws(() => parseElf32(mut((b) => (b[18] = 62))), /RISC-V/);
  // memsz < filesz
  assert.throws(() => parseElf32(mut((b) => (b[52 + 20] = 1))), /memsz/);
  for (let n = 0; n < good.length; n += 7) {
    try {
      parseElf32(good.subarray(0, n));
    } catch (e) {
      assert.ok(e instanceof ElfFormatError, `truncated at ${n}: ${e}`);
    }
  }
  assert.throws(() => parseElf32(good.subarray(0, 100)), ElfFormatError);
});

Deno.test("parseElf32 fuzz: random mutations only ever raise ElfFormatError", () => {
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  // A real linker's output too: the bare-metal binaries are committed.
  const inputs = [
    buildElf(),
    Deno.readFileSync(new URL("../baremetal/bin/rv32ui_arith.elf", import.meta.url)),
  ];
  let rejected = 0;
  for (const good of inputs) {
    for (let i = 0; i < 400; i++) {
      const b = good.slice(0, i % 5 === 0 ? rnd() % good.length : good.length);
      const n = 1 + (rnd() % 8);
      for (let k = 0; k < n; k++) {
        // Bias mutations towards the headers, where they matter.
        const pos = k & 1 ? rnd() % Math.min(b.length, 128) : rnd() % Math.max(1, b.length);
        if (pos < b.length) b[pos] = rnd() & 0xff;
      }
      try {
        parseElf32(b);
      } catch (e) {
        assert.ok(e instanceof ElfFormatError, `mutation ${i}: ${e}`);
        rejected++;
      }
    }
  }
  assert.ok(rejected > 50, `only ${rejected} mutations rejected`);
});
