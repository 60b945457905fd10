/**
 * The Unix personality's {@link SyscallDecoder}: system calls as strace
 * prints them (`--trace-syscalls`).
 *
 * - A table gives each decoded call its arguments by kind ({@link SPECS});
 *   a call not in it shows its first three registers in hex.
 * - Input arguments are read at entry (before exec replaces the memory);
 *   arguments the call fills (a read buffer, a struct it returns) are null
 *   at entry and read once the call is done, so a blocking call shows
 *   `read(0, <unfinished ...>` and later `<... read resumed>"x", 1024) = 1`.
 * - Strings are quoted and escaped as strace does (C escapes, octal for
 *   other bytes), buffers cut at 32 bytes with `...`; paths are not cut.
 * - Flags are symbolic (`O_RDONLY|O_CLOEXEC`, `AT_FDCWD`, `SIGCHLD`,
 *   `TCGETS`); structures are summarised (`{tv_sec=1, tv_nsec=0}`).
 * - Results: `3`, `0x42000` for addresses, `-1 ENOENT (No such file or
 *   directory)`, `?` for calls that do not return (exit, exit_group).
 *
 * @module
 */

import {
  BLOCK,
  type KernelApi,
  NO_RESULT,
  type SyscallDecoder,
  type Thread,
} from "../../../kernel/api.ts";
import { errnoOf } from "./errno.ts";
import {
  AT_FLAGS,
  CLOCK_NAMES,
  CLONE_FLAGS,
  ERRNO_NAMES,
  ERRNO_TEXT,
  FCNTL_NAMES,
  flagNames,
  IOCTL_NAMES,
  MAP_FLAGS,
  OPEN_FLAGS,
  PROT_FLAGS,
  SA_FLAGS,
  signalName,
  WAIT_FLAGS,
} from "./strace_tables.ts";

/** Longest buffer shown before `...` (strace's default `-s 32`). */
export const STRING_LIMIT = 32;

/** How one argument is shown. */
type Kind =
  | "d" // signed int
  | "u" // unsigned
  | "x" // hex
  | "o" // octal mode
  | "p" // pointer (NULL or hex)
  | "fd" // descriptor or AT_FDCWD
  | "path" // NUL-terminated string, not cut
  | "oflags"
  | "fdflags" // O_CLOEXEC, O_NONBLOCK: no access mode
  | "mode" // octal, shown only with O_CREAT (the previous argument)
  | "sig"
  | "bufin" // the previous-but-one argument's data, length in the next argument
  | "bufout" // filled by the call: result bytes
  | "argv"
  | "envp"
  | "ioreq"
  | "ioarg"
  | "fcntlcmd"
  | "fcntlarg"
  | "prot"
  | "mapflags"
  | "atflags"
  | "clock"
  | "ts" // struct __kernel_timespec (64-bit time)
  | "tsout"
  | "sigact"
  | "sigactout"
  | "sigset"
  | "sigsetout"
  | "how"
  | "fdsout" // int[2] filled by pipe2
  | "waitopts"
  | "idtype"
  | "siginfoout"
  | "statxout"
  | "unameout"
  | "whence"
  | "access";

