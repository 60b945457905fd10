import assert from "node:assert/strict";
import { K, type KernelApi, type LoadedImage, OpenFlags } from "../../../../kernel/api.ts";
import { RamFs, Vfs } from "../../../../kernel/fs/mod.ts";
import { Executive } from "../../../../plugins/personalities/win32/executive.ts";
import { loadWin32Image } from "../../../../plugins/personalities/win32/personality.ts";
import type { MapSpace } from "../../../../plugins/personalities/win32/modules.ts";
import { STATUS } from "../../../../plugins/personalities/win32/ntstatus.ts";
import { buildPe, type PeSpec } from "../../../lib/pe_builder.ts";

/** A VFS with /bin and /windows/system32, and an executive over it. */
function setup() {
  const vfs = new Vfs({ root: new RamFs() });
  for (const d of ["/bin", "/windows", "/windows/system32"]) vfs.mkdir(null, d, 0o755);
  const logs: string[] = [];
  const api = { vfs, log: (l: string) => logs.push(l) } as unknown as KernelApi;
  return { vfs, api, ex: new Executive(api, []), logs };
}

function put(vfs: Vfs, path: string, data: Uint8Array): void {
  const r = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNC, 0o755);
  if (typeof r === "number") throw new Error(`open ${path}: ${r}`);
  vfs.write(r.file, data);
  vfs.close(r.file);
}

/** A space that records every mapping: address -> [bytes, prot]. */
function recorder(): MapSpace & {
  maps: Map<number, [Uint8Array, number]>;
  read(a: number): number;
} {
  const maps = new Map<number, [Uint8Array, number]>();
  return {
    maps,
    mapFilled(addr, data, prot) {
      for (const [a, [d]] of maps) {
        if (addr < a + d.length && a < addr + data.length) return K.EXIST;
      }
      maps.set(addr, [data.slice(), prot]);
      return K.OK;
    },
    unmap(addr) {
      maps.delete(addr);
    },
    read(addr: number): number {
      for (const [a, [d]] of maps) {
        if (addr >= a && addr + 4 <= a + d.length) {
          return new DataView(d.buffer).getUint32(addr - a, true);
        }
      }
      throw new Error(`unmapped ${addr.toString(16)}`);
    },
  };
}

const code = new Uint8Array(64).fill(0x13);

function ntdll(extra: Partial<PeSpec> = {}) {
  return buildPe({
    dll: true,
    imageBase: 0x7000_0000,
    code,
    exportName: "ntdll.dll",
    exports: [{ name: "LdrInitializeThunk", offset: 0 }, { name: "NtClose", offset: 8 }],
    ...extra,
  });
}

function kernel32(extra: Partial<PeSpec> = {}) {
  return buildPe({
    dll: true,
    imageBase: 0x6000_0000,
    code,
    data: new Uint8Array(8),
    dataRelocs: [0],
    exportName: "kernel32.dll",
    exports: [{ name: "ExitProcess", offset: 16 }, { name: null, offset: 24 }],
    imports: [{ dll: "ntdll.dll", symbols: ["NtClose"] }],
    ...extra,
  });
}

function exe(symbols: (string | number)[] = ["ExitProcess", 2], dll = "KERNEL32.DLL") {
  return buildPe({ imageBase: 0x40_0000, code, imports: [{ dll, symbols }] });
}

function install(vfs: Vfs, k32 = kernel32(), nt = ntdll(), prog = exe()) {
  put(vfs, "/windows/system32/ntdll.dll", nt.bytes);
  put(vfs, "/windows/system32/Kernel32.dll", k32.bytes);
  put(vfs, "/bin/prog.exe", prog.bytes);
  return { k32, nt, prog };
}

Deno.test("win32 loader: exe, ntdll, kernel32 mapped, imports resolved by name and ordinal", () => {
  const { vfs, ex } = setup();
  const { k32, nt, prog } = install(vfs);
  const space = recorder();
  const img = loadWin32Image(ex, prog.bytes, "/bin/prog.exe", space) as LoadedImage;
  assert.notEqual(typeof img, "number");
  assert.equal(img.entry, 0x7000_0000 + nt.textRva); // LdrInitializeThunk
  assert.equal(img.base, 0x40_0000);
  const set = ex.loads.get(img)!;
  assert.deepEqual(set.modules.map((m) => m.baseName), ["prog.exe", "ntdll.dll", "Kernel32.dll"]);
  assert.equal(set.modules[2].fullName, "C:\\windows\\system32\\Kernel32.dll");
  // The exe's IAT: ExitProcess by name, ordinal 2 (base 1 -> second export).
  assert.equal(space.read(0x40_0000 + prog.iat[0][0]), 0x6000_0000 + k32.textRva + 16);
  assert.equal(space.read(0x40_0000 + prog.iat[0][1]), 0x6000_0000 + k32.textRva + 24);
  // kernel32's IAT points into ntdll.
  assert.equal(space.read(0x6000_0000 + k32.iat[0][0]), 0x7000_0000 + nt.textRva + 8);
  // Sections keep their protections: .text is read-execute.
  assert.equal(space.maps.get(0x40_0000 + prog.textRva)![1], 5);
});

