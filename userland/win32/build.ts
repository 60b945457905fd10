/**
 * Builds the Win32 userland: `ntdll.dll`, `kernel32.dll` and the `.exe`
 * programs into `userland/bin/win32/`, and single programs for
 * `deno task userland --win32 --out PROG.exe a.c ...`.
 *
 * Steps for one image: clang compiles each C file to a RISC-V object
 * (`-mcmodel=medany`: pc-relative code, so only data words need base
 * relocations); for each DLL the image may call, an import stub is generated
 * from the DLL's `.def` export list (per function a 3-instruction thunk that
 * jumps through its `__imp_NAME` slot) and assembled; ld.lld links at the
 * image's preferred base with `pe.ld` and `--emit-relocs`; `elfToPe()`
 * writes the PE. No timestamps anywhere: rebuilds are byte-identical.
 *
 * The C runtime (`crt/`) is linked statically into every exe (like MSVC's
 * /MT); DLLs get the project libc's `string.c` and their own sources.
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readElfInput } from "./elf_input.ts";
import { elfToPe, type ImportLibrary } from "./elf2pe.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const W32 = "userland/win32";
const OBJ_DIR = "userland/build/win32";
/** Where the built DLLs and programs go (relative to the repository root). */
export const WIN32_BIN_DIR = "userland/bin/win32";

/** Compiler flags for Win32 guest C (bare RISC-V target, 16-bit wchar_t). */
export const WIN32_CFLAGS: readonly string[] = [
  "--target=riscv32-unknown-elf",
  "-march=rv32imafdc",
  "-mabi=ilp32d",
  "-mcmodel=medany",
  "-mno-relax",
  "-ffreestanding",
  "-fno-builtin",
  "-fno-pic",
  "-fno-common",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
  "-fno-unwind-tables",
  "-ffunction-sections",
  "-fdata-sections",
  "-fshort-wchar",
  "-O2",
  "-Wall",
  "-Werror",
  "-nostdlibinc",
  "-D_WIN32",
  "-isystem",
  `${W32}/include`,
];

/** A DLL of the Win32 userland. */
export interface DllSpec {
  /** Base name without `.dll`. */
  name: string;
  /** Preferred base address. */
  base: number;
  /** DLLs (base names) whose exports it calls. */
  imports: string[];
}

/** The system DLLs, in load order. */
export const SYSTEM_DLLS: readonly DllSpec[] = [
  { name: "ntdll", base: 0x70000000, imports: [] },
  { name: "kernel32", base: 0x70200000, imports: ["ntdll"] },
];

/**
 * DLLs built for the tests (sources in `userland/win32/NAME/`). The preferred
 * base is the exe's, so the loader always has to rebase them.
 */
export const TEST_DLLS: readonly DllSpec[] = [
  { name: "testdll", base: 0x00400000, imports: [] },
];

/** Preferred base of an exe. */
export const EXE_BASE = 0x00400000;

/** A failed build step. */
export class Win32BuildError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "Win32BuildError";
  }
}

function abs(rel: string): string {
  return rel.startsWith("/") ? rel : join(REPO_ROOT, rel);
}

