import assert from "node:assert/strict";
import {
  decodeSigaction,
  dirent64RecordLength,
  encodeDirent64,
  encodeRusage,
  encodeSigaction,
  encodeSiginfo,
  encodeStatx,
  encodeUtsname,
  HWCAP_RV32IMA,
  readTimespec64,
  SIG,
  STATX,
  STATX_SIZE,
  UTSNAME_SIZE,
  writeTimespec64,
} from "../../../../plugins/personalities/unix/abi.ts";
import { NR, SYSCALL_NAMES } from "../../../../plugins/personalities/unix/syscall_names.ts";

Deno.test("timespec64 round trip and validation", () => {
  const v = new DataView(new ArrayBuffer(16));
  writeTimespec64(v, 0, 3_000_000_123n);
  assert.equal(v.getBigInt64(0, true), 3n);
  assert.equal(v.getBigInt64(8, true), 123n);
  assert.equal(readTimespec64(v, 0), 3_000_000_123n);
  v.setInt32(8, 1_000_000_000, true);
  assert.equal(readTimespec64(v, 0), -1n);
  v.setInt32(8, 5, true);
  v.setInt32(12, -1, true); // padding half of tv_nsec is ignored on rv32
  assert.equal(readTimespec64(v, 0), 3_000_000_005n);
  v.setBigInt64(0, -1n, true);
  assert.equal(readTimespec64(v, 0), -1n);
});

Deno.test("statx layout", () => {
  const buf = new Uint8Array(STATX_SIZE + 8).fill(0xee);
  const v = new DataView(buf.buffer);
  encodeStatx(v, 8, {
    dev: (8 << 8) | 1,
    ino: 42,
    mode: 0o100644,
    nlink: 2,
    uid: 1000,
    gid: 100,
    rdev: (4 << 8) | 64,
    size: 0x1_2345_6789,
    blksize: 4096,
    blocks: 9,
    atimeNs: 1_500_000_000n,
    mtimeNs: 2_000_000_007n,
    ctimeNs: 3_000_000_000n,
  });
  assert.equal(buf[0], 0xee); // nothing before the struct touched
  const o = 8;
  assert.equal(v.getUint32(o, true), STATX.BASIC_STATS);
  assert.equal(v.getUint32(o + 4, true), 4096);
  assert.equal(v.getUint32(o + 16, true), 2);
  assert.equal(v.getUint32(o + 20, true), 1000);
  assert.equal(v.getUint32(o + 24, true), 100);
  assert.equal(v.getUint16(o + 28, true), 0o100644);
  assert.equal(v.getBigUint64(o + 32, true), 42n);
  assert.equal(v.getBigUint64(o + 40, true), 0x1_2345_6789n);
  assert.equal(v.getBigUint64(o + 48, true), 9n);
  assert.equal(v.getBigInt64(o + 64, true), 1n); // atime sec
  assert.equal(v.getUint32(o + 72, true), 500_000_000);
  assert.equal(v.getBigInt64(o + 96, true), 3n); // ctime
  assert.equal(v.getBigInt64(o + 112, true), 2n); // mtime
  assert.equal(v.getUint32(o + 120, true), 7);
  assert.equal(v.getUint32(o + 128, true), 4); // rdev major
  assert.equal(v.getUint32(o + 132, true), 64);
  assert.equal(v.getUint32(o + 136, true), 8); // dev major
  assert.equal(v.getUint32(o + 140, true), 1);
  assert.equal(v.getUint32(o + 252, true), 0);
});

Deno.test("dirent64 record layout and padding", () => {
  assert.equal(dirent64RecordLength(1), 24);
  assert.equal(dirent64RecordLength(4), 24);
  assert.equal(dirent64RecordLength(5), 32);
  const buf = new Uint8Array(64).fill(0xaa);
  const name = new TextEncoder().encode("hello");
  assert.equal(encodeDirent64(buf, 0, 24, 7, 1, 0o040000, name), 0); // does not fit
  const n = encodeDirent64(buf, 0, 64, 7, 1, 0o040000, name);
  assert.equal(n, 32);
  const v = new DataView(buf.buffer);
  assert.equal(v.getBigUint64(0, true), 7n);
  assert.equal(v.getBigInt64(8, true), 1n);
  assert.equal(v.getUint16(16, true), 32);
  assert.equal(buf[18], 4); // DT_DIR
  assert.equal(new TextDecoder().decode(buf.subarray(19, 24)), "hello");
  assert.equal(buf[24], 0);
  assert.equal(buf[31], 0);
  assert.equal(buf[32], 0xaa);
});

