import assert from "node:assert/strict";
import { BLOCK, K, NO_RESULT, type Thread, WaitKind } from "../../../../kernel/api.ts";
import { buildSyscallArrays, NR } from "../../../../plugins/personalities/unix/mod.ts";
import { createUnixPersonality } from "../../../../plugins/personalities/unix/personality.ts";
import { AT_FDCWD, O } from "../../../../plugins/personalities/unix/abi.ts";
import { createFakeKernel, type FakeKernel, MEM_BASE } from "./fake_kernel.ts";

const { syscalls } = buildSyscallArrays();
const A = MEM_BASE; // scratch area for arguments
const BUF = MEM_BASE + 0x1000;

/** Runs call `nr` with `args` and returns a0 as the personality would leave it. */
function sys(fk: FakeKernel, nr: number, ...args: number[]): number {
  const t = fk.call(nr, ...args);
  const h = syscalls[nr];
  if (h === undefined) return -38;
  const r = h(t, fk.api);
  if (r === BLOCK || r === NO_RESULT) return r;
  return r < 0 && r >= -4095 ? -errno(r) : r;
}
function errno(status: number): number {
  return -createUnixPersonality(createFakeKernel().api).mapStatus(status);
}

Deno.test("openat/write/llseek/read/close on the VFS", () => {
  const fk = createFakeKernel();
  fk.putString(A, "/hello.txt");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.RDWR | O.TRUNC, 0o644);
  assert.equal(fd, 0);
  fk.putString(BUF, "hello, world");
  assert.equal(sys(fk, NR.write, fd, BUF, 12), 12);
  assert.equal(sys(fk, NR.llseek, fd, 0, 7, A + 0x100, 0), 0);
  assert.equal(fk.view(A + 0x100).getBigInt64(0, true), 7n);
  assert.equal(sys(fk, NR.read, fd, BUF + 0x100, 100), 5);
  assert.equal(new TextDecoder().decode(fk.get(BUF + 0x100, 5)), "world");
  assert.equal(sys(fk, NR.read, fd, BUF + 0x100, 100), 0);
  assert.equal(sys(fk, NR.close, fd), 0);
  assert.equal(sys(fk, NR.close, fd), -9);
});

Deno.test("bad guest pointers give EFAULT, not exceptions", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.openat, AT_FDCWD, 0x10, O.RDONLY, 0), -14);
  fk.putString(A, "/f");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.RDWR, 0o644);
  assert.equal(sys(fk, NR.write, fd, 0xdead0000, 4), -14);
  assert.equal(sys(fk, NR.statx, AT_FDCWD, A, 0, 0x7ff, 0xdead0000), -14);
  assert.equal(sys(fk, NR.clock_gettime64, 1, 0xdead0000), -14);
  assert.equal(sys(fk, NR.uname, 4), -14);
  assert.equal(sys(fk, NR.pipe2, 0xdead0000, 0), -14);
  assert.equal(sys(fk, NR.rt_sigaction, 10, 0xdead0000, 0, 8), -14);
  assert.equal(sys(fk, NR.getcwd, 0xdead0000, 100), -14);
});

Deno.test("statx reports type, size and mode", () => {
  const fk = createFakeKernel();
  fk.putString(A, "/d");
  assert.equal(sys(fk, NR.mkdirat, AT_FDCWD, A, 0o750), 0);
  assert.equal(sys(fk, NR.mkdirat, AT_FDCWD, A, 0o750), -17);
  assert.equal(sys(fk, NR.statx, AT_FDCWD, A, 0, 0x7ff, BUF), 0);
  const v = fk.view(BUF);
  assert.equal(v.getUint16(28, true), 0o040750 & ~0o022 | 0o040000);
  fk.putString(A, "/d/x");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.WRONLY, 0o600);
  fk.putString(BUF + 0x200, "abc");
  sys(fk, NR.write, fd, BUF + 0x200, 3);
  fk.putString(A, "");
  assert.equal(sys(fk, NR.statx, fd, A, 0, 0x7ff, BUF), -2); // "" without AT_EMPTY_PATH
  assert.equal(sys(fk, NR.statx, fd, A, 0x1000, 0x7ff, BUF), 0);
  assert.equal(v.getBigUint64(40, true), 3n);
  assert.equal(v.getUint16(28, true) & 0o170000, 0o100000);
});

