/**
 * A recorder of kernel events in the Chrome trace-event format (the JSON
 * that Perfetto and chrome://tracing open): thread run slices, system calls,
 * interrupts and faults, stamped in simulated time (microseconds derived
 * from cycles), so a trace is the same on every run.
 *
 * Recording costs one null check per event site when off; when on, events
 * are plain objects appended to an array, up to a limit.
 *
 * @module
 */

/** One trace event ("X" complete, "i" instant, "M" metadata). */
export interface TraceEvent {
  /** Event name. */
  name: string;
  /** Category ("sched", "syscall", "irq", "fault"). */
  cat: string;
  /** Phase. */
  ph: "X" | "i" | "M";
  /** Start time in microseconds of simulated time. */
  ts: number;
  /** Duration in microseconds ("X" only). */
  dur?: number;
  /** Process id (the guest pid; 0 for the kernel). */
  pid: number;
  /** Thread id. */
  tid: number;
  /** Instant scope ("t" thread, "g" global). */
  s?: "t" | "g";
  /** Extra data. */
  args?: Record<string, unknown>;
}

/** Collects trace events on the simulated time base. */
export class TraceRecorder {
  /** Recorded events. */
  readonly events: TraceEvent[] = [];
  /** Events dropped after the limit was reached. */
  dropped = 0;
  readonly #usPerCycle: number;
  readonly #limit: number;
  readonly #named = new Set<number>();

  /** Creates a recorder for a clock of `frequency` Hz keeping at most `limit` events. */
  constructor(frequency: number, limit = 1_000_000) {
    this.#usPerCycle = 1e6 / frequency;
    this.#limit = limit;
  }

  #push(e: TraceEvent): void {
    if (this.events.length >= this.#limit) {
      this.dropped++;
      return;
    }
    this.events.push(e);
  }

  /** Names a process track once (metadata event). */
  nameProcess(pid: number, name: string): void {
    if (this.#named.has(pid)) return;
    this.#named.add(pid);
    this.#push({
      name: "process_name",
      cat: "__metadata",
      ph: "M",
      ts: 0,
      pid,
      tid: pid,
      args: { name },
    });
  }

  /** A span from cycle `start` to cycle `end`. */
  complete(
    name: string,
    cat: string,
    pid: number,
    tid: number,
    start: number,
    end: number,
    args?: Record<string, unknown>,
  ): void {
    const u = this.#usPerCycle;
    this.#push({
      name,
      cat,
      ph: "X",
      ts: start * u,
      dur: Math.max(0, end - start) * u,
      pid,
      tid,
      args,
    });
  }

  /** A point event at cycle `at`. */
  instant(
    name: string,
    cat: string,
    pid: number,
    tid: number,
    at: number,
    args?: Record<string, unknown>,
  ): void {
    this.#push({
      name,
      cat,
      ph: "i",
      ts: at * this.#usPerCycle,
      pid,
      tid,
      s: pid === 0 ? "g" : "t",
      args,
    });
  }

  /** The trace as Chrome trace-event JSON. */
  toJSON(): string {
    return JSON.stringify({
      traceEvents: this.events,
      displayTimeUnit: "ns",
      otherData: { dropped: this.dropped, clock: "simulated" },
    });
  }
}