/** Arguments of the decoded calls, by name. */
const SPECS: Readonly<Record<string, readonly Kind[]>> = {
  openat: ["fd", "path", "oflags", "mode"],
  close: ["d"],
  read: ["d", "bufout", "u"],
  write: ["d", "bufin", "u"],
  readv: ["d", "p", "u"],
  writev: ["d", "p", "u"],
  execve: ["path", "argv", "envp"],
  exit: ["d"],
  exit_group: ["d"],
  ioctl: ["d", "ioreq", "ioarg"],
  fcntl64: ["d", "fcntlcmd", "fcntlarg"],
  rt_sigaction: ["sig", "sigact", "sigactout", "u"],
  rt_sigprocmask: ["how", "sigset", "sigsetout", "u"],
  rt_sigreturn: [],
  kill: ["d", "sig"],
  tkill: ["d", "sig"],
  tgkill: ["d", "d", "sig"],
  getpid: [],
  getppid: [],
  gettid: [],
  getuid: [],
  geteuid: [],
  getgid: [],
  getegid: [],
  setsid: [],
  sched_yield: [],
  sync: [],
  brk: ["p"],
  mmap2: ["p", "u", "prot", "mapflags", "d", "x"],
  munmap: ["p", "u"],
  mprotect: ["p", "u", "prot"],
  pipe2: ["fdsout", "fdflags"],
  dup: ["d"],
  dup3: ["d", "d", "fdflags"],
  chdir: ["path"],
  fchdir: ["d"],
  getcwd: ["bufout", "u"],
  mkdirat: ["fd", "path", "o"],
  unlinkat: ["fd", "path", "atflags"],
  faccessat: ["fd", "path", "access"],
  readlinkat: ["fd", "path", "bufout", "u"],
  statx: ["fd", "path", "atflags", "x", "statxout"],
  getdents64: ["d", "p", "u"],
  llseek: ["d", "u", "u", "p", "whence"],
  waitid: ["idtype", "d", "siginfoout", "waitopts", "p"],
  clock_gettime64: ["clock", "tsout"],
  clock_nanosleep_time64: ["clock", "d", "ts", "tsout"],
  set_tid_address: ["p"],
  uname: ["unameout"],
  setpgid: ["d", "d"],
  getpgid: ["d"],
  getsid: ["d"],
  umask: ["o"],
  getrandom: ["bufout", "u", "x"],
  fchmodat: ["fd", "path", "o"],
  symlinkat: ["path", "fd", "path"],
  linkat: ["fd", "path", "fd", "path", "atflags"],
  renameat2: ["fd", "path", "fd", "path", "x"],
  ftruncate64: ["d", "u", "u"],
  fsync: ["d"],
  prlimit64: ["d", "d", "p", "p"],
};

/** Kinds filled in by the call: shown once it is done. */
const OUTPUT_KINDS = new Set<Kind>([
  "bufout",
  "tsout",
  "sigactout",
  "sigsetout",
  "fdsout",
  "siginfoout",
  "statxout",
  "unameout",
]);

/** Calls whose result is an address. */
const HEX_RESULTS = new Set(["brk", "mmap2"]);

const O_ACCMODE = 3;
const O_CREAT = 0o100;
const O_TMPFILE = 0o20200000;
const AT_FDCWD = -100;

/** The decoder for a personality whose call names are `names` (see the module notes). */
export function unixSyscallDecoder(names: readonly (string | undefined)[]): SyscallDecoder {
  return {
    enter(t, num, api) {
      const name = names[num] ?? "";
      if (name === "clone") return cloneArgs(t);
      const spec = SPECS[name];
      if (spec === undefined) return [0, 1, 2].map((i) => hex(t.regs[10 + i]));
      return spec.map((kind, i) => OUTPUT_KINDS.has(kind) ? null : input(t, api, kind, i));
    },
    exit(t, num, args, result, api) {
      const name = names[num] ?? "";
      const spec = SPECS[name];
      const failed = result < 0 && result >= -4095;
      const done = args.map((a, i) =>
        a !== null
          ? a
          : failed || spec === undefined
          ? hex(t.regs[10 + i])
          : output(t, api, spec[i], i, result)
      );
      return { args: done, result: resultText(name, result) };
    },
  };
}

