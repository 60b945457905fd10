/**
 * Machine assembly: one clock, RAM, the bus, a CPU and the standard devices
 * (CLINT, PLIC, UART, RTC) at the addresses of {@link MEMORY_MAP}, wired to
 * their interrupt lines ({@link IRQ}).
 *
 * ```ts
 * const m = createMachine({ ramSize: 16 * 1024 * 1024, rtcEpochNs: 0n });
 * m.ram.load(0, program);
 * m.cpu.run(1_000_000);
 * ```
 *
 * @module
 */

import { Bus } from "./bus.ts";
import { Clint } from "./clint.ts";
import { SimClock } from "./clock.ts";
import { BufferConsole, type ConsoleIo } from "./console_io.ts";
import { Cpu, type CpuConfig } from "./cpu.ts";
import { IRQ, MEMORY_MAP } from "./memory_map.ts";
import { Plic } from "./plic.ts";
import { Ram } from "./ram.ts";
import { Rtc } from "./rtc.ts";
import { Uart16550, UART_DEFAULT_INPUT_CLOCK } from "./uart.ts";
import { type AttachedStorage, attachStorage, type StorageConfig } from "./storage.ts";

/** Raised by {@link createMachine} for an invalid configuration. */
export class MachineConfigError extends Error {
  /** Creates the error with a message naming the bad setting. */
  constructor(message: string) {
    super(message);
    this.name = "MachineConfigError";
  }
}

/** Smallest accepted RAM size (1 MiB). */
export const MIN_RAM_SIZE = 1024 * 1024;
/** Largest accepted RAM size (1 GiB: RAM at 0x8000_0000 must stay below 0xC000_0000). */
export const MAX_RAM_SIZE = 1024 * 1024 * 1024;
/** Default CPU frequency (100 MHz). */
export const DEFAULT_FREQUENCY = 100_000_000;
/** Default CPU cycles per `mtime` tick (10: a 10 MHz timebase at 100 MHz). */
export const DEFAULT_TIMEBASE_DIVIDER = 10;

/** Settings of a machine; every field is optional. */
export interface MachineConfig {
  /** RAM size in bytes: a multiple of 4 KiB, 1 MiB to 1 GiB (default 64 MiB). */
  ramSize?: number;
  /** CPU clock in Hz: a positive integer (default 100 MHz). */
  frequency?: number;
  /** CPU cycles per platform-timer tick: a positive integer (default 10). */
  timebaseDivider?: number;
  /** Console back-end (default: a new {@link BufferConsole}). */
  console?: ConsoleIo;
  /** RTC time at cycle 0 in ns since the Unix epoch (default: host time now). */
  rtcEpochNs?: bigint;
  /** UART input clock in Hz (default 1.8432 MHz: divisor 1 = 115200 baud). */
  uartClockHz?: number;
  /**
   * The UART's state when the machine starts: "firmware" (default) as
   * OpenSBI's uart8250 init leaves it (8N1: LCR 0x03, FIFO on, divisor for
   * 115200 baud, interrupts off), so a bare-metal program written for QEMU's
   * `virt` can print without setting LCR; "reset" keeps the chip's data-sheet
   * reset state (LCR 0: 5-bit words, FIFO off).
   */
  uartInit?: "firmware" | "reset";
  /** Passed to the CPU constructor. */
  cpu?: CpuConfig;
  /** DMA controller, disks and tape (default: DMA, no disks, a blank tape in memory). */
  storage?: StorageConfig;
}

/** A machine configuration with every default filled in. */
export interface ResolvedMachineConfig {
  /** RAM size in bytes. */
  readonly ramSize: number;
  /** CPU clock in Hz. */
  readonly frequency: number;
  /** CPU cycles per platform-timer tick. */
  readonly timebaseDivider: number;
  /** RTC time at cycle 0 in ns since the Unix epoch. */
  readonly rtcEpochNs: bigint;
  /** UART input clock in Hz. */
  readonly uartClockHz: number;
  /** The UART's state at start. */
  readonly uartInit: "firmware" | "reset";
  /** CPU settings. */
  readonly cpu: CpuConfig;
  /** Storage settings. */
  readonly storage: StorageConfig;
}

