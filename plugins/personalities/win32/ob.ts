/**
 * The object manager: typed, reference-counted executive objects and the
 * object namespace.
 *
 * Map of the file:
 * - {@link NtObject}: the common header (type, name, reference count,
 *   waitable state); the count holds one reference per handle plus the
 *   executive's own (a process object is held by its process while it runs);
 *   at zero the object's `deleted` hook releases what it wraps and a named
 *   temporary object leaves its directory;
 * - the dispatcher: {@link WaitBlock} (a thread's wait on one or more
 *   objects) and {@link trySatisfy}; an object that becomes signalled hands
 *   itself to its waiting threads in FIFO order ({@link NtObject.satisfyWaiters},
 *   NT's KiWaitTest), so a released mutex or a set auto-reset event goes to
 *   a waiter before the releasing thread can take it back;
 * - object types: {@link ObjectDirectory}, {@link SymbolicLink},
 *   {@link DeviceObject} (a file system root, the named-pipe device or the
 *   console device),
 *   {@link EventObject}, {@link SemaphoreObject}, {@link MutantObject}
 *   (abandoned when its owner ends: {@link abandonMutants}) (the process,
 *   thread, file, section, timer and keyed-event types live in their own
 *   files);
 * - {@link GENERIC_MAPPING}: GENERIC_READ/WRITE/EXECUTE/ALL per type;
 * - {@link Namespace}: `\`, `\Device\...`, `\??` (drive letters as symbolic
 *   links), `\BaseNamedObjects`, `\KnownDlls`, and {@link Namespace.resolve},
 *   which walks directories, follows symbolic links (reparse) and stops at a
 *   device, handing the rest of the path to it. Names compare without case
 *   unless the caller asks for an exact match (no OBJ_CASE_INSENSITIVE).
 *
 * @module
 */

import { TaskState, type Thread, type WaitQueue } from "../../../kernel/api.ts";
import { STATUS } from "./ntstatus.ts";

/** Object type names (as NtQueryObject reports them). */
export type ObjectTypeName =
  | "Process"
  | "Thread"
  | "File"
  | "Directory"
  | "SymbolicLink"
  | "Device"
  | "Event"
  | "Mutant"
  | "Semaphore"
  | "Section"
  | "Timer"
  | "KeyedEvent";

/** Standard access rights. */
export const ACCESS = {
  DELETE: 0x0001_0000,
  READ_CONTROL: 0x0002_0000,
  WRITE_DAC: 0x0004_0000,
  WRITE_OWNER: 0x0008_0000,
  SYNCHRONIZE: 0x0010_0000,
  MAXIMUM_ALLOWED: 0x0200_0000,
  GENERIC_ALL: 0x1000_0000,
  GENERIC_EXECUTE: 0x2000_0000,
  GENERIC_WRITE: 0x4000_0000,
  GENERIC_READ: 0x8000_0000,
} as const;

/** Per type: [GENERIC_READ, GENERIC_WRITE, GENERIC_EXECUTE, GENERIC_ALL] -> specific rights. */
export const GENERIC_MAPPING: Record<ObjectTypeName, readonly [number, number, number, number]> = {
  Process: [0x0002_0410, 0x0002_0beb, 0x0012_1000, 0x001f_ffff],
  Thread: [0x0002_0048, 0x0002_0037, 0x0012_1800, 0x001f_ffff],
  File: [0x0012_0089, 0x0012_0116, 0x0012_00a0, 0x001f_01ff],
  Directory: [0x0002_0003, 0x0002_000c, 0x0002_0003, 0x000f_000f],
  SymbolicLink: [0x0002_0001, 0x0002_0000, 0x0002_0001, 0x000f_0001],
  Device: [0x0012_0089, 0x0012_0116, 0x0012_00a0, 0x001f_01ff],
  Event: [0x0002_0001, 0x0002_0002, 0x0012_0000, 0x001f_0003],
  Mutant: [0x0002_0001, 0x0002_0000, 0x0012_0000, 0x001f_0001],
  Semaphore: [0x0002_0001, 0x0002_0002, 0x0012_0000, 0x001f_0003],
  Section: [0x0002_0005, 0x0002_0002, 0x0002_0008, 0x000f_001f],
  Timer: [0x0002_0001, 0x0002_0002, 0x0012_0000, 0x001f_0003],
  KeyedEvent: [0x0002_0001, 0x0002_0002, 0x0002_0000, 0x000f_0003],
};

