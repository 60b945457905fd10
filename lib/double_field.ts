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
 * What matters is the first object of a class: later objects take the
 * hidden class it made, whose field is a double, and a small integer stored
 * there is kept as a double. (Code V8 optimizes may answer `asDouble(0)` as
 * a small integer again; by then those classes exist.)
 *
 * @module
 */

const CELL = new Float64Array(1);

// The first calls of a function run before V8 gives it type feedback, and
// without feedback the element load answers an integral value as a small
// integer; from then on it answers a heap number. So call it a few times here.
for (let i = 0; i < 16; i++) asDouble(i);

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
