/**
 * Reads per-instruction costs from a callgrind output file written with
 * `--dump-instr=yes`: `readInstrCosts` sums the first event (`Ir`, the
 * instructions executed) by instruction address over every function and
 * object, leaving out the inclusive costs of calls (the line after each
 * `calls=`), so that each address gets what ran at that address itself.
 *
 * Position columns are read as the file's `positions:` line names them
 * (`instr line` with `--dump-instr=yes`), absolute (`0x…`) or, unless
 * `--compress-pos=no` was given, relative to the line before (`+N`, `-N`,
 * `*`).
 *
 * @module
 */

/** A callgrind file that cannot be read. */
export class CallgrindError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CallgrindError";
  }
}

/**
 * The instructions executed at each address (the file's first event), summed.
 *
 * @param text the callgrind output
 * @returns counts by instruction address
 * @throws {CallgrindError} when the file has no instruction positions (not written with `--dump-instr=yes`)
 * @example
 * ```ts
 * import { readInstrCosts } from "./callgrind_instr.ts";
 * const costs = readInstrCosts(Deno.readTextFileSync("/tmp/w.cg.1"));
 * console.log(costs.size, "addresses");
 * ```
 */
export function readInstrCosts(text: string): Map<bigint, number> {
  const positions = /^positions:\s*(.*)$/m.exec(text)?.[1].trim().split(/\s+/) ?? ["line"];
  const instrAt = positions.indexOf("instr");
  if (instrAt < 0) throw new CallgrindError("no instruction positions (run with --dump-instr=yes)");
  const costs = new Map<bigint, number>();
  const last: bigint[] = positions.map(() => 0n);
  let skipNext = false;
  for (const line of text.split("\n")) {
    const c = line.charCodeAt(0);
    // Cost lines start with a position: a digit, 0x…, +, - or *.
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42)) {
      if (line.startsWith("calls=")) skipNext = true;
      continue;
    }
    const fields = line.trim().split(/\s+/);
    for (let i = 0; i < positions.length; i++) last[i] = position(fields[i], last[i]);
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const ir = Number(fields[positions.length] ?? 0);
    const at = last[instrAt];
    costs.set(at, (costs.get(at) ?? 0) + ir);
  }
  return costs;
}

/** A position column: absolute (decimal or 0x…), relative (+N, -N) or the same (*). */
function position(field: string | undefined, before: bigint): bigint {
  if (field === undefined || field === "*") return before;
  if (field.startsWith("+")) return before + BigInt(field.slice(1));
  if (field.startsWith("-")) return before - BigInt(field.slice(1));
  return BigInt(field);
}
