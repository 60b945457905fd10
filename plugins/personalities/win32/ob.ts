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
 * - object types: {@link ObjectDirectory}, {@link SymbolicLink},
 *   {@link DeviceObject} (a file system root or the named-pipe device),
 *   {@link EventObject}, {@link SemaphoreObject}, {@link MutantObject} (the
 *   process, thread, file and section types live in their own files);
 * - {@link GENERIC_MAPPING}: GENERIC_READ/WRITE/EXECUTE/ALL per type;
 * - {@link Namespace}: `\`, `\Device\...`, `\??` (drive letters as symbolic
 *   links), `\BaseNamedObjects`, `\KnownDlls`, and {@link Namespace.resolve},
 *   which walks directories, follows symbolic links (reparse) and stops at a
 *   device, handing the rest of the path to it. Names compare without case.
 *
 * @module
 */

import { WaitQueue } from "../../../kernel/api.ts";
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
  | "Section";

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
};

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

  /** True when a wait on the object is satisfied now (waitable types override). */
  signaled(_tid: number): boolean {
    return false;
  }

  /** The queue woken when the object may have become signalled; null if not waitable. */
  waitQueue(): WaitQueue | null {
    return null;
  }

  /** Side effect of a satisfied wait (auto-reset event, semaphore count, mutant owner). */
  acquire(_tid: number): void {}
}

/** An object directory: names (compared without case) to objects. */
export class ObjectDirectory extends NtObject {
  /** The type. */
  readonly type = "Directory" as const;
  readonly #entries = new Map<string, NtObject>();

  /** The object named `name` here, or undefined. */
  lookup(name: string): NtObject | undefined {
    return this.#entries.get(name.toUpperCase());
  }

  /** Inserts `obj` as `name` (the directory does not take a reference). NTSTATUS. */
  insert(name: string, obj: NtObject): number {
    const key = name.toUpperCase();
    if (name === "" || name.includes("\\")) return STATUS.OBJECT_NAME_INVALID;
    if (this.#entries.has(key)) return STATUS.OBJECT_NAME_COLLISION;
    this.#entries.set(key, obj);
    obj.parent = this;
    obj.name = name;
    return STATUS.SUCCESS;
  }

  /** Removes `obj` (no-op if it is not here). */
  remove(obj: NtObject): void {
    const key = obj.name.toUpperCase();
    if (this.#entries.get(key) === obj) this.#entries.delete(key);
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

/** A device: a file system root (`vfsRoot` set) or the named-pipe file system. */
export class DeviceObject extends NtObject {
  /** The type. */
  readonly type = "Device" as const;
  /** Creates the device. */
  constructor(readonly kind: "disk" | "namedpipe", readonly vfsRoot: string) {
    super();
  }
}

/** An event (notification = manual reset, synchronization = auto reset). */
export class EventObject extends NtObject {
  /** The type. */
  readonly type = "Event" as const;
  readonly #queue = new WaitQueue("event");
  /** Creates the event. */
  constructor(readonly manualReset: boolean, public state: boolean) {
    super();
  }
  /** Sets the event, waking waiters; returns the previous state. */
  set(): boolean {
    const old = this.state;
    this.state = true;
    this.#queue.wakeAll();
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
  /** The waiters' queue. */
  override waitQueue(): WaitQueue {
    return this.#queue;
  }
  /** An auto-reset event resets when a wait is satisfied. */
  override acquire(): void {
    if (!this.manualReset) this.state = false;
  }
}

/** A semaphore: signalled while its count is above zero. */
export class SemaphoreObject extends NtObject {
  /** The type. */
  readonly type = "Semaphore" as const;
  readonly #queue = new WaitQueue("semaphore");
  /** Creates the semaphore. */
  constructor(public count: number, readonly maximum: number) {
    super();
  }
  /** Adds `n`; returns the previous count or -1 past the maximum (nothing changes). */
  release(n: number): number {
    const old = this.count;
    if (n <= 0 || old + n > this.maximum) return -1;
    this.count = old + n;
    this.#queue.wakeAll();
    return old;
  }
  /** Signalled while the count is positive. */
  override signaled(): boolean {
    return this.count > 0;
  }
  /** The waiters' queue. */
  override waitQueue(): WaitQueue {
    return this.#queue;
  }
  /** A satisfied wait takes one unit. */
  override acquire(): void {
    this.count--;
  }
}

/** A mutant (mutex): owned by one thread, recursively. */
export class MutantObject extends NtObject {
  /** The type. */
  readonly type = "Mutant" as const;
  readonly #queue = new WaitQueue("mutant");
  /** Owning thread id (0: free) and recursion count. */
  owner = 0;
  /** How many times the owner holds it. */
  depth = 0;
  /** Creates the mutant, owned by `owner` when non-zero. */
  constructor(owner: number) {
    super();
    this.owner = owner;
    this.depth = owner !== 0 ? 1 : 0;
  }
  /** Releases one level held by `tid`; returns the previous depth or -1 if not the owner. */
  release(tid: number): number {
    if (this.owner !== tid || this.depth === 0) return -1;
    const old = this.depth;
    if (--this.depth === 0) {
      this.owner = 0;
      this.#queue.wakeAll();
    }
    return old;
  }
  /** Signalled when free or already owned by the waiter. */
  override signaled(tid: number): boolean {
    return this.owner === 0 || this.owner === tid;
  }
  /** The waiters' queue. */
  override waitQueue(): WaitQueue {
    return this.#queue;
  }
  /** A satisfied wait takes ownership (once more). */
  override acquire(tid: number): void {
    this.owner = tid;
    this.depth++;
  }
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
  /** `\??` (DOS devices: drive letters, PIPE, NUL). */
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
  resolve(path: string, start: NtObject = this.root): Resolved | number {
    let parts = path.split("\\").filter((s) => s !== "");
    if (start === this.root && !path.startsWith("\\")) return STATUS.OBJECT_PATH_SYNTAX_BAD;
    let cur: NtObject = start;
    let reparses = 0;
    while (parts.length > 0) {
      if (cur instanceof DeviceObject) return { object: cur, rest: parts.join("\\") };
      if (!(cur instanceof ObjectDirectory)) return STATUS.OBJECT_TYPE_MISMATCH;
      const next = cur.lookup(parts[0]);
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
