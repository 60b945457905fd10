/**
 * Differential harness for the libc's floating point: `fp_check.c` built
 * twice, for rv32imafdc against our libc (run under qemu-riscv32, which
 * executes F/D exactly) and for the host against glibc, fed the same lines.
 * printf and strtod output must match glibc exactly; libm results are
 * compared in ULPs. Random inputs come from a seeded generator, so a failure
 * names the seed and repeats.
 * @module
 */

import { join } from "node:path";
import { buildGuestProgram, hasGuestToolchain, REPO_ROOT } from "../../userland/build.ts";

const SOURCE = join(REPO_ROOT, "userland/libc/tests/fp/fp_check.c");

/** True when clang, lld and qemu-riscv32 are all installed. */
export function haveFpTools(): boolean {
  if (!hasGuestToolchain()) return false;
  try {
    return new Deno.Command("qemu-riscv32", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** The two builds of fp_check. */
export interface FpCheckBinaries {
  /** rv32imafdc build against the Strata libc (run under qemu-riscv32). */
  guest: string;
  /** Host build against glibc. */
  host: string;
}

let built: Promise<FpCheckBinaries> | null = null;

/** Builds fp_check for the guest and the host once per process (into a temp folder). */
export function buildFpCheck(): Promise<FpCheckBinaries> {
  built ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "strata_fp_" });
    const guest = join(dir, "fp_check_rv32gc"), host = join(dir, "fp_check_host");
    await buildGuestProgram([SOURCE], guest, "rv32imafdc");
    const out = await new Deno.Command("clang", {
      args: ["-O2", "-ffp-contract=off", SOURCE, "-o", host, "-lm"],
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    return { guest, host };
  })();
  return built;
}

/** Runs one build on the lines (tab-separated commands) and returns its output lines. */
export async function runFpCheck(
  which: "guest" | "host",
  bins: FpCheckBinaries,
  lines: string[],
): Promise<string[]> {
  const cmd = which === "guest"
    ? new Deno.Command("qemu-riscv32", { args: [bins.guest], stdin: "piped", stdout: "piped" })
    : new Deno.Command(bins.host, { stdin: "piped", stdout: "piped" });
  const child = cmd.spawn();
  const writer = child.stdin.getWriter();
  const input = new TextEncoder().encode(lines.join("\n") + "\n");
  const [out] = await Promise.all([
    child.output(),
    writer.write(input).then(() => writer.close()),
  ]);
  if (!out.success) throw new Error(`${which} fp_check failed with status ${out.code}`);
  const text = new TextDecoder().decode(out.stdout);
  return text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
}

/**
 * True for the two known ways glibc (2.36) departs from C and IEEE 754:
 *
 * - `%#.Ng` of a value that rounds up to a power of ten printed in e-style,
 *   such as 9999.9999 with `%#.4g`, drops the zeros the # flag must keep
 *   (`1.e+04` instead of C's `1.000e+04`);
 * - strtod of some hex inputs whose result is subnormal and inexact (such as
 *   `0x1.00000000000008p-1050`) leaves errno alone, while similar ones
 *   (`0x1.00000000000009p-1050`) set ERANGE; the value is the same.
 *
 * Our libc gives the standard result in both; the harness accepts those pairs.
 */
export function isKnownGlibcDifference(line: string, ours: string, glibc: string): boolean {
  const [kind, arg] = line.split("\t");
  if (kind === "D") {
    const o = ours.split(" "), g = glibc.split(" ");
    const subnormal = /^[08]00/.test(o[0]) && o[0] !== "0000000000000000";
    return /0[xX]/.test(arg ?? "") && subnormal && o[0] === g[0] && o[1] === g[1] &&
      o[2] === "1" && g[2] === "0" && o.slice(3).join(" ") === g.slice(3).join(" ");
  }
  if (kind !== "P" || !/#/.test(arg ?? "") || !/[gG]$/.test(arg ?? "")) return false;
  const o = /1\.0+([eE][-+]\d+)\s*\]$/.exec(ours);
  const g = /1\.([eE][-+]\d+)\s*\]$/.exec(glibc);
  return o !== null && g !== null && o[1] === g[1];
}

