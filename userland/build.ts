/**
 * Builds the guest userland: the libc objects, every program into
 * `userland/bin/NAME`, and then (through `buildBaremetal()` from
 * `tests/baremetal/build.ts`) the bare-metal CPU tests.
 *
 * Output is byte-identical on every rebuild: relative paths from the repository
 * root, no debug info, no build id, a fixed link order, and objects linked
 * directly (no archive), so the same inputs always give the same layout.
 * Objects are kept in `userland/build/ARCH/` (gitignored) and rebuilt only when a
 * source or header is newer; `--clean` forces a full rebuild.
 *
 * Run with `deno task userland` (or `deno run -A userland/build.ts [--clean]`).
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBaremetal } from "../tests/baremetal/build.ts";
import { buildExe, buildWin32, WIN32_BIN_DIR, Win32BuildError } from "./win32/build.ts";
import { Elf2PeError } from "./win32/elf2pe.ts";

/** Repository root (the build always runs from here so paths stay relative). */
export const REPO_ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Folders (relative to the repo root) where each `NAME.c` is one program `NAME`. */
export const ONE_PROGRAM_PER_FILE_DIRS: readonly string[] = [
  "userland/cmd",
  "userland/bench",
  "userland/tests",
  "userland/libc/tests",
];

/** Folders (relative to the repo root) whose `*.c` files together make one program named after the folder. */
export const ONE_PROGRAM_PER_DIR_DIRS: readonly string[] = ["userland/sh", "userland/init"];

/**
 * The instruction sets the guest can be built for: `rv32ima` (integer only,
 * soft-float ABI `ilp32`; the libc then has no floating point) and
 * `rv32imafdc` (RV32GC with the hard-float ABI `ilp32d`; the libc adds the
 * float parts of printf/scanf, strtod and libm).
 */
export type GuestArch = "rv32ima" | "rv32imafdc";

/** Every {@link GuestArch}, default first. */
export const GUEST_ARCHES: readonly GuestArch[] = ["rv32ima", "rv32imafdc"];

/** The flavour `userland/bin` is built for. */
export const DEFAULT_GUEST_ARCH: GuestArch = "rv32imafdc";

const ABI_OF: Readonly<Record<GuestArch, string>> = { rv32ima: "ilp32", rv32imafdc: "ilp32d" };

/** Compiler flags for guest C and assembly (Linux RV32 ABI, freestanding), default arch. */
export const GUEST_CFLAGS: readonly string[] = [
  "--target=riscv32-unknown-linux-gnu",
  `-march=${DEFAULT_GUEST_ARCH}`,
  `-mabi=${ABI_OF[DEFAULT_GUEST_ARCH]}`,
  // No linker relaxation: no gp-relative addressing, nothing for _start to set up.
  "-mno-relax",
  "-ffreestanding",
  "-fno-builtin",
  "-fno-pic",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
  "-fno-unwind-tables",
  "-ffunction-sections",
  "-fdata-sections",
  "-O2",
  "-Wall",
  "-Werror",
  "-nostdlibinc",
  "-isystem",
  "userland/libc/include",
];

/** Linker flags: static, no libc but ours, no build id, unused sections dropped (default arch). */
export const GUEST_LDFLAGS: readonly string[] = [
  "--target=riscv32-unknown-linux-gnu",
  `-march=${DEFAULT_GUEST_ARCH}`,
  `-mabi=${ABI_OF[DEFAULT_GUEST_ARCH]}`,
  "-fuse-ld=lld",
  "-nostdlib",
  "-static",
  "-Wl,--build-id=none",
  "-Wl,--gc-sections",
  "-Wl,-z,noexecstack",
];

/** {@link GUEST_CFLAGS} or {@link GUEST_LDFLAGS} with the `-march`/`-mabi` of `arch`. */
export function flagsFor(flags: readonly string[], arch: GuestArch): string[] {
  return flags.map((f) =>
    f.startsWith("-march=")
      ? `-march=${arch}`
      : f.startsWith("-mabi=")
      ? `-mabi=${ABI_OF[arch]}`
      : f
  );
}

