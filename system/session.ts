/**
 * The session a boot starts, by personality: what pid 1 runs, with which
 * arguments and environment.
 *
 * - `unix` (the default): `/bin/init`, which starts `/bin/sh` (or
 *   `/bin/sh -c CMD` for `cmd`); an `env` option reaches the shell through
 *   `/bin/env -i -- VARS`, since init gives its child a fixed environment.
 * - `win32`: `/bin/smss.exe` (`C:\bin\smss.exe`), the session manager: it
 *   sets the session's environment and current directory and starts
 *   `%COMSPEC%` (`cmd.exe`), or `%COMSPEC% /c CMD` for `cmd`; an `env`
 *   option is its starting environment (a variable given there is kept,
 *   e.g. another `COMSPEC`).
 *
 * Both personalities are loaded whichever boots, so either session runs the
 * other's programs; the choice is only the first process.
 *
 * @module
 */

import { BootError, type BootOptions } from "./boot_options.ts";

/** The session personalities (the {@link BootOptions.personality} values). */
export const PERSONALITIES: readonly string[] = ["unix", "win32"];

/** The first process of a session: program, argv after argv[0], environment. */
export interface SessionInit {
  /** Guest path of pid 1's program. */
  path: string;
  /** Arguments after argv[0]. */
  args: string[];
  /** Environment of pid 1. */
  env: string[];
}

/** pid 1's environment in a Unix session when no `env` option is given. */
const UNIX_ENV = ["PATH=/bin", "HOME=/", "TERM=vt100"];

/** The session manager of a Win32 session. */
export const WIN32_INIT = "/bin/smss.exe";

/** The personality of the boot: `unix` unless the options name another; a BootError for a bad name. */
export function sessionPersonality(options: BootOptions): "unix" | "win32" {
  const name = options.personality ?? "unix";
  if (name !== "unix" && name !== "win32") {
    throw new BootError(
      `unknown personality '${String(name)}' (one of: ${PERSONALITIES.join(", ")})`,
    );
  }
  return name;
}

function checkEnv(env: readonly string[]): void {
  for (const v of env) {
    if (!/^[^=]+=/.test(v)) throw new BootError(`env entries are NAME=VALUE, got "${v}"`);
  }
}

/** What pid 1 runs for `options` (`init` given: that program, its `initArgs`, `cmd` and `env`). */
export function sessionInit(options: BootOptions): SessionInit {
  if (sessionPersonality(options) === "win32") return win32Init(options);
  const path = options.init ?? "/bin/init";
  const args = options.cmd !== undefined ? ["/bin/sh", "-c", options.cmd] : options.initArgs ?? [];
  if (options.init !== undefined || options.env === undefined) {
    return { path, args, env: options.env ?? UNIX_ENV };
  }
  checkEnv(options.env);
  const shell = args.length > 0 ? args : ["/bin/sh"];
  return { path, args: ["/bin/env", "-i", "--", ...options.env, ...shell], env: options.env };
}

function win32Init(options: BootOptions): SessionInit {
  const env = options.env ?? [];
  checkEnv(env);
  const args = options.cmd !== undefined ? ["/c", options.cmd] : options.initArgs ?? [];
  return { path: options.init ?? WIN32_INIT, args, env };
}
