/**
 * The Linux text formats of procfs files, each a pure function of the
 * provider's records: /proc/meminfo, /proc/interrupts, /proc/cpuinfo, and
 * per process `cmdline`, `stat` (the 52 fields of `proc_pid_stat`),
 * `status` and `maps`.
 *
 * @module
 */

import type { CpuInfo, InterruptInfo, MemInfo, ModuleLine, ProcessInfo } from "./procfs_info.ts";

const te = new TextEncoder();

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
    ["Dirty", kb(m.dirtyBytes)],
    ["Shmem", kb(m.shmemBytes)],
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
    `Tgid:\t${i.tgid ?? i.pid}`,
    `Ngid:\t0`,
    `Pid:\t${i.pid}`,
    `PPid:\t${i.ppid}`,
    `TracerPid:\t0`,
    `Personality:\t${i.personality || "none"}`,
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    `FDSize:\t${i.fdSize ?? 64}`,
    `VmPeak:\t${kbField(vmKb)}`,
    `VmSize:\t${kbField(vmKb)}`,
    `VmRSS:\t${kbField(rssKb)}`,
    `Threads:\t${i.numThreads ?? 1}`,
    `SigPnd:\t${hex16(i.sigPending)}`,
    `ShdPnd:\t${hex16(i.sigShared ?? 0n)}`,
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

/** `/proc/PID/sched`: Linux's layout (name line, rule, `key : value`), times in ms. */
export function formatSched(i: ProcessInfo): string {
  const s = i.sched;
  if (s === undefined) return "";
  const ms = (ns: number) => (ns / 1e6).toFixed(6);
  const rows: [string, string | number][] = [
    ["se.sum_exec_runtime", ms(s.execNs)],
    ["se.statistics.wait_sum", ms(s.waitSumNs)],
    ["se.statistics.wait_count", s.waitCount],
    ["response.sum", ms(s.responseSumNs)],
    ["response.count", s.responseCount],
    ["response.max", ms(s.responseMaxNs)],
    ["nr_switches", s.voluntary + s.involuntary],
    ["nr_voluntary_switches", s.voluntary],
    ["nr_involuntary_switches", s.involuntary],
    ["policy", s.policy],
    ["prio", s.prio],
    ["dl.runtime", s.dlRuntime],
    ["dl.deadline", s.dlDeadline],
    ["dl.period", s.dlPeriod],
    ["dl.jobs", s.jobs],
    ["dl.deadline_misses", s.deadlineMisses],
  ];
  const head = `${i.comm.slice(0, 15)} (${i.pid}, #threads: ${i.numThreads ?? 1})\n`;
  const rule = "-".repeat(67) + "\n";
  return head + rule + rows.map(([k, v]) => `${k.padEnd(45)}:${String(v).padStart(21)}\n`).join("");
}

/** `/proc/modules`: Linux's `name size refcount users state offset` lines. */
export function formatModules(mods: ModuleLine[]): string {
  return mods.map((m) =>
    `${m.name} ${m.size} ${m.refs} ${
      m.usedBy.length ? m.usedBy.join(",") + "," : "-"
    } Live 0x00000000\n`
  ).join("");
}
