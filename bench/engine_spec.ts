/**
 * The CPU engine names the benchmark scripts take: `interp`, `jit`, or
 * `jit:THRESHOLD` (the translator with another hot threshold, the
 * interpreted executions before a page is translated).
 *
 * @module
 */

/** A parsed engine name. */
export interface EngineSpec {
  /** The CPU engine. */
  engine: "interp" | "jit";
  /** The translator's hot threshold (undefined: the CPU's default). */
  hotThreshold?: number;
}

/**
 * Parses `interp`, `jit` or `jit:THRESHOLD`.
 *
 * @param name the engine name
 * @returns the engine and its hot threshold
 * @throws {RangeError} for any other name or a threshold that is not a positive integer
 * @example
 * ```ts
 * import { parseEngineSpec } from "./engine_spec.ts";
 * console.log(parseEngineSpec("jit:131072")); // { engine: "jit", hotThreshold: 131072 }
 * ```
 */
export function parseEngineSpec(name: string): EngineSpec {
  const [engine, hotText, extra] = name.split(":");
  if ((engine !== "interp" && engine !== "jit") || extra !== undefined) {
    throw new RangeError(`engine must be interp, jit or jit:THRESHOLD, got "${name}"`);
  }
  if (hotText === undefined) return { engine };
  const hotThreshold = Number(hotText);
  if (engine !== "jit" || !Number.isInteger(hotThreshold) || hotThreshold < 1) {
    throw new RangeError(`${name}: the hot threshold must be a positive integer after jit:`);
  }
  return { engine, hotThreshold };
}