/** Parses an arch name (`rv32gc` is accepted for `rv32imafdc`); throws RangeError otherwise. */
export function parseGuestArch(name: string): GuestArch {
  const a = name === "rv32gc" ? "rv32imafdc" : name;
  if (!(GUEST_ARCHES as readonly string[]).includes(a)) {
    throw new RangeError(`unknown guest arch "${name}" (one of ${GUEST_ARCHES.join(", ")})`);
  }
  return a as GuestArch;
}

const LIBC_DIR = "userland/libc";
const BUILD_DIR = "userland/build";
const BIN_DIR = "userland/bin";

/** A program to build: its name in `userland/bin/` and its C sources (repo-relative). */
export interface ProgramSpec {
  /** Name of the output file in `userland/bin/`. */
  name: string;
  /** Source files, relative to the repository root, in link order. */
  sources: string[];
}

/** What a build did. */
export interface BuildReport {
  /** Programs linked (names), in build order. */
  programs: string[];
  /** Number of objects compiled (0 when everything was up to date). */
  compiled: number;
  /** Number of programs (re)linked. */
  linked: number;
  /** Whether `buildBaremetal()` ran. */
  baremetal: boolean;
  /** Win32 files written to `userland/bin/win32/` (DLLs, then programs); empty if not built. */
  win32: string[];
}

/** Options for {@link buildUserland}. */
export interface BuildOptions {
  /** Ignore existing objects and binaries and rebuild everything. */
  clean?: boolean;
  /** Print each command. */
  verbose?: boolean;
  /** Skip the bare-metal build (for tests of this script only). */
  skipBaremetal?: boolean;
  /** Skip the Win32 build (`userland/bin/win32/`). */
  skipWin32?: boolean;
  /** Instruction set (default {@link DEFAULT_GUEST_ARCH}). */
  arch?: GuestArch;
  /**
   * Where the programs go, relative to the repository root: `userland/bin`
   * for the default arch, `userland/build/ARCH/bin` for another one (so the
   * committed binaries are only ever the default flavour unless asked).
   */
  binDir?: string;
}

/** A compiler or linker run that failed; the message carries its diagnostics. */
export class BuildError extends Error {
  /** The command line that failed. */
  readonly command: string[];
  /** Creates the error for a failed command and its stderr. */
  /** The compiler's or linker's diagnostics. */
  readonly diagnostics: string;
  constructor(command: string[], stderr: string, options?: ErrorOptions) {
    super(`build step failed: ${command.join(" ")}\n${stderr}`, options);
    this.name = "BuildError";
    this.command = command;
    this.diagnostics = stderr;
  }
}

function abs(rel: string): string {
  return join(REPO_ROOT, rel);
}

function listDir(rel: string): string[] {
  try {
    return [...Deno.readDirSync(abs(rel))].filter((e) => e.isFile).map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

function mtime(rel: string): number {
  try {
    return Deno.statSync(abs(rel)).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return -1;
    throw e;
  }
}

function listHeaders(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(abs(dir))];
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.name.endsWith(".h")) out.push(p);
    }
  };
  walk(rel);
  return out.sort();
}

/** Lists every program the build makes, from the source folders, sorted by name. */
export function listProgramSpecs(): ProgramSpec[] {
  const specs: ProgramSpec[] = [];
  for (const dir of ONE_PROGRAM_PER_FILE_DIRS) {
    for (const f of listDir(dir)) {
      if (f.endsWith(".c")) specs.push({ name: f.slice(0, -2), sources: [`${dir}/${f}`] });
    }
  }
  for (const dir of ONE_PROGRAM_PER_DIR_DIRS) {
    const sources = listDir(dir).filter((f) => f.endsWith(".c")).map((f) => `${dir}/${f}`);
    if (sources.length) specs.push({ name: dir.slice(dir.lastIndexOf("/") + 1), sources });
  }
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new BuildError([], `two sources build the program "${s.name}"`);
    seen.add(s.name);
  }
  return specs.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The libc objects' sources (crt0 first, then src/ in name order). */
