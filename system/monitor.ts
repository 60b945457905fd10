/**
 * A QEMU-style monitor for a running machine: one command per line, one
 * answer per command, one line for a bad command. It never stops the guest
 * unless asked (`stop`). The terminal console enters it with Ctrl-A c;
 * `--monitor unix:PATH` serves it on a Unix socket (`monitor_server.ts`).
 *
 * Commands (QEMU's names where QEMU has one): `help`, `info registers|tlb|
 * mtree|irq|pic|modules|processes|sched`, `x /FMT ADDR` and `xp /FMT ADDR`,
 * `stop`, `cont`, `quit`, `module load NAME [k=v...]|unload [-f] NAME|swap
 * OLD NEW`, `sched POLICY`, `trace start FILE`, `trace stop`.
 *
 * @module
 */

import type { Kernel } from "../kernel/kernel.ts";
import { TraceRecorder } from "../kernel/proc/trace.ts";
import { OpenFlags } from "../kernel/fs/types.ts";
import { MEMORY_MAP } from "../hw/memory_map.ts";
import { parseModuleRef, resolveModule } from "../kernel/modules/module_names.ts";
import {
  infoBlock,
  infoModules,
  infoMtree,
  infoPic,
  infoProcesses,
  infoRegisters,
  infoSched,
  infoTlb,
} from "./monitor_info.ts";

const HELP = [
  "help                       list the commands",
  "info registers|tlb|mtree|irq|pic|modules|processes|sched|block",
  "x /FMT ADDR                guest virtual memory of the current process (FMT: count, x d u o c, b h w)",
  "xp /FMT ADDR               guest physical memory (RAM)",
  "stop | cont                pause | resume the machine",
  "quit                       stop the machine",
  "module load NAME [k=v...]  load a module from the trusted directories",
  "module unload [-f] NAME    unload a module",
  "module swap OLD NEW        replace a module while the machine runs",
  "sched POLICY               switch the scheduler (round_robin, priority, mlfq, ...)",
  "trace start FILE           record a Chrome trace (Perfetto) from now",
  "trace stop                 write the trace to FILE",
].join("\n");

/** Raised for a command the monitor cannot carry out (shown as one line). */
export class MonitorError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MonitorError";
  }
}

/** The monitor of one kernel. */
export class Monitor {
  readonly #k: Kernel;
  readonly #onQuit: () => void;
  #trace: { file: string; rec: TraceRecorder } | null = null;

  /** Creates a monitor; `onQuit` runs on `quit` after the machine is halted. */
  constructor(kernel: Kernel, onQuit: () => void = () => {}) {
    this.#k = kernel;
    this.#onQuit = onQuit;
  }