Deno.test("win32 loader: a DLL whose preferred base is taken is rebased through its relocations", () => {
  const { vfs, ex } = setup();
  const data = new Uint8Array(8);
  new DataView(data.buffer).setUint32(0, 0x7000_1004, true);
  const k32 = kernel32({ imageBase: 0x7000_0000, data });
  const { prog } = install(vfs, k32);
  const space = recorder();
  const img = loadWin32Image(ex, prog.bytes, "/bin/prog.exe", space) as LoadedImage;
  const k = ex.loads.get(img)!.modules[2];
  assert.equal(k.base, 0x1000_0000);
  assert.equal(space.read(0x1000_0000 + k32.dataRva), 0x1000_1004);
  assert.equal(space.read(0x40_0000 + prog.iat[0][0]), 0x1000_0000 + k32.textRva + 16);
});

Deno.test("win32 loader: missing DLL, export and ordinal give their NTSTATUS", () => {
  const cases: [() => Uint8Array, number][] = [
    [() => exe(["ExitProcess"], "missing.dll").bytes, STATUS.DLL_NOT_FOUND],
    [() => exe(["NoSuchFunction"]).bytes, STATUS.ENTRYPOINT_NOT_FOUND],
    [() => exe([77]).bytes, STATUS.ORDINAL_NOT_FOUND],
  ];
  for (const [make, want] of cases) {
    const { vfs, ex } = setup();
    install(vfs);
    const bytes = make();
    assert.equal(loadWin32Image(ex, bytes, "/bin/prog.exe", recorder()), K.NOEXEC);
    assert.equal(ex.lastLoadStatus, want);
  }
  const { vfs, ex } = setup();
  install(vfs, kernel32(), ntdll({ exports: [{ name: "NtClose", offset: 8 }] }));
  assert.equal(loadWin32Image(ex, exe().bytes, "/bin/prog.exe", recorder()), K.NOEXEC);
  assert.equal(ex.lastLoadStatus, STATUS.ENTRYPOINT_NOT_FOUND); // no LdrInitializeThunk
});

/** A deterministic xorshift32 generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function mutate(base: Uint8Array, next: () => number): Uint8Array {
  let b = base.slice();
  const flips = 1 + (next() % 6);
  for (let k = 0; k < flips; k++) {
    const at = next() % 2 === 0 ? next() % Math.min(0x400, b.length) : next() % b.length;
    b[at] = next() & 0xff;
  }
  if (next() % 12 === 0) b = b.slice(0, next() % b.length);
  return b;
}

Deno.test("win32 loader: 1,000 fuzzed exe and DLL images load or fail with a status, never a host exception", () => {
  const next = rng(0x14);
  const good = { k32: kernel32().bytes, nt: ntdll().bytes, prog: exe().bytes };
  const outcome = new Map<string, number>();
  for (let i = 0; i < 1000; i++) {
    const { vfs, ex } = setup();
    const which = next() % 3;
    const k32 = which === 1 ? mutate(good.k32, next) : good.k32;
    const nt = which === 2 ? mutate(good.nt, next) : good.nt;
    const prog = which === 0 ? mutate(good.prog, next) : good.prog;
    put(vfs, "/windows/system32/ntdll.dll", nt);
    put(vfs, "/windows/system32/kernel32.dll", k32);
    const r = loadWin32Image(ex, prog, "/bin/prog.exe", recorder());
    const key = typeof r === "number" ? `0x${ex.lastLoadStatus.toString(16)}` : "loaded";
    if (typeof r === "number") assert.equal(r, K.NOEXEC);
    outcome.set(key, (outcome.get(key) ?? 0) + 1);
  }
  assert.ok((outcome.get("0xc000007b") ?? 0) > 100, JSON.stringify([...outcome]));
  assert.ok((outcome.get("loaded") ?? 0) > 50, JSON.stringify([...outcome]));
});

Deno.test("win32 loader: system DLLs appear as image sections in \\KnownDlls", () => {
  const { vfs, ex } = setup();
  const { prog } = install(vfs);
  loadWin32Image(ex, prog.bytes, "/bin/prog.exe", recorder());
  const names = ex.ns.knownDlls.entries().map(([n, o]) => `${n}:${o.type}`);
  assert.deepEqual(names, [
    "KnownDllPath:SymbolicLink",
    "ntdll.dll:Section",
    "kernel32.dll:Section",
  ]);
});
