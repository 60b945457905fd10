/**
 * The host's standard streams as the guest command's standard streams, for
 * `--cmd` run from a script: each host stream that is not a terminal becomes
 * a host stream of `kernel/fs/host_stream.ts` (a pipe to the guest: no echo,
 * no line discipline, no CR LF, `isatty` false); each terminal stays on the
 * console tty. `-t` keeps all three on the tty, as `docker run -t` does.
 *
 * - stdin: an async loop reads the host stream into a {@link HostInput},
 *   pausing while more than its high-water mark waits unread, and ends it at
 *   the host's end of file;
 * - stdout, stderr: {@link HostFileSink} writes each guest write at once; a
 *   write the host refuses (a closed pipe) makes this and every later guest
 *   write EPIPE with SIGPIPE, so `--cmd yes | head -2` ends.
 *
 * @module
 */

import { HOST_INPUT_HIGH_WATER, HostInput, type HostSink } from "../kernel/fs/host_stream.ts";
import type { StdioSpec } from "./boot.ts";
import type { ConsoleInputStream, ConsoleOutputStream } from "./terminal_console.ts";

/** A host output stream (`Deno.stdout` and `Deno.stderr` fit). */
export interface HostOutputStream extends ConsoleOutputStream {
  /** True when it is an interactive terminal. */
  isTerminal(): boolean;
}

/** The host streams to attach (default Deno's). */
export interface HostStreams {
  /** Standard input. */
  stdin: ConsoleInputStream;
  /** Standard output. */
  stdout: HostOutputStream;
  /** Standard error. */
  stderr: HostOutputStream;
}

/** The chosen guest standard streams and what the console keeps. */
export interface HostStdio {
  /** Host streams for boot's `stdio` option (a stream left out stays on the console). */
  spec: StdioSpec;
  /** True when the console tty still reads host stdin (stdin is a terminal, or `-t`). */
  consoleReadsStdin: boolean;
  /** True when the console tty writes to host stdout (stdout is a terminal, or `-t`). */
  consoleWritesStdout: boolean;
  /** Stops reading host stdin. */
  close(): void;
}

/** Writes guest output to a host stream, and reports a broken pipe (see the module notes). */
export class HostFileSink implements HostSink {
  readonly #out: ConsoleOutputStream;
  #broken = false;

  /** Creates the sink over `out`. */
  constructor(out: ConsoleOutputStream) {
    this.#out = out;
  }

  /** True once the host refused a write. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Writes all of `data`; false when the host stream is gone. */
  write(data: Uint8Array): boolean {
    if (this.#broken) return false;
    let off = 0;
    while (off < data.length) {
      try {
        off += this.#out.writeSync(data.subarray(off));
      } catch {
        // EPIPE (the reader closed the pipe) or any other write error: the
        // stream is gone for the guest, as a pipe without a reader.
        this.#broken = true;
        return false;
      }
    }
    return true;
  }
}

function isTerminal(s: { isTerminal(): boolean }): boolean {
  try {
    return s.isTerminal();
  } catch {
    return false;
  }
}

/** Reads `stream` into `input` until its end (or `stop`), pausing above the high-water mark. */
async function pump(
  input: HostInput,
  stream: ConsoleInputStream,
  stopped: () => boolean,
  setReader: (r: ReadableStreamDefaultReader<Uint8Array>) => void,
): Promise<void> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.readable.getReader();
  } catch {
    input.end();
    return;
  }
  setReader(reader);
  for (;;) {
    if (input.length > HOST_INPUT_HIGH_WATER) {
      await new Promise<void>((resolve) => input.onDrain = resolve);
      input.onDrain = null;
    }
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      break; // A broken stdin is end of file.
    }
    if (chunk.done || stopped()) break;
    input.feed(chunk.value);
  }
  input.end();
}

/**
 * Chooses the guest's standard streams from the host's (see the module
 * notes); `forceTty` keeps all three on the console. Starts reading host
 * stdin when it becomes a host stream.
 */
export function attachHostStdio(
  forceTty: boolean,
  streams: HostStreams = { stdin: Deno.stdin, stdout: Deno.stdout, stderr: Deno.stderr },
): HostStdio {
  const spec: StdioSpec = {};
  const stdinTty = forceTty || isTerminal(streams.stdin);
  const stdoutTty = forceTty || isTerminal(streams.stdout);
  let stopped = false;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  if (!stdinTty) {
    const input = new HostInput();
    spec.stdin = input;
    pump(input, streams.stdin, () => stopped, (r) => reader = r);
  }
  if (!stdoutTty) spec.stdout = new HostFileSink(streams.stdout);
  if (!forceTty && !isTerminal(streams.stderr)) spec.stderr = new HostFileSink(streams.stderr);
  return {
    spec,
    consoleReadsStdin: stdinTty,
    consoleWritesStdout: stdoutTty,
    close() {
      stopped = true;
      reader?.cancel().catch(() => {});
    },
  };
}

/** A console input with nothing in it (host stdin belongs to the guest's fd 0 instead). */
export function noConsoleInput(): ConsoleInputStream {
  return {
    readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    isTerminal: () => false,
  };
}
