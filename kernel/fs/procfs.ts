/**
 * procfs: `/proc`, generated from a {@link ProcInfoProvider} that the
 * process layer implements (this layer may not import it).
 *
 * Each file's text is generated when it is opened, so one open sees one
 * consistent snapshot, and reads page through it with the file offset.
 * Formats follow Linux closely enough for `ps`-style parsers:
 *
 * - `/proc/PID/stat`: the 52 fields of Linux `proc_pid_stat`, in order;
 *   fields the kernel does not track are 0.
 * - `/proc/PID/status`: `Name`, `Umask`, `State`, `Tgid`, `Pid`, `PPid`,
 *   `TracerPid`, `Uid`, `Gid`, `FDSize`, `VmPeak`, `VmSize`, `VmRSS`,
 *   `Threads`, `SigPnd`, `ShdPnd`, `SigBlk`, `SigIgn`, `SigCgt`.
 * - `/proc/PID/cmdline` (NUL-terminated arguments), `/proc/PID/comm`,
 *   `/proc/PID/cwd` and `/proc/PID/exe` (links), `/proc/PID/fd/N` (a link
 *   per descriptor to the path it was opened by).
 * - `/proc/self` (symlink to the caller's pid), `/proc/meminfo`,
 *   `/proc/uptime`, `/proc/interrupts`, `/proc/version`, and any file the
 *   kernel adds with {@link ProcFs.addFile} (e.g. `mounts`, `modules`).
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { type FileSystem, type FileTimes, type FsInode, makeStat, uniformTimes } from "./node.ts";
import {
  type DirEntry,
  type FileOps,
  type OpenFile,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  type Stat,
} from "./types.ts";

/** What /proc shows of one process. Times are in clock ticks ({@link ProcInfoProvider.ticksPerSecond}). */
export interface ProcessInfo {
  /** Process id (thread-group id). */
  pid: number;
  /** Parent process id (0 for init). */
  ppid: number;
  /** Process group. */
  pgid: number;
  /** Session. */
  sid: number;
  /** Command name (at most 15 characters are shown, as Linux's TASK_COMM_LEN). */
  comm: string;
  /** State letter: R, S, D, T, t, Z, X or I. */
  state: string;
  /** Controlling terminal device number (0 = none). */
  ttyNr?: number;
  /** Foreground process group of the controlling terminal (-1 = none). */
  tpgid?: number;
  /** Kernel flags word. */
  flags?: number;
  /** Minor faults. */
  minflt?: number;
  /** Minor faults of waited-for children. */
  cminflt?: number;
  /** Major faults (pages read from swap or disk). */
  majflt?: number;
  /** Major faults of waited-for children. */
  cmajflt?: number;
  /** User-mode time. */
  utime?: number;
  /** Kernel-mode time. */
  stime?: number;
  /** Children's user time. */
  cutime?: number;
  /** Children's kernel time. */
  cstime?: number;
  /** Scheduling priority as Linux shows it (20 + nice for normal tasks). */
  priority?: number;
  /** Nice value. */
  nice?: number;
  /** Threads in the process. */
  numThreads?: number;
  /** Start time after boot, in ticks. */
  startTime?: number;
  /** Virtual memory size in bytes. */
  vsize?: number;
  /** Resident pages. */
  rss?: number;
  /** Real user id. */
  uid?: number;
  /** Real group id. */
  gid?: number;
  /** Pending signals (bit n-1 = signal n). */
  sigPending?: bigint;
  /** Blocked signals. */
  sigBlocked?: bigint;
  /** Ignored signals. */
  sigIgnored?: bigint;
  /** Caught signals. */
  sigCaught?: bigint;
  /** Exit status (zombies). */
  exitCode?: number;
  /** Arguments. */
  cmdline?: string[];
  /** Number of open descriptors slots (FDSize). */
  fdSize?: number;
  /** Page size in bytes used for rss (default 4096). */
  pageSize?: number;
  /** Working directory (the `cwd` link). */
  cwd?: string;
  /** Path of the running program (the `exe` link). */
  exe?: string;
  /** Open descriptors and the paths they were opened by (the `fd/N` links). */
  fds?: { fd: number; path: string }[];
  /** Mapped regions, in address order (`/proc/PID/maps`). */
  maps?: MapInfo[];
}

