import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import {
  OpenFlags,
  PathLoc,
  type ProcessInfo,
  ProcFs,
  type ProcInfoProvider,
  RamFs,
  Vfs,
} from "../../../kernel/fs/mod.ts";

const td = new TextDecoder();

function provider(): ProcInfoProvider & { procs: Map<number, ProcessInfo>; self: number } {
  const procs = new Map<number, ProcessInfo>([
    [1, {
      pid: 1,
      ppid: 0,
      pgid: 1,
      sid: 1,
      comm: "init",
      state: "S",
      utime: 12,
      stime: 3,
      startTime: 0,
      vsize: 1 << 20,
      rss: 40,
      numThreads: 1,
      cmdline: ["/sbin/init"],
    }],
    [42, {
      pid: 42,
      ppid: 1,
      pgid: 42,
      sid: 1,
      comm: "my prog (x)",
      state: "R",
      ttyNr: 0x501,
      tpgid: 42,
      utime: 7,
      stime: 1,
      nice: 5,
      startTime: 250,
      vsize: 3 * 4096 * 256,
      rss: 25,
      uid: 1000,
      gid: 100,
      sigPending: 1n << 1n,
      sigBlocked: (1n << 1n) | (1n << 33n),
      cmdline: ["ls", "-l", "/tmp"],
      environ: ["HOME=/home/u", "PATH=/bin"],
      cwd: "/tmp",
      exe: "/bin/ls",
      fds: [{ fd: 0, path: "/dev/console" }, { fd: 1, path: "pipe:[4]" }, {
        fd: 10,
        path: "/tmp/x",
      }],
      maps: [
        { start: 0x10000, end: 0x12000, read: true, write: false, exec: true, name: "/bin/ls" },
        { start: 0x40000000, end: 0x40001000, read: true, write: true, exec: false, name: "" },
        {
          start: 0x7f800000,
          end: 0x80000000,
          read: true,
          write: true,
          exec: false,
          name: "[stack]",
        },
      ],
    }],
  ]);
  const p = {
    procs,
    self: 42,
    pids: () => [...procs.keys()],
    process: (pid: number) => procs.get(pid) ?? null,
    selfPid: () => p.self,
    memory: () => ({ totalBytes: 64 << 20, freeBytes: 60 << 20 }),
    uptime: () => ({ seconds: 12.345, idleSeconds: 10.5 }),
    interrupts:
      () => [{ irq: 10, count: 77, name: "PLIC uart" }, { irq: 1, count: 3, name: "PLIC disk" }],
    version: () => "Strata version 0.1.0",
    cpus: () => [{ hart: 0, isa: "rv32ima", mmu: "sv32", mvendorid: 0, marchid: 0x2b, mimpid: 1 }],
  };
  return p;
}

function setup() {
  const vfs = new Vfs({ root: new RamFs() });
  vfs.mkdir(null, "/proc");
  const p = provider();
  const procfs = new ProcFs(p);
  assert.equal(vfs.mount("/proc", procfs), K.OK);
  return { vfs, p, procfs };
}

function cat(vfs: Vfs, path: string): string {
  const b = vfs.readWholeFile(path);
  if (typeof b === "number") throw new Error(`${path}: ${b}`);
  return td.decode(b);
}

/** Parses /proc/PID/stat the way procps does: comm is between the first '(' and the last ')'. */
function parseStat(line: string) {
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  const pid = Number(line.slice(0, open - 1));
  const comm = line.slice(open + 1, close);
  const rest = line.slice(close + 2).trimEnd().split(" ");
  return { pid, comm, fields: rest }; // fields[0] is field 3 (state)
}

Deno.test("procfs: /proc/PID/stat parses like ps does", () => {
  const { vfs } = setup();
  const s = parseStat(cat(vfs, "/proc/42/stat"));
  assert.equal(s.pid, 42);
  assert.equal(s.comm, "my prog (x)");
  assert.equal(s.fields.length, 50); // fields 3..52
  const f = (n: number) => s.fields[n - 3];
  assert.equal(f(3), "R");
  assert.equal(f(4), "1"); // ppid
  assert.equal(f(5), "42"); // pgrp
  assert.equal(f(6), "1"); // session
  assert.equal(f(7), String(0x501)); // tty_nr
  assert.equal(f(8), "42"); // tpgid
  assert.equal(f(14), "7"); // utime
  assert.equal(f(15), "1"); // stime
  assert.equal(f(18), "25"); // priority = 20 + nice
  assert.equal(f(19), "5"); // nice
  assert.equal(f(20), "1"); // num_threads
  assert.equal(f(22), "250"); // starttime
  assert.equal(f(23), String(3 * 4096 * 256)); // vsize
  assert.equal(f(24), "25"); // rss
  assert.equal(f(31), "2"); // pending (low word)
  assert.equal(f(32), "2"); // blocked (low word)
});