/** A small seeded generator (xorshift64*), so sweeps repeat exactly. */
export class Rng {
  #s: bigint;
  /** Starts the sequence from `seed` (any integer; 0 is replaced). */
  constructor(seed: number) {
    this.#s = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n) || 1n;
  }
  /** The next 64 random bits. */
  bits64(): bigint {
    let x = this.#s;
    x ^= x >> 12n;
    x ^= BigInt.asUintN(64, x << 25n);
    x ^= x >> 27n;
    this.#s = x;
    return BigInt.asUintN(64, x * 0x2545f4914f6cdd1dn);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Number(this.bits64() % BigInt(n));
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** The bits of a double as 16 hex digits. */
export function hexOf(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, "0");
}

/** A double from its 16-hex-digit bits. */
export function doubleOf(hex: string): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, BigInt.asUintN(64, BigInt(`0x${hex}`)));
  return v.getFloat64(0);
}

/** Random double bits of a mixed kind: any bits, ordinary magnitudes, integers, tiny, special. */
export function randomDoubleHex(r: Rng): string {
  switch (r.int(8)) {
    case 0:
    case 1:
      return r.bits64().toString(16).padStart(16, "0");
    case 2: // |x| in roughly [1e-20, 1e20]
      return hexOf((r.int(2) ? -1 : 1) * Math.pow(10, (r.int(40000) - 20000) / 1000));
    case 3: // small integers and halves: exact ties for %.0f and friends
      return hexOf((r.int(2000) - 1000) / r.pick([1, 2, 4, 8, 1000]));
    case 4: // subnormals
      return (r.bits64() & 0x800fffffffffffffn).toString(16).padStart(16, "0");
    case 5: // short decimals such as 0.125, 2.675, 1e22
      return hexOf(Number(`${r.int(100000)}e${r.int(50) - 25}`));
    case 6:
      return hexOf(
        r.pick([0, -0, Infinity, -Infinity, NaN, 5e-324, 1.7976931348623157e308, 1, 0.5]),
      );
    default: // near powers of ten, where %e and %g change exponent
      return hexOf(Math.pow(10, r.int(40) - 20) * (1 - (r.int(3) - 1) * 1e-16));
  }
}

/** A random printf conversion with flags, width and precision. */
export function randomFloatFormat(r: Rng): string {
  let flags = "";
  for (const f of ["-", "+", " ", "#", "0"]) if (r.int(5) === 0) flags += f;
  const width = r.int(3) === 0 ? String(r.int(40)) : "";
  const prec = r.int(3) === 0 ? "" : "." + String(r.int(10) === 0 ? r.int(400) : r.int(25));
  return `%${flags}${width}${prec}${r.pick(["e", "E", "f", "F", "g", "G", "a", "A"])}`;
}

/** A random decimal or hex string for strtod: digits, points, exponents, long tails, junk. */
export function randomNumberText(r: Rng): string {
  const digits = (n: number) => Array.from({ length: n }, () => String(r.int(10))).join("");
  const sign = r.pick(["", "", "-", "+"]);
  switch (r.int(7)) {
    case 0: // the shortest round-trip text of a random double, maybe perturbed
    {
      const x = doubleOf(randomDoubleHex(r));
      return sign + (Number.isFinite(x) ? x.toPrecision(r.int(21) + 1) : "inf");
    }
    case 1:
      return `${sign}${digits(r.int(30) + 1)}.${digits(r.int(30))}e${r.int(700) - 350}`;
    case 2: // very long mantissas (beyond 800 digits sometimes)
      return `${sign}0.${"0".repeat(r.int(20))}${digits(r.int(900) + 1)}e${r.int(640) - 320}`;
    case 3:
      return halfwayText(r, sign);
    case 4: {
      const hex = r.bits64().toString(16).slice(0, r.int(16) + 1);
      return `${sign}0x${hex}${r.int(2) ? "." + r.bits64().toString(16).slice(0, r.int(8)) : ""}p${
        r.int(2200) - 1100
      }`;
    }
    case 5:
      return sign +
        r.pick(["inf", "INFINITY", "nan", "NaN(123)", "infinit", "nan(", ".", "e5", "0x"]);
    default:
      return `${r.pick(["", " ", "\t"])}${sign}${digits(r.int(5))}.${digits(r.int(5))}${
        r.pick(["", "e", "e+", "E-7", "x"])
      }`;
  }
}

/** A random scanf float conversion and text for fp_check's S command (tab-free). */
export function randomScanLine(r: Rng): string {
  const fmt = `%${r.pick(["", "", "3", "8", "20"])}${r.pick(["l", "l", ""])}${
    r.pick(["f", "e", "g", "a", "E", "G"])
  }`;
  let text = randomNumberText(r).replaceAll("\t", " ");
  if (r.int(4) === 0) text += r.pick(["x", "e", "e+", "p", ".", " 5", ",", "0x"]);
  if (r.int(8) === 0) {
    text = r.pick(["0x", "0x.", "0x.p1", "-.e1", "in", "nanx", "1e+x", "+"]) + text;
  }
  return `S\t${fmt}\t${text}`;
}