Deno.test("utsname fields are 65 bytes, truncated and NUL-terminated", () => {
  const u = encodeUtsname({
    sysname: "Linux",
    nodename: "x".repeat(100),
    release: "6.6.0-strata",
    version: "#1 Strata",
    machine: "riscv32",
    domainname: "(none)",
  });
  assert.equal(u.length, UTSNAME_SIZE);
  const field = (i: number) => {
    const f = u.subarray(i * 65, i * 65 + 65);
    return new TextDecoder().decode(f.subarray(0, f.indexOf(0)));
  };
  assert.equal(field(0), "Linux");
  assert.equal(field(1), "x".repeat(64));
  assert.equal(field(4), "riscv32");
  assert.equal(field(5), "(none)");
});

Deno.test("siginfo: SIGCHLD and SIGSEGV put their fields where Linux does", () => {
  const v = new DataView(new ArrayBuffer(128));
  encodeSiginfo(v, 0, { signo: SIG.CHLD, errno: 0, code: 1, pid: 12, uid: 0, status: 3, addr: 0 });
  assert.deepEqual([v.getInt32(0, true), v.getInt32(8, true)], [17, 1]);
  assert.deepEqual([v.getInt32(12, true), v.getInt32(20, true)], [12, 3]);
  encodeSiginfo(v, 0, {
    signo: SIG.SEGV,
    errno: 0,
    code: 1,
    pid: 99,
    uid: 0,
    status: 0,
    addr: 0xdead0000,
  });
  assert.equal(v.getUint32(12, true), 0xdead0000);
  assert.equal(v.getUint32(20, true), 0);
});

Deno.test("sigaction: 16 bytes, no restorer on riscv", () => {
  const v = new DataView(new ArrayBuffer(16));
  encodeSigaction(v, 0, { handler: 0x10080, flags: 0x14000004, maskLo: 1 << 9, maskHi: 3 });
  assert.equal(v.getUint32(0, true), 0x10080);
  assert.equal(v.getUint32(8, true), 1 << 9);
  assert.deepEqual(decodeSigaction(v, 0), {
    handler: 0x10080,
    flags: 0x14000004,
    maskLo: 512,
    maskHi: 3,
  });
});

Deno.test("rusage: user and system timevals first", () => {
  const v = new DataView(new ArrayBuffer(72));
  encodeRusage(v, 0, 2_500_000_000, 1_000);
  assert.deepEqual([v.getInt32(0, true), v.getInt32(4, true)], [2, 500_000]);
  assert.deepEqual([v.getInt32(8, true), v.getInt32(12, true)], [0, 1]);
});

Deno.test("rv32 syscall numbers: time64 and 32-bit names, no time32 or stat64 calls", () => {
  const byNumber = new Map(SYSCALL_NAMES);
  assert.equal(byNumber.get(62), "llseek");
  assert.equal(byNumber.get(25), "fcntl64");
  assert.equal(byNumber.get(222), "mmap2");
  assert.equal(byNumber.get(403), "clock_gettime64");
  assert.equal(byNumber.get(407), "clock_nanosleep_time64");
  assert.equal(byNumber.get(291), "statx");
  for (const absent of [79, 80, 101, 113, 169, 260, 163, 38]) {
    assert.equal(byNumber.has(absent), false, `${absent} must be unassigned on rv32`);
  }
  assert.equal(NR.rt_sigreturn, 139);
  assert.equal(NR.getpid, 172);
  assert.equal(HWCAP_RV32IMA, 0x1101);
  const nums = SYSCALL_NAMES.map(([n]) => n);
  assert.deepEqual(nums, [...nums].sort((a, b) => a - b));
});
