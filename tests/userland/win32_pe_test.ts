/**
 * The Win32 images elf2pe writes (the committed `userland/bin/win32/`):
 * headers, exports against the `.def` lists, imports resolvable against
 * those exports with a zero-ended IAT holding the hint/name entries, base
 * relocations that all land on addresses inside the image; the header and
 * export lists against each other; base relocation blocks; a code model
 * elf2pe must refuse; and a byte-identical `--win32 --out` rebuild.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readPe } from "../../userland/win32/pe_reader.ts";
import * as pe from "../../userland/win32/pe_format.ts";
import {
  buildExe,
  importLibrary,
  listWin32Programs,
  SYSTEM_DLLS,
  WIN32_BIN_DIR,
} from "../../userland/win32/build.ts";
import { buildBaseRelocs, Elf2PeError, elfToPe } from "../../userland/win32/elf2pe.ts";
import { readElfInput } from "../../userland/win32/elf_input.ts";
import { hasGuestToolchain, REPO_ROOT } from "../../userland/build.ts";

const BIN = join(REPO_ROOT, WIN32_BIN_DIR);
const IMAGES = [
  ...SYSTEM_DLLS.map((d) => `${d.name}.dll`),
  "w32testdll.dll",
  ...listWin32Programs().map(([n]) => n),
];

function image(name: string) {
  const bytes = Deno.readFileSync(join(BIN, name));
  return { bytes, img: readPe(bytes) };
}

Deno.test("win32 images: PE32, machine 0x5032, console subsystem, no time stamp", () => {
  for (const name of IMAGES) {
    const { img } = image(name);
    assert.equal(img.machine, pe.IMAGE_FILE_MACHINE_RISCV32, name);
    assert.equal(img.magic, pe.PE32_MAGIC, name);
    assert.equal(img.subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI, name);
    assert.equal(img.timeDateStamp, 0, name);
    assert.equal((img.characteristics & pe.IMAGE_FILE_DLL) !== 0, name.endsWith(".dll"), name);
    assert.ok(img.entry > 0 && img.entry < img.sizeOfImage, `${name} entry`);
    for (const s of img.sections) {
      assert.equal(s.rva % pe.SECTION_ALIGNMENT, 0, `${name} ${s.name}`);
    }
  }
});

Deno.test("win32 images: each DLL exports exactly its .def list, at code addresses", () => {
  for (const dll of SYSTEM_DLLS) {
    const { img } = image(`${dll.name}.dll`);
    const lib = importLibrary(dll.name);
    assert.equal(img.exportName, `${dll.name}.dll`);
    assert.deepEqual([...img.exports.keys()], [...lib.names].sort());
    const text = img.sections.find((s) => s.name === ".text")!;
    for (const [n, rva] of img.exports) {
      assert.ok(rva >= text.rva && rva < text.rva + text.virtualSize, `${n} not in .text`);
    }
  }
});

Deno.test("win32 images: imports name DLL exports; the IAT holds the hint/name entries, zero-ended", () => {
  const exported = new Map(SYSTEM_DLLS.map((d) => [`${d.name}.dll`, importLibrary(d.name).names]));
  for (const name of IMAGES) {
    const { img, bytes } = image(name);
    const v = new DataView(bytes.buffer);
    const fileOffset = (rva: number) => {
      const s = img.sections.find((x) => rva >= x.rva && rva < x.rva + x.rawSize)!;
      return s.rawOffset + rva - s.rva;
    };
    for (const [dll, fns] of img.imports) {
      const names = exported.get(dll);
      assert.ok(names, `${name} imports from unknown ${dll}`);
      for (const [fn, slot] of fns) {
        assert.ok(names.includes(fn), `${name}: ${dll} does not export ${fn}`);
        const hintName = v.getUint32(fileOffset(slot), true);
        assert.equal(v.getUint16(fileOffset(hintName), true), [...names].sort().indexOf(fn), fn);
      }
      const last = fns[fns.length - 1][1];
      assert.equal(
        v.getUint32(fileOffset(last + 4), true),
        0,
        `${name}: ${dll} IAT not zero-ended`,
      );
    }
    if (name.endsWith(".exe")) assert.ok(img.imports.has("kernel32.dll"), name);
  }
  assert.deepEqual([...image("kernel32.dll").img.imports.keys()], ["ntdll.dll"]);
});

Deno.test("win32 images: every base relocation is HIGHLOW on an address inside the image", () => {
  for (const name of IMAGES) {
    const { img, bytes } = image(name);
    const v = new DataView(bytes.buffer);
    for (const [type, rva] of img.relocations) {
      assert.equal(type, pe.IMAGE_REL_BASED_HIGHLOW, name);
      const s = img.sections.find((x) => rva >= x.rva && rva + 4 <= x.rva + x.rawSize);
      assert.ok(s, `${name}: relocation at 0x${rva.toString(16)} outside the file data`);
      const target = v.getUint32(s.rawOffset + rva - s.rva, true) - img.imageBase;
      assert.ok(target >= 0 && target < img.sizeOfImage, `${name}: 0x${rva.toString(16)}`);
    }
  }
  assert.ok(image("hostname.exe").img.relocations.length > 0, "printf's tables are relocated");
});

Deno.test("ntdll.def starts with every native call, in number order", () => {
  const header = Deno.readTextFileSync(
    join(REPO_ROOT, "userland/win32/include/strata/ntsyscalls.h"),
  );
  const calls = [...header.matchAll(/^#define NTSYS_(Nt\w+) (\d+)$/gm)]
    .sort((a, b) => Number(a[2]) - Number(b[2])).map((m) => m[1]);
  assert.ok(calls.length > 20);
  assert.deepEqual(importLibrary("ntdll").names.slice(0, calls.length), calls);
  const stubs = Deno.readTextFileSync(join(REPO_ROOT, "userland/win32/ntdll/syscalls.S"));
  for (const c of calls) assert.ok(stubs.includes(`NTCALL(${c})`), c);
});

Deno.test("windows.h declares only what kernel32.dll exports, and all of it", () => {
  const h = Deno.readTextFileSync(join(REPO_ROOT, "userland/win32/include/windows.h"));
  const declared = [...h.matchAll(/WINAPI (\w+)\(/g)].map((m) => m[1]).sort();
  assert.deepEqual(declared, [...importLibrary("kernel32").names].sort());
});

Deno.test("buildBaseRelocs: one block per page, padded to 4 bytes", () => {
  const b = buildBaseRelocs([0x1004, 0x1008, 0x1010, 0x3000]);
  const v = new DataView(b.buffer);
  assert.equal(v.getUint32(0, true), 0x1000);
  assert.equal(v.getUint32(4, true), 16); // 8 + 3 entries + 1 padding
  assert.equal(v.getUint16(8, true), 0x3004);
  assert.equal(v.getUint16(14, true), 0); // IMAGE_REL_BASED_ABSOLUTE padding
  assert.equal(v.getUint32(16, true), 0x3000);
  assert.equal(v.getUint32(20, true), 12);
  assert.equal(b.length, 28);
});

Deno.test({
  name: "elf2pe refuses absolute HI20/LO12 code (medlow) and names the fix",
  ignore: !hasGuestToolchain(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_elf2pe_" });
    try {
      await Deno.writeTextFile(join(dir, "a.c"), "int v; int *f(void) { return &v; }\n");
      const run = async (cmd: string, args: string[]) => {
        const r = await new Deno.Command(cmd, { args, cwd: dir, stderr: "piped" }).output();
        assert.ok(r.success, new TextDecoder().decode(r.stderr));
      };
      await run("clang", [
        "--target=riscv32-unknown-elf",
        "-march=rv32imafdc",
        "-mabi=ilp32d",
        "-mcmodel=medlow",
        "-mno-relax",
        "-O2",
        "-c",
        "a.c",
      ]);
      await Deno.writeTextFile(
        join(dir, "s.ld"),
        "SECTIONS { . = 0x401000; .text : { *(.text*) } . = ALIGN(0x1000); .bss : { *(.bss*) } }",
      );
      await run("ld.lld", ["--emit-relocs", "-T", "s.ld", "-e", "f", "a.o", "-o", "a.elf"]);
      const elf = readElfInput(await Deno.readFile(join(dir, "a.elf")));
      assert.throws(
        () => elfToPe(elf, { kind: "exe", imageBase: 0x400000 }),
        (e: unknown) => e instanceof Elf2PeError && /medany/.test(e.message),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "deno task userland --win32 --out rebuilds a committed program byte for byte",
  ignore: !hasGuestToolchain(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_w32build_" });
    try {
      const out = join(dir, "whoami.exe");
      await buildExe(["userland/win32/cmd/whoami.c"], out);
      assert.deepEqual(await Deno.readFile(out), image("whoami.exe").bytes);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
