import assert from "node:assert/strict";
import { SupportLevel } from "../../../../kernel/api.ts";
import {
  buildSyscallArrays,
  isUnixExecutable,
  NR,
  UNIX_SYSCALLS,
} from "../../../../plugins/personalities/unix/mod.ts";
import { module } from "../../../../plugins/personalities/unix/mod.ts";

Deno.test("table agrees with the rv32 number list and covers the required calls", () => {
  const a = buildSyscallArrays();
  for (const s of UNIX_SYSCALLS) assert.equal(a.syscalls[s.nr], s.handler);
  const required = [
    "clone",
    "execve",
    "exit",
    "exit_group",
    "waitid",
    "getpid",
    "getppid",
    "gettid",
    "set_tid_address",
    "brk",
    "mmap2",
    "munmap",
    "mprotect",
    "sched_yield",
    "clock_nanosleep_time64",
    "clock_gettime64",
    "uname",
    "kill",
    "tgkill",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "setpgid",
    "getpgid",
    "setsid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "openat",
    "close",
    "read",
    "write",
    "readv",
    "writev",
    "llseek",
    "statx",
    "getdents64",
    "dup",
    "dup3",
    "pipe2",
    "chdir",
    "getcwd",
    "mkdirat",
    "unlinkat",
    "fcntl64",
    "ioctl",
    "reboot",
    "getrandom",
  ];
  const names = new Set(UNIX_SYSCALLS.map((s) => s.name));
  for (const r of required) assert.ok(names.has(r), `${r} missing`);
  assert.equal(a.syscallNames[NR.getpid], "getpid");
  // A named but unimplemented call answers ENOSYS (no handler) with support NONE.
  const ACCT = 89;
  assert.equal(a.syscalls[ACCT], undefined);
  assert.equal(a.syscallNames[ACCT], "acct");
  assert.equal(a.syscallSupport[ACCT], SupportLevel.NONE);
  // rv32 has no wait4, nanosleep, fstat: not even a name.
  for (const n of [260, 101, 80, 79]) assert.equal(a.syscallNames[n], undefined);
});

function elfHeader(cls: number, type: number, machine: number): Uint8Array {
  const b = new Uint8Array(52);
  b.set([0x7f, 0x45, 0x4c, 0x46, cls, 1, 1]);
  const v = new DataView(b.buffer);
  v.setUint16(16, type, true);
  v.setUint16(18, machine, true);
  return b;
}

Deno.test("format check: static ELF32 RISC-V executables only", () => {
  assert.equal(isUnixExecutable(elfHeader(1, 2, 243)), true);
  assert.equal(isUnixExecutable(elfHeader(2, 2, 243)), false); // ELF64
  assert.equal(isUnixExecutable(elfHeader(1, 3, 243)), false); // ET_DYN
  assert.equal(isUnixExecutable(elfHeader(1, 2, 62)), false); // x86-64
  assert.equal(isUnixExecutable(new TextEncoder().encode("MZ\x90\x00")), false);
  assert.equal(isUnixExecutable(new Uint8Array(0)), false);
  // A PT_INTERP program header (dynamically linked) is refused.
  const dyn = new Uint8Array(52 + 32);
  dyn.set(elfHeader(1, 2, 243));
  const v = new DataView(dyn.buffer);
  v.setUint32(28, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 1, true);
  v.setUint32(52, 1, true); // PT_LOAD
  assert.equal(isUnixExecutable(dyn), true);
  v.setUint32(52, 3, true); // PT_INTERP
  assert.equal(isUnixExecutable(dyn), false);
  v.setUint16(44, 100, true); // table runs past the file
  assert.equal(isUnixExecutable(dyn), false);
});

Deno.test("module descriptor", () => {
  assert.equal(module.kind, "personality");
  assert.equal(module.name, "unix");
  assert.equal(typeof module.init, "function");
});

Deno.test("the table is in number order", () => {
  const nums = UNIX_SYSCALLS.map((s) => s.nr);
  assert.deepEqual(nums, [...nums].sort((a, b) => a - b));
  assert.equal(new Set(nums).size, nums.length);
});