/** STATUS_ABANDONED_WAIT_0: added to the index of a wait that took an abandoned mutex. */
export const ABANDONED_WAIT_0 = 0x80;

/**
 * A thread's wait on dispatcher objects (NT's wait blocks): registered on
 * each object while the thread sleeps; `result` is set (and the thread
 * woken through `queue`) when an object hands itself over.
 */
export interface WaitBlock {
  /** The waiting thread. */
  readonly thread: Thread;
  /** The objects waited on (in handle order). */
  readonly objects: NtObject[];
  /** Wait all (true) or wait any. */
  readonly all: boolean;
  /** Absolute monotonic deadline (ns), -1 for none. */
  readonly deadline: number;
  /** The wait's result once satisfied (index, + ABANDONED_WAIT_0), -1 while pending. */
  result: number;
  /** Woken when the wait is satisfied. */
  readonly queue: WaitQueue;
}

/**
 * Tests and, when satisfied, acquires the objects for `t` in one step
 * (wait-all takes every object or none): the wait's result (index of the
 * object for wait-any, 0 for wait-all, plus ABANDONED_WAIT_0 when an
 * abandoned mutex was taken), or -1 when not satisfied now.
 */
export function trySatisfy(objs: NtObject[], all: boolean, t: Thread): number {
  if (!all) {
    for (let i = 0; i < objs.length; i++) {
      if (objs[i].signaled(t)) return objs[i].acquire(t) ? ABANDONED_WAIT_0 + i : i;
    }
    return -1;
  }
  for (const o of objs) if (!o.signaled(t)) return -1;
  let abandoned = false;
  for (const o of objs) if (o.acquire(t)) abandoned = true;
  return abandoned ? ABANDONED_WAIT_0 : 0;
}

/** Takes `wb` off every object it waits on. */
export function unregisterWait(wb: WaitBlock): void {
  for (const o of wb.objects) {
    const i = o.waitBlocks.indexOf(wb);
    if (i >= 0) o.waitBlocks.splice(i, 1);
  }
}

/** `desired` with the generic bits replaced by `type`'s specific rights (MAXIMUM_ALLOWED -> all). */
export function mapGenericAccess(type: ObjectTypeName, desired: number): number {
  const m = GENERIC_MAPPING[type];
  let a = desired & 0x00ff_ffff & ~ACCESS.MAXIMUM_ALLOWED;
  if (desired & ACCESS.GENERIC_READ) a |= m[0];
  if (desired & ACCESS.GENERIC_WRITE) a |= m[1];
  if (desired & ACCESS.GENERIC_EXECUTE) a |= m[2];
  if (desired & (ACCESS.GENERIC_ALL | ACCESS.MAXIMUM_ALLOWED)) a |= m[3];
  return a >>> 0;
}

/** Common header of every executive object. */
export abstract class NtObject {
  /** The object's type. */
  abstract readonly type: ObjectTypeName;
  /** References: one per handle plus the executive's own. */
  refs = 0;
  /** Name in the namespace ("" for an unnamed object). */
  name = "";
  /** The directory holding it by name (null when unnamed). */
  parent: ObjectDirectory | null = null;
  /** True once the last reference dropped. */
  dead = false;

  /** Takes a reference; returns the object. */
  reference(): this {
    this.refs++;
    return this;
  }

  /** Drops a reference; at zero the object leaves its directory and is deleted. */
  dereference(): void {
    if (this.refs <= 0 || --this.refs > 0) return;
    this.dead = true;
    if (this.parent !== null) this.parent.remove(this);
    this.deleted();
  }

  /** Releases what the object wraps (called once, at the last reference). */
  protected deleted(): void {}

  /** Threads waiting on the object (dispatcher objects), in arrival order. */
  readonly waitBlocks: WaitBlock[] = [];

  /** True when a wait by `t` on the object is satisfied now (waitable types override). */
  signaled(_t: Thread): boolean {
    return false;
  }

  /**
   * The kernel queue woken when the object may have become signalled, for
   * objects over kernel things (a process's exit); null otherwise.
   */
  waitQueue(): WaitQueue | null {
    return null;
  }

  /** Monotonic time (ns) at which the object becomes signalled by itself (a timer), -1 if never. */
  nextDueNs(): number {
    return -1;
  }