  /**
   * Runs one command line and returns its answer (empty for silent
   * commands); errors come back as one line starting with the command.
   *
   * @param line The command line.
   * @returns The text to show.
   * @example
   * ```ts
   * await monitor.execute("info sched"); // "policy: round_robin\n..."
   * ```
   */
  async execute(line: string): Promise<string> {
    const words = line.trim().split(/\s+/).filter((w) => w !== "");
    if (words.length === 0) return "";
    try {
      return await this.#dispatch(words);
    } catch (e) {
      return `${words[0]}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  async #dispatch(w: string[]): Promise<string> {
    const k = this.#k;
    const cmd = w[0];
    if (cmd === "help" || cmd === "?") return HELP;
    if (cmd === "info") return this.#info(w[1]);
    if (cmd === "x" || cmd === "xp" || cmd.startsWith("x/") || cmd.startsWith("xp/")) {
      return this.#examine(w);
    }
    if (cmd === "stop") {
      k.loop.pause();
      return "";
    }
    if (cmd === "cont" || cmd === "c") {
      k.loop.resume();
      return "";
    }
    if (cmd === "quit" || cmd === "q") {
      k.loop.halt(0);
      k.loop.resume();
      this.#onQuit();
      return "";
    }
    if (cmd === "module") return await this.#module(w.slice(1));
    if (cmd === "sched") return await this.#sched(w[1]);
    if (cmd === "trace") return this.#traceCmd(w[1], w[2]);
    throw new MonitorError(`unknown command (try 'help')`);
  }

  #info(what: string | undefined): string {
    const k = this.#k;
    switch (what) {
      case "registers":
        return infoRegisters(k);
      case "tlb":
        return infoTlb(k);
      case "mtree":
        return infoMtree(k);
      case "irq":
        return this.#readProc("/proc/interrupts").trimEnd();
      case "pic":
        return infoPic(k);
      case "modules":
        return infoModules(k);
      case "processes":
        return infoProcesses(k);
      case "sched":
        return infoSched(k);
      case "block":
        return infoBlock(k);
      default:
        throw new MonitorError(
          `unknown item '${
            what ?? ""
          }' (registers, tlb, mtree, irq, pic, modules, processes, sched)`,
        );
    }
  }

  #readProc(path: string): string {
    const k = this.#k;
    const r = k.vfs.open(null, path, OpenFlags.READ, 0, undefined);
    if (typeof r === "number") throw new MonitorError(`cannot open ${path}`);
    const f = r.file;
    const chunks: string[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = k.vfs.read(f, buf);
      if (typeof n !== "number" || n <= 0) break;
      chunks.push(new TextDecoder().decode(buf.subarray(0, n)));
    }
    k.vfs.close(f);
    return chunks.join("");
  }

  /** `x /FMT ADDR` (virtual, current process) and `xp /FMT ADDR` (physical RAM). */
  #examine(w: string[]): string {
    const joined = w.join(" ");
    const m = /^(xp?)\s*(?:\/(\d*)([xduoc]?)([bhw]?))?\s+(\S+)$/.exec(joined);
    if (m === null) throw new MonitorError("usage: x /FMT ADDR, e.g. x /4xw 0x10000");
    const count = m[2] === "" || m[2] === undefined ? 1 : Number(m[2]);
    const fmt = m[3] || "x";
    const size = { b: 1, h: 2, w: 4 }[(m[4] || (fmt === "c" ? "b" : "w")) as "b" | "h" | "w"];
    const addr = Number(m[5]);
    if (!Number.isInteger(addr) || addr < 0 || addr > 0xffff_ffff) {
      throw new MonitorError(`bad address '${m[5]}'`);
    }
    if (count < 1 || count > 4096) throw new MonitorError("count must be 1..4096");
    const bytes = m[1] === "xp"
      ? this.#physical(addr, count * size)
      : this.#virtual(addr, count * size);
    return formatMemory(addr, bytes, size, fmt);
  }

  #physical(addr: number, n: number): Uint8Array {
    const ram = this.#k.machine.ram;
    const off = addr - MEMORY_MAP.RAM_BASE;
    if (off < 0 || off + n > ram.size) throw new MonitorError("address not in RAM");
    return ram.u8.slice(off, off + n);
  }

  #virtual(addr: number, n: number): Uint8Array {
    const k = this.#k;
    const t = k.table.current ?? k.getProcess(1)?.mainThread ?? null;
    if (t === null) throw new MonitorError("no process");
    const bytes = k.copyIn(t.process, addr, n);
    if (bytes === null) throw new MonitorError(`cannot read ${n} bytes at 0x${addr.toString(16)}`);
    return bytes;
  }

  async #module(w: string[]): Promise<string> {
    const k = this.#k;
    const [op, ...rest] = w;
    if (op === "load" && rest.length >= 1) {
      const params: Record<string, string> = {};
      for (const kv of rest.slice(1)) {
        const eq = kv.indexOf("=");
        params[eq < 0 ? kv : kv.slice(0, eq)] = eq < 0 ? "" : kv.slice(eq + 1);
      }
      const info = await this.#paused(() => k.modules.load(this.#resolve(rest[0]), params));
      return `loaded ${info.name} ${info.version}`;
    }
    if (op === "unload" && rest.length >= 1) {
      const force = rest[0] === "-f";
      const name = force ? rest[1] : rest[0];
      if (name === undefined) throw new MonitorError("usage: module unload [-f] NAME");
      await this.#paused(() => k.modules.unload(name, force));
      return `unloaded ${name}`;
    }
    if (op === "swap" && rest.length === 2) {
      const info = await this.#paused(() => k.modules.replace(rest[0], this.#resolve(rest[1])));
      return `replaced ${rest[0]} by ${info.name} ${info.version}`;
    }
    throw new MonitorError("usage: module load NAME [k=v...] | unload [-f] NAME | swap OLD NEW");
  }

  #resolve(ref: string): string {
    const r = parseModuleRef(ref);
    if (r === null) throw new MonitorError(`bad module name '${ref}'`);
    const file = resolveModule(r, this.#k.moduleDirs);
    if (file === null) throw new MonitorError(`no module '${ref}' in the module directories`);
    return file;
  }

  async #sched(policy: string | undefined): Promise<string> {
    if (policy === undefined) throw new MonitorError("usage: sched POLICY");
    const k = this.#k;
    const file = this.#resolve(policy);
    if (!file.includes("/schedulers/")) throw new MonitorError(`'${policy}' is not a scheduler`);
    await this.#paused(async () => {
      if (k.modules.get(policy) !== undefined) await k.modules.unload(policy);
      await k.modules.load(file);
    });
    return `scheduler: ${k.scheduler.name}`;
  }

  /** Runs a loader operation with the machine paused (unless it already is). */
  async #paused<T>(op: () => Promise<T>): Promise<T> {
    const k = this.#k;
    const was = k.loop.paused;
    k.loop.pause();
    try {
      return await op();
    } finally {
      if (!was) k.loop.resume();
    }
  }

  #traceCmd(op: string | undefined, file: string | undefined): string {
    const k = this.#k;
    if (op === "start" && file !== undefined) {
      if (this.#trace !== null) throw new MonitorError(`already tracing to ${this.#trace.file}`);
      const rec = new TraceRecorder(k.machine.clock.frequency);
      this.#trace = { file, rec };
      k.loop.trace = rec;
      return `tracing to ${file}`;
    }
    if (op === "stop") {
      const t = this.#trace;
      if (t === null) throw new MonitorError("not tracing");
      k.loop.trace = null;
      this.#trace = null;
      Deno.writeTextFileSync(t.file, t.rec.toJSON());
      return `wrote ${t.rec.events.length} events to ${t.file}`;
    }
    throw new MonitorError("usage: trace start FILE | trace stop");
  }
}

