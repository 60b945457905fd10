/**
 * `asDouble`: a number as V8 stores a non-integer, for the first value of an
 * object field that will hold large numbers.
 *
 * V8 gives each field of an object a representation (small integer, double
 * or any) and records it in the object's hidden class. A field that begins
 * as a small integer and later receives a value past 2^30 (a cycle count,
 * an address or CSR with bit 31 set, a value read from a `Float64Array`)
 * changes representation: the hidden class is deprecated and every piece of
 * optimized code that relied on it is thrown away and compiled again, in
 * the middle of a run. A field first set to `asDouble(x)` is a double from
 * the start and never changes; its values are the same numbers.
 *
 * @module
 */

const CELL = new Float64Array(1);

/**
 * Returns `v` as a heap number (not a small integer), so that an object
 * field initialized with it starts with V8's double representation.
 *
 * @param v the field's first value
 * @returns the same value
 * @example
 * ```ts
 * import { asDouble } from "./double_field.ts";
 * class Clock {
 *   now: number = asDouble(0); // cycle counts pass 2^30
 * }
 * ```
 */
export function asDouble(v: number): number {
  CELL[0] = v;
  return CELL[0];
}
