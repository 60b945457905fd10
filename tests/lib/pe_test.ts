import assert from "node:assert/strict";
import {
  applyRelocations,
  buildImage,
  findExport,
  looksLikePe32,
  parsePe32,
  PeFormatError,
  readExports,
  readImports,
  writeImport,
} from "../../lib/pe.ts";
import { buildPe } from "./pe_builder.ts";

const code = new Uint8Array(64).fill(0x13);

function dllWithExports() {
  return buildPe({
    dll: true,
    imageBase: 0x1000_0000,
    code,
    data: new Uint8Array(16),
    dataRelocs: [0, 8],
    exports: [{ name: "Beta", offset: 8 }, { name: "Alpha", offset: 4 }, {
      name: null,
      offset: 12,
    }],
    exportName: "mini.dll",
  });
}

Deno.test("pe: headers, sections and exports of a DLL", () => {
  const { bytes, textRva } = dllWithExports();
  assert.equal(looksLikePe32(bytes), true);
  const img = parsePe32(bytes);
  assert.equal(img.isDll, true);
  assert.equal(img.imageBase, 0x1000_0000);
  assert.deepEqual(img.sections.map((s) => s.name), [".text", ".data", ".edata", ".reloc"]);
  const mem = buildImage(bytes, img);
  const ex = readExports(mem, img)!;
  assert.equal(ex.name, "mini.dll");
  assert.equal(findExport(ex, "Alpha", 0)?.rva, textRva + 4);
  assert.equal(findExport(ex, "Beta", 0)?.rva, textRva + 8);
  assert.equal(findExport(ex, null, 3)?.rva, textRva + 12); // ordinal base 1, index 2
  assert.equal(findExport(ex, "Gamma", 0), null);
  assert.equal(findExport(ex, null, 9), null);
});

Deno.test("pe: HIGHLOW relocations move absolute words by the delta", () => {
  const data = new Uint8Array(16);
  const dv = new DataView(data.buffer);
  dv.setUint32(0, 0x1000_1004, true);
  dv.setUint32(8, 0x1000_2000, true);
  dv.setUint32(4, 0x1234, true); // not relocated
  const { bytes, dataRva } = buildPe({
    dll: true,
    imageBase: 0x1000_0000,
    code,
    data,
    dataRelocs: [0, 8],
  });
  const img = parsePe32(bytes);
  const mem = buildImage(bytes, img);
  applyRelocations(mem, img, 0x0230_0000);
  const v = new DataView(mem.buffer);
  assert.equal(v.getUint32(dataRva, true), 0x1230_1004);
  assert.equal(v.getUint32(dataRva + 8, true), 0x1230_2000);
  assert.equal(v.getUint32(dataRva + 4, true), 0x1234);
});

Deno.test("pe: an image without relocations cannot move", () => {
  const { bytes } = buildPe({ imageBase: 0x40_0000, code, noRelocs: true });
  const img = parsePe32(bytes);
  const mem = buildImage(bytes, img);
  applyRelocations(mem, img, 0);
  assert.throws(() => applyRelocations(mem, img, 0x10000), PeFormatError);
});

Deno.test("pe: imports by name and by ordinal, IAT slots", () => {
  const { bytes, iat } = buildPe({
    imageBase: 0x40_0000,
    code,
    imports: [{ dll: "KERNEL32.dll", symbols: ["ExitProcess", 7] }, {
      dll: "ntdll.dll",
      symbols: ["NtClose"],
    }],
  });
  const img = parsePe32(bytes);
  const mem = buildImage(bytes, img);
  const imps = readImports(mem, img);
  assert.deepEqual(imps.map((i) => i.dll), ["KERNEL32.dll", "ntdll.dll"]);
  assert.equal(imps[0].entries[0].name, "ExitProcess");
  assert.equal(imps[0].entries[1].name, null);
  assert.equal(imps[0].entries[1].ordinal, 7);
  assert.equal(imps[0].entries[1].iatRva, iat[0][1]);
  writeImport(mem, iat[1][0], 0xdead_beef);
  assert.equal(new DataView(mem.buffer).getUint32(iat[1][0], true), 0xdead_beef);
});

Deno.test("pe: header defects are named PeFormatErrors", () => {
  const { bytes } = dllWithExports();
  const cases: [number, number, number][] = [
    [0, 2, 0], // MZ
    [0x84, 2, 0x8664], // machine
    [0x98, 2, 0x20b], // PE32+
    [0x98 + 32, 4, 0x800], // SectionAlignment below a page
    [0x98 + 56, 4, 0x1234], // SizeOfImage unaligned
    [0x98 + 68, 2, 2], // GUI subsystem
    [0x98 + 28, 4, 0x1000_8000], // ImageBase not 64 KiB aligned
  ];
  for (const [off, size, val] of cases) {
    const b = bytes.slice();
    const v = new DataView(b.buffer);
    if (size === 2) v.setUint16(off, val, true);
    else v.setUint32(off, val, true);
    assert.throws(() => parsePe32(b), PeFormatError, `offset ${off}`);
  }
  assert.throws(() => parsePe32(bytes.slice(0, 0x100)), PeFormatError);
});

/** A deterministic xorshift32 generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Everything a loader does with an image; only PeFormatError may escape. */
function loadAll(bytes: Uint8Array): "ok" | "format" {
  try {
    const img = parsePe32(bytes);
    const mem = buildImage(bytes, img);
    applyRelocations(mem, img, 0x0100_0000);
    for (const imp of readImports(mem, img)) {
      for (const e of imp.entries) writeImport(mem, e.iatRva, 0x1234);
    }
    const ex = readExports(mem, img);
    if (ex) { for (const n of ex.names.keys()) findExport(ex, n, 0); }
    return "ok";
  } catch (e) {
    if (e instanceof PeFormatError) return "format";
    throw e;
  }
}

Deno.test("pe: 1,200 fuzzed images give a result or a PeFormatError, never a host exception", () => {
  const base = buildPe({
    dll: true,
    imageBase: 0x1000_0000,
    code,
    data: new Uint8Array(32),
    dataRelocs: [0, 4, 16],
    exports: [{ name: "Alpha", offset: 0 }, { name: "Beta", offset: 4 }],
    imports: [{ dll: "ntdll.dll", symbols: ["NtClose", 3] }],
  }).bytes;
  assert.equal(loadAll(base), "ok");
  const next = rng(0x5032);
  const counts = { ok: 0, format: 0 };
  const hot = [0x3c, 0x84, 0x86, 0x94, 0x98, 0x98 + 16, 0x98 + 56, 0x98 + 60, 0x98 + 92];
  for (let i = 0; i < 1200; i++) {
    let b = base.slice();
    const flips = 1 + (next() % 8);
    for (let k = 0; k < flips; k++) {
      const mode = next() % 4;
      // Aim at the headers and the directories (first 0x400 bytes) half of the time.
      const at = mode === 0
        ? hot[next() % hot.length] + (next() % 4)
        : mode === 1
        ? next() % 0x400
        : next() % b.length;
      b[at] = mode === 3 ? 0xff : next() & 0xff;
    }
    if (next() % 10 === 0) b = b.slice(0, next() % b.length);
    counts[loadAll(b)]++;
  }
  assert.equal(counts.ok + counts.format, 1200);
  assert.ok(counts.format > 100, `format errors ${counts.format}`);
  assert.ok(counts.ok > 50, `images still loading ${counts.ok}`);
});