  /**
   * Side effect of a satisfied wait (auto-reset event, semaphore count,
   * mutant owner); true when it took an abandoned mutex.
   */
  acquire(_t: Thread): boolean {
    return false;
  }

  /**
   * Hands the object to waiting threads while it is signalled (KiWaitTest):
   * each satisfied wait acquires its objects, records its result and wakes
   * its thread. Waits of exited threads are dropped.
   */
  satisfyWaiters(): void {
    if (this.waitBlocks.length === 0) return;
    for (const wb of this.waitBlocks.slice()) {
      if (wb.result >= 0) continue;
      if (wb.thread.state === TaskState.ZOMBIE) {
        unregisterWait(wb);
        continue;
      }
      const r = trySatisfy(wb.objects, wb.all, wb.thread);
      if (r < 0) continue;
      wb.result = r;
      unregisterWait(wb);
      wb.queue.wakeAll();
    }
  }
}

/**
 * An object directory: names to objects. A lookup compares names without
 * case (OBJ_CASE_INSENSITIVE, what file and device paths use) or exactly
 * (Win32's named events, mutexes, semaphores and timers).
 */
export class ObjectDirectory extends NtObject {
  /** The type. */
  readonly type = "Directory" as const;
  readonly #entries = new Map<string, NtObject>();