export function libcSources(): string[] {
  const src = listDir(`${LIBC_DIR}/src`).filter((f) => f.endsWith(".c") || f.endsWith(".S"));
  return [`${LIBC_DIR}/crt0.S`, ...src.map((f) => `${LIBC_DIR}/src/${f}`)];
}

/** Runs a build step; returns its diagnostics (warnings) or throws {@link BuildError}. */
async function run(cmd: string[], verbose: boolean): Promise<string> {
  if (verbose) console.log(cmd.join(" "));
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new BuildError(cmd, stderr);
  return stderr;
}

/** Runs jobs with at most `limit` in flight (the build machines are small). */
async function pool<T>(items: T[], limit: number, job: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await job(items[next++]);
  });
  await Promise.all(workers);
}

function objectFor(src: string, arch: GuestArch): string {
  // userland/cmd/ls.c -> userland/build/ARCH/cmd/ls.o (one object tree per flavour)
  const rel = relative("userland", src).replace(/\.[cS]$/, ".o");
  return `${BUILD_DIR}/${arch}/${rel}`;
}

/** The default output folder of a build for `arch` (relative to the repository root). */
export function defaultBinDir(arch: GuestArch): string {
  return arch === DEFAULT_GUEST_ARCH ? BIN_DIR : `${BUILD_DIR}/${arch}/bin`;
}

/** Builds libc and every program; returns what it did. Throws {@link BuildError} on a failed step. */
export async function buildUserland(options: BuildOptions = {}): Promise<BuildReport> {
  const verbose = options.verbose ?? false;
  const clean = options.clean ?? false;
  const arch = options.arch ?? DEFAULT_GUEST_ARCH;
  const binDir = options.binDir ?? defaultBinDir(arch);
  const cflags = flagsFor(GUEST_CFLAGS, arch), ldflags = flagsFor(GUEST_LDFLAGS, arch);
  const headers = listHeaders(`${LIBC_DIR}/include`);
  const newestLibcHeader = Math.max(
    0,
    ...headers.concat(listHeaders(`${LIBC_DIR}/src`)).map(mtime),
  );
  const specs = listProgramSpecs();

  // Every object, with the newest header it may depend on.
  const compileJobs: { src: string; obj: string }[] = [];
  const libObjs = libcSources().map((src) => ({ src, obj: objectFor(src, arch) }));
  const needs = (src: string, obj: string, extraHeaders: number) => {
    if (clean) return true;
    const o = mtime(obj);
    return o < 0 || o < mtime(src) || o < newestLibcHeader || o < extraHeaders;
  };
  for (const j of libObjs) if (needs(j.src, j.obj, 0)) compileJobs.push(j);
  const progObjs = new Map<string, string[]>();
  for (const spec of specs) {
    const dir = dirname(spec.sources[0]);
    const localHeaders = Math.max(0, ...listHeaders(dir).map(mtime));
    const objs: string[] = [];
    for (const src of spec.sources) {
      const obj = objectFor(src, arch);
      objs.push(obj);
      if (needs(src, obj, localHeaders)) compileJobs.push({ src, obj });
    }
    progObjs.set(spec.name, objs);
  }

  for (const j of compileJobs) await Deno.mkdir(abs(dirname(j.obj)), { recursive: true });
  await pool(compileJobs, 2, async ({ src, obj }) => {
    await run(["clang", ...cflags, "-c", src, "-o", obj], verbose);
  });

  await Deno.mkdir(abs(binDir), { recursive: true });
  const libObjPaths = libObjs.map((j) => j.obj);
  const newestLib = Math.max(...libObjPaths.map(mtime));
  const linkJobs = specs.filter((spec) => {
    if (clean) return true;
    const out = mtime(`${binDir}/${spec.name}`);
    const inputs = Math.max(newestLib, ...progObjs.get(spec.name)!.map(mtime));
    return out < 0 || out < inputs;
  });
  await pool(linkJobs, 2, async (spec) => {
    // crt0 first, program objects, then the rest of libc: fixed order, fixed layout.
    const objs = [libObjPaths[0], ...progObjs.get(spec.name)!, ...libObjPaths.slice(1)];
    await run(["clang", ...ldflags, ...objs, "-o", `${binDir}/${spec.name}`], verbose);
  });

  // The Win32 DLLs and programs (PE images) are one flavour, next to the default build.
  const win32 = !options.skipWin32 && arch === DEFAULT_GUEST_ARCH && binDir === BIN_DIR
    ? await buildWin32(WIN32_BIN_DIR)
    : [];

  let baremetal = false;
  // The bare-metal tests have their own flags; they are built with the default flavour only.
  if (!options.skipBaremetal && arch === DEFAULT_GUEST_ARCH && binDir === BIN_DIR) {
    await buildBaremetal();
    baremetal = true;
  }
  return {
    programs: specs.map((s) => s.name),
    compiled: compileJobs.length,
    linked: linkJobs.length,
    baremetal,
    win32,
  };
}

