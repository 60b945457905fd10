/**
 * The last step of the translator's code generator: the whole body of a
 * page function around the cases `hw/translator_emit.ts` wrote. The cases
 * leave markers where what goes depends on the whole unit (which
 * registers it names and assigns, which fetch-TLB marks it keeps, whether
 * it runs FP code); {@link assembleUnit} fills them in and adds the
 * declarations, the dispatch loop and the write-back at the exit.
 *
 * @module
 */

/** Marker: store the register locals the unit assigns (before an `ecall`). */
export const SAVE = "/*save*/";
/** Marker: reload the register locals the unit names (after an `ecall`). */
export const LOAD = "/*load*/";
/** Marker: clear the fetch-TLB marks of the unit's pages (after a thread switch). */
export const FOUND = "/*found*/";
/** Marker: where a system call's resume clears the unit's FS flags (see `emitFp`). */
export const FS_AGAIN = "/*fs*/";

/** The source of a page function: what its factory runs once, and the function's body. */
export interface UnitSource {
  /** Statements run once per factory (the dispatch table `HX`). */
  readonly pre: string;
  /** The body of the page function. */
  readonly body: string;
  /** The primary page's block heads: halfword index and case, in pairs (what `HX` holds). */
  readonly heads: readonly number[];
  /**
   * The RAM page of each of the unit's pages, which the body names `P0`,
   * `P1`, ... (constants of the function, not literals, so that the same
   * code at other RAM pages, as a program run again gets, has the same
   * source).
   */
  readonly phys: readonly number[];
}

/** What {@link assembleUnit} needs of the unit besides its cases. */
export interface UnitShape {
  /** Segment index by relative pc of its head. */
  readonly index: ReadonlyMap<number, number>;
  /** The index of the dispatch on `pc`, where the function starts. */
  readonly dyn: number;
  /** Whether the unit has foreign pages. */
  readonly linked: boolean;
  /** The locals that mark a page of the unit found in the fetch TLB. */
  readonly found: ReadonlySet<string>;
  /** The RAM pages the source names `P0`, `P1`, ... */
  readonly phys: readonly number[];
}

/**
 * The page function's source for the unit `u` whose cases (and dispatch
 * cases) are the lines `out`, markers filled in (`out` is changed).
 *
 * @param out the lines of the `switch (bi)` body
 * @param u the unit's shape
 * @returns the source
 */
export function assembleUnit(out: string[], u: UnitShape): UnitSource {
  // The registers the code names, and those it assigns: the others'
  // locals always equal the register file, so they are not stored.
  const used = new Set<number>();
  const written = new Set<number>();
  for (const line of out) {
    for (const m of line.matchAll(/\bx(\d+)\b( = )?/g)) {
      const x = Number(m[1]);
      if (x === 32) continue;
      used.add(x);
      if (m[2] !== undefined) written.add(x);
    }
  }
  const regs = [...used].sort((a, b) => a - b);
  const save = regs.filter((x) => written.has(x)).map((x) => `r[${x}] = x${x};`).join(" ");
  const load = regs.map((x) => `x${x} = r[${x}];`).join(" ");
  const found = [...u.found];
  const unfound = found.map((f) => `${f} = 0;`).join(" ");
  const fp = out.some((line) => line.includes("fs === 0"));
  const fsAgain = fp ? "fs = 0; fd = 0;" : "";
  for (let i = 0; i < out.length; i++) {
    out[i] = out[i].replaceAll(SAVE, save).replaceAll(LOAD, load).replaceAll(FOUND, unfound)
      .replaceAll(FS_AGAIN, fsAgain);
  }
  // The page the function stands on (io[5], io[6]): always the primary
  // page in a unit without foreign pages.
  const where = u.linked ? "io[5] = cva; io[6] = cph;" : "io[5] = vb;";
  const heads: number[] = [];
  for (const [h, i] of u.index) if (h >= 0 && h < 4096) heads.push(h >> 1, i);
  const pre = `const HX = new Int16Array(2048).fill(-1); const HI = [${heads.join(",")}]; ` +
    "for (let j = 0; j < HI.length; j += 2) HX[HI[j]] = HI[j + 1];";
  const body = [
    `let ${regs.map((x) => `x${x} = r[${x}]`).concat("x32 = 0").join(", ")};`,
    `let ${
      found.map((f) => `${f} = 0, `).join("")
    }hits = 0, va = 0, vpn = 0, ti = 0, off = 0, k = 0, xs = 0${fp ? ", fs = 0, fd = 0" : ""};`,
    // Where it starts: the inner loop's fetch page (this one, or a linked
    // page it enters the unit for).
    u.linked ? "let cva = io[5] | 0, cph = io[6] | 0;" : "",
    `let n0 = n, bi = ${u.dyn};`,
    "loop: for (;;) {",
    "switch (bi) {",
    ...out,
    "}",
    "}",
    save,
    `io[0] = (vb + pc) | 0; io[1] = c0 + dc; io[2] = hits; ${where} io[7] = xs;`,
    "return n - n0;",
  ].join("\n");
  return { pre, body, heads, phys: u.phys };
}