  /** The object named `name` here, or undefined. */
  lookup(name: string, caseInsensitive = true): NtObject | undefined {
    const exact = this.#entries.get(name);
    if (exact !== undefined || !caseInsensitive) return exact;
    const key = name.toUpperCase();
    for (const [n, o] of this.#entries) if (n.toUpperCase() === key) return o;
    return undefined;
  }

  /** Inserts `obj` as `name` (the directory does not take a reference). NTSTATUS. */
  insert(name: string, obj: NtObject, caseInsensitive = true): number {
    if (name === "" || name.includes("\\")) return STATUS.OBJECT_NAME_INVALID;
    if (this.lookup(name, caseInsensitive) !== undefined) return STATUS.OBJECT_NAME_COLLISION;
    this.#entries.set(name, obj);
    obj.parent = this;
    obj.name = name;
    return STATUS.SUCCESS;
  }

  /** Removes `obj` (no-op if it is not here). */
  remove(obj: NtObject): void {
    if (this.#entries.get(obj.name) === obj) this.#entries.delete(obj.name);
    obj.parent = null;
  }

  /** The entries, in insertion order. */
  entries(): [string, NtObject][] {
    return [...this.#entries.values()].map((o) => [o.name, o]);
  }
}

/** A symbolic link: a name whose lookup continues at `target` (an NT path). */
export class SymbolicLink extends NtObject {
  /** The type. */
  readonly type = "SymbolicLink" as const;
  /** Creates the link. */
  constructor(readonly target: string) {
    super();
  }
}

/** A device: a file system root (`vfsRoot` set), the named-pipe file system or the console. */
export class DeviceObject extends NtObject {
  /** The type. */
  readonly type = "Device" as const;
  /** Creates the device. */
  constructor(readonly kind: "disk" | "namedpipe" | "console", readonly vfsRoot: string) {
    super();
  }
}

/** An event (notification = manual reset, synchronization = auto reset). */
export class EventObject extends NtObject {
  /** The type. */
  readonly type = "Event" as const;
  /** Creates the event. */
  constructor(readonly manualReset: boolean, public state: boolean) {
    super();
  }
  /** Sets the event, satisfying waiters; returns the previous state. */
  set(): boolean {
    const old = this.state;
    this.state = true;
    this.satisfyWaiters();
    return old;
  }
  /**
   * PulseEvent: satisfies the threads waiting now (every one for a manual
   * reset event, one for an automatic one) and leaves the event reset;
   * returns the previous state.
   */
  pulse(): boolean {
    const old = this.state;
    this.state = true;
    this.satisfyWaiters();
    this.state = false;
    return old;
  }
  /** Resets the event; returns the previous state. */
  reset(): boolean {
    const old = this.state;
    this.state = false;
    return old;
  }
  /** Signalled while set. */
  override signaled(): boolean {
    return this.state;
  }
  /** An auto-reset event resets when a wait is satisfied. */
  override acquire(): boolean {
    if (!this.manualReset) this.state = false;
    return false;
  }
}

/** A semaphore: signalled while its count is above zero. */
export class SemaphoreObject extends NtObject {
  /** The type. */
  readonly type = "Semaphore" as const;
  /** Creates the semaphore. */
  constructor(public count: number, readonly maximum: number) {
    super();
  }
  /** Adds `n` (> 0); returns the previous count or -1 past the maximum (nothing changes). */
  release(n: number): number {
    const old = this.count;
    if (old + n > this.maximum) return -1;
    this.count = old + n;
    this.satisfyWaiters();
    return old;
  }
  /** Signalled while the count is positive. */
  override signaled(): boolean {
    return this.count > 0;
  }
  /** A satisfied wait takes one unit. */
  override acquire(): boolean {
    this.count--;
    return false;
  }
}

/** Mutants owned by some thread of a process, by process (for abandonment at exit). */
const owned = new WeakMap<object, Set<MutantObject>>();

/** MINLONG: the most times a thread may hold a mutant. */
const MUTANT_LIMIT = 0x7fff_ffff;

/** A mutant (mutex): owned by one thread, recursively; abandoned when that thread ends. */
export class MutantObject extends NtObject {
  /** The type. */
  readonly type = "Mutant" as const;
  /** Owning thread (null: free). */
  owner: Thread | null = null;
  /** How many times the owner holds it. */
  depth = 0;
  /** True once its owner ended holding it, until the next acquire. */
  abandoned = false;
  /** Creates the mutant, owned by `owner` when non-null. */
  constructor(owner: Thread | null) {
    super();
    if (owner !== null) this.#take(owner);
  }
  #take(t: Thread): void {
    this.owner = t;
    this.depth = 1;
    let set = owned.get(t.process);
    if (set === undefined) owned.set(t.process, set = new Set());
    set.add(this);
  }
  #free(): void {
    if (this.owner !== null) owned.get(this.owner.process)?.delete(this);
    this.owner = null;
    this.depth = 0;
    this.satisfyWaiters();
  }
  /** Releases one level held by `t`; returns the previous depth or -1 if not the owner. */
  release(t: Thread): number {
    if (this.owner !== t || this.depth === 0) return -1;
    const old = this.depth;
    if (--this.depth === 0) this.#free();
    return old;
  }
  /** Abandons the mutant (its owner ended): free, and the next wait reports it. */
  abandon(): void {
    this.abandoned = true;
    this.#free();
  }
  /** Signalled when free or already owned by the waiter (below the recursion limit). */
  override signaled(t: Thread): boolean {
    return this.owner === null || (this.owner === t && this.depth < MUTANT_LIMIT);
  }
  /** A satisfied wait takes ownership (once more); true when it was abandoned. */
  override acquire(t: Thread): boolean {
    if (this.owner === t) {
      this.depth++;
      return false;
    }
    this.#take(t);
    const was = this.abandoned;
    this.abandoned = false;
    return was;
  }
}

/**
 * Abandons the mutants owned by thread `t` (when it ends), or by any
 * thread of `process` when `t` is null (when the process ends).
 */
export function abandonMutants(process: object, t: Thread | null): void {
  const set = owned.get(process);
  if (set === undefined) return;
  for (const m of [...set]) if (t === null || m.owner === t) m.abandon();
  if (t === null) owned.delete(process);
}

/** What {@link Namespace.resolve} found. */
export interface Resolved {
  /** The object reached (a device when `rest` is non-empty or the path ended at it). */
  object: NtObject;
  /** The part of the path beyond a device ("" when the path named an object). */
  rest: string;
  /** The directory the last component would be created in, when the name was not found. */
  missingIn?: ObjectDirectory;
  /** That last component. */
  missingName?: string;
}

/** Most symbolic links one lookup follows. */
const MAX_REPARSE = 16;

/** The object namespace of one executive. */
export class Namespace {
  /** `\`. */
  readonly root = new ObjectDirectory();
  /** `\??` (DOS devices: drive letters, PIPE, NUL, CON, CONIN$, CONOUT$). */
  readonly dosDevices = new ObjectDirectory();
  /** `\BaseNamedObjects`. */
  readonly baseNamedObjects = new ObjectDirectory();
  /** `\KnownDlls`. */
  readonly knownDlls = new ObjectDirectory();
  /** `\Device`. */
  readonly devices = new ObjectDirectory();
  /** `\Device\NamedPipe`. */
  readonly namedPipeDevice = new DeviceObject("namedpipe", "");
  /** Drive letter -> VFS directory, in the order given. */
  readonly drives = new Map<string, string>();