/** clone(flags, stack, parent_tid, tls, child_tid) as strace shows it. */
function cloneArgs(t: Thread): string[] {
  const flags = t.regs[10] >>> 0;
  const sig = flags & 0xff;
  const names = flagNames(flags & ~0xff, CLONE_FLAGS, "");
  const shown = [names, sig !== 0 ? signalName(sig) : ""].filter((s) => s !== "").join("|");
  const out = [`child_stack=${ptr(t.regs[11] >>> 0)}`, `flags=${shown || "0"}`];
  if (flags & 0x100000) out.push(`parent_tid=${ptr(t.regs[12] >>> 0)}`);
  if (flags & 0x80000) out.push(`tls=${ptr(t.regs[13] >>> 0)}`);
  if (flags & 0x1200000) out.push(`child_tidptr=${ptr(t.regs[14] >>> 0)}`);
  return out;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

function ptr(v: number): string {
  return v === 0 ? "NULL" : hex(v);
}

/** A call's result as strace prints it. */
function resultText(name: string, r: number): string {
  if (r === NO_RESULT) return name === "execve" ? "0" : "?";
  if (r === BLOCK) return "?";
  if (r < 0 && r >= -4095) {
    const errno = errnoOf(r);
    const ename = ERRNO_NAMES.get(errno) ?? `E${errno}`;
    const text = ERRNO_TEXT[ename];
    return text === undefined ? `-1 ${ename}` : `-1 ${ename} (${text})`;
  }
  return HEX_RESULTS.has(name) ? hex(r) : String(r);
}

/** Bytes as a strace string: C escapes, octal for the rest, cut at `limit` with `...`. */
export function quoteBytes(bytes: Uint8Array, limit = STRING_LIMIT, total = bytes.length): string {
  let s = '"';
  const n = Math.min(bytes.length, limit);
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    const next = i + 1 < n ? bytes[i + 1] : -1;
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += "\\\\";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x09) s += "\\t";
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x0b) s += "\\v";
    else if (c === 0x0c) s += "\\f";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else {
      const oct = c.toString(8);
      s += "\\" + (next >= 0x30 && next <= 0x37 ? oct.padStart(3, "0") : oct);
    }
  }
  return s + (total > limit ? '"...' : '"');
}

function pathArg(t: Thread, api: KernelApi, addr: number): string {
  if (addr === 0) return "NULL";
  const s = api.readString(t.process, addr, 4096);
  return typeof s === "string" ? quoteBytes(new TextEncoder().encode(s), 4096) : hex(addr);
}

function bytesAt(t: Thread, api: KernelApi, addr: number, length: number): string {
  const n = Math.max(0, Math.min(length, STRING_LIMIT));
  const b = api.copyIn(t.process, addr, n);
  return b === null ? hex(addr) : quoteBytes(b, STRING_LIMIT, length);
}

