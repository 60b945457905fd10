/**
 * The Unix personality's system call table: number -> name, handler and
 * support level, with a note for the documentation. Every rv32 number not
 * implemented here still has its name (for tracing) and answers ENOSYS.
 *
 * `docs/syscalls_unix.md` is generated from this table and the errno map
 * (`deno run -A plugins/personalities/unix/syscall_doc.ts`).
 *
 * @module
 */

import { sysFstatfs64, sysStatfs64 } from "./statfs_calls.ts";
import { sysMount, sysUmount2 } from "./mount_calls.ts";
import { sysSyslog } from "./syslog_calls.ts";
import {
  sysDeleteModule,
  sysInitModule,
  sysStrataModuleInfo,
  sysStrataModuleLoad,
  sysStrataModuleSwap,
} from "./module_calls.ts";
import {
  sysSchedGetattr,
  sysSchedGetparam,
  sysSchedGetscheduler,
  sysSchedRrGetInterval,
  sysSchedSetattr,
  sysSchedSetparam,
  sysSchedSetscheduler,
} from "./sched_calls.ts";
import { sysPrlimit64 } from "./rlimit_calls.ts";
import { sysGetgroups, sysSetgroups } from "./group_calls.ts";
import type { SyscallHandler } from "../../../kernel/api.ts";
import {
  sysExecve,
  sysGetgid,
  sysGetpgid,
  sysGetpid,
  sysGetppid,
  sysGetpriority,
  sysGetresgid,
  sysGetresuid,
  sysGetsid,
  sysGettid,
  sysGetuid,
  sysKill,
  sysSchedGetaffinity,
  sysSchedPriorityMax,
  sysSchedPriorityMin,
  sysSchedSetaffinity,
  sysSchedYield,
  sysSetgid,
  sysSetpgid,
  sysSetpriority,
  sysSetregid,
  sysSetresgid,
  sysSetresuid,
  sysSetreuid,
  sysSetsid,
  sysSetuid,
  sysTgkill,
  sysTkill,
  sysUmask,
  sysWaitid,
} from "./process_calls.ts";
import {
  sysClone,
  sysExit,
  sysExitGroup,
  sysFutex,
  sysGetRobustList,
  sysSetRobustList,
  sysSetTidAddress,
} from "./thread_calls.ts";
import { sysBrk, sysMmap2, sysMprotect, sysMunmap } from "./memory_calls.ts";
import { sysClose, sysDup, sysDup3, sysOpenat, sysPipe2 } from "./open_calls.ts";
import {
  sysFdatasync,
  sysFsync,
  sysLlseek,
  sysPread64,
  sysPwrite64,
  sysRead,
  sysReadv,
  sysSync,
  sysSyncfs,
  sysWrite,
  sysWritev,
} from "./read_write_calls.ts";
import { sysPpollTime64, sysPselect6Time64 } from "./poll_calls.ts";
import {
  sysFaccessat,
  sysFchmod,
  sysFchmodat,
  sysFtruncate64,
  sysStatx,
  sysTruncate64,
  sysUtimensatTime64,
} from "./stat_calls.ts";
import { sysFcntl64, sysIoctl } from "./fcntl_calls.ts";
import {
  sysChdir,
  sysFchdir,
  sysGetcwd,
  sysGetdents64,
  sysLinkat,
  sysMkdirat,
  sysReadlinkat,
  sysRenameat2,
  sysSymlinkat,
  sysUnlinkat,
} from "./dir_calls.ts";
import {
  sysRtSigaction,
  sysRtSigpending,
  sysRtSigprocmask,
  sysRtSigreturn,
  sysRtSigsuspend,
  sysSigaltstack,
} from "./signal_calls.ts";
import {
  sysClockGetres64,
  sysClockGettime64,
  sysClockNanosleep64,
  sysGetrusage,
  sysTimes,
} from "./time_calls.ts";
import {
  sysGetcpu,
  sysGetrandom,
  sysPersonality,
  sysPrctl,
  sysReboot,
  sysSysinfo,
  sysUname,
} from "./info_calls.ts";

/** Support level names as the documentation shows them. */
export type Support = "full" | "partial" | "none";

