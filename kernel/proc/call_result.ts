/**
 * The two special results of a system-call handler, besides a value or a
 * negative status (the contract is in `kernel/api.ts`). They live at the
 * bottom layer so that every kernel service can return them.
 *
 * @module
 */

/** Returned by a handler that parked its thread: restart the call when woken. */
export const BLOCK: number = -0x1_0000_0000;
/** Returned by a handler that has set the registers and pc itself (exec, sigreturn, exit). */
export const NO_RESULT: number = -0x1_0000_0001;
