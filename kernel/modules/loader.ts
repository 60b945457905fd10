/**
 * The module loader: imports a plugin file, validates its `module`
 * descriptor, checks the API version, dependencies and device resources,
 * runs `init` (undoing everything if it throws), counts references and
 * refuses to unload a busy module unless forced.
 *
 * A driver gets only what it claimed: {@link ModuleContext.mmio} hands out
 * windows on claimed register ranges, {@link ModuleContext.onIrq} accepts
 * only claimed interrupt sources, and no two modules may claim the same
 * range, line or DMA channel. The shape (descriptor, context, references,
 * owner-tagged registrations) is what the hot-swap manager will build on.
 *
 * @module
 */

import type { Bus } from "../../hw/bus.ts";
import {
  API_VERSION,
  type KernelApi,
  type MmioClaim,
  type MmioWindow,
  type ModuleContext,
  type ModuleDescriptor,
  type ModuleInfo,
  type ModuleKind,
  type ModuleManager,
  type ModuleResources,
  ResourceError,
} from "../api.ts";
import {
  ModuleBusyError,
  ModuleDependencyError,
  ModuleDescriptorError,
  ModuleError,
  ModuleExistsError,
  ModuleInitError,
  ModuleNotFoundError,
  ModuleResourceError,
  ModuleVersionError,
} from "./errors.ts";

/** What the loader needs from the kernel. */
export interface ModuleHost {
  /** The bus the claimed register windows live on. */
  readonly bus: Bus;
  /** Installs (or with null removes) the handler of a PLIC source and enables/disables it. */
  setIrqHandler(irq: number, handler: (() => void) | null): void;
  /** Marks registrations made from now on as belonging to `name` (null: none). */
  setOwner(name: string | null): void;
  /** Drops every registration owned by `name` (after a failed init or an unload). */
  dropRegistrations(name: string): void;
  /** Kernel log. */
  log(message: string): void;
}

const KINDS: readonly ModuleKind[] = ["personality", "driver", "scheduler", "filesystem"];

interface Loaded {
  descriptor: ModuleDescriptor;
  source: string;
  users: number;
  dependants: number;
  resources: ModuleResources;
  ctx: ModuleContext;
}