/** An assembled machine. */
export interface Machine {
  /** The simulated clock every component shares. */
  readonly clock: SimClock;
  /** Main memory at {@link MEMORY_MAP.RAM_BASE}. */
  readonly ram: Ram;
  /** The physical address space. */
  readonly bus: Bus;
  /** Hart 0. */
  readonly cpu: Cpu;
  /** The interrupt controller (context 0 -> MEIP, context 1 -> SEIP of hart 0). */
  readonly plic: Plic;
  /** Software interrupt and timer compare of hart 0. */
  readonly clint: Clint;
  /** Console UART, PLIC source {@link IRQ.UART0}. */
  readonly uart: Uart16550;
  /** Real-time clock, PLIC source {@link IRQ.RTC}. */
  readonly rtc: Rtc;
  /** The console back-end behind the UART. */
  readonly console: ConsoleIo;
  /** DMA controller, disk controllers and tape controller. */
  readonly storage: AttachedStorage;
  /** The configuration the machine was built with. */
  readonly config: ResolvedMachineConfig;
  /** Flushes and releases host resources (the console's terminal mode and reader). */
  close(): void;
}

const KNOWN_KEYS = new Set([
  "ramSize",
  "frequency",
  "timebaseDivider",
  "console",
  "rtcEpochNs",
  "uartClockHz",
  "uartInit",
  "cpu",
  "storage",
]);

/** Checks a configuration and fills in defaults; throws {@link MachineConfigError}. */
export function resolveMachineConfig(config: MachineConfig = {}): ResolvedMachineConfig {
  if (typeof config !== "object" || config === null) {
    throw new MachineConfigError("machine config must be an object");
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) throw new MachineConfigError(`unknown machine config key "${key}"`);
  }
  const ramSize = config.ramSize ?? MEMORY_MAP.RAM_SIZE_DEFAULT;
  if (typeof ramSize !== "number" || !Number.isInteger(ramSize) || ramSize % 4096 !== 0) {
    throw new MachineConfigError(`ramSize must be a multiple of 4 KiB, got ${String(ramSize)}`);
  }
  if (ramSize < MIN_RAM_SIZE || ramSize > MAX_RAM_SIZE) {
    throw new MachineConfigError(`ramSize must be between 1 MiB and 1 GiB, got ${ramSize} bytes`);
  }
  const frequency = config.frequency ?? DEFAULT_FREQUENCY;
  if (typeof frequency !== "number" || !Number.isSafeInteger(frequency) || frequency < 1) {
    throw new MachineConfigError(
      `frequency must be a positive integer number of Hz, got ${String(frequency)}`,
    );
  }
  const timebaseDivider = config.timebaseDivider ?? DEFAULT_TIMEBASE_DIVIDER;
  if (
    typeof timebaseDivider !== "number" || !Number.isSafeInteger(timebaseDivider) ||
    timebaseDivider < 1 || timebaseDivider > frequency
  ) {
    throw new MachineConfigError(
      `timebaseDivider must be an integer from 1 to the frequency, got ${String(timebaseDivider)}`,
    );
  }
  const rtcEpochNs = config.rtcEpochNs ?? BigInt(Date.now()) * 1_000_000n;
  if (typeof rtcEpochNs !== "bigint" || rtcEpochNs < 0n || rtcEpochNs >= 1n << 64n) {
    throw new MachineConfigError(
      `rtcEpochNs must be a bigint from 0 to 2^64-1, got ${String(rtcEpochNs)}`,
    );
  }
  const uartClockHz = config.uartClockHz ?? UART_DEFAULT_INPUT_CLOCK;
  if (typeof uartClockHz !== "number" || !Number.isFinite(uartClockHz) || uartClockHz <= 0) {
    throw new MachineConfigError(
      `uartClockHz must be a positive number, got ${String(uartClockHz)}`,
    );
  }
  const console = config.console;
  if (
    console !== undefined &&
    (typeof console !== "object" || console === null || typeof console.write !== "function" ||
      typeof console.pollInput !== "function")
  ) {
    throw new MachineConfigError("console must implement ConsoleIo");
  }
  const cpu = config.cpu ?? {};
  if (typeof cpu !== "object" || cpu === null) {
    throw new MachineConfigError("cpu must be a CpuConfig object");
  }
  const storage = config.storage ?? {};
  if (typeof storage !== "object" || storage === null) {
    throw new MachineConfigError("storage must be a StorageConfig object");
  }
  const uartInit = config.uartInit ?? "firmware";
  if (uartInit !== "firmware" && uartInit !== "reset") {
    throw new MachineConfigError(`uartInit must be "firmware" or "reset", got ${String(uartInit)}`);
  }
  return { ramSize, frequency, timebaseDivider, rtcEpochNs, uartClockHz, uartInit, cpu, storage };
}

