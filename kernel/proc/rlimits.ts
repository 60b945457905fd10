/**
 * Resource limits (Linux's RLIMIT_*): a soft and a hard value per resource,
 * per process, inherited by fork and kept by exec. Infinity stands for
 * RLIM_INFINITY. Who enforces what:
 *
 * - NPROC: fork/spawn (lifecycle.ts) count the caller's uid's processes
 *   (root is exempt); the system-wide `threads-max` is the process table's;
 * - NOFILE: the descriptor table's size (fd_table.ts, set by the kernel's
 *   `setRlimit`);
 * - AS: mmap and brk; DATA: brk and writable private mmaps (memory_calls.ts);
 * - FSIZE: writes to regular files (the Unix personality: cut at the limit,
 *   EFBIG and SIGXFSZ past it);
 * - CPU: at the end of each full time slice (trap_handlers.ts): SIGXCPU
 *   from the soft limit on, once per CPU second, SIGKILL at the hard limit;
 * - STACK: the stack region the next exec maps (exec_service.ts);
 * - CORE and the others are stored and reported only (no core files are
 *   written).
 *
 * @module
 */

import { TypedSlab } from "../../lib/typed_slab.ts";

/** Resource numbers, as Linux's (asm-generic/resource.h). */
export const RLIMIT = {
  CPU: 0,
  FSIZE: 1,
  DATA: 2,
  STACK: 3,
  CORE: 4,
  RSS: 5,
  NPROC: 6,
  NOFILE: 7,
  MEMLOCK: 8,
  AS: 9,
  LOCKS: 10,
  SIGPENDING: 11,
  MSGQUEUE: 12,
  NICE: 13,
  RTPRIO: 14,
  RTTIME: 15,
} as const;

/** Number of resources (RLIM_NLIMITS). */
export const RLIM_NLIMITS = 16;

/** Linux's `fs.nr_open`: the highest NOFILE hard limit even root may set. */
export const NR_OPEN = 1024 * 1024;

// Every fork makes a set of limits: views of shared buffers.
const SLAB = new TypedSlab();

/** A process's limits: `soft[r]` and `hard[r]`, Infinity for unlimited. */
export class Rlimits {
  /** Soft (current) limits. */
  readonly soft: Float64Array;
  /** Hard (maximum) limits. */
  readonly hard: Float64Array;

  /** Creates limits from `soft`/`hard` (copied), or all unlimited. */
  constructor(soft?: ArrayLike<number>, hard?: ArrayLike<number>) {
    // Views of shared buffers (every fork makes a set).
    this.soft = SLAB.float64(RLIM_NLIMITS).fill(Infinity);
    this.hard = SLAB.float64(RLIM_NLIMITS).fill(Infinity);
    if (soft !== undefined) this.soft.set(soft);
    if (hard !== undefined) this.hard.set(hard);
  }

  /** A copy (fork). */
  clone(): Rlimits {
    return new Rlimits(this.soft, this.hard);
  }
}

/** What the defaults depend on. */
export interface RlimitBasis {
  /** The system-wide thread limit (`threads-max`). */
  threadsMax: number;
  /** The descriptor-table size a process starts with. */
  maxFds: number;
}

/**
 * Linux's defaults for init: NPROC and SIGPENDING at half of `threads-max`,
 * an 8 MiB stack, no core files, NOFILE at the table size (hard 4096),
 * MEMLOCK 8 MiB, MSGQUEUE 819,200 bytes, NICE and RTPRIO 0, the rest
 * unlimited.
 */
export function defaultRlimits(basis: RlimitBasis): Rlimits {
  const r = new Rlimits();
  const half = Math.floor(basis.threadsMax / 2);
  const set = (res: number, soft: number, hard: number) => {
    r.soft[res] = soft;
    r.hard[res] = hard;
  };
  set(RLIMIT.NPROC, half, half);
  set(RLIMIT.SIGPENDING, half, half);
  set(RLIMIT.STACK, 8 * 1024 * 1024, Infinity);
  set(RLIMIT.CORE, 0, Infinity);
  set(RLIMIT.NOFILE, basis.maxFds, Math.max(basis.maxFds, 4096));
  set(RLIMIT.MEMLOCK, 8 * 1024 * 1024, 8 * 1024 * 1024);
  set(RLIMIT.MSGQUEUE, 819200, 819200);
  set(RLIMIT.NICE, 0, 0);
  set(RLIMIT.RTPRIO, 0, 0);
  return r;
}

/**
 * Linux's `threads-max` for a machine with `ramBytes` of RAM: one thread per
 * 8 thread-stack sizes (8 KiB on RV32) of memory, between 20 and 0x3fffffff.
 */
export function defaultThreadsMax(ramBytes: number): number {
  const n = Math.floor(ramBytes / (8 * 8192));
  return Math.min(0x3fff_ffff, Math.max(20, n));
}

/**
 * Checks a change of resource `res` from `cur` to soft `soft` and hard
 * `hard` by a caller that is (`privileged`) root or not: "inval" when soft
 * exceeds hard or the resource is unknown, "perm" when an unprivileged
 * caller raises the hard limit or NOFILE goes past {@link NR_OPEN}, else "ok".
 */
export function checkRlimitChange(
  cur: Rlimits,
  res: number,
  soft: number,
  hard: number,
  privileged: boolean,
): "ok" | "inval" | "perm" {
  if (!(res >= 0 && res < RLIM_NLIMITS) || soft > hard) return "inval";
  if (hard > cur.hard[res] && !privileged) return "perm";
  if (res === RLIMIT.NOFILE && hard > NR_OPEN) return "perm";
  return "ok";
}
