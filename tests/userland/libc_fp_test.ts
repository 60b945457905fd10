/**
 * The libc's floating point (rv32imafdc build) against glibc: a small seeded
 * sample of printf conversions, strtod/strtof inputs and libm calls, run
 * through `fp_check` under qemu-riscv32 and on the host. The long sweep is
 * `deno task test:fp-sweep` (tests/userland/libc_fp_sweep.ts).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildGuestProgram,
  DEFAULT_GUEST_ARCH,
  GUEST_ARCHES,
  REPO_ROOT,
} from "../../userland/build.ts";
import {
  buildFpCheck,
  haveFpTools,
  isKnownGlibcDifference,
  MATH_ULP_BOUNDS,
  randomDoubleHex,
  randomFloatFormat,
  randomIntScanLine,
  randomMathArgs,
  randomNumberText,
  randomScanLine,
  Rng,
  runFpCheck,
  ulpDistance,
} from "./fp_harness.ts";

const TOOLS = haveFpTools();

async function compareExact(lines: string[]) {
  const bins = await buildFpCheck();
  const [ours, glibc] = await Promise.all([
    runFpCheck("guest", bins, lines),
    runFpCheck("host", bins, lines),
  ]);
  assert.equal(ours.length, lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (isKnownGlibcDifference(lines[i], ours[i], glibc[i])) continue;
    assert.equal(ours[i], glibc[i], `input ${JSON.stringify(lines[i])}`);
  }
}

Deno.test({
  name: "libc fp: printf %e %f %g %a match glibc (hard cases and a seeded sample)",
  ignore: !TOOLS,
  async fn() {
    const hard: [string, number][] = [
      ["%.0f", 0.5],
      ["%.0f", 1.5],
      ["%.0f", 2.5],
      ["%.1f", 0.25],
      ["%.2f", 1.005],
      ["%.3e", 9.9995],
      ["%.20f", 0.1],
      ["%.17g", 1 / 3],
      ["%g", 100000],
      ["%g", 1e-5],
      ["%#g", 1],
      ["%#.0e", 35],
      ["%.0a", 1.5],
      ["%.1a", 1.99999],
      ["%a", 5e-324],
      ["%A", -0],
      ["%010.2f", -3.14159],
      ["%+e", 0],
      ["%-12g|", Infinity],
      ["%010f", -Infinity],
      ["%F", NaN],
      ["%.1074f", 5e-324],
      ["%f", 1.7976931348623157e308],
      ["%.40e", 2.2250738585072014e-308],
    ];
    const lines = hard.map(([f, x]) => `P\t${f}\t${hexOfNum(x)}`);
    const r = new Rng(17);
    for (let i = 0; i < 400; i++) lines.push(`P\t${randomFloatFormat(r)}\t${randomDoubleHex(r)}`);
    for (const mode of [1, 2, 3]) {
      lines.push(`R\t${mode}`);
      for (let i = 0; i < 60; i++) lines.push(`P\t${randomFloatFormat(r)}\t${randomDoubleHex(r)}`);
    }
    lines.push("R\t0");
    await compareExact(lines);
  },
});

function hexOfNum(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, "0");
}

Deno.test({
  name: "libc fp: strtod and strtof round like glibc (halfway cases, hex, inf/nan, ERANGE)",
  ignore: !TOOLS,
  async fn() {
    const hard = [
      "0.1",
      "2.2250738585072011e-308",
      "2.2250738585072012e-308",
      "4.9406564584124654e-324",
      "2.4703282292062327e-324",
      "2.4703282292062328e-324",
      "1.7976931348623157e308",
      "1.7976931348623159e308",
      "9007199254740993",
      "9007199254740992.5",
      "1e23",
      "8.589973e9",
      "0x1.fffffffffffff8p1023",
      "0x1.00000000000008p0",
      "0x.8p1",
      "1e-400",
      "  -0",
      "infinity",
      "-nan(abc)",
      "3.4028235677973366e38",
      "1.4012984643e-45",
      "7.038531e-26",
    ];
    const lines = hard.map((t) => `D\t${t}`);
    const r = new Rng(23);
    for (let i = 0; i < 400; i++) lines.push(`D\t${randomNumberText(r)}`);
    for (const mode of [1, 2, 3]) {
      lines.push(`R\t${mode}`);
      for (let i = 0; i < 50; i++) lines.push(`D\t${randomNumberText(r)}`);
    }
    lines.push("R\t0");
    await compareExact(lines);
  },
});

Deno.test({
  name: "libc: sscanf integer and float conversions read what glibc reads (widths, prefixes, junk)",
  ignore: !TOOLS,
  async fn() {
    const hard = [
      "%lf\t1e+x",
      "%lf\t0x",
      "%lf\t0x.p1",
      "%3f\t+0x1p3",
      "%lf\tinfinit",
      "%5lg\t123456",
    ];
    const lines = hard.map((t) => `S\t${t}`);
    const r = new Rng(31);
    for (let i = 0; i < 300; i++) lines.push(randomScanLine(r));
    for (let i = 0; i < 300; i++) lines.push(randomIntScanLine(r));
    await compareExact(lines);
  },
});

Deno.test({
  name: "libm: every function within its documented ULP bound of glibc (seeded sample)",
  ignore: !TOOLS,
  async fn() {
    const bins = await buildFpCheck();
    const r = new Rng(29);
    const lines: string[] = [];
    for (const name of Object.keys(MATH_ULP_BOUNDS)) {
      for (let i = 0; i < 150; i++) lines.push(["M", name, ...randomMathArgs(r, name)].join("\t"));
    }
    const [ours, glibc] = await Promise.all([
      runFpCheck("guest", bins, lines),
      runFpCheck("host", bins, lines),
    ]);
    for (let i = 0; i < lines.length; i++) {
      const name = lines[i].split("\t")[1];
      const d = ulpDistance(ours[i], glibc[i]);
      assert.ok(
        d <= MATH_ULP_BOUNDS[name],
        `${lines[i]}: ours ${ours[i]} glibc ${glibc[i]} (${d} ulp)`,
      );
    }
  },
});

Deno.test({
  name: "libc fp: scanf floats, fenv.h, Annex F special values and conversions (test_libc_fp)",
  ignore: !TOOLS,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_fp_self_" });
    try {
      const bin = join(dir, "test_libc_fp");
      await buildGuestProgram(
        [join(REPO_ROOT, "userland/libc/tests/fp/test_libc_fp.c")],
        bin,
        "rv32imafdc",
      );
      const out = await new Deno.Command("qemu-riscv32", {
        args: [bin],
        stdout: "piped",
        stderr: "piped",
      })
        .output();
      const text = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
      assert.match(text, /^test_libc_fp: ok \d+\n$/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "libc: the self-checks also pass when built for the other instruction set",
  ignore: !TOOLS,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_flavour_" });
    try {
      for (const arch of GUEST_ARCHES.filter((a) => a !== DEFAULT_GUEST_ARCH)) {
        for (const name of ["test_libc", "test_libc_posix"]) {
          const bin = join(dir, `${name}_${arch}`);
          await buildGuestProgram([join(REPO_ROOT, `userland/libc/tests/${name}.c`)], bin, arch);
          const scratch = await Deno.makeTempDir({ dir, prefix: "scratch_" });
          const out = await new Deno.Command("qemu-riscv32", {
            args: [bin, scratch],
            stdout: "piped",
            stderr: "piped",
          }).output();
          const text = new TextDecoder().decode(out.stdout);
          assert.equal(
            out.code,
            0,
            `${name} (${arch}): ${text}${new TextDecoder().decode(out.stderr)}`,
          );
          assert.match(text, new RegExp(`^${name}: ok \\d+\\n$`));
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
