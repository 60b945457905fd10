/**
 * A small stand-in for the kernel, enough to run the Unix personality's
 * handlers in unit tests before (and independently of) the real kernel: one
 * process with a flat guest memory window, a real VFS over a RamFs, a
 * descriptor table, signal actions and masks. Any KernelApi member the fake
 * does not provide throws, so a handler reaching for something unexpected
 * fails the test loudly instead of passing by accident.
 *
 * @module
 */

import {
  BLOCK,
  FifoPolicy,
  K,
  type KernelApi,
  type KStatus,
  NO_RESULT,
  type OpenFile,
  Process,
  type SigAction,
  Thread,
  type WaitQueue,
  type WaitRecord,
} from "../../../../kernel/api.ts";
import { type PathLoc, RamFs, Vfs } from "../../../../kernel/fs/mod.ts";

/** Base of the fake guest memory window. */
export const MEM_BASE = 0x10000;
/** Size of the window. */
export const MEM_SIZE = 0x40000;

/** Raised when a handler calls an API member the fake does not implement. */
export class FakeKernelGap extends Error {
  /** Creates the error. */
  constructor(member: string) {
    super(`fake kernel does not implement ${member}`);
    this.name = "FakeKernelGap";
  }
}

/** The fake kernel: the api object plus handles for assertions. */
export interface FakeKernel {
  /** The API the handlers get. */
  api: KernelApi;
  /** The only process (pid 10, parent 1). */
  proc: Process;
  /** Its thread. */
  thread: Thread;
  /** Guest memory bytes (index = address - MEM_BASE). */
  mem: Uint8Array;
  /** The queue the last block() parked on. */
  blockedOn: WaitQueue | null;
  /** Signals sent through kill/tgkill: [pid, sig]. */
  sent: Array<[number, number]>;
  /** Next wait() answer. */
  waitAnswer: WaitRecord | number;
  /** Status passed to poweroff, or null. */
  poweredOff: number | null;
  /** Monotonic ns the fake clock reports. */
  now: number;
  /** Writes a NUL-terminated string at `addr`. */
  putString(addr: number, s: string): void;
  /** Reads bytes at `addr`. */
  get(addr: number, n: number): Uint8Array;
  /** A DataView over guest memory at `addr`. */
  view(addr: number): DataView;
  /** Sets a7 and a0.. and returns the thread. */
  call(nr: number, ...args: number[]): Thread;
}

