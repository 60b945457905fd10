/**
 * The module loader: imports a plugin file, validates its `module`
 * descriptor, checks the API version, dependencies and device resources,
 * runs `init` (undoing everything if it throws), counts references, refuses
 * to unload a busy module unless forced, and replaces one module by another
 * while the machine runs.
 *
 * A driver gets only what it claimed: {@link ModuleContext.mmio} hands out
 * windows on claimed register ranges, {@link ModuleContext.onIrq} accepts
 * only claimed interrupt sources, and no two modules (nor a module and the
 * kernel, which claims the PLIC, CLINT and RTC) may claim the same range,
 * line or DMA channel. Everything a module registers goes through its
 * context and is tagged with its name, so unloading drops exactly that.
 *
 * Replacement ({@link ModuleLoader.replace}): import B (a fresh URL if the
 * file was imported before), check B's claims as if A were gone, suspend A
 * (`suspend` returns its state), hold A's devices and drop its other
 * registrations, hand A's references to B, start B with A's state, and
 * remove A's devices that B did not take over. If B's `init` throws, A is
 * started again with its own state.
 *
 * @module
 */

import type { Bus } from "../../hw/bus.ts";
import {
  API_VERSION,
  type KernelApi,
  type MmioWindow,
  type ModuleContext,
  type ModuleDescriptor,
  type ModuleInfo,
  type ModuleManager,
  type ModuleResources,
  ResourceError,
} from "../api.ts";
import { errorText, K } from "../errors.ts";
import { WaitQueue } from "../ipc/wait_queue.ts";
import { type FaultSink, guardCallback, guardRegistrar, MAX_RESTARTS } from "./fault_guard.ts";
import { claimsOf, conflict, validate, Window } from "./claims.ts";
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

/** The registration calls of a module context, bound to one owner (see {@link ModuleHost.registrar}). */
export type Registrar = Pick<
  ModuleContext,
  | "registerCharDevice"
  | "unregisterCharDevice"
  | "registerPersonality"
  | "unregisterPersonality"
  | "setScheduler"
  | "registerFileSystem"
  | "startTimer"
  | "cancelTimer"
  | "onConsoleInputEnd"
  | "onConsoleResize"
  | "allocDmaBuffer"
  | "registerBlockDisk"
  | "unregisterBlockDisk"
>;

/** What the loader needs from the kernel. */
export interface ModuleHost {
  /** The bus the claimed register windows live on. */
  readonly bus: Bus;
  /** Installs (or with null removes) the handler of a PLIC source and enables/disables it. */
  setIrqHandler(irq: number, handler: (() => void) | null): void;
  /** The registration calls for module `owner`: everything they register is tagged with it. */
  registrar(owner: string): Registrar;
  /** Drops every registration owned by `name` (after a failed init or an unload). */
  dropRegistrations(name: string): void;
  /**
   * Prepares a replacement of `name`: its devices are held (nodes kept,
   * callers waiting) and everything else it registered is dropped.
   */
  holdRegistrations(name: string): void;
  /**
   * Ends a replacement of `from` by `to` (the same name after a rollback):
   * devices `from` held that `to` did not register again are removed.
   */
  settleRegistrations(from: string, to: string): void;
  /** Kernel log. */
  log(message: string): void;
  /**
   * Runs host work the machine must wait for before it goes on (a crashed
   * module's restart); without it the work runs in the background.
   */
  runHostWork?(work: Promise<void>): void;
  /** Advances simulated time for kernel work done by a module (charged to the running thread). */
  spendCycles(cycles: number): void;
  /** Kernel busy-wait for a module (see {@link ModuleContext.spinWait}). */
  spinWait(cond: () => boolean, pollCycles: number, maxCycles: number): number;
}

interface Loaded {
  descriptor: ModuleDescriptor;
  source: string;
  users: number;
  dependants: number;
  resources: ModuleResources;
  ctx: ModuleContext;
  /** IRQ sources whose handler the module installed. */
  irqs: number[];
  /** Parameters given at load (`insmod NAME key=value`). */
  params: Record<string, string>;
}

/** Where relative module paths are resolved: the project root. */
const PROJECT_ROOT = new URL("../../", import.meta.url);

/** The URL of a module file: a relative path is resolved against the project root. */
function moduleUrl(specifier: string): string {
  return /^[a-z]+:/i.test(specifier)
    ? specifier
    : specifier.startsWith("/")
    ? new URL(`file://${specifier}`).href
    : new URL(specifier, PROJECT_ROOT).href;
}

