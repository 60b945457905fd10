/**
 * Layer 2, inter-process communication: wait queues and signals.
 *
 * @module
 */

export { type Waiter, WaitQueue } from "./wait_queue.ts";
export {
  CLD,
  SEGV,
  SI,
  sigIsMember,
  SignalEngine,
  type SignalHooks,
  type SignalInfo,
} from "./signals.ts";
export {
  DefaultAction,
  defaultAction,
  isValidSignal,
  SA,
  SIG,
  SIG_DFL,
  SIG_IGN,
  SIGNAL_NAMES,
} from "./signal_numbers.ts";
