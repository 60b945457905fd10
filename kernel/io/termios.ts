/**
 * The terminal settings of the tty line discipline, as the asm-generic
 * Linux ABI lays them out: the c_iflag/c_oflag/c_cflag/c_lflag bits, the
 * control-character slots, struct termios (36 bytes) with its encoder and
 * decoder, struct winsize, and the tty ioctl numbers.
 *
 * @module
 */

/** Input mode flags (c_iflag, Linux asm-generic values). */
export const IFLAG = {
  IGNBRK: 0o1,
  BRKINT: 0o2,
  IGNPAR: 0o4,
  PARMRK: 0o10,
  INPCK: 0o20,
  ISTRIP: 0o40,
  INLCR: 0o100,
  IGNCR: 0o200,
  ICRNL: 0o400,
  IUCLC: 0o1000,
  IXON: 0o2000,
  IXANY: 0o4000,
  IXOFF: 0o10000,
  IMAXBEL: 0o20000,
  IUTF8: 0o40000,
} as const;

/** Output mode flags (c_oflag). */
export const OFLAG = {
  OPOST: 0o1,
  OLCUC: 0o2,
  ONLCR: 0o4,
  OCRNL: 0o10,
  ONOCR: 0o20,
  ONLRET: 0o40,
} as const;

/** Control mode flags (c_cflag). */
export const CFLAG = {
  CBAUD: 0o10017,
  B9600: 0o15,
  B38400: 0o17,
  CSIZE: 0o60,
  CS8: 0o60,
  CSTOPB: 0o100,
  CREAD: 0o200,
  PARENB: 0o400,
  PARODD: 0o1000,
  HUPCL: 0o2000,
  CLOCAL: 0o4000,
} as const;

/** Local mode flags (c_lflag). */
export const LFLAG = {
  ISIG: 0o1,
  ICANON: 0o2,
  XCASE: 0o4,
  ECHO: 0o10,
  ECHOE: 0o20,
  ECHOK: 0o40,
  ECHONL: 0o100,
  NOFLSH: 0o200,
  TOSTOP: 0o400,
  ECHOCTL: 0o1000,
  ECHOPRT: 0o2000,
  ECHOKE: 0o4000,
  FLUSHO: 0o10000,
  PENDIN: 0o40000,
  IEXTEN: 0o100000,
} as const;

/** Indices into c_cc. */
export const VCC = {
  VINTR: 0,
  VQUIT: 1,
  VERASE: 2,
  VKILL: 3,
  VEOF: 4,
  VTIME: 5,
  VMIN: 6,
  VSWTC: 7,
  VSTART: 8,
  VSTOP: 9,
  VSUSP: 10,
  VEOL: 11,
  VREPRINT: 12,
  VDISCARD: 13,
  VWERASE: 14,
  VLNEXT: 15,
  VEOL2: 16,
} as const;

/** Number of control characters in the asm-generic struct termios. */
export const NCCS = 19;
/** Size of the asm-generic struct termios (4 x u32, c_line, c_cc[19]). */
export const TERMIOS_SIZE = 36;

/** tty ioctl numbers (asm-generic). */
export const TtyIoctl = {
  TCGETS: 0x5401,
  TCSETS: 0x5402,
  TCSETSW: 0x5403,
  TCSETSF: 0x5404,
  TCFLSH: 0x540b,
  TIOCSCTTY: 0x540e,
  TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410,
  TIOCOUTQ: 0x5411,
  TIOCGWINSZ: 0x5413,
  TIOCSWINSZ: 0x5414,
  FIONREAD: 0x541b,
  FIONBIO: 0x5421,
  TIOCNOTTY: 0x5422,
  TIOCGSID: 0x5429,
} as const;

/** A terminal's settings, as struct termios holds them. */
export interface Termios {
  /** Input modes. */
  iflag: number;
  /** Output modes. */
  oflag: number;
  /** Control modes. */
  cflag: number;
  /** Local modes. */
  lflag: number;
  /** Line discipline number (0 = N_TTY). */
  line: number;
  /** Control characters (NCCS bytes). */
  cc: Uint8Array;
}

/** The settings of Linux's `tty_std_termios` (what `stty sane` gives, near enough). */
export function defaultTermios(): Termios {
  return {
    iflag: IFLAG.ICRNL | IFLAG.IXON,
    oflag: OFLAG.OPOST | OFLAG.ONLCR,
    cflag: CFLAG.B38400 | CFLAG.CS8 | CFLAG.CREAD | CFLAG.HUPCL,
    lflag: LFLAG.ISIG | LFLAG.ICANON | LFLAG.ECHO | LFLAG.ECHOE | LFLAG.ECHOK |
      LFLAG.ECHOCTL | LFLAG.ECHOKE | LFLAG.IEXTEN,
    line: 0,
    // ^C ^\ DEL ^U ^D 0 1 0 ^Q ^S ^Z 0 ^R ^O ^W ^V 0 (Linux INIT_C_CC)
    cc: Uint8Array.of(3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0),
  };
}

/** Encodes termios as the 36-byte asm-generic struct (little-endian). */
export function encodeTermios(t: Termios): Uint8Array {
  const out = new Uint8Array(TERMIOS_SIZE);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, t.iflag >>> 0, true);
  dv.setUint32(4, t.oflag >>> 0, true);
  dv.setUint32(8, t.cflag >>> 0, true);
  dv.setUint32(12, t.lflag >>> 0, true);
  out[16] = t.line;
  out.set(t.cc.subarray(0, NCCS), 17);
  return out;
}

/** Decodes the 36-byte asm-generic struct termios. */
export function decodeTermios(b: Uint8Array): Termios {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    iflag: dv.getUint32(0, true),
    oflag: dv.getUint32(4, true),
    cflag: dv.getUint32(8, true),
    lflag: dv.getUint32(12, true),
    line: b[16],
    cc: b.slice(17, 17 + NCCS),
  };
}

/** Window size (struct winsize). */
export interface WinSize {
  /** Rows. */
  rows: number;
  /** Columns. */
  cols: number;
  /** Width in pixels (unused). */
  xpixel: number;
  /** Height in pixels (unused). */
  ypixel: number;
}
