/**
 * The physical memory map and interrupt numbers of the Strata machine, in the
 * style of QEMU's `virt` board. `docs/hardware.md` documents every register.
 *
 * @module
 */

/** Base addresses and sizes of the standard devices. */
export const MEMORY_MAP = {
  /** CLINT: msip, mtimecmp, mtime. */
  CLINT_BASE: 0x0200_0000,
  /** CLINT window size. */
  CLINT_SIZE: 0x1_0000,
  /** PLIC: priorities, pending, enables, thresholds, claim/complete. */
  PLIC_BASE: 0x0c00_0000,
  /** PLIC window size. */
  PLIC_SIZE: 0x400_0000,
  /** NS16550A UART 0. */
  UART0_BASE: 0x1000_0000,
  /** UART window size. */
  UART_SIZE: 0x100,
  /** Real-time clock. */
  RTC_BASE: 0x1000_1000,
  /** RTC window size. */
  RTC_SIZE: 0x1000,
  /** DMA controller. */
  DMA_BASE: 0x1000_2000,
  /** DMA window size. */
  DMA_SIZE: 0x1000,
  /** First ATA-style disk controller; controller n is at DISK_BASE + n * DISK_STRIDE. */
  DISK_BASE: 0x1000_4000,
  /** Distance between disk controllers. */
  DISK_STRIDE: 0x1000,
  /** Disk controller window size. */
  DISK_SIZE: 0x1000,
  /** Maximum number of disk controllers. */
  DISK_MAX: 4,
  /** Tape controller. */
  TAPE_BASE: 0x1000_8000,
  /** Tape window size. */
  TAPE_SIZE: 0x1000,
  /** Default RAM base. */
  RAM_BASE: 0x8000_0000,
  /** Default RAM size (64 MiB). */
  RAM_SIZE_DEFAULT: 64 * 1024 * 1024,
} as const;

/** PLIC interrupt source numbers of the standard devices. */
export const IRQ = {
  /** UART 0 receive/transmit. */
  UART0: 10,
  /** RTC alarm. */
  RTC: 11,
  /** DMA channel n raises DMA_BASE_IRQ + n (4 channels). */
  DMA_BASE_IRQ: 12,
  /** Disk controller n raises DISK_BASE_IRQ + n. */
  DISK_BASE_IRQ: 16,
  /** Tape controller. */
  TAPE: 20,
} as const;

/** Number of PLIC sources (source 0 is reserved and never interrupts). */
export const PLIC_SOURCES = 32;

/** PLIC contexts: 0 = hart 0 M-mode, 1 = hart 0 S-mode. */
export const PLIC_CONTEXT = { M: 0, S: 1 } as const;
