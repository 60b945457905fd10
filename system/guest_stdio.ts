/**
 * The standard streams a boot gives init: the console, or host streams
 * (`kernel/fs/host_stream.ts`) chosen by a {@link StdioSpec}, or "pipes"
 * that take a fixed stdin and collect stdout and stderr for the result.
 *
 * @module
 */

import { HostInput, type HostSink } from "../kernel/fs/host_stream.ts";
import { BootError, type BootOptions } from "./boot.ts";

/**
 * Host streams for the standard streams of init (and so of the command): a
 * stream left out is the console. See `kernel/fs/host_stream.ts`.
 */
export interface StdioSpec {
  /** Standard input, fed by the host. */
  stdin?: HostInput;
  /** Standard output. */
  stdout?: HostSink;
  /** Standard error. */
  stderr?: HostSink;
}

/** A host sink that keeps everything written to it. */
export class CollectingSink implements HostSink {
  readonly #chunks: Uint8Array[] = [];
  /** Keeps a copy of `data`. */
  write(data: Uint8Array): boolean {
    this.#chunks.push(data.slice());
    return true;
  }
  /** Everything written so far, in one array. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** The standard streams a boot asks for, with the sinks that collect "pipes" output. */
export function makeStdio(
  options: Pick<BootOptions, "stdio" | "stdin">,
): { spec: StdioSpec; stdout: CollectingSink; stderr: CollectingSink } {
  const stdout = new CollectingSink();
  const stderr = new CollectingSink();
  const stdio = options.stdio ?? "console";
  if (stdio === "console") {
    if (options.stdin !== undefined) throw new BootError(`the stdin option needs stdio: "pipes"`);
    return { spec: {}, stdout, stderr };
  }
  if (stdio !== "pipes") return { spec: stdio, stdout, stderr };
  const stdin = new HostInput();
  const data = options.stdin ?? "";
  stdin.feed(typeof data === "string" ? new TextEncoder().encode(data) : data);
  stdin.end();
  return { spec: { stdin, stdout, stderr }, stdout, stderr };
}
