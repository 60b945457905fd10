/**
 * Kernel-native signal numbers, action flags and default actions.
 *
 * The kernel's native numbering is the Linux one (asm-generic), because the
 * POSIX signal set and its numbers are what guest programs and `kill` expect;
 * a personality with another numbering translates at its boundary.
 *
 * @module
 */

/** Signal numbers (1..64; 32..64 are real-time signals). */
export const SIG = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  PWR: 30,
  SYS: 31,
  /** First real-time signal. */
  RTMIN: 32,
  /** Last signal number. */
  MAX: 64,
} as const;

/** Handler values with a meaning of their own. */
export const SIG_DFL = 0;
/** Ignore the signal. */
export const SIG_IGN = 1;

/** Signal action flags (the Linux values). */
export const SA = {
  NOCLDSTOP: 0x1,
  NOCLDWAIT: 0x2,
  SIGINFO: 0x4,
  ONSTACK: 0x0800_0000,
  RESTART: 0x1000_0000,
  NODEFER: 0x4000_0000,
  RESETHAND: 0x8000_0000,
  RESTORER: 0x0400_0000,
} as const;

/** What a signal does when its action is SIG_DFL. */
export const DefaultAction = {
  /** Terminate the process. */
  TERMINATE: 0,
  /** Terminate and mark "core dumped" (no core file is written). */
  CORE: 1,
  /** Stop the process (job control). */
  STOP: 2,
  /** Continue a stopped process (and otherwise nothing). */
  CONTINUE: 3,
  /** Discard the signal. */
  IGNORE: 4,
} as const;

const CORE_SIGNALS: readonly number[] = [
  SIG.QUIT,
  SIG.ILL,
  SIG.TRAP,
  SIG.ABRT,
  SIG.BUS,
  SIG.FPE,
  SIG.SEGV,
  SIG.XCPU,
  SIG.XFSZ,
  SIG.SYS,
];
const STOP_SIGNALS: readonly number[] = [SIG.STOP, SIG.TSTP, SIG.TTIN, SIG.TTOU];
const IGNORE_SIGNALS: readonly number[] = [SIG.CHLD, SIG.URG, SIG.WINCH];

/** The default action of `sig` (a {@link DefaultAction}). */
export function defaultAction(sig: number): number {
  if (CORE_SIGNALS.includes(sig)) return DefaultAction.CORE;
  if (STOP_SIGNALS.includes(sig)) return DefaultAction.STOP;
  if (IGNORE_SIGNALS.includes(sig)) return DefaultAction.IGNORE;
  if (sig === SIG.CONT) return DefaultAction.CONTINUE;
  return DefaultAction.TERMINATE;
}

/** Signal names without the SIG prefix, indexed by number ("" where none). */
export const SIGNAL_NAMES: readonly string[] = (() => {
  const names: string[] = new Array(65).fill("");
  for (const [name, n] of Object.entries(SIG)) {
    if (name !== "RTMIN" && name !== "MAX") names[n] = name;
  }
  for (let n = SIG.RTMIN; n <= SIG.MAX; n++) names[n] = `RT${n - SIG.RTMIN}`;
  return names;
})();

/** True for a valid signal number (1..64). */
export function isValidSignal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= SIG.MAX;
}
