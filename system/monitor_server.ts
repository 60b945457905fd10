/**
 * The monitor on a Unix socket (`--monitor unix:PATH`): each connection
 * gets a prompt, sends command lines and reads the answers, as QEMU's
 * `-monitor unix:PATH,server` does (`socat - UNIX-CONNECT:PATH`).
 *
 * @module
 */

import type { Monitor } from "./monitor.ts";

/** A running monitor server. */
export interface MonitorServer {
  /** Stops listening, closes the connections and removes the socket file. */
  close(): void;
}

const PROMPT = "(strata) ";

/**
 * Serves `monitor` on the Unix socket at `path` (an old socket file there
 * is replaced).
 *
 * @param monitor The monitor to serve.
 * @param path Socket path.
 * @returns The server, to close at shutdown.
 */
export function serveMonitor(monitor: Monitor, path: string): MonitorServer {
  try {
    Deno.removeSync(path);
  } catch {
    // no old socket
  }
  const listener = Deno.listen({ transport: "unix", path });
  const conns = new Set<Deno.Conn>();
  const te = new TextEncoder();
  const serve = async (conn: Deno.Conn) => {
    conns.add(conn);
    const write = (s: string) => conn.write(te.encode(s)).catch(() => 0);
    await write("Strata monitor - type 'help' for more information\n" + PROMPT);
    let pending = "";
    const buf = new Uint8Array(1024);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        pending += new TextDecoder().decode(buf.subarray(0, n));
        let nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, nl).replace(/\r$/, "");
          pending = pending.slice(nl + 1);
          const out = await monitor.execute(line);
          await write((out === "" ? "" : out + "\n") + PROMPT);
        }
      }
    } catch {
      // connection gone
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  };
  (async () => {
    try {
      for await (const conn of listener) void serve(conn);
    } catch {
      // listener closed
    }
  })();
  return {
    close() {
      try {
        listener.close();
      } catch {
        // already closed
      }
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
      try {
        Deno.removeSync(path);
      } catch {
        // gone
      }
    },
  };
}
