/**
 * The block layer: the registry of disks (units 0..3), their nodes in the
 * device registry (devfs shows them as block special files), partition
 * scanning, the buffer cache, opening a device for a file system, sync of
 * every disk, and the /proc texts.
 *
 * - {@link BlockLayer.registerDisk}: a driver's disk becomes `hdX`; sector 0
 *   is read through the queue and the MBR partitions found become
 *   `hdX1`..`hdX4` when the read completes ({@link BlockLayer.scanned}).
 * - {@link BlockLayer.open}: `api.openBlockDevice`.
 * - {@link BlockLayer.syncAll}: one step of sync(2) over every disk.
 * - {@link BlockLayer.partitionsText} / {@link BlockLayer.diskstatsText}:
 *   `/proc/partitions` and `/proc/diskstats` in Linux's formats.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { CharDeviceRegistry } from "../io/char_device.ts";
import type { WaitQueue } from "../ipc/wait_queue.ts";
import { blockNodeOpen, blockNodeOps } from "./block_file.ts";
import { BlockDeviceHandle, type WaitForIo } from "./block_device.ts";
import { BufferCache, type CacheDeps } from "./buffer_cache.ts";
import { Disk, Partition, UNIT_NAME } from "./disk.ts";
import { EXTENDED_TYPES, parseMbr } from "./mbr.ts";
import { type ElevatorName, ELEVATORS } from "./request_queue.ts";
import { type BlockDevice, type BlockDriver, SECTOR_SIZE } from "./types.ts";

/** What the block layer needs from the kernel. */
export interface BlockLayerDeps extends CacheDeps {
  /** Where the nodes go (devfs lists it). */
  readonly devices: CharDeviceRegistry;
  /** Simulated ns. */
  nowNs(): number;
  /** Parks the calling thread on a queue (K.RESTART). */
  readonly waitForIo: WaitForIo;
  /** Kernel log. */
  log(line: string): void;
  /**
   * Takes (true) or drops (false) a use of the module serving a disk: an
   * open block device (a mounted file system) keeps its driver in use, so
   * `rmmod` answers EBUSY.
   */
  moduleRef?(owner: string, take: boolean): void;
}

/** Options of the block layer. */
export interface BlockLayerOptions {
  /** Buffer cache size in bytes. */
  cacheBytes?: number;
  /** Elevator of new disks (default clook). */
  elevator?: ElevatorName;
}

/** Number of disk units. */
export const MAX_DISKS = 4;

/** The kernel's block layer. */
export class BlockLayer {
  /** The buffer cache shared by every disk. */
  readonly cache: BufferCache;
  /** Disks by unit. */
  readonly disks: (Disk | null)[] = [null, null, null, null];
  /** Elevator given to newly registered disks. */
  defaultElevator: ElevatorName;
  readonly #d: BlockLayerDeps;

  /** The layer over `deps`. */
  constructor(deps: BlockLayerDeps, options: BlockLayerOptions = {}) {
    this.#d = deps;
    this.cache = new BufferCache(deps, options.cacheBytes);
    this.defaultElevator = options.elevator ?? "clook";
  }

  /**
   * Registers `driver` as disk `unit` for `owner`: K.INVAL for a bad unit or
   * capacity, K.EXIST when the unit is taken. The partition table is read
   * at once; its partitions appear when the read completes.
   */
  registerDisk(unit: number, driver: BlockDriver, owner: string | null): KStatus {
    if (!Number.isInteger(unit) || unit < 0 || unit >= MAX_DISKS) return K.INVAL;
    if (!Number.isInteger(driver.sectors) || driver.sectors <= 0) return K.INVAL;
    const held = this.disks[unit];
    if (held !== null && held.held && held.driver.sectors === driver.sectors) {
      held.attach(driver, owner);
      this.#d.log(`${held.name}: taken over by ${owner ?? "the kernel"}`);
      return K.OK;
    }
    if (held !== null && held.held) this.unregisterDisk(unit);
    if (this.disks[unit] !== null) return K.EXIST;
    const disk = new Disk(unit, driver, owner, () => this.#d.nowNs(), this.defaultElevator);
    this.disks[unit] = disk;
    this.#addNode(disk.whole);
    this.#d.log(
      `${disk.name}: ${driver.model}, ${driver.sectors} sectors (${
        Math.floor(driver.sectors / 2048)
      } MiB)${driver.readOnly ? ", read-only" : ""}`,
    );
    this.#scan(disk);
    return K.OK;
  }

