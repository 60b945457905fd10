/**
 * What the loader checks about a module before it starts one: the shape of
 * its descriptor (`validate`), its resource claims normalised (`claimsOf`)
 * and whether two claim sets overlap (`conflict`), and the register window a
 * driver gets on a claimed range (`Window`, bounds-checked).
 *
 * @module
 */

import type { Bus } from "../../hw/bus.ts";
import {
  type MmioClaim,
  type MmioWindow,
  type ModuleDescriptor,
  type ModuleKind,
  type ModuleResources,
  ResourceError,
} from "../api.ts";
import { ModuleDescriptorError } from "./errors.ts";

const KINDS: readonly ModuleKind[] = ["personality", "driver", "scheduler", "filesystem"];

/** A driver's window on a claimed MMIO range: every access checked against its bounds. */
export class Window implements MmioWindow {
  readonly base: number;
  readonly size: number;
  readonly #bus: Bus;
  readonly #owner: string;
  constructor(bus: Bus, claim: MmioClaim, owner: string) {
    this.#bus = bus;
    this.base = claim.base >>> 0;
    this.size = claim.size;
    this.#owner = owner;
  }
  #check(offset: number, width: number): number {
    if (!(offset >= 0) || offset + width > this.size || !Number.isInteger(offset)) {
      throw new ResourceError(
        `${this.#owner}: offset 0x${offset.toString(16)} outside its window at 0x${
          this.base.toString(16)
        } (size 0x${this.size.toString(16)})`,
      );
    }
    return this.base + offset;
  }
  read8(offset: number): number {
    return this.#bus.read(this.#check(offset, 1), 1);
  }
  write8(offset: number, value: number): void {
    this.#bus.write(this.#check(offset, 1), 1, value);
  }
  read16(offset: number): number {
    return this.#bus.read(this.#check(offset, 2), 2);
  }
  write16(offset: number, value: number): void {
    this.#bus.write(this.#check(offset, 2), 2, value);
  }
  read32(offset: number): number {
    return this.#bus.read(this.#check(offset, 4), 4);
  }
  write32(offset: number, value: number): void {
    this.#bus.write(this.#check(offset, 4), 4, value);
  }
}

/** Checks a module's exported descriptor; throws {@link ModuleDescriptorError} naming the fault. */
export function validate(d: unknown, source: string): ModuleDescriptor {
  const name = typeof d === "object" && d !== null && typeof (d as { name?: unknown }).name ===
      "string"
    ? (d as { name: string }).name
    : source;
  if (typeof d !== "object" || d === null) {
    throw new ModuleDescriptorError(name, "exports no `module` descriptor object");
  }
  const m = d as Record<string, unknown>;
  if (typeof m.name !== "string" || !/^[a-z0-9_][a-z0-9_.-]*$/i.test(m.name)) {
    throw new ModuleDescriptorError(name, "descriptor needs a name (letters, digits, _ . -)");
  }
  if (typeof m.version !== "string" || m.version.length === 0) {
    throw new ModuleDescriptorError(name, "descriptor needs a version string");
  }
  if (typeof m.apiVersion !== "number") {
    throw new ModuleDescriptorError(name, "descriptor needs a numeric apiVersion");
  }
  if (typeof m.kind !== "string" || !KINDS.includes(m.kind as ModuleKind)) {
    throw new ModuleDescriptorError(name, `kind must be one of ${KINDS.join(", ")}`);
  }
  if (typeof m.init !== "function" || typeof m.exit !== "function") {
    throw new ModuleDescriptorError(name, "descriptor needs init and exit functions");
  }
  if (
    m.dependsOn !== undefined &&
    (!Array.isArray(m.dependsOn) || m.dependsOn.some((x) => typeof x !== "string"))
  ) {
    throw new ModuleDescriptorError(name, "dependsOn must be an array of module names");
  }
  const r = m.resources as ModuleResources | undefined;
  if (r !== undefined) {
    const okNum = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0;
    if (
      typeof r !== "object" || r === null ||
      (r.mmio !== undefined &&
        (!Array.isArray(r.mmio) || r.mmio.some((c) => !okNum(c?.base) || !(c.size > 0)))) ||
      (r.irqs !== undefined && (!Array.isArray(r.irqs) || r.irqs.some((i) => !okNum(i)))) ||
      (r.dma !== undefined && (!Array.isArray(r.dma) || r.dma.some((i) => !okNum(i))))
    ) {
      throw new ModuleDescriptorError(name, "malformed resources");
    }
  }
  return d as ModuleDescriptor;
}

/** A descriptor's claims, normalised (every list present, bases unsigned). */
export function claimsOf(d: ModuleDescriptor): ModuleResources {
  return {
    mmio: (d.resources?.mmio ?? []).map((c) => ({ base: c.base >>> 0, size: c.size })),
    irqs: [...(d.resources?.irqs ?? [])],
    dma: [...(d.resources?.dma ?? [])],
  };
}

/** The first resource two claim sets share, described; null when they are disjoint. */
export function conflict(r: ModuleResources, o: ModuleResources): string | null {
  for (const c of r.mmio!) {
    for (const oc of o.mmio!) {
      if (c.base < oc.base + oc.size && oc.base < c.base + c.size) {
        return `MMIO 0x${c.base.toString(16)}`;
      }
    }
  }
  for (const i of r.irqs!) if (o.irqs!.includes(i)) return `IRQ ${i}`;
  for (const ch of r.dma!) if (o.dma!.includes(ch)) return `DMA channel ${ch}`;
  return null;
}