Deno.test("procfs: status, cmdline, comm", () => {
  const { vfs } = setup();
  const status = cat(vfs, "/proc/42/status");
  const kv = new Map(status.trimEnd().split("\n").map((l) => l.split(":\t") as [string, string]));
  assert.equal(kv.get("Name"), "my prog (x)");
  assert.equal(kv.get("State"), "R (running)");
  assert.equal(kv.get("Pid"), "42");
  assert.equal(kv.get("PPid"), "1");
  assert.equal(kv.get("Tgid"), "42");
  assert.equal(kv.get("Uid"), "1000\t1000\t1000\t1000");
  assert.equal(kv.get("VmSize")?.trim(), "3072 kB");
  assert.equal(kv.get("VmRSS")?.trim(), "100 kB");
  assert.equal(kv.get("Threads"), "1");
  assert.equal(kv.get("SigBlk"), "0000000200000002");
  assert.equal(cat(vfs, "/proc/42/cmdline"), "ls\0-l\0/tmp\0");
  assert.equal(cat(vfs, "/proc/1/comm"), "init\n");
});

Deno.test("procfs: self, listing, vanished processes", () => {
  const { vfs, p } = setup();
  assert.equal(vfs.readlink(null, "/proc/self"), "42");
  const loc = vfs.lookup(null, "/proc/self/stat");
  assert.ok(loc instanceof PathLoc);
  assert.equal(loc.path, "/proc/42/stat");
  p.self = 1;
  assert.equal(cat(vfs, "/proc/self/comm"), "init\n");
  const d = vfs.open(null, "/proc", OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof d !== "number");
  const names = (vfs.readdir(d.file) as { name: string }[]).map((e) => e.name);
  assert.deepEqual(names, [
    ".",
    "..",
    "meminfo",
    "uptime",
    "interrupts",
    "version",
    "cpuinfo",
    "self",
    "1",
    "42",
  ]);
  // a file opened before exit keeps its snapshot; new lookups fail
  const f = vfs.open(null, "/proc/42/status", OpenFlags.READ);
  assert.ok(typeof f !== "number");
  p.procs.delete(42);
  assert.equal(vfs.stat(null, "/proc/42"), K.NOENT);
  assert.equal(vfs.open(null, "/proc/42/stat", OpenFlags.READ), K.NOENT);
  const buf = new Uint8Array(6);
  assert.equal(vfs.read(f.file, buf), 6);
  assert.equal(td.decode(buf), "Name:\t");
  assert.equal(vfs.stat(null, "/proc/0042"), K.NOENT);
});

Deno.test("procfs: meminfo, uptime, interrupts, version; writes are ROFS", () => {
  const { vfs, procfs } = setup();
  const mem = cat(vfs, "/proc/meminfo");
  assert.match(mem, /^MemTotal:\s+65536 kB\nMemFree:\s+61440 kB\nMemAvailable:\s+61440 kB\n/);
  assert.equal(mem.split("\n")[0], "MemTotal:          65536 kB");
  assert.equal(cat(vfs, "/proc/uptime"), "12.35 10.50\n");
  const irq = cat(vfs, "/proc/interrupts").split("\n");
  assert.match(irq[0], /CPU0/);
  assert.equal(irq[1], "  1:          3  PLIC disk");
  assert.equal(irq[2], " 10:         77  PLIC uart");
  assert.equal(cat(vfs, "/proc/version"), "Strata version 0.1.0\n");
  assert.equal(vfs.open(null, "/proc/meminfo", OpenFlags.WRITE), K.ROFS);
  assert.equal(vfs.open(null, "/proc/new", OpenFlags.WRITE | OpenFlags.CREATE), K.ROFS);
  assert.equal(vfs.mkdir(null, "/proc/x"), K.ROFS);
  procfs.addFile("mounts", () => "rootfs / ramfs rw 0 0\n");
  assert.equal(cat(vfs, "/proc/mounts"), "rootfs / ramfs rw 0 0\n");
});

Deno.test("procfs: cwd, exe and fd links", () => {
  const { vfs } = setup();
  assert.equal(vfs.readlink(null, "/proc/42/cwd"), "/tmp");
  assert.equal(vfs.readlink(null, "/proc/self/exe"), "/bin/ls");
  assert.equal(vfs.readlink(null, "/proc/1/cwd"), K.NOENT);
  const d = vfs.open(null, "/proc/42/fd", OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof d !== "number");
  const names = (vfs.readdir(d.file) as { name: string }[]).map((e) => e.name);
  assert.deepEqual(names, [".", "..", "0", "1", "10"]);
  assert.equal(vfs.readlink(null, "/proc/42/fd/1"), "pipe:[4]");
  assert.equal(vfs.readlink(null, "/proc/42/fd/2"), K.NOENT);
  assert.equal(vfs.readlink(null, "/proc/42/fd/01"), K.NOENT);
  // following fd/10 resolves the path it names
  vfs.mkdir(null, "/tmp");
  const r = vfs.open(null, "/tmp/x", OpenFlags.WRITE | OpenFlags.CREATE);
  assert.ok(typeof r !== "number");
  const loc = vfs.lookup(null, "/proc/self/fd/10");
  assert.ok(loc instanceof PathLoc);
  assert.equal(loc.path, "/tmp/x");
  const pd = vfs.open(null, "/proc/42", OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof pd !== "number");
  const entries = (vfs.readdir(pd.file) as { name: string }[]).map((e) => e.name);
  assert.deepEqual(entries, [
    ".",
    "..",
    "cmdline",
    "comm",
    "stat",
    "status",
    "sched",
    "maps",
    "environ",
    "cwd",
    "exe",
    "fd",
    "fdinfo",
    "task",
  ]);
});