/** A claim of the kernel itself (PLIC, CLINT, RTC): no module may claim it. */
const KERNEL_OWNER = "kernel";

/** Loads, tracks, replaces and unloads plugin modules. */
export class ModuleLoader implements ModuleManager {
  readonly #host: ModuleHost;
  readonly #loaded = new Map<string, Loaded>();
  readonly #reserved: ModuleResources[] = [];
  readonly #imports = new Map<string, number>();
  /** Replaced module name -> the name of the module that took its references. */
  readonly #successors = new Map<string, string>();
  /** Restarts after faults, by module name. */
  readonly #restarts = new Map<string, number>();
  /** Modules being restarted, with the queue that requests to retry wait on. */
  readonly #restarting = new Map<string, WaitQueue>();
  readonly #sink: FaultSink = {
    fault: (name, e, retry) => this.#fault(name, e, retry),
    retries: new WeakMap(),
  };
  #api: KernelApi | null = null;

  /** Creates the loader; {@link attach} gives it the API handed to modules. */
  constructor(host: ModuleHost) {
    this.#host = host;
  }

  /** Sets the API object passed to `init`/`exit`. */
  attach(api: KernelApi): void {
    this.#api = api;
  }

  /** Claims resources for the kernel itself (the PLIC, CLINT and RTC windows): no module gets them. */
  reserve(resources: ModuleResources): void {
    this.#reserved.push({
      mmio: [...(resources.mmio ?? [])],
      irqs: [...(resources.irqs ?? [])],
      dma: [...(resources.dma ?? [])],
    });
  }

  /**
   * Imports `specifier` and loads its exported `module`. A relative path is
   * resolved against the project root (never the working directory); a file
   * imported before is imported afresh under a new URL, so an edited plugin
   * file can be loaded again.
   */
  async load(specifier: string, params: Record<string, string> = {}): Promise<ModuleInfo> {
    const [d, url] = await this.#import(specifier);
    return await this.loadDescriptor(d, url, params);
  }

  /** Imports a module file and returns its descriptor without loading it (modinfo). */
  async inspect(specifier: string): Promise<ModuleDescriptor> {
    const [d, source] = await this.#import(specifier);
    return validate(d, source);
  }

  /**
   * Imports module files side by side, ahead of the {@link load} calls that
   * will load them (the boot's modules): Deno then prepares their module
   * graphs in one pass instead of one after another. Files this loader has
   * imported before are left alone (their next load imports them afresh);
   * an import that fails is left for its load to report.
   */
  async prefetch(specifiers: readonly string[]): Promise<void> {
    const urls = specifiers.map(moduleUrl).filter((url) => !this.#imports.has(url));
    await Promise.all(urls.map((url) => import(url).catch(() => undefined)));
  }

  async #import(specifier: string): Promise<[ModuleDescriptor, string]> {
    const url = moduleUrl(specifier);
    const seen = this.#imports.get(url) ?? 0;
    this.#imports.set(url, seen + 1);
    const fresh = seen === 0 ? url : `${url}${url.includes("?") ? "&" : "?"}generation=${seen}`;
    let ns: Record<string, unknown>;
    try {
      ns = await import(fresh);
    } catch (e) {
      throw new ModuleDescriptorError(
        specifier,
        `cannot import: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    return [ns.module as ModuleDescriptor, url];
  }

  /** Loads an imported descriptor. Throws a {@link ModuleError} subclass when refused. */
  async loadDescriptor(
    descriptor: ModuleDescriptor,
    source = "builtin",
    params: Record<string, string> = {},
  ): Promise<ModuleInfo> {
    const d = this.#admit(descriptor, source, null);
    const entry = this.#entry(d, source, params);
    this.#loaded.set(d.name, entry);
    try {
      await d.init(this.#requireApi(), entry.ctx);
    } catch (e) {
      this.#undo(entry);
      throw new ModuleInitError(d.name, e);
    }
    for (const dep of d.dependsOn ?? []) this.#loaded.get(dep)!.dependants++;
    this.#host.log(`loaded ${d.kind} module ${d.name} ${d.version}`);
    return this.#info(entry);
  }

  /** Validates a descriptor and checks version, name, dependencies and claims (ignoring `replacing`). */
  #admit(descriptor: ModuleDescriptor, source: string, replacing: string | null): ModuleDescriptor {
    const d = validate(descriptor, source);
    if (d.apiVersion !== API_VERSION) {
      throw new ModuleVersionError(d.name, d.apiVersion, API_VERSION);
    }
    if (this.#loaded.has(d.name) && d.name !== replacing) throw new ModuleExistsError(d.name);
    for (const dep of d.dependsOn ?? []) {
      if (!this.#loaded.has(dep) || dep === replacing) throw new ModuleDependencyError(d.name, dep);
    }
    this.#checkResources(d.name, claimsOf(d), replacing);
    return d;
  }

  /** The bookkeeping entry and context of a module about to start. */
  #entry(d: ModuleDescriptor, source: string, params: Record<string, string>): Loaded {
    const resources = claimsOf(d);
    const host = this.#host;
    const irqs: number[] = [];
    const ctx: ModuleContext = {
      ...guardRegistrar(d.name, host.registrar(d.name), this.#sink),
      name: d.name,
      params: Object.freeze({ ...params }),
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
        host.setIrqHandler(irq, guardCallback(d.name, handler, this.#sink));
        if (!irqs.includes(irq)) irqs.push(irq);
      },
      log: (message: string) => host.log(`${d.name}: ${message}`),
      spendCycles: (cycles: number) => {
        if (cycles > 0) host.spendCycles(Math.ceil(cycles));
      },
      spinWait: (cond, pollCycles, maxCycles) => host.spinWait(cond, pollCycles, maxCycles),
    };
    return { descriptor: d, source, users: 0, dependants: 0, resources, ctx, irqs, params };
  }

  /** Removes a module that failed to start: handlers, registrations, bookkeeping. */
  #undo(e: Loaded): void {
    for (const irq of e.irqs) this.#host.setIrqHandler(irq, null);
    this.#host.dropRegistrations(e.descriptor.name);
    this.#loaded.delete(e.descriptor.name);
  }

  #requireApi(): KernelApi {
    if (this.#api === null) throw new ModuleError("loader", -22, "no kernel API attached");
    return this.#api;
  }

  #checkResources(name: string, r: ModuleResources, except: string | null): void {
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
    const holders: [string, ModuleResources][] = this.#reserved.map((o) => [KERNEL_OWNER, o]);
    for (const other of this.#loaded.values()) {
      if (other.descriptor.name !== except) holders.push([other.descriptor.name, other.resources]);
    }
    for (const [owner, o] of holders) {
      const clash = conflict(r, o);
      if (clash !== null) throw new ModuleResourceError(name, `${clash} is claimed by ${owner}`);
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

  /** Replaces module `name` (see {@link ModuleManager.replace}). */
  async replace(name: string, specifier: string | ModuleDescriptor): Promise<ModuleInfo> {
    const old = this.#loaded.get(name);
    if (old === undefined) throw new ModuleNotFoundError(name);
    const [descriptor, source] = typeof specifier === "string"
      ? await this.#import(specifier)
      : [specifier, "builtin"];
    return await this.#swap(old, descriptor, source, false);
  }

  /**
   * Puts `descriptor` in the place of `old`: suspends `old` (not a crashed
   * one, which cannot be trusted to), holds its devices, starts the
   * successor with its state, and rolls back if the successor fails.
   */
  async #swap(
    old: Loaded,
    descriptor: ModuleDescriptor,
    source: string,
    crashed: boolean,
  ): Promise<ModuleInfo> {
    const name = old.descriptor.name;
    const d = this.#admit(descriptor, source, name);
    if (old.dependants > 0 && d.name !== name) throw new ModuleBusyError(name, old.dependants);
    if (old.descriptor.kind === "personality" && old.users > 0 && !crashed) {
      throw new ModuleBusyError(name, old.users);
    }
    const api = this.#requireApi();
    const state = crashed ? undefined : await old.descriptor.suspend?.(api, old.ctx);
    this.#retire(old);
    const next = this.#entry(d, source, old.params);
    this.#inherit(next, old);
    if (d.name !== name) this.#successors.set(name, d.name);
    try {
      await d.init(api, next.ctx, state);
    } catch (e) {
      await this.#rollback(next, old, state);
      throw new ModuleInitError(d.name, e);
    }
    this.#host.settleRegistrations(name, d.name);
    const how = crashed ? "restarted" : "replaced";
    this.#host.log(`${how} module ${name} ${old.descriptor.version} by ${d.name} ${d.version}`);
    return this.#info(next);
  }

  /** A guarded callback of module `name` threw (see `fault_guard.ts`). */
  #fault(name: string, error: unknown, retry: boolean): number {
    const e = this.#loaded.get(name);
    if (e === undefined) return K.IO;
    let queue = this.#restarting.get(name);
    if (queue === undefined) {
      this.#host.log(`${name}: host exception: ${errorText(error)}; restarting the module`);
      queue = new WaitQueue(`restart ${name}`);
      this.#restarting.set(name, queue);
      const q = queue;
      const work = this.restart(name).catch((err) => {
        this.#host.log(`${name}: restart failed: ${errorText(err)}`);
      }).finally(() => {
        this.#restarting.delete(name);
        q.wakeAll();
      });
      this.#host.runHostWork?.(work);
    }
    return retry ? this.#requireApi().waitForIo(queue) : K.IO;
  }

  /**
   * Restarts module `name` after a fault: a fresh instance from its file
   * (the same descriptor for a built-in one), with its devices held
   * meanwhile and its parameters kept. After {@link MAX_RESTARTS} restarts
   * the loader gives up and unloads it by force.
   */
  async restart(name: string): Promise<void> {
    const old = this.#loaded.get(name);
    if (old === undefined) throw new ModuleNotFoundError(name);
    const count = (this.#restarts.get(name) ?? 0) + 1;
    if (count > MAX_RESTARTS) {
      this.#host.log(`${name}: crashed ${count} times; giving up and unloading it`);
      await this.unload(name, true);
      return;
    }
    this.#restarts.set(name, count);
    const [descriptor, source] = old.source === "builtin"
      ? [old.descriptor, "builtin"]
      : await this.#import(old.source);
    await this.#swap(old, descriptor, source, true);
  }

  /** Takes a suspended module out: its IRQ handlers go, its devices are held. */
  #retire(e: Loaded): void {
    for (const irq of e.irqs) this.#host.setIrqHandler(irq, null);
    this.#host.holdRegistrations(e.descriptor.name);
    this.#loaded.delete(e.descriptor.name);
  }

  /** The successor takes over the old module's references and place. */
  #inherit(next: Loaded, old: Loaded): void {
    next.users = old.users;
    next.dependants = old.dependants;
    for (const dep of next.descriptor.dependsOn ?? []) this.#loaded.get(dep)!.dependants++;
    for (const dep of old.descriptor.dependsOn ?? []) {
      const o = this.#loaded.get(dep);
      if (o !== undefined && o.dependants > 0) o.dependants--;
    }
    this.#loaded.set(next.descriptor.name, next);
  }

  /** The successor failed: it is removed and the old module restarts with its own state. */
  async #rollback(next: Loaded, old: Loaded, state: unknown): Promise<void> {
    // Held, not dropped: the successor may share the old module's name, and
    // the devices it held must stay for the old module to take back.
    this.#successors.delete(old.descriptor.name);
    for (const irq of next.irqs) this.#host.setIrqHandler(irq, null);
    this.#host.holdRegistrations(next.descriptor.name);
    this.#loaded.delete(next.descriptor.name);
    const again = this.#entry(old.descriptor, old.source, old.params);
    this.#inherit(again, next);
    try {
      await old.descriptor.init(this.#requireApi(), again.ctx, state);
    } catch (e) {
      this.#undo(again);
      this.#host.log(`${old.descriptor.name}: restart after a failed replacement failed: ${e}`);
    }
    if (next.descriptor.name !== old.descriptor.name) {
      this.#host.settleRegistrations(next.descriptor.name, old.descriptor.name);
    }
    this.#host.settleRegistrations(old.descriptor.name, old.descriptor.name);
  }

  #info(e: Loaded): ModuleInfo {
    return {
      name: e.descriptor.name,
      version: e.descriptor.version,
      kind: e.descriptor.kind,
      source: e.source,
      description: e.descriptor.description ?? "",
      restarts: this.#restarts.get(e.descriptor.name) ?? 0,
      dependsOn: [...(e.descriptor.dependsOn ?? [])],
      params: { ...e.params },
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
    // A reference taken on a module that was replaced since passed to its successor.
    let n: string | undefined = name;
    for (let hops = 0; n !== undefined && !this.#loaded.has(n) && hops < 16; hops++) {
      n = this.#successors.get(n);
    }
    const e = n === undefined ? undefined : this.#loaded.get(n);
    if (e !== undefined && e.users > 0) e.users--;
  }
}