/** Builds a machine: validates `config`, then creates and wires every component. */
export function createMachine(config: MachineConfig = {}): Machine {
  const resolved = resolveMachineConfig(config);
  const clock = new SimClock(resolved.frequency, resolved.timebaseDivider);
  const ram = new Ram(MEMORY_MAP.RAM_BASE, resolved.ramSize);
  const bus = new Bus(ram);
  const cpu = new Cpu(bus, clock, resolved.cpu);
  const console = config.console ?? new BufferConsole();

  const plic = new Plic(cpu);
  const clint = new Clint(clock, cpu);
  const uart = new Uart16550({
    clock,
    irq: plic.irqLine(IRQ.UART0),
    console,
    inputClockHz: resolved.uartClockHz,
  });
  if (resolved.uartInit === "firmware") firmwareInitUart(uart, resolved.uartClockHz);
  const rtc = new Rtc({ clock, irq: plic.irqLine(IRQ.RTC), epochNs: resolved.rtcEpochNs });

  bus.map(MEMORY_MAP.CLINT_BASE, MEMORY_MAP.CLINT_SIZE, clint);
  bus.map(MEMORY_MAP.PLIC_BASE, MEMORY_MAP.PLIC_SIZE, plic);
  bus.map(MEMORY_MAP.UART0_BASE, MEMORY_MAP.UART_SIZE, uart);
  bus.map(MEMORY_MAP.RTC_BASE, MEMORY_MAP.RTC_SIZE, rtc);

  const storage = attachStorage(bus, plic, clock, resolved.storage);

  return {
    clock,
    ram,
    bus,
    cpu,
    plic,
    clint,
    uart,
    rtc,
    console,
    storage,
    config: resolved,
    close: () => {
      storage.close();
      console.close();
    },
  };
}

/**
 * Programs the UART as OpenSBI's uart8250 init does before it hands over:
 * interrupts off, the divisor for 115200 baud, 8 data bits, no parity, one
 * stop bit, FIFO on, modem control off.
 */
function firmwareInitUart(uart: Uart16550, clockHz: number): void {
  const divisor = Math.max(1, Math.round(clockHz / (16 * 115_200)));
  uart.write(1, 1, 0x00); // IER: no interrupts
  uart.write(3, 1, 0x80); // LCR: DLAB to reach the divisor
  uart.write(0, 1, divisor & 0xff); // DLL
  uart.write(1, 1, (divisor >> 8) & 0xff); // DLM
  uart.write(3, 1, 0x03); // LCR: 8N1, DLAB off
  uart.write(2, 1, 0x01); // FCR: FIFO on
  uart.write(4, 1, 0x00); // MCR
}
