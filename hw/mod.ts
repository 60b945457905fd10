/**
 * The simulated machine's public face: bus, memory, clock, interrupt wiring,
 * devices and machine assembly. `docs/hardware.md` documents the registers.
 *
 * @module
 */

export * from "./machine.ts";
export * from "./cpu.ts";
export * from "./translator.ts";
export * from "./csr.ts";
export * from "./mmu.ts";
export * from "./bus.ts";
export * from "./clock.ts";
export * from "./ram.ts";
export * from "./irq.ts";
export * from "./memory_map.ts";
export * from "./plic.ts";
export * from "./clint.ts";
export * from "./uart.ts";
export * from "./console_io.ts";
export * from "./rtc.ts";
export * from "./dma.ts";
export * from "./disk_image.ts";
export * from "./disk_drive.ts";
export * from "./disk_controller.ts";
export * from "./simh_tap.ts";
export * from "./tape_drive.ts";
export * from "./tape_controller.ts";
export * from "./storage.ts";