Deno.test("getdents64 lists entries and resumes", () => {
  const fk = createFakeKernel();
  for (const n of ["a", "bb", "ccc"]) {
    fk.putString(A, "/" + n);
    sys(fk, NR.close, sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.WRONLY, 0o644));
  }
  fk.putString(A, "/");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.RDONLY | O.DIRECTORY, 0);
  const names: string[] = [];
  for (;;) {
    const n = sys(fk, NR.getdents64, fd, BUF, 48); // room for two small records
    assert.ok(n >= 0);
    if (n === 0) break;
    let off = 0;
    while (off < n) {
      const v = fk.view(BUF + off);
      const reclen = v.getUint16(16, true);
      const raw = fk.get(BUF + off + 19, reclen - 19);
      names.push(new TextDecoder().decode(raw.subarray(0, raw.indexOf(0))));
      off += reclen;
    }
  }
  assert.deepEqual(names.sort(), [".", "..", "a", "bb", "ccc"]);
  assert.equal(sys(fk, NR.getdents64, fd, BUF, 10), 0); // at the end: 0, not EINVAL
});

Deno.test("pipe2: data, EAGAIN, blocking read parks, EPIPE raises SIGPIPE", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.pipe2, A, O.CLOEXEC), 0);
  const r = fk.view(A).getInt32(0, true), w = fk.view(A).getInt32(4, true);
  assert.equal(sys(fk, NR.fcntl64, r, 1, /* F_GETFD */ 0), 1);
  assert.equal(sys(fk, NR.read, r, BUF, 10), BLOCK);
  assert.ok(fk.blockedOn !== null);
  assert.equal(sys(fk, NR.fcntl64, r, 4, /* F_SETFL */ O.NONBLOCK), 0);
  assert.equal(sys(fk, NR.fcntl64, r, 3, /* F_GETFL */ 0), O.RDONLY | O.NONBLOCK);
  assert.equal(sys(fk, NR.read, r, BUF, 10), -11);
  fk.putString(BUF, "ping");
  assert.equal(sys(fk, NR.write, w, BUF, 4), 4);
  assert.equal(sys(fk, NR.read, r, BUF + 0x100, 10), 4);
  assert.equal(sys(fk, NR.close, r), 0);
  assert.equal(sys(fk, NR.write, w, BUF, 4), -32);
  assert.deepEqual(fk.sent, [[10, 13]]);
});

Deno.test("writev gathers; readv scatters", () => {
  const fk = createFakeKernel();
  sys(fk, NR.pipe2, A, 0);
  const r = fk.view(A).getInt32(0, true), w = fk.view(A).getInt32(4, true);
  fk.putString(BUF, "abc");
  fk.putString(BUF + 16, "defg");
  const iov = fk.view(A + 0x40);
  iov.setUint32(0, BUF, true);
  iov.setUint32(4, 3, true);
  iov.setUint32(8, BUF + 16, true);
  iov.setUint32(12, 4, true);
  assert.equal(sys(fk, NR.writev, w, A + 0x40, 2), 7);
  iov.setUint32(0, BUF + 0x100, true);
  iov.setUint32(4, 2, true);
  iov.setUint32(8, BUF + 0x200, true);
  iov.setUint32(12, 10, true);
  assert.equal(sys(fk, NR.readv, r, A + 0x40, 2), 7);
  assert.equal(new TextDecoder().decode(fk.get(BUF + 0x100, 2)), "ab");
  assert.equal(new TextDecoder().decode(fk.get(BUF + 0x200, 5)), "cdefg");
  assert.equal(sys(fk, NR.writev, w, A + 0x40, -1), -22);
});

Deno.test("dup, dup3, fcntl F_DUPFD", () => {
  const fk = createFakeKernel();
  fk.putString(A, "/f");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.RDWR, 0o644);
  assert.equal(sys(fk, NR.dup, fd), 1);
  assert.equal(sys(fk, NR.dup3, fd, 7, O.CLOEXEC), 7);
  assert.equal(sys(fk, NR.fcntl64, 7, 1, 0), 1);
  assert.equal(sys(fk, NR.dup3, fd, fd, 0), -22);
  assert.equal(sys(fk, NR.dup3, fd, 8, 1), -22);
  assert.equal(sys(fk, NR.fcntl64, fd, 0, 20), 20);
  assert.equal(sys(fk, NR.fcntl64, 33, 1, 0), -9);
  assert.equal(sys(fk, NR.fcntl64, fd, 999, 0), -22);
});