/** One mapped region of a process. */
export interface MapInfo {
  /** First address. */
  start: number;
  /** End address (exclusive). */
  end: number;
  /** Readable. */
  read: boolean;
  /** Writable. */
  write: boolean;
  /** Executable. */
  exec: boolean;
  /** Program path, `[heap]`, `[stack]`, or "" for an anonymous mapping. */
  name: string;
}

/** A hart for /proc/cpuinfo. */
export interface CpuInfo {
  /** Hart id. */
  hart: number;
  /** ISA string, e.g. `rv32ima_zicsr`. */
  isa: string;
  /** Translation mode, e.g. `sv32`. */
  mmu: string;
  /** mvendorid, marchid and mimpid. */
  mvendorid: number;
  /** Architecture id. */
  marchid: number;
  /** Implementation id. */
  mimpid: number;
}

/** Memory totals for /proc/meminfo, in bytes. */
export interface MemInfo {
  /** Usable RAM. */
  totalBytes: number;
  /** Free RAM. */
  freeBytes: number;
  /** Estimate available for new programs (default: free). */
  availableBytes?: number;
  /** Buffer cache. */
  buffersBytes?: number;
  /** Page cache. */
  cachedBytes?: number;
  /** Swap size. */
  swapTotalBytes?: number;
  /** Free swap. */
  swapFreeBytes?: number;
}

/** An interrupt line for /proc/interrupts. */
export interface InterruptInfo {
  /** Line number. */
  irq: number;
  /** Times taken. */
  count: number;
  /** Controller and device, e.g. `PLIC 10 uart`. */
  name: string;
}

/** The kernel-core side of /proc (implemented by the process layer). */
export interface ProcInfoProvider {
  /** Live process ids. */
  pids(): number[];
  /** Snapshot of a process, or null if it does not exist. */
  process(pid: number): ProcessInfo | null;
  /** The pid of the process making the current system call (for /proc/self). */
  selfPid(): number;
  /** Memory totals. */
  memory(): MemInfo;
  /** Seconds since boot and seconds spent idle (simulated time). */
  uptime(): { seconds: number; idleSeconds: number };
  /** Interrupt counters. */
  interrupts(): InterruptInfo[];
  /** The text of /proc/version (without the newline). */
  version(): string;
  /** Clock ticks per second of the stat times (USER_HZ, 100 on Linux). */
  readonly ticksPerSecond?: number;
  /** The harts for /proc/cpuinfo (the file exists only with this). */
  cpus?(): CpuInfo[];
}

const te = new TextEncoder();
const ROOT_INO = 1;

/** Serves a generated byte string read-only from the description's offset. */
const GENERATED_OPS: FileOps = {
  read(file: OpenFile, buf: Uint8Array): number {
    const data = file.priv as Uint8Array;
    if (file.offset >= data.length) return 0;
    const n = Math.min(buf.length, data.length - file.offset);
    buf.set(data.subarray(file.offset, file.offset + n));
    file.offset += n;
    return n;
  },
  write: () => K.BADF,
};

const DIR_BASE_OPS = { read: () => K.ISDIR, write: () => K.ISDIR };

