/**
 * Builds the bare-metal test programs: every `tests/baremetal/*.S` and `*.c`
 * whose name does not start with `_` becomes `tests/baremetal/bin/NAME.elf`.
 * C programs are linked with `_crt.S`. Output is byte-identical on rebuild
 * (no build id, relative paths, no debug info).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Raised when clang fails on a test program. */
export class BaremetalBuildError extends Error {
  /** Creates the error with the compiler's diagnostics. */
  constructor(message: string) {
    super(message);
    this.name = "BaremetalBuildError";
  }
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = "tests/baremetal";

async function clang(args: string[]): Promise<{ ok: boolean; stderr: string }> {
  const out = await new Deno.Command("clang", { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .output();
  return { ok: out.success, stderr: new TextDecoder().decode(out.stderr) };
}

/** Picks the -march spelling this clang understands (clang < 15 lacks zicsr/zifencei names). */
async function pickMarch(): Promise<string> {
  const probe = await clang([
    "--target=riscv32-unknown-elf",
    "-march=rv32ima_zicsr_zifencei",
    "-x",
    "assembler",
    "-c",
    "/dev/null",
    "-o",
    "/dev/null",
  ]);
  return probe.ok ? "rv32ima_zicsr_zifencei" : "rv32ima";
}

/** Compiles every bare-metal test program into `tests/baremetal/bin/`. */
export async function buildBaremetal(): Promise<void> {
  const march = await pickMarch();
  await Deno.mkdir(`${ROOT}${DIR}/bin`, { recursive: true });
  const names: string[] = [];
  for await (const e of Deno.readDir(`${ROOT}${DIR}`)) {
    if (e.isFile && !e.name.startsWith("_") && /\.(S|c)$/.test(e.name)) names.push(e.name);
  }
  names.sort();
  for (const name of names) {
    const base = name.replace(/\.(S|c)$/, "");
    const sources = [`${DIR}/${name}`];
    if (name.endsWith(".c")) sources.unshift(`${DIR}/_crt.S`);
    if (base.endsWith("_fd")) {
      // Floating-point programs: RV32GC with the double-float ABI only.
      await compile("rv32imafdc", "ilp32d", sources, base);
      continue;
    }
    await compile(march, "ilp32", sources, base);
    // C programs are also built with compressed instructions (RV32IMAC).
    if (name.endsWith(".c")) await compile("rv32imac", "ilp32", sources, `${base}_rvc`);
  }
}

async function compile(march: string, abi: string, sources: string[], base: string) {
  const res = await clang([
    "--target=riscv32-unknown-elf",
    `-march=${march}`,
    `-mabi=${abi}`,
    "-nostdlib",
    "-ffreestanding",
    "-fno-pic",
    "-mno-relax",
    "-O2",
    "-fuse-ld=lld",
    `-Wl,-T,${DIR}/link.ld`,
    "-Wl,--build-id=none",
    `-I${DIR}`,
    ...sources,
    "-o",
    `${DIR}/bin/${base}.elf`,
  ]);
  if (!res.ok) throw new BaremetalBuildError(`building ${base} failed:\n${res.stderr}`);
}

if (import.meta.main) {
  await buildBaremetal();
}
