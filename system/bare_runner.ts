/**
 * Runs bare-metal RISC-V test programs (riscv-tests style) in M-mode and
 * reads their verdict from the HTIF `tohost` word.
 *
 * Protocol (64-bit `tohost`, polled between slices of {@link BARE_SLICE}
 * instructions, so results are deterministic):
 * - `1`: pass; odd `(code << 1) | 1`: fail with `code`;
 * - high word with device 1, command 1: console putchar of the low byte;
 * - any other even value with a zero high word: a pointer to a riscv-tests
 *   "magic memory" syscall block (`[n, a0, a1, a2, ...]` as 64-bit words);
 *   syscall 64 (`write(fd, buf, len)`) is performed into the output buffer,
 *   other numbers are answered with -38 (ENOSYS);
 * every request is acknowledged by clearing `tohost` and setting `fromhost`.
 *
 * Every trap counts as a step against `maxInstructions`, and a slice of
 * traps in which no instruction retires ends the run as a trap storm.
 *
 * @module
 */

import type { Bus } from "../hw/bus.ts";
import type { SimClock } from "../hw/clock.ts";
import { type Cpu, PRIV, StopReason } from "../hw/cpu.ts";
import { type Elf32Image, loadElfIntoRam } from "../lib/elf.ts";

/** Instructions executed between two polls of `tohost`. */
export const BARE_SLICE = 4096;

/**
 * Steps (traps count) without one retired instruction after which a run is
 * a trap storm: a handler that faults on its own first instruction.
 */
export const TRAP_STORM_STEPS = BARE_SLICE;

/** Raised for a program the runner cannot run (e.g. no `tohost` symbol). */
export class BareMetalError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BareMetalError";
  }
}

/** The parts of a machine the runner needs. */
export interface BareMachine {
  /** The hart. */
  cpu: Cpu;
  /** The bus (its RAM receives the program). */
  bus: Bus;
  /** The machine clock. */
  clock: SimClock;
}

/** Where a bare run records its trace (a `TraceRecorder` of `kernel/proc/trace.ts` fits). */
export interface BareTraceSink {
  /** A span of simulated cycles. */
  complete(
    name: string,
    cat: string,
    pid: number,
    tid: number,
    start: number,
    end: number,
    args?: Record<string, unknown>,
  ): void;
  /** A point in simulated time. */
  instant(
    name: string,
    cat: string,
    pid: number,
    tid: number,
    at: number,
    args?: Record<string, unknown>,
  ): void;
}

/** Limits and hooks for {@link runBareElf}. */
export interface BareRunOptions {
  /** Stop with status "limit" after this many instructions (default 50 million). */
  maxInstructions?: number;
  /** Stop with status "limit" after this many cycles (default unlimited). */
  maxCycles?: number;
  /** Receives bytes the program writes through HTIF (syscall write or putchar). */
  onOutput?: (fd: number, bytes: Uint8Array) => void;
  /**
   * Records the run: one `run` span (category `sched`) per stretch of
   * execution between host requests, an `htif` instant per `tohost`
   * request, and the verdict. Traps the program takes and handles in M-mode
   * stay inside the spans (the runner does not see them).
   */
  trace?: BareTraceSink;
}

/** Outcome of a bare-metal run. */
export interface BareRunResult {
  /**
   * pass, fail (with code), limit (ran out of budget), wfi (idle, nothing
   * scheduled) or trap-storm (a whole slice of traps without one retired
   * instruction: the trap handler itself traps).
   */
  status: "pass" | "fail" | "limit" | "wfi" | "trap-storm";
  /** Failure code (the test number in riscv-tests), 0 otherwise. */
  code: number;
  /** For a trap storm, where: `trap storm at pc=0x0 (cause 1)`; empty otherwise. */
  message: string;
  /** Instructions retired. */
  instructions: number;
  /** Cycles elapsed. */
  cycles: number;
  /** Everything the program wrote through HTIF, decoded as UTF-8. */
  output: string;
}

const ENOSYS = -38;