Deno.test("chdir, getcwd, unlinkat", () => {
  const fk = createFakeKernel();
  fk.putString(A, "/usr");
  sys(fk, NR.mkdirat, AT_FDCWD, A, 0o755);
  fk.putString(A, "usr");
  assert.equal(sys(fk, NR.chdir, A), 0);
  assert.equal(sys(fk, NR.getcwd, BUF, 100), 5);
  assert.equal(new TextDecoder().decode(fk.get(BUF, 5)), "/usr\0");
  assert.equal(sys(fk, NR.getcwd, BUF, 3), -34);
  fk.putString(A, "/usr");
  assert.equal(sys(fk, NR.unlinkat, AT_FDCWD, A, 0), -21);
  assert.equal(sys(fk, NR.unlinkat, AT_FDCWD, A, 0x200), 0);
  assert.equal(sys(fk, NR.unlinkat, AT_FDCWD, A, 0x200), -2);
});

Deno.test("rt_sigaction and rt_sigprocmask round trips", () => {
  const fk = createFakeKernel();
  const act = fk.view(A);
  act.setUint32(0, 0x10400, true);
  act.setUint32(4, 0x14000004, true);
  act.setUint32(8, (1 << 1) | (1 << 8), true); // SIGINT and SIGKILL in the mask
  act.setUint32(12, 0, true);
  assert.equal(sys(fk, NR.rt_sigaction, 10, A, A + 16, 8), 0);
  assert.equal(fk.view(A + 16).getUint32(0, true), 0); // old: SIG_DFL
  assert.equal(sys(fk, NR.rt_sigaction, 10, 0, A + 32, 8), 0);
  const old = fk.view(A + 32);
  assert.equal(old.getUint32(0, true), 0x10400);
  assert.equal(old.getUint32(4, true), 0x14000004);
  assert.equal(old.getUint32(8, true), 1 << 1); // SIGKILL dropped from sa_mask
  assert.equal(sys(fk, NR.rt_sigaction, 9, A, 0, 8), -22);
  assert.equal(sys(fk, NR.rt_sigaction, 10, A, 0, 16), -22);
  assert.equal(sys(fk, NR.rt_sigaction, 65, A, 0, 8), -22);
  const set = fk.view(A + 64);
  set.setUint32(0, 1 << 9, true);
  set.setUint32(4, 0, true);
  assert.equal(sys(fk, NR.rt_sigprocmask, 0, A + 64, A + 72, 8), 0);
  assert.equal(fk.thread.sigBlockedLo, 1 << 9);
  assert.equal(sys(fk, NR.rt_sigprocmask, 1, A + 64, A + 72, 8), 0);
  assert.equal(fk.view(A + 72).getUint32(0, true), 1 << 9);
  assert.equal(fk.thread.sigBlockedLo, 0);
  assert.equal(sys(fk, NR.rt_sigprocmask, 7, A + 64, 0, 8), -22);
});