/** A generated file: its text is computed at open. */
class GenFile implements FsInode {
  readonly fileOps = GENERATED_OPS;
  constructor(
    readonly ino: number,
    readonly generate: () => string | Uint8Array | null,
    readonly times: FileTimes,
    readonly uid = 0,
    readonly gid = 0,
  ) {}
  stat(): Stat {
    // Size 0, as on Linux: the content exists only once opened.
    return makeStat({
      ...this.times,
      dev: 3,
      ino: this.ino,
      mode: S_IFREG | 0o444,
      uid: this.uid,
      gid: this.gid,
    });
  }
  open(file: OpenFile): KStatus {
    const text = this.generate();
    if (text === null) return K.NOENT; // the process exited meanwhile
    file.priv = typeof text === "string" ? te.encode(text) : text;
    return K.OK;
  }
}

/** The /proc file system. */
export class ProcFs implements FileSystem {
  /** Type name. */
  readonly type = "proc";
  /** Everything here is generated: writes give K.ROFS. */
  readonly readOnly = true;
  /** Root directory. */
  readonly root: FsInode;
  readonly #p: ProcInfoProvider;
  readonly #files = new Map<string, GenFile>();
  readonly #pidDirs = new Map<number, FsInode>();
  readonly #self: FsInode;
  readonly #times: FileTimes;
  #nextIno = 2;

