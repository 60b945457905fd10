/**
 * Tests for the userland build: ABI numbers against the host's Linux headers,
 * the shape of every built ELF, byte-identical rebuilds, and build errors.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  BENCHMARKS,
  BuildError,
  buildGuestProgram,
  hasGuestToolchain,
  listPrograms,
  listProgramSpecs,
  programPath,
  USERLAND_BIN_DIR,
  UTILITIES,
} from "../../userland/mod.ts";
import { REPO_ROOT } from "../../userland/build.ts";

const HOST_UNISTD = "/usr/include/asm-generic/unistd.h";
const HOST_ERRNO = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"];
const HOST_SIGNAL = [
  "/usr/include/asm-generic/signal.h",
  "/usr/include/asm-generic/signal-defs.h",
];

function readIfExists(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function defines(text: string, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = new RegExp(`^#define[ \\t]+${prefix}(\\w+)[ \\t]+(\\S+)`, "gm");
  for (const m of text.matchAll(re)) out.set(m[1], m[2]);
  return out;
}

Deno.test({
  name: "sys/syscall.h numbers equal the Linux asm-generic table (rv32 names)",
  ignore: readIfExists(HOST_UNISTD) === null,
  fn() {
    const host = readIfExists(HOST_UNISTD)!;
    const numeric = new Map<string, number>();
    for (const m of host.matchAll(/^#define\s+(__NR3264_\w+|__NR_\w+)\s+(\d+)\s*$/gm)) {
      numeric.set(m[1], Number(m[2]));
    }
    // 32-bit aliases such as "#define __NR_llseek __NR3264_lseek".
    for (const m of host.matchAll(/^#define\s+(__NR_\w+)\s+(__NR3264_\w+)\s*$/gm)) {
      if (numeric.has(m[2])) numeric.set(m[1], numeric.get(m[2])!);
    }
    const ours = defines(
      Deno.readTextFileSync(join(REPO_ROOT, "userland/libc/include/sys/syscall.h")),
      "SYS_",
    );
    assert.ok(ours.size >= 60, `only ${ours.size} syscall numbers defined`);
    for (const [name, value] of ours) {
      // Strata's own calls (1000 and up) are not Linux's.
      if (name.startsWith("strata_")) {
        assert.ok(Number(value) >= 1000, `SYS_${name}`);
        continue;
      }
      assert.equal(Number(value), numeric.get(`__NR_${name}`), `SYS_${name}`);
    }
  },
});

Deno.test({
  name: "errno.h values equal the Linux asm-generic values",
  ignore: HOST_ERRNO.some((p) => readIfExists(p) === null),
  fn() {
    const host = new Map<string, string>();
    for (const p of HOST_ERRNO) for (const [k, v] of defines(readIfExists(p)!, "")) host.set(k, v);
    const ours = defines(
      Deno.readTextFileSync(join(REPO_ROOT, "userland/libc/include/errno.h")),
      "",
    );
    let compared = 0;
    for (const [name, value] of ours) {
      if (!/^\d+$/.test(value)) continue; // aliases like EWOULDBLOCK
      assert.equal(value, host.get(name), name);
      compared++;
    }
    assert.ok(compared >= 60);
  },
});

Deno.test({
  name: "signal.h numbers and SA_ flags equal the Linux asm-generic values",
  ignore: HOST_SIGNAL.some((p) => readIfExists(p) === null),
  fn() {
    const host = new Map<string, number>();
    for (const p of HOST_SIGNAL) {
      for (const [k, v] of defines(readIfExists(p)!, "")) host.set(k, Number(v));
    }
    const ours = defines(
      Deno.readTextFileSync(join(REPO_ROOT, "userland/libc/include/signal.h")),
      "",
    );
    let compared = 0;
    for (const [name, value] of ours) {
      // Numbers only (not SIGPOLL's alias), and not NSIG/_NSIG: libc counts signal 0 in them.
      if (!/^(SIG|SA_)/.test(name) || !/^(0x[0-9a-fA-F]+|\d+)$/.test(value)) continue;
      assert.equal(Number(value), host.get(name), name);
      compared++;
    }
    assert.ok(compared >= 40, `only ${compared} signal.h values compared`);
  },
});

interface ElfFacts {
  type: number;
  machine: number;
  entry: number;
  phTypes: number[];
  entryInExecSegment: boolean;
  sectionNames: string[];
}

function readElf(bytes: Uint8Array): ElfFacts {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], "ELF magic");
  assert.equal(bytes[4], 1, "ELFCLASS32");
  assert.equal(bytes[5], 1, "little endian");
  const entry = v.getUint32(24, true);
  const phoff = v.getUint32(28, true), shoff = v.getUint32(32, true);
  const phentsize = v.getUint16(42, true), phnum = v.getUint16(44, true);
  const shentsize = v.getUint16(46, true), shnum = v.getUint16(48, true);
  const shstrndx = v.getUint16(50, true);
  const phTypes: number[] = [];
  let entryInExecSegment = false;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const type = v.getUint32(o, true);
    phTypes.push(type);
    const vaddr = v.getUint32(o + 8, true), memsz = v.getUint32(o + 20, true);
    const flags = v.getUint32(o + 24, true);
    if (type === 1 && (flags & 1) && entry >= vaddr && entry < vaddr + memsz) {
      entryInExecSegment = true;
    }
  }
  const strOff = v.getUint32(shoff + shstrndx * shentsize + 16, true);
  const sectionNames: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const nameOff = v.getUint32(shoff + i * shentsize, true);
    let end = strOff + nameOff;
    while (bytes[end] !== 0) end++;
    sectionNames.push(new TextDecoder().decode(bytes.subarray(strOff + nameOff, end)));
  }
  return {
    type: v.getUint16(16, true),
    machine: v.getUint16(18, true),
    entry,
    phTypes,
    entryInExecSegment,
    sectionNames,
  };
}

Deno.test("build: every program is committed as a static ELF32 RISC-V executable", () => {
  // Checks the committed binaries (CI rebuilds them and compares bytes); a
  // rebuild here would rewrite userland/bin under the feet of parallel tests.
  const specs = listProgramSpecs();
  const built = listPrograms();
  for (const spec of specs) assert.ok(built.includes(spec.name), `${spec.name} not built`);
  for (const name of ["cat", "ls", "ps", "wc", "bench_fork", "bench_pipe", "test_libc"]) {
    assert.ok(built.includes(name), `${name} missing from ${USERLAND_BIN_DIR}`);
  }
  for (const spec of specs) {
    const elf = readElf(Deno.readFileSync(programPath(spec.name)));
    assert.equal(elf.type, 2, `${spec.name}: ET_EXEC`);
    assert.equal(elf.machine, 243, `${spec.name}: EM_RISCV`);
    assert.ok(!elf.phTypes.includes(3), `${spec.name}: no PT_INTERP (static)`);
    assert.ok(!elf.phTypes.includes(2), `${spec.name}: no PT_DYNAMIC`);
    assert.ok(elf.entryInExecSegment, `${spec.name}: entry in an executable segment`);
    assert.ok(!elf.sectionNames.includes(".note.gnu.build-id"), `${spec.name}: no build id`);
    assert.ok(!elf.sectionNames.some((n) => n.startsWith(".debug")), `${spec.name}: no debug`);
    assert.ok(!elf.sectionNames.includes(".interp"));
  }
});

const TOOLCHAIN = hasGuestToolchain();

Deno.test({
  name: "build: a fresh compile and link of a utility and a benchmark is byte-identical",
  ignore: !TOOLCHAIN,
  fn: freshLinkIsIdentical,
});

async function freshLinkIsIdentical() {
  const dir = await Deno.makeTempDir({ prefix: "strata_build_" });
  try {
    for (
      const [src, name] of [
        ["userland/cmd/ls.c", "ls"],
        ["userland/cmd/wc.c", "wc"],
        ["userland/bench/bench_fork.c", "bench_fork"],
        ["userland/libc/tests/test_libc.c", "test_libc"],
      ]
    ) {
      const out = join(dir, name);
      await buildGuestProgram([src], out);
      const fresh = Deno.readFileSync(out);
      const committed = Deno.readFileSync(programPath(name));
      assert.equal(fresh.length, committed.length, `${name}: size`);
      assert.ok(fresh.every((b, i) => b === committed[i]), `${name}: bytes differ`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "build: a compile error surfaces as a BuildError with the diagnostics",
  ignore: !TOOLCHAIN,
  fn: compileErrorIsBuildError,
});

async function compileErrorIsBuildError() {
  const dir = await Deno.makeTempDir({ prefix: "strata_build_" });
  try {
    const src = join(dir, "broken.c");
    await Deno.writeTextFile(src, "int main(void) { return undeclared_name; }\n");
    await assert.rejects(
      () => buildGuestProgram([src], join(dir, "broken")),
      (e: unknown) => {
        assert.ok(e instanceof BuildError);
        assert.equal(e.name, "BuildError");
        assert.match(e.message, /undeclared_name/);
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("build: program names map to the documented folders", () => {
  const specs = new Map(listProgramSpecs().map((s) => [s.name, s.sources]));
  assert.deepEqual(specs.get("ls"), ["userland/cmd/ls.c"]);
  assert.deepEqual(specs.get("bench_yield"), ["userland/bench/bench_yield.c"]);
  assert.deepEqual(specs.get("test_libc"), ["userland/libc/tests/test_libc.c"]);
  const sh = specs.get("sh");
  if (sh) assert.ok(sh.every((s) => s.startsWith("userland/sh/") && s.endsWith(".c")));
  assert.throws(() => programPath("../etc/passwd"), RangeError);
});

Deno.test("mod.ts: UTILITIES and BENCHMARKS list exactly the sources in cmd/ and bench/", () => {
  const byDir = (dir: string) =>
    listProgramSpecs().filter((s) => s.sources[0].startsWith(`${dir}/`)).map((s) => s.name);
  assert.deepEqual([...UTILITIES], byDir("userland/cmd"));
  assert.deepEqual([...BENCHMARKS], byDir("userland/bench"));
});

Deno.test({
  name:
    "build: --out from another directory (paths of the caller, DIR created, warnings not errors)",
  ignore: !TOOLCHAIN,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_out_" });
    const build = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", join(REPO_ROOT, "userland/build.ts"), ...args],
        cwd: dir,
        env: { INIT_CWD: dir },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    try {
      await Deno.writeTextFile(
        join(dir, "hello.c"),
        '#include <stdio.h>\nint main(void) { int unused; puts("hi"); return 0; }\n',
      );
      const ok = await build(["--out", "bin/sub/hello", "hello.c"]);
      assert.equal(ok.code, 0, text(ok.stderr));
      assert.ok(Deno.statSync(join(dir, "bin/sub/hello")).isFile);
      assert.match(text(ok.stderr), /warning: unused variable 'unused'/);
      assert.doesNotMatch(text(ok.stderr), /clang|build step failed/); // diagnostics only
      await Deno.writeTextFile(join(dir, "bad.c"), "int main(void) { return nope; }\n");
      const bad = await build(["--out", "bad", "bad.c"]);
      assert.equal(bad.code, 1);
      assert.match(text(bad.stderr), /^.*bad\.c:1:25: error: use of undeclared identifier 'nope'/);
      assert.doesNotMatch(text(bad.stderr), /build step failed|at /);
      const opt = await build(["--bogus"]);
      assert.equal(opt.code, 2);
      assert.match(text(opt.stderr), /^userland: unknown option '--bogus'\nusage: /);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