/** A random scanf integer conversion (into a long long) and text for fp_check's I command. */
export function randomIntScanLine(r: Rng): string {
  const fmt = `%${r.pick(["", "", "1", "2", "3", "10"])}ll${
    r.pick(["d", "i", "x", "X", "o", "u"])
  }`;
  const digits = (alphabet: string) =>
    Array.from({ length: r.int(22) }, () => alphabet[r.int(alphabet.length)]).join("");
  const text = r.pick(["", " ", "   "]) + r.pick(["", "-", "+", "--", "+-"]) +
    r.pick(["", "0", "0x", "0X", "00"]) +
    digits(r.pick(["0123456789", "01234567", "0123456789abcdefABCDEF"])) +
    r.pick(["", "x", "g", " 12", "8", "9"]);
  return `I\t${fmt}\t${text}`;
}

/** The exact decimal midpoint between a random double and its successor, sometimes nudged. */
function halfwayText(r: Rng, sign: string): string {
  const bits = r.bits64() & 0x7fefffffffffffffn;
  const e = Number(bits >> 52n), frac = bits & ((1n << 52n) - 1n);
  const m = e ? frac | (1n << 52n) : frac;
  const exp = (e ? e : 1) - 1075;
  // (2m + 1) * 2^(exp-1) exactly in decimal
  const num = 2n * m + 1n;
  let text: string;
  if (exp - 1 >= 0) text = (num << BigInt(exp - 1)).toString();
  else {
    const k = 1 - exp; // value = num * 5^k / 10^k
    const digs = (num * 5n ** BigInt(k)).toString().padStart(k + 1, "0");
    text = `${digs.slice(0, digs.length - k)}.${digs.slice(digs.length - k)}`;
  }
  const nudge = r.int(3);
  if (nudge === 1) text += "000000000000000000001";
  if (nudge === 2) {
    text = text.replace(/(\d)(?=[^\d]*$)/, (d) => String(Math.max(0, Number(d) - 1)));
  }
  return sign + text;
}

/** Distance in units in the last place between two doubles given as hex bits (NaNs equal). */
export function ulpDistance(a: string, b: string): number {
  const x = doubleOf(a), y = doubleOf(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  if (Number.isNaN(x) || Number.isNaN(y)) return Infinity;
  const ord = (h: string) => {
    const u = BigInt(`0x${h}`);
    return u >> 63n ? -(u & 0x7fffffffffffffffn) : u;
  };
  const d = ord(a) - ord(b);
  return Number(d < 0n ? -d : d);
}

/** Documented worst-case error of each libm function, in ULPs (docs/userland.md). */
export const MATH_ULP_BOUNDS: Readonly<Record<string, number>> = {
  sqrt: 0,
  floor: 0,
  ceil: 0,
  fabs: 0,
  round: 0,
  trunc: 0,
  frexp: 0,
  modf: 0,
  modfi: 0,
  lround: 0,
  fmod: 0,
  ldexp: 0,
  exp: 1,
  log: 1,
  log10: 2,
  pow: 1,
  sin: 1,
  cos: 1,
  tan: 1,
  atan: 1,
  atan2: 2,
  asin: 1,
  acos: 1,
  sinh: 1,
  cosh: 2,
  tanh: 2,
  hypot: 1,
};

/** Random arguments (as hex) suited to libm function `name`. */
export function randomMathArgs(r: Rng, name: string): string[] {
  const any = () => randomDoubleHex(r);
  const range = (lo: number, hi: number) => hexOf(lo + (hi - lo) * (r.int(1 << 30) / (1 << 30)));
  const pickOr = (f: () => string) => (r.int(4) === 0 ? any() : f());
  switch (name) {
    case "exp":
      return [pickOr(() => range(-745, 710))];
    case "sinh":
    case "cosh":
      return [pickOr(() => range(-711, 711))];
    case "tanh":
      return [pickOr(() => range(-20, 20))];
    case "sin":
    case "cos":
    case "tan":
      return [pickOr(() => r.int(2) ? range(-10, 10) : range(-1e6, 1e6))];
    case "asin":
    case "acos":
      return [pickOr(() => range(-1, 1))];
    case "pow":
      return r.int(2)
        ? [range(0, 10), range(-300, 300)]
        : [pickOr(() => range(-100, 100)), pickOr(() => hexOf(r.int(41) - 20))];
    case "atan2":
    case "hypot":
    case "fmod":
      return [any(), any()];
    case "ldexp":
      return [any(), hexOf(r.int(4400) - 2200)];
    default:
      return [any()];
  }
}