  /**
   * Creates /proc over `provider`. Every inode shows `timeNs` (the mount
   * time, realtime ns) as its times.
   */
  constructor(provider: ProcInfoProvider, timeNs = 0n) {
    this.#p = provider;
    const times = uniformTimes(timeNs);
    this.#times = times;
    const p = provider;
    this.addFile("meminfo", () => formatMeminfo(p.memory()));
    this.addFile("uptime", () => {
      const u = p.uptime();
      return `${u.seconds.toFixed(2)} ${u.idleSeconds.toFixed(2)}\n`;
    });
    this.addFile("interrupts", () => formatInterrupts(p.interrupts()));
    this.addFile("version", () => p.version() + "\n");
    const cpus = p.cpus?.bind(p);
    if (cpus !== undefined) this.addFile("cpuinfo", () => formatCpuinfo(cpus()));
    this.#self = linkInode(this.#nextIno++, () => String(p.selfPid()), times);
    const rootOps: FileOps = {
      ...DIR_BASE_OPS,
      readdir: (file: OpenFile): DirEntry[] => {
        const out: DirEntry[] = [
          { ino: ROOT_INO, name: ".", type: S_IFDIR },
          { ino: ROOT_INO, name: "..", type: S_IFDIR },
        ];
        for (const [name, f] of this.#files) out.push({ ino: f.ino, name, type: S_IFREG });
        out.push({ ino: this.#self.ino, name: "self", type: S_IFLNK });
        const pids = this.#p.pids().slice().sort((a, b) => a - b);
        for (const pid of pids) out.push({ ino: pidIno(pid, 0), name: String(pid), type: S_IFDIR });
        return out.slice(file.offset);
      },
    };
    this.root = {
      ino: ROOT_INO,
      fileOps: rootOps,
      stat: () => makeStat({ ...times, dev: 3, ino: ROOT_INO, mode: S_IFDIR | 0o555, nlink: 2 }),
      lookup: (name: string) => this.#lookupRoot(name),
    };
  }

  /** Adds a generated file `/proc/NAME` (e.g. `mounts`, `modules`, `cpuinfo`). */
  addFile(name: string, generate: () => string): void {
    this.#files.set(name, new GenFile(this.#nextIno++, generate, this.#times));
  }

  #lookupRoot(name: string): FsInode | KStatus {
    const f = this.#files.get(name);
    if (f !== undefined) return f;
    if (name === "self") return this.#self;
    if (!/^[1-9][0-9]{0,9}$/.test(name)) return K.NOENT;
    const pid = Number(name);
    const info = this.#p.process(pid);
    if (info === null) {
      this.#pidDirs.delete(pid);
      return K.NOENT;
    }
    let dir = this.#pidDirs.get(pid);
    if (dir === undefined) {
      dir = this.#makePidDir(pid);
      this.#pidDirs.set(pid, dir);
    }
    return dir;
  }

  #makePidDir(pid: number): FsInode {
    const p = this.#p;
    const gen = (fmt: (info: ProcessInfo) => string | Uint8Array) => () => {
      const info = p.process(pid);
      return info === null ? null : fmt(info);
    };
    const owner = p.process(pid);
    const uid = owner?.uid ?? 0, gid = owner?.gid ?? 0;
    const times = this.#times;
    const file = (k: number, generate: () => string | Uint8Array | null) =>
      new GenFile(pidIno(pid, k), generate, times, uid, gid);
    const files = new Map<string, GenFile>([
      ["cmdline", file(1, gen(formatCmdline))],
      ["comm", file(2, gen((i) => i.comm.slice(0, 15) + "\n"))],
      ["stat", file(3, gen(formatStat))],
      ["status", file(4, gen(formatStatus))],
      ["maps", file(8, gen(formatMaps))],
    ]);
    const dirIno = pidIno(pid, 0);
    const links = new Map<string, FsInode>([
      ["cwd", linkInode(pidIno(pid, 5), () => p.process(pid)?.cwd ?? null, times, uid, gid)],
      ["exe", linkInode(pidIno(pid, 6), () => p.process(pid)?.exe ?? null, times, uid, gid)],
    ]);
    const fdDir = this.#makeFdDir(pid, dirIno, uid, gid);
    const ops: FileOps = {
      ...DIR_BASE_OPS,
      readdir(file: OpenFile): DirEntry[] {
        const out: DirEntry[] = [
          { ino: dirIno, name: ".", type: S_IFDIR },
          { ino: ROOT_INO, name: "..", type: S_IFDIR },
        ];
        for (const [name, f] of files) out.push({ ino: f.ino, name, type: S_IFREG });
        for (const [name, l] of links) out.push({ ino: l.ino, name, type: S_IFLNK });
        out.push({ ino: fdDir.ino, name: "fd", type: S_IFDIR });
        return out.slice(file.offset);
      },
    };
    return {
      ino: dirIno,
      fileOps: ops,
      stat: () =>
        makeStat({ ...times, dev: 3, ino: dirIno, mode: S_IFDIR | 0o555, nlink: 3, uid, gid }),
      lookup: (name: string) => {
        if (p.process(pid) === null) return K.NOENT;
        if (name === "fd") return fdDir;
        return files.get(name) ?? links.get(name) ?? K.NOENT;
      },
    };
  }

  /** `/proc/PID/fd`: one symbolic link per open descriptor, to the path it was opened by. */
  #makeFdDir(pid: number, parentIno: number, uid: number, gid: number): FsInode {
    const p = this.#p;
    const times = this.#times;
    const ino = pidIno(pid, 7);
    const fdsOf = () => p.process(pid)?.fds ?? [];
    const cache = new Map<number, FsInode>();
    const entry = (fd: number): FsInode => {
      let l = cache.get(fd);
      if (l === undefined) {
        l = linkInode(
          FD_INO_BASE + pid * 4096 + (fd & 4095),
          () => {
            return fdsOf().find((e) => e.fd === fd)?.path ?? null;
          },
          times,
          uid,
          gid,
        );
        cache.set(fd, l);
      }
      return l;
    };
    return {
      ino,
      fileOps: {
        ...DIR_BASE_OPS,
        readdir: (file: OpenFile): DirEntry[] => {
          const out: DirEntry[] = [
            { ino, name: ".", type: S_IFDIR },
            { ino: parentIno, name: "..", type: S_IFDIR },
          ];
          const fds = fdsOf().slice().sort((a, b) => a.fd - b.fd);
          for (const e of fds) {
            out.push({ ino: entry(e.fd).ino, name: String(e.fd), type: S_IFLNK });
          }
          return out.slice(file.offset);
        },
      },
      stat: () => makeStat({ ...times, dev: 3, ino, mode: S_IFDIR | 0o500, nlink: 2, uid, gid }),
      lookup: (name: string) => {
        if (!/^(0|[1-9][0-9]{0,8})$/.test(name)) return K.NOENT;
        const fd = Number(name);
        return fdsOf().some((e) => e.fd === fd) ? entry(fd) : K.NOENT;
      },
    };
  }
}

