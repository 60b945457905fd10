/**
 * Which pages a translation links to (`Translator.linkExit`): a page whose
 * function keeps leaving through direct jumps to other pages is translated
 * again with the blocks it reaches there. {@link ExitLinks} counts each
 * translated page's exits and the targets they went to; after
 * {@link LINK_AFTER} of them it looks the targets that are direct-jump
 * sites of the page up in the fetch TLB, and adds those that reach code
 * that has run to the page's links (at most {@link MAX_LINKS} times per
 * page). Targets seen only on other exits (a call made once at start-up)
 * are not linked, so units stay small.
 *
 * @module
 */

import { TLB_MASK } from "./mmu.ts";
import { LINK_AFTER, MAX_LINKS } from "./translator_policy.ts";
import type { Link } from "./translator_scan.ts";

/** The fetch TLB the targets are looked up in, as `TranslatorEnv` holds it. */
export interface FetchTlb {
  /** Tags by slot. */
  readonly tags: Int32Array;
  /** Virtual-to-RAM deltas by slot. */
  readonly deltas: Int32Array;
}

/** Per translated page: its direct-jump sites, exits since the last linking, and links. */
export class ExitLinks {
  /** Per RAM page: the pages its translation links to, by relative page base. */
  readonly links = new Map<number, Map<number, Link>>();
  /** Per RAM page: the relative targets of its direct jumps to other pages. */
  readonly sites = new Map<number, Set<number>>();
  // Per RAM page: the relative targets of its function's exits since the last linking.
  readonly #targets = new Map<number, Set<number>>();
  // Per RAM page: direct jumps out of its function since it was last (re)linked.
  readonly #exits: Int32Array;
  // Per RAM page: times it was linked since it was translated first or dropped.
  readonly #tries: Uint8Array;

  /** The tables for `pages` RAM pages. */
  constructor(pages: number) {
    this.#exits = new Int32Array(pages);
    this.#tries = new Uint8Array(pages);
  }

  /** Whether RAM page `page` may be linked again. */
  open(page: number): boolean {
    return this.#tries[page] < MAX_LINKS;
  }

  /**
   * The function of RAM page `page` (virtual base `vb`) left through a
   * direct jump to virtual `target`; `fb`, `asid` and `ah` are the fetch
   * TLB's table base, ASID tag and hash, `codePages` the hart's decoded
   * pages. True when this exit linked the page to blocks it was not linked
   * to: the page should be translated again.
   */
  exit(
    page: number,
    vb: number,
    target: number,
    tlb: FetchTlb,
    fb: number,
    asid: number,
    ah: number,
    codePages: readonly (Int32Array | null)[],
  ): boolean {
    let seen = this.#targets.get(page);
    if (seen === undefined) this.#targets.set(page, seen = new Set());
    seen.add((target - vb) | 0);
    if (++this.#exits[page] < LINK_AFTER) return false;
    this.#exits[page] = 0;
    this.#targets.delete(page);
    const sites = this.sites.get(page);
    if (sites === undefined) return false;
    this.#tries[page]++;
    const { tags, deltas } = tlb;
    let links = this.links.get(page);
    let grew = false;
    for (const t of seen) {
      if (!sites.has(t)) continue;
      const rel = t & -4096;
      const va = (vb + rel) | 0;
      const vpn = va >>> 12;
      const ti = fb + ((vpn ^ ah) & TLB_MASK);
      if (tags[ti] !== ((vpn << 9) | asid)) continue;
      const q = ((va + deltas[ti]) | 0) >>> 12;
      const qOps = codePages[q];
      if (q === page || qOps === null || qOps[t & 4094] === 0) continue;
      if (links === undefined) this.links.set(page, links = new Map());
      let link = links.get(rel);
      if (link?.page !== q) links.set(rel, link = { page: q, ops: qOps, entries: new Set() });
      if (link.entries.has(t & 4095)) continue;
      link.entries.add(t & 4095);
      grew = true;
    }
    return grew;
  }

  /** RAM page `page` is linked no more (its unit was too large with its links). */
  close(page: number): void {
    this.links.delete(page);
    this.#tries[page] = MAX_LINKS;
  }

  /** RAM page `page`'s translation was dropped (`translated`: it had one): it starts over. */
  drop(page: number, translated: boolean): void {
    if (translated) {
      this.links.delete(page);
      this.sites.delete(page);
      this.#targets.delete(page);
    }
    this.#exits[page] = 0;
    this.#tries[page] = 0;
  }

  /** Every translation was dropped. */
  clear(): void {
    this.links.clear();
    this.sites.clear();
    this.#targets.clear();
    this.#exits.fill(0);
    this.#tries.fill(0);
  }
}
