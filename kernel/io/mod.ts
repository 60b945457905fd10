/**
 * The io layer (3): character device registry, tty line discipline and its
 * termios settings.
 *
 * @module
 */

export {
  type CharDevice,
  CharDeviceError,
  CharDeviceRegistry,
  CharMajor,
  majorOf,
  makeDev,
  minorOf,
} from "./char_device.ts";
export * from "./termios.ts";
export { Tty, TTY_BUF_SIZE } from "./tty.ts";
export type { TtyOptions, TtyPort, TtyStats } from "./tty_port.ts";