Deno.test("signal delivery builds the frame; rt_sigreturn restores everything", () => {
  const fk = createFakeKernel();
  const pers = createUnixPersonality(fk.api);
  const t: Thread = fk.thread;
  for (let i = 1; i < 32; i++) t.regs[i] = i * 1000;
  const sp = MEM_BASE + 0x30000 + 12;
  t.regs[2] = sp;
  t.pc = 0x10abc;
  t.sigBlockedLo = 0x20;
  const ok = pers.deliverSignal(t, 10, {
    handler: 0x10500,
    flags: 4,
    maskLo: 0,
    maskHi: 0,
    restorer: 0,
  }, {
    signo: 10,
    code: 0,
    pid: 3,
    uid: 0,
    status: 0,
    addr: 0,
  });
  assert.equal(ok, true);
  const frame = t.regs[2] >>> 0;
  assert.equal(frame % 16, 0);
  assert.ok(frame < sp && sp - frame <= 960 + 16);
  assert.equal(t.pc, 0x10500);
  assert.equal(t.regs[10], 10);
  assert.equal(t.regs[11], frame);
  assert.equal(t.regs[12], frame + 128);
  assert.equal(t.regs[1], frame + 944); // no sigreturn page in the fake: the frame's copy
  assert.equal(fk.view(frame).getInt32(12, true), 3); // si_pid
  // The handler runs and returns; sigreturn with sp at the frame.
  t.sigBlockedLo = 0x220;
  t.regs.fill(77);
  t.regs[2] = frame;
  t.regs[17] = NR.rt_sigreturn;
  assert.equal(syscalls[NR.rt_sigreturn]!(t, fk.api), NO_RESULT);
  assert.equal(t.pc, 0x10abc);
  assert.equal(t.regs[2], sp);
  assert.equal(t.regs[31], 31000);
  assert.equal(t.regs[0], 0);
  assert.equal(t.sigBlockedLo, 0x20);
  // A frame that cannot be written fails delivery (the kernel then kills with SIGSEGV).
  t.regs[2] = 0x100;
  assert.equal(
    pers.deliverSignal(t, 10, { handler: 1, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 }, {
      signo: 10,
      code: 0,
      pid: 0,
      uid: 0,
      status: 0,
      addr: 0,
    }),
    false,
  );
});

Deno.test("waitid fills siginfo and validates its arguments", () => {
  const fk = createFakeKernel();
  fk.waitAnswer = {
    pid: 42,
    kind: WaitKind.EXITED,
    code: 3,
    signal: 0,
    core: false,
    status: 3 << 8,
    userCycles: 0,
    systemCycles: 0,
  };
  assert.equal(sys(fk, NR.waitid, 0, 0, A, 4, 0), 0);
  const v = fk.view(A);
  assert.deepEqual([
    v.getInt32(0, true),
    v.getInt32(8, true),
    v.getInt32(12, true),
    v.getInt32(20, true),
  ], [
    17,
    1,
    42,
    3,
  ]);
  fk.waitAnswer = {
    pid: 43,
    kind: WaitKind.KILLED,
    code: 0,
    signal: 11,
    core: true,
    status: 11 | 0x80,
    userCycles: 0,
    systemCycles: 0,
  };
  assert.equal(sys(fk, NR.waitid, 1, 43, A, 4, 0), 0);
  assert.deepEqual([v.getInt32(8, true), v.getInt32(20, true)], [3, 11]); // CLD_DUMPED, SIGSEGV
  fk.waitAnswer = 0; // WNOHANG, nothing ready
  assert.equal(sys(fk, NR.waitid, 0, 0, A, 5, 0), 0);
  assert.equal(v.getInt32(12, true), 0);
  fk.waitAnswer = K.CHILD;
  assert.equal(sys(fk, NR.waitid, 0, 0, A, 4, 0), -10);
  assert.equal(sys(fk, NR.waitid, 0, 0, A, 0, 0), -22); // no WEXITED/WSTOPPED/WCONTINUED
  assert.equal(sys(fk, NR.waitid, 1, 0, A, 4, 0), -22); // P_PID 0
  assert.equal(sys(fk, NR.waitid, 3, 5, A, 4, 0), -22); // P_PIDFD
});

Deno.test("mmap2 argument checks", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.mmap2, 0, 4096, 3, 0x22, -1, 0), 0x3000_0000 | 0);
  assert.equal(sys(fk, NR.mmap2, 0, 0, 3, 0x22, -1, 0), -22);
  assert.equal(sys(fk, NR.mmap2, 0, 4096, 3, 0x20, -1, 0), -22); // neither shared nor private
  assert.equal(sys(fk, NR.mmap2, 0, 4096, 8, 0x22, -1, 0), -22);
  assert.equal(sys(fk, NR.mmap2, 0x1234, 4096, 3, 0x32, -1, 0), -22); // MAP_FIXED unaligned
  assert.equal(sys(fk, NR.mmap2, 0, 4096, 3, 0x02, 5, 0), -9); // file mapping, bad fd
  fk.putString(A, "/f");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.RDWR, 0o644);
  assert.equal(sys(fk, NR.mmap2, 0, 4096, 3, 0x02, fd, 0), -19); // ENODEV
  assert.equal(sys(fk, NR.munmap, 0x1001, 4096), -22);
  assert.equal(sys(fk, NR.mprotect, 0x1000, 0, 1), 0);
});

