/**
 * Strata: an operating-system simulation toolkit.
 *
 * As a library:
 *
 * ```ts
 * import { runGuest } from "./mod.ts";
 * const r = await runGuest({ cmd: "echo hi | wc -c" });
 * console.log(r.status, r.output, r.cycles); // same cycles on every run
 * ```
 *
 * As a program: `deno run -A mod.ts [options]` (see `USAGE` in `system/cli.ts`).
 * The machine's parts are in `./hw` (`hw/mod.ts`), the plugin interface in
 * `./kernel/api`, the plugins in `./plugins`.
 *
 * @module
 */

import { main } from "./system/cli.ts";

export { boot, BootError, bootKernel, DEFAULT_BOOT_CONFIG, runGuest } from "./system/boot.ts";
export type {
  BootConfig,
  BootedSystem,
  BootOptions,
  ConsoleScriptStep,
  ConsoleSpec,
  GuestResult,
  ShareSpec,
  StdioSpec,
} from "./system/boot.ts";
export { HostInput, type HostSink } from "./kernel/fs/host_stream.ts";
export { BareMetalError, runBareElf } from "./system/bare_runner.ts";
export type {
  BareMachine,
  BareRunOptions,
  BareRunResult,
  BareTraceSink,
} from "./system/bare_runner.ts";
export { createMachine, MachineConfigError } from "./hw/machine.ts";
export { type Elf32Image, ElfFormatError, parseElf32 } from "./lib/elf.ts";
export type { Machine, MachineConfig, ResolvedMachineConfig } from "./hw/machine.ts";
export { BufferConsole, type ConsoleIo, type ConsoleSize } from "./hw/console_io.ts";
export { Kernel, type KernelExit, type KernelOptions } from "./kernel/kernel.ts";
/** Disks at boot: the options' types and the error a bad disk option raises. */
export { type AtaDriverName, type DiskOption, DiskOptionError } from "./system/disks.ts";
/** The block layer the kernel holds (`kernel.blockLayer`): disks, queues, the buffer cache. */
export type {
  BlockDevice,
  BlockDriver,
  BlockLayer,
  BlockLayerDeps,
  BlockLayerOptions,
  BlockOp,
  BlockRequest,
  BufferCache,
  CacheDeps,
  CacheStats,
  Disk,
  DiskCounters,
  ElevatorName,
  PartCounters,
  Partition,
  RequestQueue,
  WaitForIo,
} from "./kernel/block/mod.ts";
/** Types the machine's devices expose (the device classes themselves are in `hw/`). */
export type { Fpu } from "./hw/fpu.ts";
export type { Pmp } from "./hw/pmp.ts";
export type { Triggers } from "./hw/trigger.ts";
export type { AccessWidth, Bus, BusMapping, MmioDevice } from "./hw/bus.ts";
export type { Clint } from "./hw/clint.ts";
export type { ClockCallback, EventId, SimClock } from "./hw/clock.ts";
export type { Cpu, CpuConfig, CycleCosts, HartState, JitBackend } from "./hw/cpu.ts";
export type { PageArgs, PageFn, Translator, TranslatorEnv } from "./hw/translator.ts";
export type { UnitSource } from "./hw/translator_source.ts";
export type { WasmBackend } from "./hw/translator_wasm.ts";
export type { WasmPage, WasmPageFn } from "./hw/page_fn_wasm.ts";
export type { DiskController } from "./hw/disk_controller.ts";
export type { DiskDrive, DiskGeometry, DiskStats, DiskTiming } from "./hw/disk_drive.ts";
export type { DiskImage } from "./hw/disk_image.ts";
export type {
  DmaChannelStats,
  DmaConfig,
  DmaController,
  DmaPeripheral,
  DmaRequestLine,
} from "./hw/dma.ts";
export type { InterruptSink, IrqLine } from "./hw/irq.ts";
export type { Mmu, MmuKind } from "./hw/mmu.ts";
export type { DataAccess } from "./hw/data_access.ts";
export type { Plic } from "./hw/plic.ts";
export type { Ram } from "./hw/ram.ts";
export type { Rtc } from "./hw/rtc.ts";
export type { TapObject } from "./hw/simh_tap.ts";
export type { AttachedStorage, DiskSpec, StorageConfig, TapeSpec } from "./hw/storage.ts";
export type { TapeController, TapeControllerOptions } from "./hw/tape_controller.ts";
export type {
  TapeBacking,
  TapeDrive,
  TapeDriveConfig,
  TapeOutcome,
  TapeResult,
  TapeStats,
} from "./hw/tape_drive.ts";
export type { Uart16550, UartStats } from "./hw/uart.ts";
/** Types the kernel's public fields expose (plugins use `kernel/api.ts`). */
export type { SignalCalls } from "./kernel/ipc/signal_calls.ts";
export type { SignalService } from "./kernel/ipc/signal_service.ts";
export type { FpContexts } from "./kernel/proc/fp_context.ts";
export type { HostWork, HostWorkPort } from "./kernel/proc/host_work.ts";
export type { ThreadFpState } from "./kernel/proc/process.ts";
export type {
  CpuInfo,
  InterruptInfo,
  MapInfo,
  MemInfo,
  ModuleLine,
  ProcessInfo,
  ProcInfoProvider,
  SchedStatsInfo,
} from "./kernel/fs/procfs.ts";
export type { SignalEngine } from "./kernel/ipc/signals.ts";
export type { FsDeps } from "./kernel/kernel.ts";
export type { AddressSpace, MmStats, Region } from "./kernel/mm/address_space.ts";
export type { FrameAllocator } from "./kernel/mm/frames.ts";
export type { UserSpan } from "./kernel/mm/user_span.ts";
export type { UserAccess } from "./kernel/mm/user_access.ts";
export type { GuestMemoryCalls } from "./kernel/mm/memory_calls.ts";
export type { FileCalls } from "./kernel/fs/fd_calls.ts";
export type { ProcessCalls } from "./kernel/process_calls.ts";
export type { ExecService } from "./kernel/exec/exec_service.ts";
export type { ProcessLifecycle } from "./kernel/exec/lifecycle.ts";
export type { FutexTable } from "./kernel/ipc/futex.ts";
export type { Timekeeping } from "./kernel/proc/timekeeping.ts";
export type { FdTable } from "./kernel/fs/fd_table.ts";
export type { PageTable } from "./kernel/mm/page_table.ts";
export type { ModuleLoader } from "./kernel/modules/loader.ts";
export type { KernelCosts } from "./kernel/proc/costs.ts";
export type { ProcessTable, WakeList } from "./kernel/proc/process_table.ts";
export type { TraceEvent, TraceRecorder } from "./kernel/proc/trace.ts";
export type { TrapLoop, TrapLoopStats } from "./kernel/proc/trap_loop.ts";
export { main, parseCommandLine, USAGE, UsageError, VERSION } from "./system/cli.ts";
export type { CommandLine } from "./system/cli.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
