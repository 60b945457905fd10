/**
 * The cycle costs the kernel charges for its own work. The kernel is host
 * code and takes no simulated time by itself; to keep simulated time
 * meaningful (and deterministic) each kind of kernel work advances the clock
 * by a fixed amount from this table. `docs/kernel.md` lists and explains it.
 *
 * @module
 */

/** Kernel work costs in CPU cycles. */
export interface KernelCosts {
  /** Trap entry and exit (save and restore of the register file, sret). */
  trap: number;
  /** Base cost of any system call (dispatch, argument fetch, result). */
  syscall: number;
  /** Switching to another thread (register file, satp, TLB context). */
  contextSwitch: number;
  /** Per 64 bytes copied between kernel and guest memory. */
  copyPer64Bytes: number;
  /** Zeroing a 4 KiB page (demand-zero fault, new page table). */
  zeroPage: number;
  /** Copying a 4 KiB page (copy-on-write fault, image load). */
  copyPage: number;
  /** Handling a page fault, besides the zero/copy work. */
  pageFault: number;
  /** Mapping or unmapping one page (PTE write and TLB shootdown). */
  pteUpdate: number;
  /** Handling an external interrupt (claim, dispatch, complete). */
  interrupt: number;
  /** Building a signal frame and redirecting the thread. */
  signalDelivery: number;
  /** Creating a process (fork: tables, descriptors), besides page-table copying. */
  fork: number;
  /** Switching between two threads of one process (no satp write, no address-space change). */
  threadSwitch: number;
  /** Creating a thread in an existing process (task structure, tid). */
  threadCreate: number;
  /** Loading a program (exec), besides copying the image. */
  exec: number;
}

/** The default table (see docs/kernel.md for the reasoning behind each figure). */
export const DEFAULT_KERNEL_COSTS: Readonly<KernelCosts> = Object.freeze({
  trap: 40,
  syscall: 60,
  contextSwitch: 300,
  copyPer64Bytes: 16,
  zeroPage: 256,
  copyPage: 512,
  pageFault: 150,
  pteUpdate: 20,
  interrupt: 120,
  signalDelivery: 400,
  fork: 2000,
  threadSwitch: 200,
  threadCreate: 500,
  exec: 3000,
});