Deno.test("clone flag checks", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.clone, 0x100 | 17, 0, 0, 0, 0), -22); // CLONE_VM without VFORK: a thread
  assert.equal(sys(fk, NR.clone, 0x10000 | 0x800 | 0x100 | 17, 0, 0, 0, 0), -22);
  assert.equal(sys(fk, NR.clone, 15, 0, 0, 0, 0), -22); // exit signal other than SIGCHLD
});

Deno.test("time: clock_gettime64, nanosleep deadline, bad clocks", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.clock_gettime64, 1, A), 0);
  assert.equal(fk.view(A).getBigInt64(8, true), 5000n);
  assert.equal(sys(fk, NR.clock_gettime64, 0, A), 0);
  assert.equal(fk.view(A).getBigInt64(0, true), 1_700_000_000n);
  assert.equal(sys(fk, NR.clock_gettime64, 99, A), -22);
  const req = fk.view(A + 32);
  req.setBigInt64(0, 0n, true);
  req.setBigInt64(8, 2000n, true);
  const t = fk.call(NR.clock_nanosleep_time64, 1, 0, A + 32, 0);
  assert.equal(syscalls[NR.clock_nanosleep_time64]!(t, fk.api), BLOCK);
  assert.equal(t.restartState, 7000);
  fk.now = 7000; // restarted after the wake-up: the same deadline has passed
  assert.equal(syscalls[NR.clock_nanosleep_time64]!(t, fk.api), 0);
  t.restartState = -1;
  req.setBigInt64(8, 1_000_000_000n, true);
  assert.equal(sys(fk, NR.clock_nanosleep_time64, 1, 0, A + 32, 0), -22);
  assert.equal(sys(fk, NR.clock_nanosleep_time64, 2, 0, A + 32, 0), -22);
});

Deno.test("uname, reboot, getrandom", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.uname, A), 0);
  const field = (i: number) => {
    const b = fk.get(A + 65 * i, 65);
    return new TextDecoder().decode(b.subarray(0, b.indexOf(0)));
  };
  assert.equal(field(0), "Linux");
  assert.equal(field(1), "strata");
  assert.equal(field(4), "riscv32");
  assert.match(field(3), /Strata/);
  assert.equal(sys(fk, NR.reboot, 0xfee1dead, 672274793, 0x4321fedc, 0), 0);
  assert.equal(fk.poweredOff, 0);
  assert.equal(sys(fk, NR.reboot, 0x1234, 672274793, 0x4321fedc, 0), -22);
  fk.proc.uid = 1000;
  assert.equal(sys(fk, NR.reboot, 0xfee1dead, 672274793, 0x4321fedc, 0), -1);
  assert.equal(sys(fk, NR.getrandom, A, 32, 0), 32);
  const a = fk.get(A, 32);
  const fk2 = createFakeKernel();
  assert.equal(sys(fk2, NR.getrandom, A, 32, 0), 32);
  assert.deepEqual(fk2.get(A, 32), a); // deterministic per machine
  assert.notDeepEqual(a, new Uint8Array(32));
  assert.equal(sys(fk, NR.getrandom, A, 32, 6), -22);
});

Deno.test("ids and unimplemented numbers", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, NR.getpid), 10);
  assert.equal(sys(fk, NR.getppid), 1);
  assert.equal(sys(fk, NR.gettid), 10);
  assert.equal(sys(fk, NR.set_tid_address, A), 10);
  assert.equal(sys(fk, NR.umask, 0o77), 0o22);
  assert.equal(sys(fk, NR.umask, 0o22), 0o77);
  assert.equal(sys(fk, 89, 0), -38); // acct: named, not implemented
  assert.equal(sys(fk, 79), -38); // newfstatat does not exist on rv32
  assert.equal(sys(fk, NR.kill, 1, 65), -22);
  assert.equal(sys(fk, NR.kill, 1, 15), 0);
  assert.deepEqual(fk.sent, [[1, 15]]);
});