  /** Builds the namespace: C: is the VFS root, then one drive from H: per share. */
  constructor(shares: string[] = [], systemDir = "C:\\Windows\\System32") {
    this.#permanent(this.root, "Device", this.devices);
    this.#permanent(this.root, "??", this.dosDevices);
    this.#permanent(this.root, "BaseNamedObjects", this.baseNamedObjects);
    this.#permanent(this.root, "KnownDlls", this.knownDlls);
    this.#permanent(this.devices, "NamedPipe", this.namedPipeDevice);
    this.#permanent(this.dosDevices, "PIPE", new SymbolicLink("\\Device\\NamedPipe"));
    // NUL: the null device, the VFS's /dev/null.
    this.#permanent(this.devices, "Null", new DeviceObject("disk", "/dev/null"));
    this.#permanent(this.dosDevices, "NUL", new SymbolicLink("\\Device\\Null"));
    // The console devices (`console_open.ts`): CON, CONIN$ and CONOUT$ name parts of ConDrv.
    this.#permanent(this.devices, "ConDrv", new DeviceObject("console", ""));
    this.#permanent(this.dosDevices, "CON", new SymbolicLink("\\Device\\ConDrv\\Console"));
    this.#permanent(this.dosDevices, "CONIN$", new SymbolicLink("\\Device\\ConDrv\\CurrentIn"));
    this.#permanent(this.dosDevices, "CONOUT$", new SymbolicLink("\\Device\\ConDrv\\CurrentOut"));
    this.#permanent(this.knownDlls, "KnownDllPath", new SymbolicLink(systemDir));
    this.#drive("C", "HarddiskVolume1", "/");
    shares.forEach((dir, i) => {
      if (i < 19) this.#drive(String.fromCharCode(72 + i), `Share${i + 1}`, dir);
    });
  }

  #permanent(dir: ObjectDirectory, name: string, obj: NtObject): void {
    obj.reference();
    dir.insert(name, obj);
  }

  #drive(letter: string, device: string, vfsRoot: string): void {
    this.#permanent(this.devices, device, new DeviceObject("disk", vfsRoot));
    this.#permanent(this.dosDevices, `${letter}:`, new SymbolicLink(`\\Device\\${device}`));
    this.drives.set(letter, vfsRoot);
  }

  /**
   * Walks `path` (absolute, `\`-separated) from `start` (the root by
   * default): directories by name, symbolic links by reparsing, a device
   * ends the walk with the rest of the path. A missing last component is
   * reported with `missingIn`/`missingName` (where a create would put it);
   * a missing directory on the way is OBJECT_PATH_NOT_FOUND (an NTSTATUS).
   */
  resolve(path: string, start: NtObject = this.root, caseInsensitive = true): Resolved | number {
    let parts = path.split("\\").filter((s) => s !== "");
    if (start === this.root && !path.startsWith("\\")) return STATUS.OBJECT_PATH_SYNTAX_BAD;
    let cur: NtObject = start;
    let reparses = 0;
    while (parts.length > 0) {
      if (cur instanceof DeviceObject) return { object: cur, rest: parts.join("\\") };
      if (!(cur instanceof ObjectDirectory)) return STATUS.OBJECT_TYPE_MISMATCH;
      const next = cur.lookup(parts[0], caseInsensitive);
      if (next === undefined) {
        if (parts.length === 1) {
          return { object: cur, rest: "", missingIn: cur, missingName: parts[0] };
        }
        return STATUS.OBJECT_PATH_NOT_FOUND;
      }
      parts = parts.slice(1);
      if (next instanceof SymbolicLink && (parts.length > 0 || next.target.startsWith("\\"))) {
        if (++reparses > MAX_REPARSE) return STATUS.OBJECT_PATH_NOT_FOUND;
        const target = next.target.startsWith("\\") ? next.target : this.#dosToNt(next.target);
        parts = [...target.split("\\").filter((s) => s !== ""), ...parts];
        cur = this.root;
        continue;
      }
      cur = next;
    }
    return { object: cur, rest: "" };
  }

  /** `C:\x` -> `\??\C:\x` (targets written as Win32 paths). */
  #dosToNt(p: string): string {
    return `\\??\\${p}`;
  }

  /** The drive listing of `\??`: letter -> VFS directory, for /proc and docs. */
  driveList(): [string, string][] {
    return [...this.drives.entries()].map(([l, d]) => [`${l}:`, d]);
  }
}