  /** Removes disk `unit` (owner null: anyone); its nodes go, its buffers are dropped. */
  unregisterDisk(unit: number, owner: string | null = null): KStatus {
    const disk = this.disks[unit];
    if (disk === null || disk === undefined) return K.NODEV;
    if (owner !== null && disk.owner !== owner) return K.NODEV;
    disk.gone = true;
    for (const p of disk.partitions) this.#d.devices.unregister(p.major, p.minor, true);
    this.cache.dropDisk(disk);
    this.disks[unit] = null;
    disk.wait.wakeAll();
    return K.OK;
  }

  /**
   * Holds `owner`'s disks for a replacement module: their nodes, partitions,
   * cached blocks and open users stay, requests wait in the queue, and a
   * successor registering the same unit with the same capacity takes over.
   */
  hold(owner: string): void {
    for (const d of this.disks) {
      if (d === null || d.owner !== owner) continue;
      d.held = true;
      d.queue.pause();
    }
  }

  /** Ends a replacement: disks of `from` still held (not taken over) are removed. */
  settle(from: string): void {
    for (const d of this.disks) {
      if (d !== null && d.owner === from && d.held) this.unregisterDisk(d.unit);
    }
  }

  /** Removes every disk registered by `owner` (its module unloads). */
  dropOwner(owner: string): void {
    for (const d of this.disks) if (d !== null && d.owner === owner) this.unregisterDisk(d.unit);
  }