/** QEMU's `x` layout: address, then up to 16 bytes' worth of items per line. */
export function formatMemory(addr: number, bytes: Uint8Array, size: number, fmt: string): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const perLine = fmt === "c" ? 16 : Math.max(1, 16 / size);
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine * size) {
    const items: string[] = [];
    for (let j = i; j < Math.min(bytes.length, i + perLine * size); j += size) {
      const x = size === 1
        ? v.getUint8(j)
        : size === 2
        ? v.getUint16(j, true)
        : v.getUint32(j, true);
      items.push(item(x, size, fmt));
    }
    lines.push(`${((addr + i) >>> 0).toString(16).padStart(8, "0")}: ${items.join(" ")}`);
  }
  return lines.join("\n");
}

function item(x: number, size: number, fmt: string): string {
  switch (fmt) {
    case "d":
      return String(size === 4 ? x | 0 : size === 2 ? (x << 16) >> 16 : (x << 24) >> 24);
    case "u":
      return String(x);
    case "o":
      return "0" + x.toString(8);
    case "c":
      return x >= 0x20 && x < 0x7f
        ? `'${String.fromCharCode(x)}'`
        : `'\\x${x.toString(16).padStart(2, "0")}'`;
    default:
      return "0x" + x.toString(16).padStart(size * 2, "0");
  }
}