/** One implemented call. */
export interface SyscallEntry {
  /** rv32 call number (a7). */
  readonly nr: number;
  /** Name (without the sys_ prefix). */
  readonly name: string;
  /** The handler. */
  readonly handler: SyscallHandler;
  /** How completely it follows Linux. */
  readonly support: Support;
  /** What differs from Linux, or "" when nothing does. */
  readonly notes: string;
}

const e = (
  nr: number,
  name: string,
  handler: SyscallHandler,
  support: Support,
  notes = "",
): SyscallEntry => ({ nr, name, handler, support, notes });

/** The implemented calls, in number order. */
export const UNIX_SYSCALLS: readonly SyscallEntry[] = [
  e(17, "getcwd", sysGetcwd, "full", "returns the length including the NUL, as the raw call does"),
  e(23, "dup", sysDup, "full"),
  e(24, "dup3", sysDup3, "full"),
  e(
    25,
    "fcntl64",
    sysFcntl64,
    "partial",
    "F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL (O_APPEND, O_NONBLOCK); " +
      "record locks give EOPNOTSUPP; other commands EINVAL",
  ),
  e(
    29,
    "ioctl",
    sysIoctl,
    "full",
    "FIOCLEX/FIONCLEX/FIONBIO here; everything else passed to the file (tty: termios, " +
      "window size, process group; pipe: FIONREAD); ENOTTY otherwise",
  ),
  e(34, "mkdirat", sysMkdirat, "full"),
  e(35, "unlinkat", sysUnlinkat, "full", "AT_REMOVEDIR supported"),
  e(36, "symlinkat", sysSymlinkat, "full"),
  e(37, "linkat", sysLinkat, "partial", "AT_SYMLINK_FOLLOW; AT_EMPTY_PATH gives EINVAL"),
  e(
    39,
    "umount2",
    sysUmount2,
    "partial",
    "EBUSY while files are open; MNT_FORCE/MNT_DETACH/MNT_EXPIRE give EINVAL",
  ),
  e(
    40,
    "mount",
    sysMount,
    "partial",
    "registered types (ext2 on a block device); MS_RDONLY; MS_REMOUNT/MS_BIND/MS_MOVE give EINVAL",
  ),
  e(
    43,
    "statfs64",
    sysStatfs64,
    "full",
    "ramfs: its size limit (tmpfs's magic); ext2: the superblock's counts",
  ),
  e(44, "fstatfs64", sysFstatfs64, "full"),
  e(45, "truncate64", sysTruncate64, "full"),
  e(46, "ftruncate64", sysFtruncate64, "full"),
  e(48, "faccessat", sysFaccessat, "partial", "owner and other bits only (no group check)"),
  e(49, "chdir", sysChdir, "full"),
  e(50, "fchdir", sysFchdir, "partial", "re-resolves the directory by the path it was opened by"),
  e(52, "fchmod", sysFchmod, "partial", "applied through the path the file was opened by"),
  e(53, "fchmodat", sysFchmodat, "full"),
  e(
    56,
    "openat",
    sysOpenat,
    "partial",
    "O_TMPFILE gives EOPNOTSUPP; O_NOCTTY, O_SYNC, O_DIRECT, O_NOATIME accepted and ignored; " +
      "a dirfd is re-resolved by the path it was opened by",
  ),
  e(57, "close", sysClose, "full"),
  e(59, "pipe2", sysPipe2, "partial", "O_CLOEXEC, O_NONBLOCK; O_DIRECT (packet mode) gives EINVAL"),
  e(61, "getdents64", sysGetdents64, "full", "d_off is the entry index"),
  e(62, "llseek", sysLlseek, "full", "the lseek of 32-bit Linux: 64-bit result stored in memory"),
  e(63, "read", sysRead, "full"),
  e(
    64,
    "write",
    sysWrite,
    "full",
    "EPIPE raises SIGPIPE; a blocking write to a pipe or tty waits until all of it is " +
      "written; a handler interrupting it after part of it makes it return that part",
  ),
  e(
    65,
    "readv",
    sysReadv,
    "partial",
    "streams and devices: one read of at most 64 KiB per call (regular files: all of it)",
  ),
  e(66, "writev", sysWritev, "full", "atomic for pipes up to PIPE_BUF (gathered into one write)"),
  e(67, "pread64", sysPread64, "partial", "at most 64 KiB per call"),
  e(68, "pwrite64", sysPwrite64, "partial", "at most 64 KiB per call"),
  e(78, "readlinkat", sysReadlinkat, "full"),
  e(81, "sync", sysSync, "full", "file systems, then every disk's dirty blocks and FLUSH CACHE"),
  e(
    82,
    "fsync",
    sysFsync,
    "full",
    "block devices and disk file systems: dirty blocks written, then FLUSH CACHE; " +
      "memory file systems have nothing to write",
  ),
  e(83, "fdatasync", sysFdatasync, "full", "as fsync (the file system may skip attributes)"),
  e(92, "personality", sysPersonality, "full", "only PER_LINUX"),
  e(
    93,
    "exit",
    sysExit,
    "full",
    "ends the calling thread (robust list, clear_child_tid and its futex wake); the last " +
      "thread's exit ends the process",
  ),
  e(94, "exit_group", sysExitGroup, "full", "ends every thread with this status"),
  e(
    95,
    "waitid",
    sysWaitid,
    "partial",
    "P_ALL, P_PID, P_PGID; WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT; P_PIDFD gives " +
      "EINVAL; rusage has only the user and system times",
  ),
  e(
    96,
    "set_tid_address",
    sysSetTidAddress,
    "full",
    "per thread: the word is zeroed and futex-woken when the thread exits",
  ),
  e(99, "set_robust_list", sysSetRobustList, "full", "walked at thread exit: owner-died + wake"),
  e(100, "get_robust_list", sysGetRobustList, "full"),
  e(
    105,
    "init_module",
    sysInitModule,
    "none",
    "modules are named, never supplied by the guest: strata_module_load (1000)",
  ),
  e(106, "delete_module", sysDeleteModule, "full", "O_TRUNC forces (rmmod -f); uid 0 only"),
  e(
    116,
    "syslog",
    sysSyslog,
    "partial",
    "the kernel ring buffer for dmesg; no destructive read (2)",
  ),
  e(
    118,
    "sched_setparam",
    sysSchedSetparam,
    "full",
    "rt priority 1..99 within SCHED_FIFO/RR, 0 otherwise",
  ),
  e(
    119,
    "sched_setscheduler",
    sysSchedSetscheduler,
    "full",
    "SCHED_OTHER/BATCH/IDLE/FIFO/RR (+RESET_ON_FORK); the scheduler plugin gives them meaning",
  ),
  e(120, "sched_getscheduler", sysSchedGetscheduler, "full"),
  e(121, "sched_getparam", sysSchedGetparam, "full"),
  e(122, "sched_setaffinity", sysSchedSetaffinity, "full", "one CPU: the mask must include CPU 0"),
  e(123, "sched_getaffinity", sysSchedGetaffinity, "full", "one CPU"),
  e(124, "sched_yield", sysSchedYield, "full"),
  e(125, "sched_get_priority_max", sysSchedPriorityMax, "full"),
  e(126, "sched_get_priority_min", sysSchedPriorityMin, "full"),
  e(
    129,
    "kill",
    sysKill,
    "full",
    "root signals anyone; others their own uid's processes, SIGCONT within the session",
  ),
  e(130, "tkill", sysTkill, "full"),
  e(131, "tgkill", sysTgkill, "full"),
  e(
    132,
    "sigaltstack",
    sysSigaltstack,
    "partial",
    "per thread (fork copies the caller's, exec clears it); SS_AUTODISARM ignored; " +
      "rt_sigreturn does not reload uc_stack",
  ),
  e(133, "rt_sigsuspend", sysRtSigsuspend, "full"),
  e(
    134,
    "rt_sigaction",
    sysRtSigaction,
    "partial",
    "SA_SIGINFO, SA_RESTART, SA_NODEFER, SA_RESETHAND, SA_NOCLDSTOP, SA_ONSTACK honoured; " +
      "sigsetsize must be 8",
  ),
  e(135, "rt_sigprocmask", sysRtSigprocmask, "full", "sigsetsize must be 8"),
  e(136, "rt_sigpending", sysRtSigpending, "full"),
  e(
    139,
    "rt_sigreturn",
    sysRtSigreturn,
    "full",
    "restores x1-x31, f0-f31, fcsr, pc and the mask from the ucontext in the frame",
  ),
  e(
    140,
    "setpriority",
    sysSetpriority,
    "partial",
    "sets the threads' priority field (the nice value) that priority scheduler plugins use",
  ),
  e(141, "getpriority", sysGetpriority, "full", "returns 20 - nice, as the raw call does"),
  e(
    142,
    "reboot",
    sysReboot,
    "partial",
    "POWER_OFF, HALT, RESTART, RESTART2 all halt the machine with status 0; CAD_ON/OFF no-ops",
  ),
  e(
    143,
    "setregid",
    sysSetregid,
    "partial",
    "one id per process (real = effective = saved): root may set any, others only their own; differing values EINVAL",
  ),
  e(
    144,
    "setgid",
    sysSetgid,
    "partial",
    "one id per process (real = effective = saved): root may set any, others only their own; differing values EINVAL",
  ),
  e(
    145,
    "setreuid",
    sysSetreuid,
    "partial",
    "one id per process (real = effective = saved): root may set any, others only their own; differing values EINVAL",
  ),
  e(
    146,
    "setuid",
    sysSetuid,
    "partial",
    "one id per process (real = effective = saved): root may set any, others only their own; differing values EINVAL",
  ),
  e(
    147,
    "setresuid",
    sysSetresuid,
    "partial",
    "one id per process (real = effective = saved): root may set any, others only their own; differing values EINVAL",
  ),
  e(148, "getresuid", sysGetresuid, "full"),
  e(
    149,
    "setresgid",
    sysSetresgid,
    "partial",
    "one id per process (real = effective = saved): root may set any, others only their own; differing values EINVAL",
  ),
  e(150, "getresgid", sysGetresgid, "full"),
  e(153, "times", sysTimes, "full", "clock ticks of 10 ms (CLK_TCK 100) of simulated time"),
  e(154, "setpgid", sysSetpgid, "full"),
  e(155, "getpgid", sysGetpgid, "full"),
  e(156, "getsid", sysGetsid, "full"),
  e(157, "setsid", sysSetsid, "full"),
  e(158, "getgroups", sysGetgroups, "full"),
  e(159, "setgroups", sysSetgroups, "full", "root only; at most 65,536 groups"),
  e(
    160,
    "uname",
    sysUname,
    "full",
    'sysname "Linux", release "6.6.0-strata", version names Strata',
  ),
  e(
    165,
    "getrusage",
    sysGetrusage,
    "partial",
    "RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD: user and system times only, other fields 0",
  ),
  e(166, "umask", sysUmask, "full"),
  e(167, "prctl", sysPrctl, "partial", "PR_SET_NAME and PR_GET_NAME; other options EINVAL"),
  e(168, "getcpu", sysGetcpu, "full", "CPU 0, node 0"),
  e(172, "getpid", sysGetpid, "full"),
  e(173, "getppid", sysGetppid, "full"),
  e(174, "getuid", sysGetuid, "full"),
  e(175, "geteuid", sysGetuid, "full", "effective = real (no set-uid)"),
  e(176, "getgid", sysGetgid, "full"),
  e(177, "getegid", sysGetgid, "full", "effective = real (no set-gid)"),
  e(178, "gettid", sysGettid, "full"),
  e(
    179,
    "sysinfo",
    sysSysinfo,
    "partial",
    "uptime, RAM totals and process count; loads, shared/buffer RAM and swap are 0",
  ),
  e(214, "brk", sysBrk, "full"),
  e(215, "munmap", sysMunmap, "full"),
  e(
    220,
    "clone",
    sysClone,
    "partial",
    "threads (THREAD with VM, SIGHAND, FS and FILES; SYSVSEM accepted) or fork (exit signal " +
      "SIGCHLD); SETTLS, PARENT_SETTID, CHILD_SETTID, CHILD_CLEARTID; Linux's flag checks; " +
      "VM|VFORK is a COW fork whose parent sleeps until the child execs or exits; THREAD without FS or FILES, VM without THREAD or " +
      "VFORK, and namespaces EINVAL",
  ),
  e(
    221,
    "execve",
    sysExecve,
    "partial",
    "static ELF32 EM_RISCV ET_EXEC (ENOEXEC otherwise); #! scripts via the kernel's exec",
  ),
  e(
    222,
    "mmap2",
    sysMmap2,
    "partial",
    "anonymous memory only: MAP_SHARED anonymous is mapped private; file mappings give ENODEV",
  ),
  e(226, "mprotect", sysMprotect, "full"),
  e(
    261,
    "prlimit64",
    sysPrlimit64,
    "partial",
    "enforced: NPROC, NOFILE, AS, DATA, FSIZE, CPU, STACK (at exec); CORE and the rest are stored only",
  ),
  e(267, "syncfs", sysSyncfs, "full", "the file system's sync (disk file systems), else nothing"),
  e(273, "finit_module", sysInitModule, "none", "as init_module: strata_module_load (1000)"),
  e(
    274,
    "sched_setattr",
    sysSchedSetattr,
    "full",
    "SCHED_DEADLINE with the active policy's admission control (EBUSY); no CBS throttling",
  ),
  e(275, "sched_getattr", sysSchedGetattr, "full"),
  e(
    276,
    "renameat2",
    sysRenameat2,
    "partial",
    "flags 0 and RENAME_NOREPLACE; RENAME_EXCHANGE/WHITEOUT give EINVAL",
  ),
  e(278, "getrandom", sysGetrandom, "partial", "deterministic generator (reproducible runs)"),
  e(
    291,
    "statx",
    sysStatx,
    "full",
    "basic stats always filled; no birth time; the stat call of rv32 (no fstat/newfstatat)",
  ),
  e(
    403,
    "clock_gettime64",
    sysClockGettime64,
    "full",
    "REALTIME from the RTC, MONOTONIC/BOOTTIME simulated time, CPU-time clocks from cycles",
  ),
  e(406, "clock_getres_time64", sysClockGetres64, "full", "one CPU cycle"),
  e(
    407,
    "clock_nanosleep_time64",
    sysClockNanosleep64,
    "partial",
    "REALTIME/MONOTONIC/BOOTTIME, relative or TIMER_ABSTIME; a handler ends it with EINTR " +
      "(even with SA_RESTART, as Linux) and the time left is stored; a stop/continue resumes " +
      "it to the same deadline; CPU-time clocks EINVAL",
  ),
  e(
    412,
    "utimensat_time64",
    sysUtimensatTime64,
    "partial",
    "UTIME_NOW and UTIME_OMIT; a NULL path sets dirfd's file (through the path it was opened " +
      "by); AT_SYMLINK_NOFOLLOW; explicit times need the owner or root, both now also write " +
      "permission",
  ),
  e(
    413,
    "pselect6_time64",
    sysPselect6Time64,
    "partial",
    "readable on POLLIN, POLLHUP or POLLERR and writable on POLLOUT or POLLERR, as Linux; " +
      "never an exceptional condition; sets and timeout rewritten; a handler ends it with EINTR",
  ),
  e(
    414,
    "ppoll_time64",
    sysPpollTime64,
    "partial",
    "as Linux's pipe and tty poll: POLLIN on data (regular files always); POLLOUT with room " +
      "for PIPE_BUF bytes (ttys and regular files always); POLLHUP on a pipe read end whose " +
      "writers closed, POLLERR on a write end whose readers closed (both even unasked); " +
      "POLLNVAL for bad fds; no POLLPRI; sigmask swapped for the wait; a handler ends it " +
      "with EINTR",
  ),
  e(
    422,
    "futex_time64",
    sysFutex,
    "partial",
    "WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT_BITSET, WAKE_BITSET, with PRIVATE_FLAG " +
      "and CLOCK_REALTIME (bitset waits); keys are (address space, address); PI operations " +
      "ENOSYS",
  ),
  e(423, "sched_rr_get_interval_time64", sysSchedRrGetInterval, "full", "the policy's slice"),
  e(
    1000,
    "strata_module_load",
    sysStrataModuleLoad,
    "full",
    "Strata: load module NAME[@FILE] from the trusted directories with key=value params",
  ),
  e(
    1001,
    "strata_module_swap",
    sysStrataModuleSwap,
    "full",
    "Strata: replace a loaded module, handing its devices and state over",
  ),
  e(1002, "strata_module_info", sysStrataModuleInfo, "full", "Strata: modinfo text; ERANGE"),
];