  #addNode(part: Partition): void {
    const cache = this.cache, wait = this.#d.waitForIo;
    this.#d.devices.register({
      name: part.name,
      major: part.major,
      minor: part.minor,
      mode: 0o660,
      block: true,
      fileOps: blockNodeOps(part, cache, wait),
      open: (file) => blockNodeOpen(part, file),
    });
  }

  /** Reads sector 0 and adds the MBR partitions when it arrives. */
  #scan(disk: Disk): void {
    const sector0 = new Uint8Array(SECTOR_SIZE);
    disk.queue.submit("read", 0, sector0, (status) => {
      disk.scanned = true;
      if (disk.gone) return;
      if (status !== K.OK) {
        this.#d.log(`${disk.name}: unable to read partition table`);
      } else {
        this.#addPartitions(disk, sector0);
      }
      disk.wait.wakeAll();
    });
  }

  #addPartitions(disk: Disk, sector0: Uint8Array): void {
    const parts = parseMbr(sector0, disk.driver.sectors);
    const names: string[] = [];
    for (const e of parts) {
      // Linux shows an extended partition as a 1 KiB (2-sector) device.
      const sectors = EXTENDED_TYPES.has(e.type) ? Math.min(2, e.sectors) : e.sectors;
      const p = new Partition(disk, e.index, e.start, sectors);
      disk.partitions.push(p);
      this.#addNode(p);
      names.push(EXTENDED_TYPES.has(e.type) ? `${p.name} < >` : p.name);
    }
    this.#d.log(`${disk.name}:${names.length > 0 ? " " + names.join(" ") : ""}`);
  }

  /** True once every registered disk's partition table has been read. */
  get scanned(): boolean {
    return this.disks.every((d) => d === null || d.scanned);
  }

  /** The partition whose node is `name` ("hda", "hda1"). */
  byName(name: string): Partition | null {
    for (const d of this.disks) {
      if (d === null) continue;
      for (const p of d.partitions) if (p.name === name) return p;
    }
    return null;
  }

  /** The partition with device number major:minor. */
  byNumber(major: number, minor: number): Partition | null {
    for (const d of this.disks) {
      if (d === null || d.major !== major) continue;
      for (const p of d.partitions) if (p.minor === minor) return p;
    }
    return null;
  }

  /**
   * Opens `part` for a file system: K.ROFS for writing a read-only medium,
   * K.BUSY for a second writer, K.NXIO after its disk went away.
   */
  open(part: Partition, write: boolean): BlockDevice | KStatus {
    if (part.disk.gone) return K.NXIO;
    if (write && part.disk.readOnly) return K.ROFS;
    if (write && part.writers > 0) return K.BUSY;
    part.opens++;
    if (write) part.writers++;
    const h = new BlockDeviceHandle(part, this.cache, !write, this.#d.waitForIo);
    const owner = part.disk.owner, ref = this.#d.moduleRef;
    if (owner !== null && ref !== undefined) {
      ref(owner, true);
      h.onClose = () => ref(owner, false);
    }
    return h;
  }

  /**
   * One step of sync(2): starts the write-back and flush of every disk.
   * K.OK when all are done; otherwise the queue of a disk still busy (the
   * caller waits on it and tries again). Write errors are not reported here
   * (sync(2) returns nothing); fsync and syncfs report them.
   */
  syncAll(): KStatus | WaitQueue {
    let waitOn: WaitQueue | null = null;
    for (const d of this.disks) {
      if (d === null || d.gone || d.readOnly) continue;
      const r = this.cache.sync(d, 0, d.driver.sectors);
      if (r === K.AGAIN && waitOn === null) waitOn = d.wait;
    }
    return waitOn ?? K.OK;
  }

  /** Sets the elevator of disk `name`; K.NODEV, K.INVAL for an unknown elevator. */
  setElevator(name: string, elevator: string): KStatus {
    const disk = this.disks.find((d) => d !== null && d.name === name) ?? null;
    if (disk === null) return K.NODEV;
    if (!(ELEVATORS as readonly string[]).includes(elevator)) return K.INVAL;
    disk.queue.elevator = elevator as ElevatorName;
    return K.OK;
  }

  /** `/proc/partitions`. */
  partitionsText(): string {
    let out = "major minor  #blocks  name\n\n";
    for (const d of this.disks) {
      if (d === null) continue;
      for (const p of d.partitions) {
        out += `${pad(p.major, 4)}  ${pad(p.minor, 7)} ${
          pad(Math.floor(p.sectors / 2), 10)
        } ${p.name}\n`;
      }
    }
    return out;
  }

  /** `/proc/diskstats` (Linux 5.5+: 20 fields; discards are 0). */
  diskstatsText(): string {
    const ms = (ns: number) => Math.floor(ns / 1e6);
    let out = "";
    for (const d of this.disks) {
      if (d === null) continue;
      const c = d.queue.counters;
      const fields = [
        c.reads,
        c.readMerges,
        c.readSectors,
        ms(c.readNs),
        c.writes,
        c.writeMerges,
        c.writeSectors,
        ms(c.writeNs),
        d.queue.depth,
        ms(c.busyNs),
        ms(c.weightedNs),
        0,
        0,
        0,
        0,
        c.flushes,
        ms(c.flushNs),
      ];
      out += `${pad(d.major, 4)} ${pad(d.minorBase, 7)} ${d.name} ${fields.join(" ")}\n`;
      for (const p of d.partitions.slice(1)) {
        const q = p.counters;
        const pf = [
          q.reads,
          0,
          q.readSectors,
          ms(q.readNs),
          q.writes,
          0,
          q.writeSectors,
          ms(q.writeNs),
          0,
          ms(q.readNs + q.writeNs),
          ms(q.readNs + q.writeNs),
          0,
          0,
          0,
          0,
          0,
          0,
        ];
        out += `${pad(p.major, 4)} ${pad(p.minor, 7)} ${p.name} ${pf.join(" ")}\n`;
      }
    }
    return out;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

/** The unit of a disk name ("hda" -> 0), or -1. */
export function unitOf(name: string): number {
  return UNIT_NAME.indexOf(name);
}