Deno.test("EFAULT on read leaves pipe data in place and restores file offsets", () => {
  const fk = createFakeKernel();
  sys(fk, NR.pipe2, A, 0);
  const r = fk.view(A).getInt32(0, true), w = fk.view(A).getInt32(4, true);
  fk.putString(BUF, "data");
  assert.equal(sys(fk, NR.write, w, BUF, 4), 4);
  assert.equal(sys(fk, NR.read, r, 0, 4), -14);
  const iov = fk.view(A + 0x40);
  iov.setUint32(0, 0x10, true);
  iov.setUint32(4, 4, true);
  assert.equal(sys(fk, NR.readv, r, A + 0x40, 1), -14);
  assert.equal(sys(fk, NR.read, r, BUF + 0x100, 4), 4);
  assert.equal(new TextDecoder().decode(fk.get(BUF + 0x100, 4)), "data");
  fk.putString(A + 0x80, "/f");
  const fd = sys(fk, NR.openat, AT_FDCWD, A + 0x80, O.CREAT | O.RDWR, 0o644);
  sys(fk, NR.write, fd, BUF, 4);
  sys(fk, NR.llseek, fd, 0, 1, A + 0x90, 0);
  assert.equal(sys(fk, NR.read, fd, MEM_BASE + 0x40000 - 1, 3), -14); // spans the end of memory
  assert.equal(sys(fk, NR.read, fd, BUF + 0x200, 10), 3); // offset still 1
  assert.equal(new TextDecoder().decode(fk.get(BUF + 0x200, 3)), "ata");
});

Deno.test("getrusage and sysinfo", () => {
  const fk = createFakeKernel();
  fk.thread.userCycles = 250_000_000; // 2.5 s at 100 MHz
  fk.thread.systemCycles = 100;
  assert.equal(sys(fk, NR.getrusage, 0, A), 0);
  const v = fk.view(A);
  assert.deepEqual([v.getInt32(0, true), v.getInt32(4, true)], [2, 500_000]);
  assert.deepEqual([v.getInt32(8, true), v.getInt32(12, true)], [0, 1]);
  assert.equal(sys(fk, NR.getrusage, 5, A), -22);
  assert.equal(sys(fk, NR.getrusage, 0, 8), -14);
  assert.equal(sys(fk, 179, A), 0);
  assert.equal(v.getUint32(16, true), 64 << 20);
  assert.equal(v.getUint16(40, true), 2);
  assert.equal(v.getUint32(52, true), 1);
});

Deno.test("set-id calls: one id per process, root may change it, others may not", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, 147, -1, 1000, -1), 0); // setresuid
  assert.equal(fk.proc.uid, 1000);
  assert.equal(sys(fk, 148, A, A + 4, A + 8), 0); // getresuid
  assert.deepEqual([0, 4, 8].map((o) => fk.view(A + o).getUint32(0, true)), [1000, 1000, 1000]);
  assert.equal(sys(fk, 146, 0), -1); // setuid(0) as 1000: EPERM
  assert.equal(sys(fk, 146, 1000), 0); // to one's own id: fine
  fk.proc.uid = 0;
  assert.equal(sys(fk, 147, 1, 2, 3), -22); // differing ids cannot be represented
  assert.equal(sys(fk, 144, 50), 0); // setgid as root
  assert.equal(fk.proc.gid, 50);
  assert.equal(sys(fk, 158, 0, 0), 0); // getgroups
  assert.equal(sys(fk, 148, 8, A, A), -14);
});

Deno.test("readv of a regular file fills large vectors completely", () => {
  const fk = createFakeKernel();
  fk.putString(A, "/big");
  const fd = sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.RDWR, 0o644);
  const data = new Uint8Array(100_000).map((_, i) => i % 251);
  fk.mem.set(data, 0x10000);
  assert.equal(sys(fk, NR.write, fd, MEM_BASE + 0x10000, data.length), data.length);
  sys(fk, NR.llseek, fd, 0, 0, A + 0x10, 0);
  const iov = fk.view(A + 0x40);
  iov.setUint32(0, MEM_BASE + 0x28000, true);
  iov.setUint32(4, 70_000, true);
  iov.setUint32(8, MEM_BASE + 0x10, true);
  iov.setUint32(12, 100, true);
  assert.equal(sys(fk, NR.readv, fd, A + 0x40, 2), 70_100);
  assert.deepEqual(fk.get(MEM_BASE + 0x28000, 70_000), data.subarray(0, 70_000));
  assert.deepEqual(fk.get(MEM_BASE + 0x10, 100), data.subarray(70_000, 70_100));
});