function view(t: Thread, api: KernelApi, addr: number, size: number): DataView | null {
  if (addr === 0) return null;
  const b = api.copyIn(t.process, addr, size);
  return b === null ? null : new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function sigsetText(lo: number, hi: number): string {
  const names: string[] = [];
  for (let s = 1; s <= 64; s++) {
    const bit = s <= 32 ? (lo >>> (s - 1)) & 1 : (hi >>> (s - 33)) & 1;
    if (bit) names.push(signalName(s).replace(/^SIG/, ""));
  }
  return `[${names.join(" ")}]`;
}

/** An input argument, read at entry. */
function input(t: Thread, api: KernelApi, kind: Kind, i: number): string {
  const v = t.regs[10 + i];
  const u = v >>> 0;
  switch (kind) {
    case "d":
      return String(v);
    case "u":
      return String(u);
    case "x":
      return hex(v);
    case "o":
      return `0${u.toString(8)}`;
    case "p":
      return ptr(u);
    case "fd":
      return v === AT_FDCWD ? "AT_FDCWD" : String(v);
    case "path":
      return pathArg(t, api, u);
    case "oflags": {
      const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][u & O_ACCMODE];
      const rest = flagNames(u & ~O_ACCMODE, OPEN_FLAGS, "");
      return rest === "" ? acc : `${acc}|${rest}`;
    }
    case "fdflags":
      return flagNames(u, OPEN_FLAGS);
    case "mode":
      return (t.regs[10 + i - 1] & O_CREAT) || (t.regs[10 + i - 1] & O_TMPFILE) === O_TMPFILE
        ? `0${u.toString(8)}`
        : "";
    case "sig":
      return signalName(v);
    case "bufin":
      return bytesAt(t, api, u, t.regs[10 + i + 1] >>> 0);
    case "argv": {
      const a = api.readStringArray(t.process, u, 64, 64 * 1024);
      if (typeof a === "number") return hex(u);
      return `[${a.map((s) => quoteBytes(new TextEncoder().encode(s), STRING_LIMIT)).join(", ")}]`;
    }
    case "envp": {
      const a = api.readStringArray(t.process, u, 4096, 256 * 1024);
      return typeof a === "number" ? hex(u) : `${hex(u)} /* ${a.length} vars */`;
    }
    case "ioreq":
      return IOCTL_NAMES.get(u) ?? hex(u);
    case "ioarg":
      return ioctlArg(t, api, t.regs[10 + i - 1] >>> 0, u);
    case "fcntlcmd":
      return FCNTL_NAMES[u] ?? (u === 1030 ? "F_DUPFD_CLOEXEC" : String(u));
    case "fcntlarg":
      return fcntlArg(t.regs[10 + i - 1] >>> 0, u);
    case "prot":
      return flagNames(u, PROT_FLAGS, "PROT_NONE");
    case "mapflags":
      return flagNames(u, MAP_FLAGS);
    case "atflags":
      return flagNames(u, AT_FLAGS);
    case "clock":
      return CLOCK_NAMES[u] ?? String(v);
    case "ts":
      return timespec(view(t, api, u, 16), u);
    case "sigact":
      return sigaction(view(t, api, u, 16), u);
    case "sigset": {
      const dv = view(t, api, u, 8);
      return dv === null ? ptr(u) : sigsetText(dv.getUint32(0, true), dv.getUint32(4, true));
    }
    case "how":
      return ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"][u] ?? String(v);
    case "waitopts":
      return flagNames(u, WAIT_FLAGS);
    case "idtype":
      return ["P_ALL", "P_PID", "P_PGID", "P_PIDFD"][u] ?? String(v);
    case "whence":
      return ["SEEK_SET", "SEEK_CUR", "SEEK_END"][u] ?? String(v);
    case "access":
      return u === 0
        ? "F_OK"
        : [[4, "R_OK"], [2, "W_OK"], [1, "X_OK"]].filter(([b]) => u & (b as number))
          .map(([, n]) => n).join("|");
    default:
      return hex(v);
  }
}

/** An argument the call filled in, read after it succeeded. */
function output(t: Thread, api: KernelApi, kind: Kind, i: number, result: number): string {
  const u = t.regs[10 + i] >>> 0;
  switch (kind) {
    case "bufout":
      return bytesAt(t, api, u, Math.max(0, result));
    case "tsout":
      return timespec(view(t, api, u, 16), u);
    case "sigactout":
      return sigaction(view(t, api, u, 16), u);
    case "sigsetout": {
      const dv = view(t, api, u, 8);
      return dv === null ? ptr(u) : sigsetText(dv.getUint32(0, true), dv.getUint32(4, true));
    }
    case "fdsout": {
      const dv = view(t, api, u, 8);
      return dv === null ? ptr(u) : `[${dv.getInt32(0, true)}, ${dv.getInt32(4, true)}]`;
    }
    case "siginfoout":
      return siginfo(view(t, api, u, 24), u);
    case "statxout": {
      const dv = view(t, api, u, 48);
      if (dv === null) return ptr(u);
      const mode = dv.getUint16(28, true);
      return `{stx_mode=${modeText(mode)}, stx_size=${dv.getBigUint64(40, true)}, ...}`;
    }
    case "unameout": {
      const b = api.copyIn(t.process, u, 65 * 2);
      if (b === null) return ptr(u);
      const field = (k: number) => {
        const f = b.subarray(k * 65, k * 65 + 65);
        const end = f.indexOf(0);
        return quoteBytes(f.subarray(0, end < 0 ? 65 : end), 65);
      };
      return `{sysname=${field(0)}, nodename=${field(1)}, ...}`;
    }
    default:
      return hex(u);
  }
}

