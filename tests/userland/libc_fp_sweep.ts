/**
 * The long randomized sweep of the libc's floating point against glibc
 * (`deno task test:fp-sweep [N] [SEED]`): N printf conversions (default
 * 200000), N/2 strtod/strtof inputs and N/10 sscanf float and integer conversions, in
 * all four rounding modes, and N/10 calls of each libm function. Prints the mismatches (first 20) and the worst
 * ULP error per function; exits 1 on any printf/strtod mismatch or a libm
 * error above its documented bound.
 */

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

const N = Number(Deno.args[0] ?? 200000);
const SEED = Number(Deno.args[1] ?? 1);
const CHUNK = 20000;

async function exact(label: string, make: (r: Rng) => string, count: number, r: Rng) {
  const bins = await buildFpCheck();
  let bad = 0, known = 0;
  for (let mode = 0; mode < 4; mode++) {
    const per = mode === 0 ? count : Math.floor(count / 10);
    for (let done = 0; done < per; done += CHUNK) {
      const lines = [`R\t${mode}`];
      for (let i = 0; i < Math.min(CHUNK, per - done); i++) lines.push(make(r));
      const [ours, glibc] = await Promise.all([
        runFpCheck("guest", bins, lines),
        runFpCheck("host", bins, lines),
      ]);
      for (let i = 0; i < lines.length; i++) {
        if (ours[i] === glibc[i]) continue;
        if (isKnownGlibcDifference(lines[i], ours[i], glibc[i])) {
          known++;
          continue;
        }
        if (bad++ < 20) {
          console.log(
            `${label} mode ${mode}: ${JSON.stringify(lines[i])}\n  ours  ${ours[i]}\n  glibc ${
              glibc[i]
            }`,
          );
        }
      }
    }
  }
  const total = count + 3 * Math.floor(count / 10);
  console.log(
    `${label}: ${total} inputs, ${bad} differ from glibc` +
      (known ? ` (plus ${known} known glibc deviations, where ours is the standard result)` : ""),
  );
  return bad;
}

async function math(count: number, r: Rng) {
  const bins = await buildFpCheck();
  let over = 0;
  for (const name of Object.keys(MATH_ULP_BOUNDS)) {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(["M", name, ...randomMathArgs(r, name)].join("\t"));
    const [ours, glibc] = await Promise.all([
      runFpCheck("guest", bins, lines),
      runFpCheck("host", bins, lines),
    ]);
    let worst = 0, at = "";
    for (let i = 0; i < lines.length; i++) {
      const d = ulpDistance(ours[i], glibc[i]);
      if (d > worst) {
        worst = d;
        at = `${lines[i].replaceAll("\t", " ")} -> ${ours[i]} (glibc ${glibc[i]})`;
      }
    }
    const ok = worst <= MATH_ULP_BOUNDS[name];
    if (!ok) over++;
    console.log(
      `${name}: ${count} calls, worst ${worst} ulp${ok ? "" : "  ABOVE BOUND"}${
        worst ? `  at ${at}` : ""
      }`,
    );
  }
  return over;
}

if (!haveFpTools()) {
  console.log("fp sweep: needs clang, lld and qemu-riscv32");
  Deno.exit(0);
}
const r = new Rng(SEED);
let failures = 0;
failures += await exact("printf", (g) => `P\t${randomFloatFormat(g)}\t${randomDoubleHex(g)}`, N, r);
failures += await exact("strtod", (g) => `D\t${randomNumberText(g)}`, Math.floor(N / 2), r);
failures += await exact("sscanf", randomScanLine, Math.floor(N / 10), r);
failures += await exact("sscanf int", randomIntScanLine, Math.floor(N / 10), r);
failures += await math(Math.floor(N / 10), r);
Deno.exit(failures ? 1 : 0);
