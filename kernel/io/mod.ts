/**
 * The io layer (3): character device registry, tty line discipline and the
 * NS16550A driver core.
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
export {
  CFLAG,
  decodeTermios,
  defaultTermios,
  encodeTermios,
  IFLAG,
  LFLAG,
  NCCS,
  OFLAG,
  type Termios,
  TERMIOS_SIZE,
  Tty,
  TTY_BUF_SIZE,
  TtyIoctl,
  type TtyOptions,
  type TtyPort,
  type TtyStats,
  VCC,
  type WinSize,
} from "./tty.ts";