Deno.test("procfs: /proc/PID/task/TID has the thread's stat, status and comm", () => {
  const { vfs, p: provider } = setup();
  const base = provider.procs.get(42)!;
  provider.procs.set(42, { ...base, tids: [42, 43], numThreads: 2 });
  provider.thread = (pid: number, tid: number) => {
    const i = provider.procs.get(pid);
    if (i === undefined || !i.tids?.includes(tid)) return null;
    return { ...i, pid: tid, tgid: pid, state: tid === 43 ? "S" : i.state };
  };
  const td = vfs.open(null, "/proc/42/task", OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof td !== "number");
  const names = (vfs.readdir(td.file) as { name: string }[]).map((e) => e.name);
  assert.deepEqual(names, [".", "..", "42", "43"]);
  const status = cat(vfs, "/proc/42/task/43/status");
  assert.match(status, /^Tgid:\t42$/m);
  assert.match(status, /^Pid:\t43$/m);
  assert.match(status, /^State:\tS \(sleeping\)$/m);
  assert.match(status, /^Threads:\t2$/m);
  assert.match(cat(vfs, "/proc/42/task/43/stat"), /^43 \(/);
  assert.equal(vfs.lookup(null, "/proc/42/task/44"), K.NOENT);
});

Deno.test("procfs: /proc/PID/maps in Linux's 32-bit layout; /proc/cpuinfo", () => {
  const { vfs } = setup();
  assert.equal(
    cat(vfs, "/proc/42/maps"),
    "00010000-00012000 r-xp 00000000 00:00 0          /bin/ls\n" +
      "40000000-40001000 rw-p 00000000 00:00 0 \n" +
      "7f800000-80000000 rw-p 00000000 00:00 0          [stack]\n",
  );
  assert.equal(cat(vfs, "/proc/1/maps"), "", "no maps given: empty");
  assert.equal(
    cat(vfs, "/proc/cpuinfo"),
    "processor\t: 0\nhart\t\t: 0\nisa\t\t: rv32ima\nmmu\t\t: sv32\n" +
      "mvendorid\t: 0x0\nmarchid\t\t: 0x2b\nmimpid\t\t: 0x1\n\n",
  );
});

Deno.test("procfs: maps, environ and fd of another user's process are denied (ptrace rule)", () => {
  const { vfs } = setup();
  const owner = { uid: 1000, gid: 100 }, other = { uid: 1001, gid: 100 };
  for (const path of ["/proc/42/maps", "/proc/42/environ"]) {
    assert.equal(vfs.open(null, path, OpenFlags.READ, 0, other), K.ACCES, path);
    const r = vfs.open(null, path, OpenFlags.READ, 0, owner);
    assert.ok(typeof r !== "number", `${path} for its owner`);
    assert.ok(typeof vfs.open(null, path, OpenFlags.READ) !== "number", `${path} for root`);
  }
  assert.equal(cat(vfs, "/proc/42/environ"), "HOME=/home/u\0PATH=/bin\0");
  const fd = OpenFlags.READ | OpenFlags.DIRECTORY;
  assert.equal(vfs.open(null, "/proc/42/fd", fd, 0, other), K.ACCES);
  assert.equal(vfs.readlink(null, "/proc/42/fd/0", other), K.ACCES);
  assert.ok(typeof vfs.open(null, "/proc/42/fd", fd, 0, owner) !== "number");
  assert.equal(vfs.readlink(null, "/proc/42/fd/0", owner), "/dev/console");
  // What ps needs stays readable by everyone.
  assert.ok(typeof vfs.open(null, "/proc/42/stat", OpenFlags.READ, 0, other) !== "number");
  assert.ok(typeof vfs.open(null, "/proc/42/cmdline", OpenFlags.READ, 0, other) !== "number");
});

Deno.test("procfs: every file and directory of a process and its threads has its own inode", async () => {
  const { runGuest } = await import("../../../system/boot.ts");
  const r = await runGuest({
    cmd: "stat -c %i /proc/1/* /proc/1/task/1 /proc/1/task/1/* | sort | uniq -d | wc -l",
    maxHostMs: 30_000,
  });
  assert.equal(r.output.replaceAll("\r\n", "\n"), "0\n");
});
