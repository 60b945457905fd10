/**
 * The CPU engine names the benchmark scripts take: `interp`, `jit`,
 * `jit-wasm` or `jit-js` (the translator with its default back end, with
 * every page function it can compiled to WebAssembly, or with JavaScript
 * page functions only: `JitBackend` "auto", "wasm", "js"), each `jit` form
 * optionally followed by `:THRESHOLD` (another hot threshold, the
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
  /** The translator's back end (undefined: the CPU's default). */
  jitBackend?: "wasm" | "js";
}

const BACKENDS: Readonly<Record<string, "wasm" | "js" | undefined>> = {
  jit: undefined,
  "jit-wasm": "wasm",
  "jit-js": "js",
};

/**
 * Parses `interp`, `jit`, `jit-wasm` or `jit-js`, the `jit` forms with an
 * optional `:THRESHOLD`.
 *
 * @param name the engine name
 * @returns the engine, its back end and its hot threshold
 * @throws {RangeError} for any other name or a threshold that is not a positive integer
 * @example
 * ```ts
 * import { parseEngineSpec } from "./engine_spec.ts";
 * console.log(parseEngineSpec("jit-js:131072"));
 * // { engine: "jit", jitBackend: "js", hotThreshold: 131072 }
 * ```
 */
export function parseEngineSpec(name: string): EngineSpec {
  const [engine, hotText, extra] = name.split(":");
  if ((engine !== "interp" && !Object.hasOwn(BACKENDS, engine)) || extra !== undefined) {
    throw new RangeError(
      `engine must be interp, jit, jit-wasm or jit-js (with :THRESHOLD), got "${name}"`,
    );
  }
  if (engine === "interp") {
    if (hotText !== undefined) throw new RangeError(`${name}: interp takes no hot threshold`);
    return { engine };
  }
  const spec: EngineSpec = { engine: "jit" };
  const backend = BACKENDS[engine];
  if (backend !== undefined) spec.jitBackend = backend;
  if (hotText === undefined) return spec;
  const hotThreshold = Number(hotText);
  if (!Number.isInteger(hotThreshold) || hotThreshold < 1) {
    throw new RangeError(`${name}: the hot threshold must be a positive integer after the colon`);
  }
  spec.hotThreshold = hotThreshold;
  return spec;
}