class Window implements MmioWindow {
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

function validate(d: unknown, source: string): ModuleDescriptor {
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

/** Loads, tracks and unloads plugin modules. */
export class ModuleLoader implements ModuleManager {
  readonly #host: ModuleHost;
  readonly #loaded = new Map<string, Loaded>();
  #api: KernelApi | null = null;

  /** Creates the loader; {@link attach} gives it the API handed to modules. */
  constructor(host: ModuleHost) {
    this.#host = host;
  }

  /** Sets the API object passed to `init`/`exit`. */
  attach(api: KernelApi): void {
    this.#api = api;
  }

  /** Imports `specifier` (a path or URL) and loads its exported `module`. */
  async load(specifier: string): Promise<ModuleInfo> {
    let url = specifier;
    if (!/^[a-z]+:/i.test(specifier)) {
      const abs = specifier.startsWith("/") ? specifier : `${Deno.cwd()}/${specifier}`;
      url = new URL(`file://${abs}`).href;
    }
    let ns: Record<string, unknown>;
    try {
      ns = await import(url);
    } catch (e) {
      throw new ModuleDescriptorError(
        specifier,
        `cannot import: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    return await this.loadDescriptor(ns.module as ModuleDescriptor, url);
  }

  /** Loads an imported descriptor. Throws a {@link ModuleError} subclass when refused. */
  async loadDescriptor(descriptor: ModuleDescriptor, source = "builtin"): Promise<ModuleInfo> {
    const d = validate(descriptor, source);
    if (d.apiVersion !== API_VERSION) {
      throw new ModuleVersionError(d.name, d.apiVersion, API_VERSION);
    }
    if (this.#loaded.has(d.name)) throw new ModuleExistsError(d.name);
    for (const dep of d.dependsOn ?? []) {
      if (!this.#loaded.has(dep)) throw new ModuleDependencyError(d.name, dep);
    }
    const resources: ModuleResources = {
      mmio: (d.resources?.mmio ?? []).map((c) => ({ base: c.base >>> 0, size: c.size })),
      irqs: [...(d.resources?.irqs ?? [])],
      dma: [...(d.resources?.dma ?? [])],
    };
    this.#checkResources(d.name, resources);
    const installedIrqs: number[] = [];
    const host = this.#host;
    const ctx: ModuleContext = {
      name: d.name,
      dmaChannels: Object.freeze([...resources.dma!]),
      mmio: (base: number): MmioWindow => {
        const c = resources.mmio!.find((m) => m.base === base >>> 0);
        if (c === undefined) {
          throw new ResourceError(`${d.name} did not claim MMIO at 0x${(base >>> 0).toString(16)}`);
        }
        return new Window(host.bus, c, d.name);
      },
      onIrq: (irq: number, handler: () => void): void => {
        if (!resources.irqs!.includes(irq)) {
          throw new ResourceError(`${d.name} did not claim IRQ ${irq}`);
        }
        host.setIrqHandler(irq, handler);
        if (!installedIrqs.includes(irq)) installedIrqs.push(irq);
      },
      log: (message: string) => host.log(`${d.name}: ${message}`),
    };
    const entry: Loaded = { descriptor: d, source, users: 0, dependants: 0, resources, ctx };
    // Claim first, so that a concurrent load sees the resources as taken.
    this.#loaded.set(d.name, entry);
    host.setOwner(d.name);
    try {
      await d.init(this.#requireApi(), ctx);
    } catch (e) {
      for (const irq of installedIrqs) host.setIrqHandler(irq, null);
      host.dropRegistrations(d.name);
      this.#loaded.delete(d.name);
      throw new ModuleInitError(d.name, e);
    } finally {
      host.setOwner(null);
    }
    for (const dep of d.dependsOn ?? []) this.#loaded.get(dep)!.dependants++;
    host.log(`loaded ${d.kind} module ${d.name} ${d.version}`);
    return this.#info(entry);
  }

  #requireApi(): KernelApi {
    if (this.#api === null) throw new ModuleError("loader", -22, "no kernel API attached");
    return this.#api;
  }

  #checkResources(name: string, r: ModuleResources): void {
    const bus = this.#host.bus;
    for (const c of r.mmio!) {
      const m = bus.findDevice(c.base);
      if (m === undefined || c.base + c.size > m.base + m.size) {
        throw new ModuleResourceError(
          name,
          `no device occupies MMIO 0x${c.base.toString(16)}+0x${c.size.toString(16)}`,
        );
      }
    }
    for (const other of this.#loaded.values()) {
      const o = other.resources;
      for (const c of r.mmio!) {
        for (const oc of o.mmio!) {
          if (c.base < oc.base + oc.size && oc.base < c.base + c.size) {
            throw new ModuleResourceError(
              name,
              `MMIO 0x${c.base.toString(16)} is claimed by ${other.descriptor.name}`,
            );
          }
        }
      }
      for (const i of r.irqs!) {
        if (o.irqs!.includes(i)) {
          throw new ModuleResourceError(name, `IRQ ${i} is claimed by ${other.descriptor.name}`);
        }
      }
      for (const ch of r.dma!) {
        if (o.dma!.includes(ch)) {
          throw new ModuleResourceError(
            name,
            `DMA channel ${ch} is claimed by ${other.descriptor.name}`,
          );
        }
      }
    }
  }

  /** Unloads `name`; refuses a module with references unless `force`. */
  async unload(name: string, force = false): Promise<void> {
    const e = this.#loaded.get(name);
    if (e === undefined) throw new ModuleNotFoundError(name);
    const refs = e.users + e.dependants;
    if (refs > 0 && !force) throw new ModuleBusyError(name, refs);
    const host = this.#host;
    try {
      await e.descriptor.exit(this.#requireApi(), e.ctx);
    } catch (err) {
      if (!force) {
        throw new ModuleError(
          name,
          -16,
          `exit failed: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
      host.log(`${name}: exit failed during forced unload: ${String(err)}`);
    }
    for (const irq of e.resources.irqs!) host.setIrqHandler(irq, null);
    host.dropRegistrations(name);
    for (const dep of e.descriptor.dependsOn ?? []) {
      const d = this.#loaded.get(dep);
      if (d !== undefined && d.dependants > 0) d.dependants--;
    }
    this.#loaded.delete(name);
    host.log(`unloaded module ${name}`);
  }

  #info(e: Loaded): ModuleInfo {
    return {
      name: e.descriptor.name,
      version: e.descriptor.version,
      kind: e.descriptor.kind,
      source: e.source,
      refs: e.users + e.dependants,
      resources: {
        mmio: e.resources.mmio!.map((c) => ({ ...c })),
        irqs: [...e.resources.irqs!],
        dma: [...e.resources.dma!],
      },
    };
  }

  /** Loaded modules in load order. */
  list(): ModuleInfo[] {
    return [...this.#loaded.values()].map((e) => this.#info(e));
  }

  /** One module's state. */
  get(name: string): ModuleInfo | undefined {
    const e = this.#loaded.get(name);
    return e === undefined ? undefined : this.#info(e);
  }

  /** Adds a user reference (ignored for unknown names: built-in objects have no module). */
  ref(name: string): void {
    const e = this.#loaded.get(name);
    if (e !== undefined) e.users++;
  }

  /** Drops a user reference. */
  unref(name: string): void {
    const e = this.#loaded.get(name);
    if (e !== undefined && e.users > 0) e.users--;
  }
}
