/**
 * Platform-Level Interrupt Controller in the SiFive / QEMU `virt` layout.
 *
 * Register map (offsets from the PLIC base, all registers 32 bits):
 *
 * | offset                   | register                                   |
 * | ------------------------ | ------------------------------------------ |
 * | 0x00_0000 + 4*src        | priority of source `src` (0..7)            |
 * | 0x00_1000                | pending bits of sources 0..31 (read only)  |
 * | 0x00_2000 + 0x80*ctx     | enable bits of context `ctx`               |
 * | 0x20_0000 + 0x1000*ctx   | priority threshold of context `ctx`        |
 * | 0x20_0004 + 0x1000*ctx   | claim (read) / complete (write)            |
 *
 * Gateways are level-triggered: a source is pending while its line is high
 * and it is not claimed. A claim returns the highest-priority pending,
 * enabled source whose priority exceeds the context's threshold (ties go to
 * the lowest id) and clears its pending bit; completing it re-arms the
 * gateway, so a line still high becomes pending again.
 *
 * @module
 */

import type { AccessWidth, MmioDevice } from "./bus.ts";
import { type InterruptSink, type IrqLine, MIP } from "./irq.ts";
import { PLIC_SOURCES } from "./memory_map.ts";

/** Number of PLIC contexts (hart 0 M-mode and hart 0 S-mode). */
export const PLIC_CONTEXTS = 2;
/** Highest source priority; priorities are 3 bits wide as on QEMU `virt`. */
export const PLIC_MAX_PRIORITY = 7;

/** Register offsets of the PLIC. */
export const PLIC_REG = {
  /** Priority of source n at PRIORITY + 4*n. */
  PRIORITY: 0x0000,
  /** Pending bits, one per source. */
  PENDING: 0x1000,
  /** Enable bits of context c at ENABLE + ENABLE_STRIDE*c. */
  ENABLE: 0x2000,
  /** Distance between the enable blocks of two contexts. */
  ENABLE_STRIDE: 0x80,
  /** Threshold of context c at THRESHOLD + CONTEXT_STRIDE*c. */
  THRESHOLD: 0x20_0000,
  /** Claim/complete of context c at CLAIM + CONTEXT_STRIDE*c. */
  CLAIM: 0x20_0004,
  /** Distance between the threshold blocks of two contexts. */
  CONTEXT_STRIDE: 0x1000,
} as const;

/** The mip bit each context drives. */
const CONTEXT_MIP = [MIP.MEIP, MIP.SEIP] as const;

/**
 * The interrupt controller. Devices drive its sources through
 * {@link Plic.irqLine}; it drives MEIP (context 0) and SEIP (context 1) on
 * the {@link InterruptSink}.
 */
export class Plic implements MmioDevice {
  /** Device name on the bus. */
  readonly name = "plic";
  /** Priority per source (source 0 is hard-wired to 0). Read-only view: write through the registers. */
  readonly priority: Uint32Array = new Uint32Array(PLIC_SOURCES);
  /** Enable mask per context (bit n = source n; bit 0 is hard-wired to 0). Read-only view. */
  readonly enable: Uint32Array = new Uint32Array(PLIC_CONTEXTS);
  /** Priority threshold per context. Read-only view. */
  readonly threshold: Uint32Array = new Uint32Array(PLIC_CONTEXTS);
  /** Claims per source since reset: the numbers behind /proc/interrupts. */
  readonly counts: Float64Array = new Float64Array(PLIC_SOURCES);

  #sink: InterruptSink;
  // Bit masks over sources: current line levels, and claimed (in service) sources.
  #levels = 0;
  #claimed = 0;
  #lines: IrqLine[] = [];
  // Last level driven per context, so the sink only hears about changes.
  #output = new Uint8Array(PLIC_CONTEXTS);