const FD_INO_BASE = 0x4000_0000;

/** A symbolic link whose target is computed when read (K.NOENT when gone). */
function linkInode(
  ino: number,
  target: () => string | null,
  times: FileTimes,
  uid = 0,
  gid = 0,
): FsInode {
  return {
    ino,
    fileOps: GENERATED_OPS,
    stat: () => makeStat({ ...times, dev: 3, ino, mode: S_IFLNK | 0o777, uid, gid }),
    readlink: () => target() ?? K.NOENT,
  };
}

function pidIno(pid: number, k: number): number {
  return 0x1000 + pid * 16 + k;
}

function kb(bytes: number | undefined): number {
  return Math.floor((bytes ?? 0) / 1024);
}

/** Formats /proc/meminfo (label padded to 16 columns, value to 8, in kB, as Linux). */
export function formatMeminfo(m: MemInfo): string {
  const rows: [string, number][] = [
    ["MemTotal", kb(m.totalBytes)],
    ["MemFree", kb(m.freeBytes)],
    ["MemAvailable", kb(m.availableBytes ?? m.freeBytes)],
    ["Buffers", kb(m.buffersBytes)],
    ["Cached", kb(m.cachedBytes)],
    ["SwapTotal", kb(m.swapTotalBytes)],
    ["SwapFree", kb(m.swapFreeBytes)],
  ];
  return rows.map(([l, v]) => `${(l + ":").padEnd(16)}${String(v).padStart(8)} kB\n`).join("");
}

/** Formats /proc/interrupts (one CPU column). */
export function formatInterrupts(list: InterruptInfo[]): string {
  let s = "           CPU0\n";
  for (const i of [...list].sort((a, b) => a.irq - b.irq)) {
    s += `${String(i.irq).padStart(3)}: ${String(i.count).padStart(10)}  ${i.name}\n`;
  }
  return s;
}

/** Formats /proc/PID/cmdline: each argument followed by NUL. */
export function formatCmdline(info: ProcessInfo): Uint8Array {
  const args = info.cmdline ?? [];
  const parts = args.map((a) => te.encode(a));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length + 1;
  }
  return out;
}

function low32(v: bigint | undefined): number {
  return Number((v ?? 0n) & 0xffff_ffffn);
}

/** Formats /proc/PID/stat: the 52 fields of Linux, space-separated, newline-terminated. */
export function formatStat(i: ProcessInfo): string {
  const f: (string | number)[] = [
    i.pid,
    `(${i.comm.slice(0, 15)})`,
    i.state,
    i.ppid,
    i.pgid,
    i.sid,
    i.ttyNr ?? 0,
    i.tpgid ?? -1,
    i.flags ?? 0,
    i.minflt ?? 0,
    i.cminflt ?? 0,
    i.majflt ?? 0,
    i.cmajflt ?? 0,
    i.utime ?? 0,
    i.stime ?? 0,
    i.cutime ?? 0,
    i.cstime ?? 0,
    i.priority ?? 20 + (i.nice ?? 0),
    i.nice ?? 0,
    i.numThreads ?? 1,
    0, // itrealvalue (always 0 since Linux 2.6.17)
    i.startTime ?? 0,
    i.vsize ?? 0,
    i.rss ?? 0,
    4294967295, // rsslim: RLIM_INFINITY on a 32-bit kernel
    0, // startcode
    0, // endcode
    0, // startstack
    0, // kstkesp
    0, // kstkeip
    low32(i.sigPending),
    low32(i.sigBlocked),
    low32(i.sigIgnored),
    low32(i.sigCaught),
    0, // wchan
    0, // nswap
    0, // cnswap
    17, // exit_signal: SIGCHLD
    0, // processor
    0, // rt_priority
    0, // policy
    0, // delayacct_blkio_ticks
    0, // guest_time
    0, // cguest_time
    0, // start_data
    0, // end_data
    0, // start_brk
    0, // arg_start
    0, // arg_end
    0, // env_start
    0, // env_end
    i.exitCode ?? 0,
  ];
  return f.join(" ") + "\n";
}

