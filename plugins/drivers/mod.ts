/**
 * Driver plugins.
 *
 * @module
 */

export {
  CONSOLE_DEVICES,
  ConsoleDriverError,
  type ConsoleState,
  consoleState,
  module as uart16550Module,
} from "./uart16550/mod.ts";
