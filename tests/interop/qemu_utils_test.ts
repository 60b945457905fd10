/**
 * Runs the shared interop cases (utilities, benchmarks, test_libc and every
 * `test_*` program) under qemu-riscv32 user-mode emulation and checks exit
 * status, output and file-system effects. The same cases run on Strata elsewhere.
 * Skipped, with a message, when qemu-riscv32 is not installed.
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { allCases, type InteropCase, UTILITY_CASES } from "./cases.ts";
import { runHostCommand } from "../guest_guard.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// STRATA_GUEST_BIN runs the cases against another build, for example the
// rv32imafdc one: deno task userland --arch rv32gc, then
// STRATA_GUEST_BIN=userland/build/rv32imafdc/bin deno test -A tests/interop/qemu_utils_test.ts
const BIN = join(REPO, Deno.env.get("STRATA_GUEST_BIN") ?? join("userland", "bin"));

function qemuPath(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin").split(":")) {
    try {
      const p = join(dir, "qemu-riscv32");
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not in this PATH entry
    }
  }
  return null;
}

function builtPrograms(): string[] {
  try {
    return [...Deno.readDirSync(BIN)].filter((e) => e.isFile).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

const QEMU = qemuPath();
if (!QEMU) console.warn("qemu_utils_test: qemu-riscv32 not found on PATH; interop runs skipped");

function substitute(s: string, dir: string): string {
  return s.replaceAll("{dir}", dir);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function withDir(re: RegExp, dir: string): RegExp {
  return new RegExp(re.source.replaceAll("{dir}", escapeRegExp(dir)), re.flags);
}

async function prepare(c: InteropCase): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "strata_interop_" }));
  for (const d of c.dirs ?? []) await Deno.mkdir(join(dir, d), { recursive: true, mode: 0o755 });
  for (const [rel, text] of Object.entries(c.files ?? {})) {
    const path = join(dir, rel);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, text);
    await Deno.chmod(path, 0o644);
  }
  return dir;
}

async function runCase(c: InteropCase): Promise<void> {
  const dir = await prepare(c);
  try {
    const out = await runHostCommand(
      QEMU!,
      [join(BIN, c.program), ...c.args.map((a) => substitute(a, dir))],
      {
        cwd: c.cwdInDir ? dir : REPO,
        stdin: c.stdin ?? "",
        // A fixed, small environment so env-dependent output is the same everywhere.
        env: { PATH: "/bin:/usr/bin", HOME: "/", TERM: "vt100" },
      },
    );
    const { stdout, stderr } = out;
    const ctx = `${c.name}: stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`;
    assert.equal(out.signal, null, `${ctx}: killed by ${out.signal}`);
    assert.equal(out.code, c.expect.status, `${ctx}: exit status`);
    if (c.expect.stdout !== undefined) {
      assert.equal(stdout, substitute(c.expect.stdout, dir), `${ctx}: stdout`);
    }
    if (c.expect.stdoutMatch) assert.match(stdout, withDir(c.expect.stdoutMatch, dir), ctx);
    if (c.expect.stderrMatch) assert.match(stderr, withDir(c.expect.stderrMatch, dir), ctx);
    for (const rel of c.expect.exists ?? []) {
      assert.ok(await exists(join(dir, rel)), `${ctx}: ${rel} should exist`);
    }
    for (const rel of c.expect.absent ?? []) {
      assert.ok(!(await exists(join(dir, rel))), `${ctx}: ${rel} should be absent`);
    }
    for (const [rel, text] of Object.entries(c.expect.contents ?? {})) {
      assert.equal(await Deno.readTextFile(join(dir, rel)), text, `${ctx}: contents of ${rel}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test({
  name: "interop cases: names unique, one-sided cases give a reason, poweroff never on qemu",
  fn() {
    const cases = allCases(builtPrograms());
    const names = new Set<string>();
    for (const c of cases) {
      assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
      names.add(c.name);
      if (c.only) assert.ok(c.reason, `${c.name}: one-sided case without a reason`);
    }
    const poweroff = UTILITY_CASES.find((c) => c.program === "poweroff");
    assert.equal(poweroff?.only, "strata");
  },
});

Deno.test({
  name: "qemu-riscv32 interop: utilities, benchmarks, test programs",
  ignore: !QEMU,
  async fn(t) {
    const programs = builtPrograms();
    const cases = allCases(programs).filter((c) => c.only !== "strata");
    // Every utility and benchmark must be built: a missing one is a failure, not a skip.
    for (const c of UTILITY_CASES) {
      assert.ok(programs.includes(c.program), `userland/bin/${c.program} is not built`);
    }
    for (const c of cases) {
      await t.step(c.name, () => runCase(c));
    }
  },
});
