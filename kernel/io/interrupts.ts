/**
 * The interrupt service: the kernel's side of the PLIC, hart 0's S context.
 *
 * - {@link InterruptService.init}: threshold 0, so any enabled source with a
 *   priority interrupts;
 * - {@link InterruptService.setHandler}: installs (or removes) the handler of
 *   a source, and sets its priority and enable bit to match;
 * - {@link InterruptService.dispatch}: claims pending sources one by one,
 *   runs their handlers and completes them (an external-interrupt trap);
 * - {@link InterruptService.info}: per-source counts for /proc/interrupts.
 *
 * Drivers never touch the PLIC: they install handlers through their module
 * context, and the kernel claims the PLIC window so no module can.
 *
 * @module
 */

import type { Bus } from "../../hw/bus.ts";
import { MEMORY_MAP, PLIC_CONTEXT, PLIC_SOURCES } from "../../hw/memory_map.ts";
import { PLIC_REG } from "../../hw/plic.ts";
import { errorText } from "../errors.ts";

/** One interrupt source as /proc/interrupts lists it. */
export interface InterruptCount {
  /** PLIC source number. */
  irq: number;
  /** Interrupts handled. */
  count: number;
  /** Label. */
  name: string;
}

/** Most claims handled in one external-interrupt trap (a storm cannot stall the kernel). */
const MAX_CLAIMS_PER_TRAP = 64;

/** The PLIC's S context, driven by the kernel. */
export class InterruptService {
  readonly #bus: Bus;
  readonly #log: (line: string) => void;
  readonly #handlers: ((() => void) | null)[] = new Array(PLIC_SOURCES).fill(null);
  readonly #counts: number[] = new Array(PLIC_SOURCES).fill(0);
  readonly #claim = MEMORY_MAP.PLIC_BASE + PLIC_REG.CLAIM +
    PLIC_REG.CONTEXT_STRIDE * PLIC_CONTEXT.S;

  /**
   * Creates the service over the PLIC on `bus`.
   *
   * @param bus The system bus the PLIC sits on.
   * @param log Receives a line for a spurious interrupt or a throwing handler.
   */
  constructor(bus: Bus, log: (line: string) => void) {
    this.#bus = bus;
    this.#log = log;
  }

  /** Opens the S context's threshold (0): every enabled source can interrupt. */
  init(): void {
    const plic = MEMORY_MAP.PLIC_BASE;
    this.#bus.write(plic + PLIC_REG.THRESHOLD + PLIC_REG.CONTEXT_STRIDE * PLIC_CONTEXT.S, 4, 0);
  }

  /** Installs `handler` for source `irq` (null removes it and masks the source). */
  setHandler(irq: number, handler: (() => void) | null): void {
    if (!(irq > 0 && irq < PLIC_SOURCES)) return;
    this.#handlers[irq] = handler;
    const bus = this.#bus;
    const plic = MEMORY_MAP.PLIC_BASE;
    bus.write(plic + PLIC_REG.PRIORITY + 4 * irq, 4, handler === null ? 0 : 1);
    const en = plic + PLIC_REG.ENABLE + PLIC_REG.ENABLE_STRIDE * PLIC_CONTEXT.S + 4 * (irq >>> 5);
    const bits = bus.read(en, 4);
    const b = 1 << (irq & 31);
    bus.write(en, 4, handler === null ? bits & ~b : bits | b);
  }

  /** True when source `irq` has a handler. */
  hasHandler(irq: number): boolean {
    return this.#handlers[irq] !== null && this.#handlers[irq] !== undefined;
  }

  /** Claims, handles and completes every pending source (bounded per call). */
  dispatch(): void {
    const bus = this.#bus;
    const claim = this.#claim;
    for (let n = 0; n < MAX_CLAIMS_PER_TRAP; n++) {
      const src = bus.read(claim, 4);
      if (src === 0) return;
      this.#counts[src]++;
      const h = this.#handlers[src];
      try {
        if (h !== null) h();
        else this.#log(`spurious interrupt from source ${src}`);
      } catch (e) {
        this.#log(`interrupt handler for source ${src} threw: ${errorText(e)}`);
      } finally {
        bus.write(claim, 4, src);
      }
    }
  }

  /** Sources that have a handler or have interrupted, with their counts. */
  info(): InterruptCount[] {
    const out: InterruptCount[] = [];
    for (let i = 1; i < PLIC_SOURCES; i++) {
      if (this.#handlers[i] !== null || this.#counts[i] > 0) {
        out.push({ irq: i, count: this.#counts[i], name: `PLIC ${i}` });
      }
    }
    return out;
  }
}