function timespec(dv: DataView | null, addr: number): string {
  if (dv === null) return ptr(addr);
  return `{tv_sec=${dv.getBigInt64(0, true)}, tv_nsec=${dv.getBigInt64(8, true)}}`;
}

function sigaction(dv: DataView | null, addr: number): string {
  if (dv === null) return ptr(addr);
  const h = dv.getUint32(0, true);
  const handler = h === 0 ? "SIG_DFL" : h === 1 ? "SIG_IGN" : hex(h);
  const mask = sigsetText(dv.getUint32(8, true), dv.getUint32(12, true));
  return `{sa_handler=${handler}, sa_mask=${mask}, sa_flags=${
    flagNames(dv.getUint32(4, true), SA_FLAGS)
  }}`;
}

const CLD_CODES = [
  "",
  "CLD_EXITED",
  "CLD_KILLED",
  "CLD_DUMPED",
  "CLD_TRAPPED",
  "CLD_STOPPED",
  "CLD_CONTINUED",
];

function siginfo(dv: DataView | null, addr: number): string {
  if (dv === null) return ptr(addr);
  const signo = dv.getInt32(0, true);
  if (signo === 0) return "{}";
  const code = dv.getInt32(8, true);
  const status = dv.getInt32(20, true);
  const codeName = signo === 17 ? CLD_CODES[code] ?? String(code) : String(code);
  const st = code === 1 ? String(status) : signalName(status);
  return `{si_signo=${signalName(signo)}, si_code=${codeName}, si_pid=${
    dv.getInt32(12, true)
  }, si_uid=${dv.getInt32(16, true)}, si_status=${st}}`;
}

function modeText(mode: number): string {
  const types: Record<number, string> = {
    0o140000: "S_IFSOCK",
    0o120000: "S_IFLNK",
    0o100000: "S_IFREG",
    0o60000: "S_IFBLK",
    0o40000: "S_IFDIR",
    0o20000: "S_IFCHR",
    0o10000: "S_IFIFO",
  };
  const type = types[mode & 0o170000] ?? "0";
  return `${type}|0${(mode & 0o7777).toString(8)}`;
}

function ioctlArg(t: Thread, api: KernelApi, req: number, arg: number): string {
  const name = IOCTL_NAMES.get(req);
  if (name === "TIOCSCTTY" || name === "TCSBRK" || name === "TCXONC" || name === "TCFLSH") {
    return String(arg | 0);
  }
  if (name === "TIOCSWINSZ") {
    const dv = view(t, api, arg, 8);
    if (dv === null) return ptr(arg);
    return `{ws_row=${dv.getUint16(0, true)}, ws_col=${dv.getUint16(2, true)}, ws_xpixel=${
      dv.getUint16(4, true)
    }, ws_ypixel=${dv.getUint16(6, true)}}`;
  }
  if (name === "TCSETS" || name === "TCSETSW" || name === "TCSETSF") {
    const dv = view(t, api, arg, 16);
    if (dv === null) return ptr(arg);
    const o = dv.getUint32(4, true);
    const l = dv.getUint32(12, true);
    const words = [(o & 1) ? "opost" : "-opost", (l & 1) ? "isig" : "-isig"];
    words.push((l & 2) ? "icanon" : "-icanon", (l & 8) ? "echo" : "-echo");
    return `{B38400 ${words.join(" ")} ...}`;
  }
  return ptr(arg);
}

function fcntlArg(cmd: number, arg: number): string {
  if (cmd === 2) return arg & 1 ? "FD_CLOEXEC" : "0"; // F_SETFD
  if (cmd === 4) return flagNames(arg, OPEN_FLAGS); // F_SETFL
  if (cmd === 1 || cmd === 3) return ""; // F_GETFD, F_GETFL take none
  return String(arg | 0);
}