/** Loads `image` into RAM, runs it in M-mode from its entry and reports the verdict. */
export function runBareElf(
  machine: BareMachine,
  image: Elf32Image,
  options: BareRunOptions = {},
): BareRunResult {
  const { cpu, bus, clock } = machine;
  const { toLo, toHi, fromLo } = htifWords(image, bus.ram);
  loadElfIntoRam(image, bus.ram);
  const i32 = bus.ram.i32;
  i32[toLo] = 0;
  i32[toHi] = 0;
  cpu.priv = PRIV.M;
  cpu.pc = image.entry >>> 0;
  const maxInstructions = options.maxInstructions ?? 50_000_000;
  const maxCycles = options.maxCycles ?? Infinity;
  const startInstret = cpu.instret;
  const startCycles = clock.now;
  const chunks: Uint8Array[] = [];
  const emit = (fd: number, bytes: Uint8Array) => {
    chunks.push(bytes.slice());
    options.onOutput?.(fd, bytes);
  };
  const trace = options.trace;
  let spanStart = clock.now;
  let spanInstret = cpu.instret;
  const closeSpan = () => {
    if (trace === undefined || clock.now === spanStart) return;
    trace.complete("run", "sched", 0, 0, spanStart, clock.now, {
      instructions: cpu.instret - spanInstret,
    });
    spanStart = clock.now;
    spanInstret = cpu.instret;
  };
  const finish = (status: BareRunResult["status"], code: number, message = ""): BareRunResult => {
    closeSpan();
    trace?.instant(message || status, "verdict", 0, 0, clock.now, { code });
    return {
      status,
      code,
      message,
      instructions: cpu.instret - startInstret,
      cycles: clock.now - startCycles,
      output: joinOutput(chunks),
    };
  };
  let steps = 0;
  for (;;) {
    const slice = Math.min(BARE_SLICE, maxInstructions - steps);
    if (slice <= 0 || clock.now - startCycles >= maxCycles) return finish("limit", 0);
    const before = cpu.instret;
    const stop = cpu.run(slice);
    const retired = cpu.instret - before;
    // A trap is a step: a full slice ran `slice` steps, retired or trapped.
    steps += stop === StopReason.BUDGET ? slice : Math.max(1, Math.min(slice, retired));
    if (stop === StopReason.BUDGET && retired === 0 && slice >= TRAP_STORM_STEPS) {
      const cause = cpu.mcause;
      const message = `trap storm at pc=0x${(cpu.pc >>> 0).toString(16)} (cause ${
        cause & 0x7fff_ffff
      }${cause < 0 ? ", interrupt" : ""})`;
      return finish("trap-storm", 0, message);
    }
    const lo = i32[toLo] >>> 0, hi = i32[toHi] >>> 0;
    if (lo !== 0 || hi !== 0) {
      if (hi === 0 && lo === 1) return finish("pass", 0);
      if (hi === 0 && (lo & 1) === 1) return finish("fail", lo >>> 1);
      closeSpan();
      trace?.instant("tohost request", "htif", 0, 0, clock.now, { device: hi >>> 24, cmd: lo });
      const reply = serveTohost(lo, hi, bus, emit);
      i32[toLo] = 0;
      i32[toHi] = 0;
      if (fromLo >= 0) {
        i32[fromLo] = 1;
        i32[fromLo + 1] = reply;
      }
      continue;
    }
    if (stop === StopReason.WFI) return finish("wfi", 0);
    if (stop === StopReason.HALT) return finish("limit", 0);
  }
}

/** RAM word indices of the HTIF mailboxes: both halves of `tohost`, and `fromhost` (-1 if none). */
function htifWords(
  image: Elf32Image,
  ram: Bus["ram"],
): { toLo: number; toHi: number; fromLo: number } {
  const tohost = image.symbols.get("tohost");
  if (tohost === undefined) {
    throw new BareMetalError("the ELF has no 'tohost' symbol; cannot tell pass from fail");
  }
  const fromhost = image.symbols.get("fromhost");
  const word = (addr: number): number => {
    const off = addr - ram.base;
    if (off < 0 || off + 4 > ram.size || (off & 3) !== 0) {
      throw new BareMetalError(`HTIF word 0x${addr.toString(16)} is not aligned RAM`);
    }
    return off >> 2;
  };
  const toLo = word(tohost), toHi = word(tohost + 4);
  return { toLo, toHi, fromLo: fromhost === undefined ? -1 : word(fromhost) };
}

/**
 * Serves a tohost request that is not a verdict: a device command (console
 * putchar, device 1 command 1) or a magic-memory syscall. Returns the
 * fromhost reply word.
 */
function serveTohost(
  lo: number,
  hi: number,
  bus: Bus,
  emit: (fd: number, bytes: Uint8Array) => void,
): number {
  if (hi === 0) {
    htifSyscall(lo, bus, emit);
    return 0;
  }
  const device = hi >>> 24, command = (hi >>> 16) & 0xff;
  if (device === 1 && command === 1) emit(1, new Uint8Array([lo & 0xff]));
  return (hi & 0xffff0000) >>> 0;
}

/** The output chunks joined and decoded as UTF-8. */
function joinOutput(chunks: Uint8Array[]): string {
  let total = 0;
  for (const c of chunks) total += c.length;
  const all = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return new TextDecoder().decode(all);
}

/** Performs a riscv-tests magic-memory syscall block at `addr`. */
function htifSyscall(
  addr: number,
  bus: Bus,
  emit: (fd: number, bytes: Uint8Array) => void,
): void {
  const ram = bus.ram;
  if (!bus.isRam(addr, 64) || (addr & 7) !== 0) return; // nothing we can answer
  const off = addr - ram.base;
  const arg = (k: number) => ram.i32[(off >> 2) + 2 * k] >>> 0;
  const which = arg(0);
  let result = ENOSYS;
  if (which === 64) {
    const fd = arg(1), buf = arg(2), len = arg(3);
    if (bus.isRam(buf, len)) {
      const b = buf - ram.base;
      emit(fd, ram.u8.subarray(b, b + len));
      result = len;
    } else {
      result = -14; // EFAULT
    }
  }
  ram.i32[off >> 2] = result;
  ram.i32[(off >> 2) + 1] = result < 0 ? -1 : 0;
}

/**
 * Lets the UART finish sending: runs clock events until its transmit FIFO,
 * holding register and shift register are empty (at most `maxEvents`), so
 * that the last bytes a program wrote just before `tohost` reach the
 * console. The CPU does not run meanwhile.
 */
export function drainUart(
  machine: { uart: { readonly transmitting: boolean }; clock: SimClock },
  maxEvents = 100_000,
): void {
  for (let i = 0; i < maxEvents && machine.uart.transmitting; i++) {
    if (!machine.clock.advanceToNextEvent()) return;
  }
}