const STATE_NAMES: Record<string, string> = {
  R: "R (running)",
  S: "S (sleeping)",
  D: "D (disk sleep)",
  T: "T (stopped)",
  t: "t (tracing stop)",
  Z: "Z (zombie)",
  X: "X (dead)",
  I: "I (idle)",
};

function hex16(v: bigint | undefined): string {
  return (v ?? 0n).toString(16).padStart(16, "0");
}

/** Formats /proc/PID/status in Linux's `Key:\tvalue` layout. */
export function formatStatus(i: ProcessInfo): string {
  const uid = i.uid ?? 0, gid = i.gid ?? 0;
  const vmKb = kb(i.vsize);
  const rssKb = Math.floor((i.rss ?? 0) * (i.pageSize ?? 4096) / 1024);
  const kbField = (n: number) => `${String(n).padStart(8)} kB`;
  const lines = [
    `Name:\t${i.comm.slice(0, 15)}`,
    `Umask:\t0022`,
    `State:\t${STATE_NAMES[i.state] ?? i.state}`,
    `Tgid:\t${i.pid}`,
    `Ngid:\t0`,
    `Pid:\t${i.pid}`,
    `PPid:\t${i.ppid}`,
    `TracerPid:\t0`,
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    `FDSize:\t${i.fdSize ?? 64}`,
    `VmPeak:\t${kbField(vmKb)}`,
    `VmSize:\t${kbField(vmKb)}`,
    `VmRSS:\t${kbField(rssKb)}`,
    `Threads:\t${i.numThreads ?? 1}`,
    `SigPnd:\t${hex16(i.sigPending)}`,
    `ShdPnd:\t${hex16(i.sigPending)}`,
    `SigBlk:\t${hex16(i.sigBlocked)}`,
    `SigIgn:\t${hex16(i.sigIgnored)}`,
    `SigCgt:\t${hex16(i.sigCaught)}`,
  ];
  return lines.join("\n") + "\n";
}

/**
 * Formats /proc/PID/maps as Linux does on a 32-bit machine: `start-end perms
 * offset dev inode`, then the name from column 50. Every mapping is private
 * (`p`); offset, device and inode are 0 (no file-backed mappings yet).
 */
export function formatMaps(i: ProcessInfo): string {
  const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  let out = "";
  for (const m of i.maps ?? []) {
    const perms = (m.read ? "r" : "-") + (m.write ? "w" : "-") + (m.exec ? "x" : "-") + "p";
    // Linux pads the header (which ends in a space) to 48 columns, then puts
    // a space before a name; an unnamed line keeps its trailing space.
    const head = `${hex8(m.start)}-${hex8(m.end)} ${perms} 00000000 00:00 0 `;
    out += m.name === "" ? `${head}\n` : `${head.padEnd(48)} ${m.name}\n`;
  }
  return out;
}

/** Formats /proc/cpuinfo with the fields Linux prints for a RISC-V hart. */
export function formatCpuinfo(cpus: CpuInfo[]): string {
  const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
  return cpus.map((c, n) =>
    `processor\t: ${n}\nhart\t\t: ${c.hart}\nisa\t\t: ${c.isa}\nmmu\t\t: ${c.mmu}\n` +
    `mvendorid\t: ${hex(c.mvendorid)}\nmarchid\t\t: ${hex(c.marchid)}\n` +
    `mimpid\t\t: ${hex(c.mimpid)}\n\n`
  ).join("");
}