Deno.test("kill permissions for a process that dropped root", () => {
  const fk = createFakeKernel();
  fk.proc.uid = 1000;
  assert.equal(sys(fk, NR.kill, 1, 15), -1); // pid 1 is root's
  assert.equal(sys(fk, NR.kill, 10, 0), 0); // itself
  assert.equal(sys(fk, NR.kill, 77, 15), -3);
  assert.equal(sys(fk, NR.kill, -1, 15), -3); // nothing but init and itself: ESRCH
  fk.proc.pgid = 10;
  assert.equal(sys(fk, NR.kill, 0, 10), 0); // its own group: itself
  assert.deepEqual(fk.sent, [[10, 0], [10, 10]]);
  assert.equal(sys(fk, NR.tgkill, 1, 1, 15), -1);
  fk.proc.sid = 1;
  fk.proc.parent!.sid = 1;
  assert.equal(sys(fk, NR.kill, 1, 18), 0); // SIGCONT within the session
});

Deno.test("scheduling calls: affinity of one CPU, nice values", () => {
  const fk = createFakeKernel();
  assert.equal(sys(fk, 123, 0, 128, A), 4); // sched_getaffinity
  assert.equal(fk.view(A).getUint32(0, true), 1);
  assert.equal(sys(fk, 123, 0, 2, A), -22);
  assert.equal(sys(fk, 123, 99, 128, A), -3);
  fk.view(A).setUint32(0, 2, true);
  assert.equal(sys(fk, 122, 0, 4, A), -22); // a mask without CPU 0
  fk.view(A).setUint32(0, 3, true);
  assert.equal(sys(fk, 122, 0, 4, A), 0);
  assert.equal(sys(fk, 140, 0, 0, 30), 0); // clamped to 19
  assert.equal(fk.thread.priority, 19);
  assert.equal(sys(fk, 141, 0, 0), 1);
  fk.proc.uid = 1000;
  assert.equal(sys(fk, 140, 0, 0, 0), -13); // only root lowers nice
  assert.equal(sys(fk, 140, 0, 1, 0), -1); // another user's process
});

Deno.test("utimensat_time64: owner sets explicit times; others only 'now', with write permission", () => {
  const fk = createFakeKernel();
  fk.putString(A, "/open");
  sys(fk, NR.close, sys(fk, NR.openat, AT_FDCWD, A, O.CREAT | O.WRONLY, 0o666));
  assert.equal(sys(fk, 53, AT_FDCWD, A, 0o666), 0); // fchmodat: writable by others (past the umask)
  fk.putString(A + 0x40, "/closed");
  sys(fk, NR.close, sys(fk, NR.openat, AT_FDCWD, A + 0x40, O.CREAT | O.WRONLY, 0o644));
  const times = BUF + 0x400; // {sec, nsec} x 2, 64-bit each
  const v = fk.view(times);
  v.setBigInt64(0, 5n, true);
  v.setBigInt64(8, 0n, true);
  v.setBigInt64(16, 7n, true);
  v.setBigInt64(24, 0n, true);
  assert.equal(sys(fk, NR.utimensat_time64, AT_FDCWD, A, times, 0), 0); // root
  assert.equal(sys(fk, NR.statx, AT_FDCWD, A, 0, 0x7ff, BUF), 0);
  assert.equal(fk.view(BUF).getBigInt64(112, true), 7n, "mtime");
  fk.proc.uid = 1000; // not the owner any more
  assert.equal(sys(fk, NR.utimensat_time64, AT_FDCWD, A, times, 0), -1, "explicit: EPERM");
  assert.equal(sys(fk, NR.utimensat_time64, AT_FDCWD, A, 0, 0), 0, "now with write permission");
  assert.equal(sys(fk, NR.statx, AT_FDCWD, A, 0, 0x7ff, BUF), 0);
  assert.ok(fk.view(BUF).getBigInt64(112, true) > 7n, "mtime moved to now");
  assert.equal(sys(fk, NR.utimensat_time64, AT_FDCWD, A + 0x40, 0, 0), -13, "no write: EACCES");
});