function cFiles(dir: string): string[] {
  try {
    return [...Deno.readDirSync(abs(dir))]
      .filter((e) => e.isFile && (e.name.endsWith(".c") || e.name.endsWith(".S")))
      .map((e) => `${dir}/${e.name}`).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

async function run(cmd: string[]): Promise<void> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Win32BuildError(
      `build step failed: ${cmd.join(" ")}\n${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

/** Reads a `.def` file: the names after `EXPORTS`, one per line (`;` starts a comment). */
export function parseDef(text: string): string[] {
  const names: string[] = [];
  let inExports = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/;.*/, "").trim();
    if (!line) continue;
    if (line === "EXPORTS") inExports = true;
    else if (line.startsWith("LIBRARY")) continue;
    else if (inExports) names.push(line.split(/\s+/)[0]);
  }
  return names;
}

/** The export list of a system DLL, from `userland/win32/NAME/NAME.def`. */
export function importLibrary(name: string): ImportLibrary {
  const text = Deno.readTextFileSync(abs(`${W32}/${name}/${name}.def`));
  return { dll: `${name}.dll`, names: parseDef(text) };
}

/** The file name and export list of a test DLL (`userland/win32/DIR/*.def`). */
export function testLibrary(dir: string): ImportLibrary {
  const def = [...Deno.readDirSync(abs(`${W32}/${dir}`))].find((e) => e.name.endsWith(".def"))!;
  const text = Deno.readTextFileSync(abs(`${W32}/${dir}/${def.name}`));
  return { dll: def.name.replace(/\.def$/, ".dll"), names: parseDef(text) };
}

/**
 * Assembly of the import stub of one DLL: for every export NAME a thunk
 * `NAME` (jumps through the slot) and a slot `__imp_NAME` in section
 * `.iat.DLL.NAME`; the linker script sorts those by name, so the slots of a
 * DLL are one run ended by the zero word `__iat_end_DLL` (section
 * `.iat.DLL.~`, kept alive by an `R_RISCV_NONE` from every slot).
 */
export function importStubAsm(lib: ImportLibrary): string {
  const dll = lib.dll.replace(/\.dll$/i, "");
  const lines = [
    `  .section .iat.${dll}.~,"aw",@progbits`,
    `  .p2align 2`,
    `  .globl __iat_end_${dll}`,
    `__iat_end_${dll}:`,
    `  .word 0`,
  ];
  for (const n of lib.names) {
    lines.push(
      `  .section .text.imp.${n},"ax",@progbits`,
      `  .globl ${n}`,
      `  .type ${n},@function`,
      `  .p2align 1`,
      `${n}:`,
      `1:auipc t1, %pcrel_hi(__imp_${n})`,
      `  lw t1, %pcrel_lo(1b)(t1)`,
      `  jr t1`,
      `  .section .iat.${dll}.${n},"aw",@progbits`,
      `  .p2align 2`,
      `  .globl __imp_${n}`,
      `__imp_${n}:`,
      `  .word 0`,
      `  .reloc __imp_${n}, R_RISCV_NONE, __iat_end_${dll}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The linker script: page-aligned .text, .rdata, .data (with the IAT) and .bss. */
export function linkerScript(base: number): string {
  const hex = `0x${base.toString(16)}`;
  return `SECTIONS {
  . = ${hex} + 0x1000;
  .text : { *(.text.start) *(.text .text.*) }
  . = ALIGN(0x1000);
  .rdata : { *(.rodata .rodata.* .srodata .srodata.*) }
  . = ALIGN(0x1000);
  .data : { *(.data .data.* .sdata .sdata.*) . = ALIGN(4); *(SORT_BY_NAME(.iat.*)) }
  . = ALIGN(0x1000);
  .bss : { *(.sbss .sbss.* .bss .bss.* COMMON) }
  /DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame*) }
}
`;
}

function objectFor(src: string): string {
  const rel = src.startsWith("/") ? `abs${src}` : src;
  return `${OBJ_DIR}/${rel.replace(/^userland\//, "").replace(/\.[cS]$/, ".o")}`;
}

// Temporary files are unique per call: builds run side by side, in other
// processes and in this one (two images may need the same object at once),
// and in other workers of this process (`deno test --parallel` runs test
// modules as workers: the pid is shared, module counters are not).
function tmpName(path: string): string {
  return `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
}

async function compile(src: string, extra: readonly string[] = []): Promise<string> {
  const obj = objectFor(src);
  await Deno.mkdir(abs(dirname(obj)), { recursive: true });
  const tmp = tmpName(obj);
  await run(["clang", ...WIN32_CFLAGS, ...extra, "-c", src, "-o", tmp]);
  await Deno.rename(abs(tmp), abs(obj));
  return obj;
}

async function importStub(lib: ImportLibrary): Promise<string> {
  const dll = lib.dll.replace(/\.dll$/i, "");
  const src = `${OBJ_DIR}/imp/${dll}.S`;
  await Deno.mkdir(abs(dirname(src)), { recursive: true });
  const tmp = tmpName(src);
  await Deno.writeTextFile(abs(tmp), importStubAsm(lib));
  await Deno.rename(abs(tmp), abs(src));
  return await compile(src);
}

/** The project libc's string functions, shared by every Win32 image. */
const SHARED_LIBC = ["userland/libc/src/string.c", "userland/libc/src/divdi3.c"];
const LIBC_FLAGS = ["-isystem", "userland/libc/include"];

/** The project libc's printf family, linked into every exe with the C runtime. */
const EXE_LIBC = [
  "userland/libc/src/printf.c",
  "userland/libc/src/fp_print.c",
  "userland/libc/src/fp_big.c",
];

async function sharedObjects(extra: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const src of [...SHARED_LIBC, ...extra]) {
    const obj = objectFor(src).replace(/\.o$/, ".w32.o");
    await Deno.mkdir(abs(dirname(obj)), { recursive: true });
    const flags = WIN32_CFLAGS.filter((f) => !f.endsWith("/include") && f !== "-isystem");
    await run(["clang", ...flags, ...LIBC_FLAGS, "-c", src, "-o", obj]);
    out.push(obj);
  }
  return out;
}

interface LinkJob {
  kind: "exe" | "dll";
  base: number;
  objects: string[];
  imports: ImportLibrary[];
  exports?: ImportLibrary;
  entry: string;
  output: string;
}

async function link(job: LinkJob): Promise<void> {
  const stem = job.output.replace(/^.*\//, "");
  const tag = `${stem}.${Deno.pid}.${crypto.randomUUID()}`;
  const script = `${OBJ_DIR}/link/${tag}.ld`, elf = `${OBJ_DIR}/link/${tag}.elf`;
  await Deno.mkdir(abs(dirname(script)), { recursive: true });
  await Deno.writeTextFile(abs(script), linkerScript(job.base));
  const stubs: string[] = [];
  for (const lib of job.imports) stubs.push(await importStub(lib));
  const keep = (job.exports?.names ?? []).map((n) => `--undefined=${n}`);
  await run([
    "ld.lld",
    "--emit-relocs",
    "--build-id=none",
    "--gc-sections",
    "-z",
    "noexecstack",
    "-T",
    script,
    "-e",
    job.entry,
    ...keep,
    ...job.objects,
    ...stubs,
    "-o",
    elf,
  ]);
  const image = elfToPe(readElfInput(await Deno.readFile(abs(elf))), {
    kind: job.kind,
    imageBase: job.base,
    exports: job.exports,
    imports: job.imports,
  });
  await Deno.mkdir(abs(dirname(job.output)), { recursive: true });
  // An exe is executable (the Unix side runs it by format); a DLL is not.
  await Deno.writeFile(abs(job.output), image, { mode: job.kind === "exe" ? 0o755 : 0o644 });
  await Deno.chmod(abs(job.output), job.kind === "exe" ? 0o755 : 0o644);
  await Deno.remove(abs(script));
  await Deno.remove(abs(elf));
}

/** Builds one DLL into `outDir` (a system DLL, or a test DLL when `test` is set). */
export async function buildDll(
  spec: DllSpec,
  outDir = WIN32_BIN_DIR,
  test = false,
): Promise<string> {
  const objects = [...await sharedObjects()];
  for (const src of cFiles(`${W32}/${spec.name}`)) objects.push(await compile(src));
  const exports = test ? testLibrary(spec.name) : importLibrary(spec.name);
  await link({
    kind: "dll",
    base: spec.base,
    objects,
    imports: spec.imports.map(importLibrary),
    exports,
    entry: "DllMain",
    output: `${outDir}/${exports.dll}`,
  });
  return exports.dll;
}

/** Builds an exe from C sources with the static C runtime, importing kernel32 (and ntdll). */
export async function buildExe(sources: string[], output: string): Promise<void> {
  const objects = [...await sharedObjects(EXE_LIBC)];
  for (const src of cFiles(`${W32}/crt`)) objects.push(await compile(src));
  for (const src of sources) objects.push(await compile(src));
  await link({
    kind: "exe",
    base: EXE_BASE,
    objects,
    imports: [importLibrary("kernel32"), importLibrary("ntdll")],
    entry: "mainCRTStartup",
    output,
  });
}

/**
 * Folders whose every `NAME.c` is the program `NAME.exe`, and whose every
 * subfolder `NAME/` is the program `NAME.exe` built from all its C files.
 */
export const WIN32_PROGRAM_DIRS: readonly string[] = [
  `${W32}/cmd`,
  `${W32}/tests`,
  `${W32}/bench`,
];

/** The C sources of a program listed by {@link listWin32Programs} (a file or a folder). */
export function win32ProgramSources(src: string): string[] {
  return src.endsWith(".c") ? [src] : cFiles(src).filter((f) => f.endsWith(".c"));
}

/** The programs built into {@link WIN32_BIN_DIR}: `[name.exe, source file or folder]`. */
export function listWin32Programs(): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of WIN32_PROGRAM_DIRS) {
    for (const src of cFiles(dir)) {
      if (src.endsWith(".c")) out.push([src.replace(/^.*\//, "").replace(/\.c$/, ".exe"), src]);
    }
    for (const e of subFolders(dir)) out.push([`${e}.exe`, `${dir}/${e}`]);
  }
  return out.sort((a, b) => a[0] < b[0] ? -1 : 1);
}

function subFolders(dir: string): string[] {
  try {
    return [...Deno.readDirSync(abs(dir))].filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Builds the system DLLs and every program; returns the file names written. */
export async function buildWin32(outDir = WIN32_BIN_DIR): Promise<string[]> {
  const written: string[] = [];
  for (const dll of SYSTEM_DLLS) written.push(await buildDll(dll, outDir));
  for (const dll of TEST_DLLS) written.push(await buildDll(dll, outDir, true));
  for (const [name, src] of listWin32Programs()) {
    await buildExe(win32ProgramSources(src), `${outDir}/${name}`);
    written.push(name);
  }
  return written;
}
