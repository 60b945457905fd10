/**
 * The system bus: RAM plus memory-mapped devices, with 8/16/32-bit accesses.
 *
 * The CPU reaches RAM directly through the {@link Ram} typed arrays (the fast
 * path) and calls the bus only for device and hole addresses. A hole raises
 * {@link BusFault}, which the CPU turns into an access-fault exception and a
 * DMA engine into an error status; it never escapes to the host.
 *
 * @module
 */

import type { Ram } from "./ram.ts";

/** Access width in bytes. */
export type AccessWidth = 1 | 2 | 4;

/** A memory-mapped device occupying `[base, base + size)` on the bus. */
export interface MmioDevice {
  /** Short device name for maps and error messages. */
  readonly name: string;
  /** Reads `width` bytes at `offset` from the device base; returns the unsigned value. */
  read(offset: number, width: AccessWidth): number;
  /** Writes the low `width` bytes of `value` at `offset` from the device base. */
  write(offset: number, width: AccessWidth, value: number): void;
}

/** Raised by the bus on an access to an unmapped address (a hole). */
export class BusFault extends Error {
  /** The physical address that faulted. */
  readonly address: number;
  /** True for a write access. */
  readonly isWrite: boolean;
  /** Creates a fault for `address`. */
  constructor(address: number, isWrite: boolean) {
    super(
      `bus ${isWrite ? "write" : "read"} fault at 0x${
        (address >>> 0).toString(16).padStart(8, "0")
      }`,
    );
    this.name = "BusFault";
    this.address = address >>> 0;
    this.isWrite = isWrite;
  }
}

/** Raised when devices are mapped over each other or outside the 32-bit space. */
export class BusMapError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "BusMapError";
  }
}

/** One device mapping. */
export interface BusMapping {
  /** First physical address. */
  readonly base: number;
  /** Size in bytes. */
  readonly size: number;
  /** The device. */
  readonly device: MmioDevice;
}

/** The physical address space of one machine. */
export class Bus {
  /** Main memory. */
  readonly ram: Ram;
  #maps: BusMapping[] = [];

  /** Creates a bus with `ram` mapped at `ram.base`. */
  constructor(ram: Ram) {
    this.ram = ram;
  }

  /** Device mappings, sorted by base address. */
  get mappings(): readonly BusMapping[] {
    return this.#maps;
  }

  /** Maps `device` at `[base, base + size)`; refuses overlaps. */
  map(base: number, size: number, device: MmioDevice): void {
    base >>>= 0;
    if (size <= 0 || base + size > 0x1_0000_0000) {
      throw new BusMapError(`bad mapping for ${device.name} at 0x${base.toString(16)}`);
    }
    const overlaps = (b: number, s: number) => base < b + s && b < base + size;
    if (overlaps(this.ram.base, this.ram.size)) {
      throw new BusMapError(`${device.name} overlaps RAM`);
    }
    for (const m of this.#maps) {
      if (overlaps(m.base, m.size)) {
        throw new BusMapError(`${device.name} overlaps ${m.device.name}`);
      }
    }
    this.#maps.push({ base, size, device });
    this.#maps.sort((a, b) => a.base - b.base);
  }

  /** Finds the mapping holding `address`, or undefined for RAM and holes. */
  findDevice(address: number): BusMapping | undefined {
    address >>>= 0;
    for (const m of this.#maps) {
      if (address >= m.base && address < m.base + m.size) return m;
    }
    return undefined;
  }

  /** True when `[address, address+length)` lies wholly inside RAM. */
  isRam(address: number, length: number): boolean {
    const off = (address >>> 0) - this.ram.base;
    return off >= 0 && off + length <= this.ram.size;
  }

  /** Reads an unsigned value of `width` bytes; throws {@link BusFault} on a hole. */
  read(address: number, width: AccessWidth): number {
    address >>>= 0;
    const off = address - this.ram.base;
    if (off >= 0 && off + width <= this.ram.size) return this.ram.read(off, width);
    const m = this.findDevice(address);
    if (m === undefined || address + width > m.base + m.size) throw new BusFault(address, false);
    return m.device.read(address - m.base, width) >>> 0;
  }

  /** Writes `width` bytes; throws {@link BusFault} on a hole. */
  write(address: number, width: AccessWidth, value: number): void {
    address >>>= 0;
    const off = address - this.ram.base;
    if (off >= 0 && off + width <= this.ram.size) {
      this.ram.write(off, width, value);
      return;
    }
    const m = this.findDevice(address);
    if (m === undefined || address + width > m.base + m.size) throw new BusFault(address, true);
    m.device.write(address - m.base, width, value);
  }
}