  /** Creates a PLIC that drives external-interrupt bits on `sink`. */
  constructor(sink: InterruptSink) {
    this.#sink = sink;
    for (let src = 0; src < PLIC_SOURCES; src++) {
      const bit = src === 0 ? 0 : (1 << src) >>> 0;
      this.#lines.push({
        set: (level: boolean) => {
          const before = this.#levels;
          this.#levels = level ? (this.#levels | bit) >>> 0 : (this.#levels & ~bit) >>> 0;
          if (this.#levels !== before) this.#update();
        },
      });
    }
  }

  /** The interrupt line of `source` (1..31), to hand to a device. */
  irqLine(source: number): IrqLine {
    if (!Number.isInteger(source) || source < 1 || source >= PLIC_SOURCES) {
      throw new RangeError(`PLIC source ${source} out of range 1..${PLIC_SOURCES - 1}`);
    }
    return this.#lines[source];
  }

  /** Pending bits: a source is pending while its line is high and it is not claimed. */
  get pending(): number {
    return (this.#levels & ~this.#claimed) >>> 0;
  }

  /** Claimed (in service) sources as a bit mask. */
  get claimed(): number {
    return this.#claimed;
  }

  /** True when context `ctx` currently requests an interrupt. */
  isAsserted(ctx: number): boolean {
    return this.#output[ctx] === 1;
  }

  /**
   * Claims the best interrupt for context `ctx`: returns its source id (0 if
   * none) and marks it in service. The register read does the same.
   */
  claim(ctx: number): number {
    const src = this.#best(ctx);
    if (src !== 0) {
      this.#claimed = (this.#claimed | (1 << src)) >>> 0;
      this.counts[src]++;
      this.#update();
    }
    return src;
  }

  /** Completes `source` for context `ctx`; ignored unless it is claimed and enabled there. */
  complete(ctx: number, source: number): void {
    if (source <= 0 || source >= PLIC_SOURCES) return;
    const bit = (1 << source) >>> 0;
    // The spec ignores completions of sources not enabled for the context.
    if ((this.enable[ctx] & bit) === 0 || (this.#claimed & bit) === 0) return;
    this.#claimed = (this.#claimed & ~bit) >>> 0;
    this.#update();
  }

  /** Resets priorities, enables, thresholds, claims and counters (line levels stay). */
  reset(): void {
    this.priority.fill(0);
    this.enable.fill(0);
    this.threshold.fill(0);
    this.counts.fill(0);
    this.#claimed = 0;
    this.#update();
  }

  /** Reads a register; sub-word reads return the addressed bytes of the word. */
  read(offset: number, width: AccessWidth): number {
    const word = this.#readWord(offset & ~3);
    if (width === 4) return word >>> 0;
    const shift = (offset & 3) * 8;
    return (word >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  /** Writes a register; only aligned 32-bit writes take effect, as on SiFive parts. */
  write(offset: number, width: AccessWidth, value: number): void {
    if (width !== 4 || (offset & 3) !== 0) return;
    value >>>= 0;
    if (offset < PLIC_REG.PENDING) {
      const src = offset >> 2;
      if (src >= 1 && src < PLIC_SOURCES) {
        this.priority[src] = value & PLIC_MAX_PRIORITY;
        this.#update();
      }
      return;
    }
    if (offset >= PLIC_REG.ENABLE && offset < PLIC_REG.ENABLE + PLIC_CONTEXTS * 0x80) {
      const rel = offset - PLIC_REG.ENABLE;
      // One enable word per context: 32 sources fit in the first word.
      if ((rel & 0x7f) === 0) {
        this.enable[rel >> 7] = (value & ~1) >>> 0;
        this.#update();
      }
      return;
    }
    if (offset >= PLIC_REG.THRESHOLD) {
      const rel = offset - PLIC_REG.THRESHOLD;
      const ctx = Math.floor(rel / PLIC_REG.CONTEXT_STRIDE);
      if (ctx >= PLIC_CONTEXTS) return;
      const reg = rel % PLIC_REG.CONTEXT_STRIDE;
      if (reg === 0) {
        this.threshold[ctx] = value & PLIC_MAX_PRIORITY;
        this.#update();
      } else if (reg === 4) {
        this.complete(ctx, value);
      }
    }
  }

  #readWord(offset: number): number {
    if (offset < PLIC_REG.PENDING) {
      const src = offset >> 2;
      return src < PLIC_SOURCES ? this.priority[src] : 0;
    }
    if (offset === PLIC_REG.PENDING) return this.pending;
    if (offset >= PLIC_REG.ENABLE && offset < PLIC_REG.ENABLE + PLIC_CONTEXTS * 0x80) {
      const rel = offset - PLIC_REG.ENABLE;
      return (rel & 0x7f) === 0 ? this.enable[rel >> 7] : 0;
    }
    if (offset >= PLIC_REG.THRESHOLD) {
      const rel = offset - PLIC_REG.THRESHOLD;
      const ctx = Math.floor(rel / PLIC_REG.CONTEXT_STRIDE);
      if (ctx >= PLIC_CONTEXTS) return 0;
      const reg = rel % PLIC_REG.CONTEXT_STRIDE;
      if (reg === 0) return this.threshold[ctx];
      if (reg === 4) return this.claim(ctx);
    }
    return 0;
  }

  /** The source a claim by `ctx` would return now (0 if none). */
  #best(ctx: number): number {
    let candidates = (this.pending & this.enable[ctx]) >>> 0;
    let best = 0;
    let bestPriority = this.threshold[ctx];
    while (candidates !== 0) {
      const src = 31 - Math.clz32(candidates & -candidates);
      candidates = (candidates & (candidates - 1)) >>> 0;
      // Strictly greater: ties keep the lower id, found first.
      if (this.priority[src] > bestPriority) {
        best = src;
        bestPriority = this.priority[src];
      }
    }
    return best;
  }

  #update(): void {
    for (let ctx = 0; ctx < PLIC_CONTEXTS; ctx++) {
      const level = this.#best(ctx) !== 0 ? 1 : 0;
      if (level !== this.#output[ctx]) {
        this.#output[ctx] = level;
        this.#sink.setInterruptPending(CONTEXT_MIP[ctx], level === 1);
      }
    }
  }
}