/** Creates a fresh fake kernel. */
export function createFakeKernel(): FakeKernel {
  const mem = new Uint8Array(MEM_SIZE);
  const waker = { wakeThread: () => {} };
  const proc = new Process(10, waker);
  const parent = new Process(1, waker);
  proc.parent = parent;
  const thread = new Thread(10, proc);
  proc.threads.push(thread);
  const parentThread = new Thread(1, parent);
  parent.threads.push(parentThread);
  const fs = new RamFs();
  const vfs = new Vfs({ root: fs });
  let cwd: PathLoc = vfs.root();
  const fds: (OpenFile | null)[] = [];
  const cloexec: boolean[] = [];

  const inRange = (addr: number, len: number) =>
    addr >= MEM_BASE && len >= 0 && addr + len <= MEM_BASE + MEM_SIZE;
  const memory = {
    copyIn(addr: number, length: number): Uint8Array | null {
      addr >>>= 0;
      return inRange(addr, length) ? mem.slice(addr - MEM_BASE, addr - MEM_BASE + length) : null;
    },
    copyOut(addr: number, data: Uint8Array): boolean {
      addr >>>= 0;
      if (!inRange(addr, data.length)) return false;
      mem.set(data, addr - MEM_BASE);
      return true;
    },
  };
  proc.memory = memory;

  const fk: FakeKernel = {
    api: null as unknown as KernelApi,
    proc,
    thread,
    mem,
    blockedOn: null,
    sent: [],
    waitAnswer: K.CHILD,
    poweredOff: null,
    now: 5_000,
    putString(addr, s) {
      const b = new TextEncoder().encode(s + "\0");
      mem.set(b, addr - MEM_BASE);
    },
    get(addr, n) {
      return mem.slice(addr - MEM_BASE, addr - MEM_BASE + n);
    },
    view(addr) {
      return new DataView(mem.buffer, addr - MEM_BASE);
    },
    call(nr, ...args) {
      thread.regs.fill(0);
      thread.regs[17] = nr;
      args.forEach((v, i) => thread.regs[10 + i] = v | 0);
      return thread;
    },
  };

  const lowestFree = (min: number) => {
    let fd = min;
    while (fd < fds.length && fds[fd] !== null && fds[fd] !== undefined) fd++;
    return fd;
  };

  const impl: Partial<KernelApi> = {
    version: 1,
    config: {
      quantumCycles: 100_000,
      frequency: 100_000_000,
      ramSize: 64 << 20,
      randomSeed: 0x5eed_5742,
    },
    vfs,
    maxFds: 64,
    pipeMemory: { used: 0, limit: Infinity },
    logLines: [] as string[],
    clearLog(): void {
      (this.logLines as string[]).length = 0;
    },
    setRlimit(_caller: Process, target: Process, res: number, soft: number, hard: number) {
      if (!(res >= 0 && res < 16) || soft > hard) return K.INVAL;
      target.rlimits.soft[res] = soft;
      target.rlimits.hard[res] = hard;
      return K.OK;
    },
    getProcess: (pid: number) => (pid === 10 ? proc : pid === 1 ? parent : null),
    getThread: (tid: number) => (tid === 10 ? thread : tid === 1 ? parentThread : null),
    processes: () => [parent, proc],
    copyIn: (_p, addr, len) => memory.copyIn(addr, len),
    copyInto: (_p, addr, dst) => {
      const b = memory.copyIn(addr, dst.length);
      if (b === null) return false;
      dst.set(b);
      return true;
    },
    copyOut: (_p, addr, data) => memory.copyOut(addr, data),
    readString(_p, addr, max = 4096): string | KStatus {
      addr >>>= 0;
      let s = "";
      for (let i = 0; i < max; i++) {
        if (!inRange(addr + i, 1)) return K.FAULT;
        const c = mem[addr + i - MEM_BASE];
        if (c === 0) return s;
        s += String.fromCharCode(c);
      }
      return K.NAMETOOLONG;
    },
    readU32(_p, addr) {
      addr >>>= 0;
      return inRange(addr, 4) ? new DataView(mem.buffer).getUint32(addr - MEM_BASE, true) : K.FAULT;
    },
    writeU32(_p, addr, value) {
      addr >>>= 0;
      if (!inRange(addr, 4)) return false;
      new DataView(mem.buffer).setUint32(addr - MEM_BASE, value >>> 0, true);
      return true;
    },
    memoryOf: () => memory,
    checkAccess: (_p, addr, len) => inRange(addr >>> 0, len),
    userSpan(_p, addr, len) {
      addr >>>= 0;
      if (!inRange(addr, len)) return null;
      const base = addr - MEM_BASE;
      return {
        length: len,
        fill: (at, src, off, n) => mem.set(src.subarray(off, off + n), base + at),
        drain: (at, dst, off, n) => dst.set(mem.subarray(base + at, base + at + n), off),
        copied: () => {},
      };
    },
    cwd: () => cwd,
    chdir(p, path) {
      const r = vfs.chdir(cwd, path, { uid: p.uid, gid: p.gid });
      if (typeof r === "number") return r;
      cwd = r;
      return K.OK;
    },
    setCwd: (_p, loc) => {
      cwd = loc;
    },
    fdGet: (_p, fd) => fds[fd] ?? null,
    fdInstall(_p, file, ce, minFd = 0) {
      const fd = lowestFree(minFd);
      if (fd >= 64) return K.MFILE;
      fds[fd] = file;
      cloexec[fd] = ce;
      return fd;
    },
    fdClose(_p, fd) {
      const f = fds[fd];
      if (f === null || f === undefined) return K.BADF;
      fds[fd] = null;
      return vfs.close(f);
    },
    fdDup(_p, fd, minFd, ce) {
      const f = fds[fd];
      if (f === null || f === undefined) return K.BADF;
      const n = lowestFree(minFd);
      fds[n] = vfs.retain(f);
      cloexec[n] = ce;
      return n;
    },
    fdDup3(_p, oldFd, newFd, ce) {
      const f = fds[oldFd];
      if (f === null || f === undefined) return K.BADF;
      const old = fds[newFd];
      if (old !== null && old !== undefined) vfs.close(old);
      fds[newFd] = vfs.retain(f);
      cloexec[newFd] = ce;
      return newFd;
    },
    fdGetCloexec: (_p, fd) => (fds[fd] ? (cloexec[fd] ? 1 : 0) : K.BADF),
    fdSetCloexec(_p, fd, on) {
      if (!fds[fd]) return K.BADF;
      cloexec[fd] = on;
      return K.OK;
    },
    block(_t, q) {
      fk.blockedOn = q;
      return BLOCK;
    },
    blockMany(_t, queues) {
      fk.blockedOn = queues[0] ?? null;
      return BLOCK;
    },
    sleepUntil(_t, deadline) {
      return deadline <= fk.now ? 0 : BLOCK;
    },
    yield: () => 0,
    nowNs: () => fk.now,
    realtimeNs: () => 1_700_000_000_000_000_000n + BigInt(fk.now),
    cycles: () => fk.now / 10,
    cpuCycles: (t: Thread) => t.userCycles + t.systemCycles,
    scheduler: new FifoPolicy(),
    moduleCalls: {
      load: () => K.NOENT,
      unload: () => K.NOENT,
      swap: () => K.NOENT,
      info: () => K.NOENT,
    },
    sigAction: (p, sig) => p.sigActions[sig],
    setSigAction(p, sig, a: SigAction) {
      if (sig === 9 || sig === 19 || sig < 1 || sig > 64) return K.INVAL;
      p.sigActions[sig] = { ...a };
      return K.OK;
    },
    setSignalMask(t, lo, hi) {
      t.sigBlockedLo = lo & ~((1 << 8) | (1 << 18));
      t.sigBlockedHi = hi;
    },
    finishSigreturn(t, lo, hi) {
      t.sigBlockedLo = lo & ~((1 << 8) | (1 << 18));
      t.sigBlockedHi = hi;
      return NO_RESULT;
    },
    kill(_s, pid, sig) {
      fk.sent.push([pid, sig]);
      return K.OK;
    },
    tgkill(_s, _tgid, tid, sig) {
      fk.sent.push([tid, sig]);
      return K.OK;
    },
    wait: () => fk.waitAnswer,
    getpgid: (p, pid) => (pid === 0 || pid === p.pid ? p.pgid : pid === 1 ? 1 : K.SRCH),
    getsid: (p, pid) => (pid === 0 || pid === p.pid ? p.sid : pid === 1 ? 1 : K.SRCH),
    setpgid(p, pid, pgid) {
      if (pid !== 0 && pid !== p.pid) return K.SRCH;
      p.pgid = pgid === 0 ? p.pid : pgid;
      return K.OK;
    },
    setsid(p) {
      if (p.pgid === p.pid) return K.PERM;
      p.sid = p.pgid = p.pid;
      return p.sid;
    },
    sigSuspend(t, lo, hi) {
      t.savedBlockedLo = t.sigBlockedLo;
      t.savedBlockedHi = t.sigBlockedHi;
      t.hasSavedMask = true;
      t.sigBlockedLo = lo;
      t.sigBlockedHi = hi;
      return BLOCK;
    },
    brk: (_p, addr) => (addr === 0 ? 0x20000 : addr),
    mmap: (_p, addr, _len, _prot, fixed) => (fixed ? addr : 0x3000_0000),
    munmap: () => K.OK,
    // No file system types are registered in the fake: a mount on a real directory is ENODEV.
    mount: (_source: string, target: string) => {
      const loc = vfs.lookup(null, target, true);
      return typeof loc === "number" ? loc : K.NODEV;
    },
    umount: (target: string) => vfs.umount(target),
    // No disks in the fake: nothing to write.
    syncDisks: () => K.OK,
    mprotect: () => K.OK,
    poweroff(status) {
      fk.poweredOff = status;
    },
    systemInfo: () => ({
      sysname: "Strata",
      nodename: "strata",
      release: "0.1.0",
      version: "test",
      machine: "riscv32",
      totalRam: 64 << 20,
      freeRam: 32 << 20,
      processes: 2,
      uptimeSeconds: 0,
    }),
  };
  fk.api = new Proxy(impl as KernelApi, {
    get(target, prop) {
      if (prop in target) return (target as unknown as Record<string | symbol, unknown>)[prop];
      throw new FakeKernelGap(String(prop));
    },
  });
  return fk;
}