/** True when clang and ld.lld can be run (a machine with only Deno has neither). */
export function hasGuestToolchain(): boolean {
  for (const tool of ["clang", "ld.lld"]) {
    try {
      if (
        !new Deno.Command(tool, { args: ["--version"], stdout: "null", stderr: "null" })
          .outputSync().success
      ) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Compiles the libc objects that are missing or older than their sources or
 * headers (into `userland/build/`, never touching `userland/bin/`) and returns
 * their paths in link order. Each object is written to a temporary name and
 * renamed, so concurrent callers (parallel test files) never see half of one.
 */
export async function ensureLibcObjects(
  arch: GuestArch = DEFAULT_GUEST_ARCH,
): Promise<string[]> {
  const newestHeader = Math.max(
    0,
    ...listHeaders(`${LIBC_DIR}/include`).concat(listHeaders(`${LIBC_DIR}/src`)).map(mtime),
  );
  const jobs = libcSources().map((src) => ({ src, obj: objectFor(src, arch) }));
  const stale = jobs.filter(({ src, obj }) => {
    const o = mtime(obj);
    return o < 0 || o < mtime(src) || o < newestHeader;
  });
  for (const j of stale) await Deno.mkdir(abs(dirname(j.obj)), { recursive: true });
  await pool(stale, 2, async ({ src, obj }) => {
    // Unique per call: test workers of one process share its pid.
    const tmp = `${obj}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
    await run(["clang", ...flagsFor(GUEST_CFLAGS, arch), "-c", src, "-o", tmp], false);
    await Deno.rename(abs(tmp), abs(obj));
  });
  return jobs.map((j) => j.obj);
}

/** Options of {@link buildGuestProgram}. */
export interface GuestProgramOptions {
  /** Turn warnings into errors (default true: the project's own programs build with -Werror). */
  werror?: boolean;
  /** Print the compiler command (default false). */
  verbose?: boolean;
}

/**
 * Compiles and links extra guest sources (for example a test's own C file) with
 * the same flags and the libc objects (compiled first if they are missing).
 * `sources` and `output` are absolute or relative to the repository root.
 * Returns the compiler's warnings.
 */
export async function buildGuestProgram(
  sources: string[],
  output: string,
  arch: GuestArch = DEFAULT_GUEST_ARCH,
  options: GuestProgramOptions = {},
): Promise<string> {
  const libObjs = await ensureLibcObjects(arch);
  const cflags = flagsFor(GUEST_CFLAGS, arch).filter((f) =>
    options.werror !== false || f !== "-Werror"
  );
  const cmd = ["clang", ...cflags, ...GUEST_LDFLAGS.slice(3), libObjs[0], ...sources];
  return await run([...cmd, ...libObjs.slice(1), "-o", output], options.verbose ?? false);
}

/**
 * `--out PROGRAM FILE.c...` from the command line: paths are the caller's
 * (relative to the directory `deno task` was started in, or the current
 * one), PROGRAM's directory is created, warnings are not errors, and only
 * the compiler's own diagnostics are printed (the command too with -v).
 */
async function buildUserProgram(
  out: string,
  sources: string[],
  arch: GuestArch,
  verbose: boolean,
): Promise<number> {
  const base = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const output = resolve(base, out);
  const files = sources.map((s) => resolve(base, s));
  await Deno.mkdir(dirname(output), { recursive: true });
  try {
    const warnings = await buildGuestProgram(files, output, arch, { werror: false, verbose });
    if (warnings !== "") console.error(warnings.trimEnd());
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    console.error(e.diagnostics.trimEnd());
    return 1;
  }
  console.log(`userland: built ${out}`);
  return 0;
}

/** Parses the build command line, or prints one line saying what is wrong and exits 2. */
function parseBuildArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        clean: { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        // Build your own program against our libc: --out hello hello.c
        out: { type: "string", short: "o" },
        // --arch rv32imafdc (or rv32gc): the hard-float flavour, into userland/build/ARCH/bin
        arch: { type: "string" },
        "bin-dir": { type: "string" },
        // --win32 --out PROG.exe a.c ...: a PE program for the Win32 personality
        win32: { type: "boolean" },
      },
    });
  } catch (e) {
    const opt = /'(-[^' ]*)'?/.exec((e as Error).message)?.[1];
    const code = (e as { code?: string }).code;
    const what = code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
      ? `unknown option '${opt}'`
      : (e as Error).message.split("\n")[0];
    console.error(
      `userland: ${what}\nusage: deno task userland [-v] [--clean] [--arch ARCH] | ` +
        "[-pthread] [-v] --out PROGRAM FILE.c... | --win32 --out PROGRAM.exe FILE.c...",
    );
    Deno.exit(2);
  }
}

if (import.meta.main) {
  // -pthread is accepted as cc accepts it: the threads are in our libc (as in
  // musl), so it links nothing extra.
  const args = Deno.args.filter((a) => a !== "-pthread" && a !== "--pthread");
  const { values, positionals } = parseBuildArgs(args);
  try {
    const arch = values.arch === undefined ? DEFAULT_GUEST_ARCH : parseGuestArch(values.arch);
    if (values.win32) {
      if (values.out === undefined || positionals.length === 0) {
        console.error("usage: deno task userland --win32 --out PROGRAM.exe FILE.c...");
        Deno.exit(2);
      }
      await buildExe(positionals, values.out);
      console.log(`userland: built ${values.out} (PE32, RISC-V)`);
      Deno.exit(0);
    }
    if (values.out !== undefined || positionals.length > 0) {
      if (values.out === undefined || positionals.length === 0) {
        console.error("usage: deno task userland [-pthread] --out PROGRAM FILE.c...");
        Deno.exit(2);
      }
      // Only the libc objects are needed (built on demand); userland/bin is left alone.
      Deno.exit(await buildUserProgram(values.out, positionals, arch, values.verbose ?? false));
    }
    const r = await buildUserland({
      clean: values.clean,
      verbose: values.verbose,
      arch,
      binDir: values["bin-dir"],
    });
    console.log(
      `userland (${arch}): ${r.programs.length} programs, ${r.compiled} objects compiled, ${r.linked} linked` +
        (r.win32.length ? `, ${r.win32.length} Win32 images` : "") +
        (r.baremetal ? ", bare-metal tests built" : ""),
    );
  } catch (e) {
    if (
      e instanceof BuildError || e instanceof RangeError || e instanceof Win32BuildError ||
      e instanceof Elf2PeError
    ) {
      console.error(e.message);
      Deno.exit(1);
    }
    throw e;
  }
}
