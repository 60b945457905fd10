/**
 * End-to-end: boot the kernel with the real plugins and guest binaries from
 * userland/bin, run programs, check output, status and counters.
 */
import assert from "node:assert/strict";
import {
  boot,
  BootError,
  type BootOptions,
  checkShares,
  parseQuantum,
  runGuest,
  type ShareSpec,
} from "../../system/boot.ts";
import { assertFinished, HOST_LIMIT_MS, runGuarded } from "../guest_guard.ts";
import { ModuleBusyError } from "../../kernel/modules/mod.ts";

const SH = { init: "/bin/sh" };

Deno.test("boot: echo as pid 1 prints through the UART and the machine halts with its status", async () => {
  const r = await runGuarded({ init: "/bin/echo", initArgs: ["hello", "world"], maxCycles: 2e8 });
  assert.equal(r.output, "hello world\r\n");
  assert.equal(r.status, 0);
  assert.equal(r.reason, "init-exit");
  assert.ok(r.cycles > 0 && r.instret > 0);
  assert.equal(r.stats.freeFrames, r.stats.totalFrames, "all memory returned after exit");
});

Deno.test("boot: a pipeline through the shell (fork, exec, pipe, wait, COW)", async () => {
  const r = await runGuarded({ ...SH, initArgs: ["-c", "ls -l /bin | wc -l"], maxCycles: 5e8 });
  assert.equal(r.status, 0);
  const n = Number(r.output.trim());
  const files = [...Deno.readDirSync(new URL("../../userland/bin", import.meta.url))].length;
  assert.ok(n >= files, `ls -l /bin | wc -l gave ${JSON.stringify(r.output)}, ${files} files`);
  assert.ok(r.stats.cowCopies > 0, "fork used copy-on-write");
  assert.ok(r.stats.contextSwitches >= 3);
});

Deno.test("boot: exit status of the shell becomes the machine's status", async () => {
  const r = await runGuarded({ ...SH, initArgs: ["-c", "exit 3"], maxCycles: 2e8 });
  assert.equal(r.status, 3);
  const r2 = await runGuarded({ init: "/bin/false", maxCycles: 2e8 });
  assert.equal(r2.status, 1);
});

Deno.test("boot: simulated time is deterministic (same cycles, instructions, output)", async () => {
  const opts = { ...SH, initArgs: ["-c", "echo a | cat; uname -a"], maxCycles: 5e8 };
  const a = await runGuarded(opts);
  const b = await runGuarded(opts);
  assert.equal(a.output, b.output);
  assert.equal(a.cycles, b.cycles);
  assert.equal(a.instret, b.instret);
  assert.deepEqual(a.stats, b.stats);
});

Deno.test("boot: ^C on the console kills a looping foreground job, the shell goes on", async () => {
  const r = await runGuarded({
    ...SH,
    quantum: "1ms",
    maxCycles: 5e8,
    console: {
      kind: "buffer",
      script: [
        { atMs: 1, data: "bench_getpid 100000000\n" },
        { atMs: 200, data: "\x03" },
        { atMs: 300, data: "echo after $?\n" },
        { atMs: 400, data: "exit 7\n" },
      ],
    },
  });
  assert.match(r.output, /\^C/);
  assert.match(r.output, /after 130/);
  assert.doesNotMatch(r.output, /ok 100000000/);
  assert.equal(r.status, 7);
  assert.ok(r.log.some((l) => /killed by SIGINT/.test(l)));
});

Deno.test("boot: a script's INT trap runs after ^C ends its foreground command; EXIT trap at the end", async () => {
  const r = await runGuarded({
    cmd: "trap 'echo caught INT' INT; trap 'echo bye $?' EXIT; " +
      "bench_getpid 100000000; echo after $?; kill -INT $$; echo still here; exit 5",
    quantum: "1ms",
    maxCycles: 5e8,
    console: { kind: "buffer", script: [{ atMs: 200, data: "\x03" }] },
  });
  const out = r.output.replaceAll("\r\n", "\n");
  assert.doesNotMatch(out, /ok 100000000/);
  assert.match(out, /caught INT\nafter 130\ncaught INT\nstill here\nbye 5\n$/);
  assert.equal(r.status, 5);
});

Deno.test("boot: timer preemption interleaves two CPU-bound processes", async () => {
  const r = await runGuarded({
    ...SH,
    initArgs: ["-c", "bench_getpid 20000 & bench_getpid 20000; wait"],
    quantum: 20_000,
    maxCycles: 5e8,
  });
  assert.equal(r.status, 0);
  assert.equal(r.output.match(/ok 20000/g)?.length, 2);
  assert.ok(r.stats.preemptions > 10, `preemptions ${r.stats.preemptions}`);
  assert.ok(r.stats.contextSwitches > 10, `context switches ${r.stats.contextSwitches}`);
});

Deno.test("boot: sleep advances simulated time while idle", async () => {
  const r = await runGuarded({ init: "/bin/sleep", initArgs: ["1"], maxCycles: 1e9 });
  assert.equal(r.status, 0);
  assert.ok(r.cycles >= 100_000_000, `cycles ${r.cycles}`);
  assert.ok(r.stats.idleCycles >= 90_000_000);
});

Deno.test("boot: the end of console input reaches a waiting reader as ^D (end of file)", async () => {
  const r = await runGuarded({ init: "/bin/cat", maxCycles: 2e8 });
  assert.equal(r.reason, "init-exit");
  assert.equal(r.status, 0);
  const r2 = await runGuarded({
    init: "/bin/sh",
    console: { kind: "buffer", input: "echo one\n" },
    maxCycles: 2e8,
  });
  assert.match(r2.output, /one/);
  assert.equal(r2.reason, "init-exit", "the shell read end of file and exited");
});

Deno.test("boot: the cycle limit stops a runaway guest", async () => {
  const r = await runGuest({ init: "/bin/bench_getpid", initArgs: ["100000000"], maxCycles: 2e6 });
  assert.equal(r.reason, "timeout");
  assert.equal(r.status, 124);
  assert.match(r.detail, /2000000 cycles \(the cycle limit\)/);
});

Deno.test("boot: the host-time limit stops a guest that never ends, and changes nothing else", async () => {
  // `yes` never ends. 100 ms of host time is far fewer than 2e10 cycles, so the
  // host-time limit must stop it; the cycle limit only keeps a broken one from hanging.
  const r = await runGuest({ cmd: "yes > /dev/null", maxHostMs: 100, maxCycles: 2e10 });
  assert.equal(r.reason, "timeout");
  assert.equal(r.status, 124);
  assert.match(r.detail, /100 ms of host time \(the host-time limit\)/);
  // A run that finishes is the same with and without it.
  const opts = { cmd: "test_pipe; echo a | cat", maxCycles: 2e8 };
  const plain = await runGuest(opts);
  const limited = await runGuest({ ...opts, maxHostMs: HOST_LIMIT_MS });
  assert.equal(limited.reason, "init-exit");
  assert.equal(limited.output, plain.output);
  assert.equal(limited.cycles, plain.cycles);
  assert.equal(limited.instret, plain.instret);
  assert.deepEqual(limited.stats, plain.stats);
});

Deno.test("boot: modules in use cannot be unloaded; lsmod-style listing", async () => {
  const sys = await boot({ init: "/bin/echo", initArgs: ["x"] }, { kind: "buffer" });
  const names = sys.kernel.modules.list().map((m) => m.name);
  assert.deepEqual(names, ["round_robin", "unix", "win32", "uart16550", "ext2", "st"]);
  assert.equal(sys.kernel.modules.get("unix")?.refs, 1, "pid 1 runs under unix");
  await assert.rejects(sys.kernel.modules.unload("unix"), ModuleBusyError);
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0);
});

Deno.test("boot: quantum parsing", () => {
  assert.equal(parseQuantum("10ms", 100_000_000), 1_000_000);
  assert.equal(parseQuantum("500us", 100_000_000), 50_000);
  assert.equal(parseQuantum(20_000, 100_000_000), 20_000);
  assert.equal(parseQuantum(undefined, 100_000_000), 1_000_000);
  assert.throws(() => parseQuantum("fast", 100_000_000), /bad quantum/);
  assert.throws(() => parseQuantum(5, 100_000_000), /bad quantum/);
});

Deno.test("boot: a host exception in a syscall handler kills the guest with SIGSYS, not the host", async () => {
  const { API_VERSION, K } = await import("../../kernel/api.ts");
  const throwing = {
    name: "boom",
    syscalls: new Array(512).fill((): number => {
      throw new TypeError("handler bug");
    }),
    syscallNames: [],
    mapStatus: (s: number) => s,
    deliverSignal: () => false,
    checkBinary: (b: Uint8Array) => b[0] === 0x7f && b[1] === 0x45,
    setupProcess: (
      t: { regs: Int32Array; pc: number },
      img: { entry: number; stackTop: number },
    ) => {
      t.pc = img.entry;
      t.regs[2] = img.stackTop - 64;
      return K.OK;
    },
  };
  const r = await runGuarded({
    init: "/bin/true",
    maxCycles: 2e8,
    bootConfig: {
      modules: [
        {
          name: "boom",
          version: "0.0.1",
          apiVersion: API_VERSION,
          kind: "personality",
          init: (_api, ctx) => void ctx.registerPersonality(throwing as never),
          exit: (_api, ctx) => void ctx.unregisterPersonality("boom"),
        },
        "plugins/drivers/uart16550/mod.ts",
      ],
    },
  });
  assert.equal(r.status, 128 + 31, "init killed by SIGSYS");
  assert.ok(r.log.some((l) => /kernel error in system call .*TypeError: handler bug/.test(l)));
});

Deno.test("boot: the libc test program passes", async () => {
  const r = await runGuarded({ init: "/bin/test_libc", maxCycles: 1e9 });
  assert.equal(r.status, 0, r.output);
});

Deno.test("boot: ps prints one line per process; control characters in a command line show as '?'", async () => {
  // The shell's own argv holds a newline; ps must not split its table row.
  const r = await runGuarded({ init: "/bin/sh", initArgs: ["-c", "ps\n"], maxCycles: 5e8 });
  assert.equal(r.status, 0, r.output);
  const lines = r.output.replaceAll("\r\n", "\n").trimEnd().split("\n");
  assert.equal(lines[0], "  PID  PPID  PGID S  TIME CMD");
  for (const line of lines.slice(1)) assert.match(line, /^ *\d+ +\d+ +\d+ \S +\d+:\d\d \S/);
  assert.ok(lines.some((l) => l.endsWith("/bin/sh -c ps?")), r.output);
});

Deno.test("boot: the shell's . (source), type and umask", async () => {
  const script = "echo -e 'echo in lib $# $1\\nV=lib\\nreturn 3' > /tmp/lib.sh; . /tmp; " +
    '. /tmp/lib.sh x; echo "st=$? V=$V"; cd /tmp && source lib.sh; echo st=$?; ' +
    "type cd ls; umask; umask 077; umask; echo hi > /tmp/f; ls -l /tmp/f 2>&1";
  const r = await runGuarded({ cmd: script, maxCycles: 5e8 });
  assert.equal(r.status, 0, r.output);
  const lines = r.output.replaceAll("\r\n", "\n").trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, 9), [
    "sh: .: /tmp: Is a directory",
    "in lib 1 x",
    "st=3 V=lib",
    "in lib 0",
    "st=3",
    "cd is a shell builtin",
    "ls is /bin/ls",
    "0022",
    "0077",
  ]);
  assert.match(lines[9], /^-rw------- /, "umask 077 applies to new files");
});

Deno.test("boot: /proc/self/maps shows the program, vdso and stack; /proc/cpuinfo the hart", async () => {
  const r = await runGuarded({ cmd: "cat /proc/self/maps; cat /proc/cpuinfo", maxCycles: 5e8 });
  assert.equal(r.status, 0, r.output);
  const out = r.output.replaceAll("\r\n", "\n");
  assert.match(out, /^00010000-[0-9a-f]{8} r--p 00000000 00:00 0 {10}\/bin\/cat$/m);
  assert.match(out, /^[0-9a-f]{8}-[0-9a-f]{8} r-xp 00000000 00:00 0 {10}\/bin\/cat$/m);
  assert.match(out, /^[0-9a-f]{8}-[0-9a-f]{8} r-xp 00000000 00:00 0 {10}\[vdso\]$/m);
  assert.match(out, /^7f800000-80000000 rw-p 00000000 00:00 0 {10}\[stack\]$/m);
  assert.match(out, /^isa\t\t: rv32imafdc_zicntr_zicsr_zifencei_sstc_svadu$/m);
  assert.match(out, /^mmu\t\t: sv32$/m);
});

Deno.test("boot: --cmd runs /bin/init /bin/sh -c CMD and returns the command's status", async () => {
  const r = await runGuarded({ cmd: "ls -l /bin | wc -l", maxCycles: 5e8 });
  assert.equal(r.status, 0);
  const files = [...Deno.readDirSync(new URL("../../userland/bin", import.meta.url))].length;
  assert.ok(Number(r.output.trim()) >= files, r.output);
  const r2 = await runGuarded({ cmd: "echo hi; exit 5", maxCycles: 2e8 });
  assert.equal(r2.output, "hi\r\n");
  assert.equal(r2.status, 5);
});

Deno.test("boot: ^Z stops a foreground job (job control through the tty and SIGCHLD/WUNTRACED)", async () => {
  const r = await runGuarded({
    maxCycles: 5e8,
    console: {
      kind: "buffer",
      script: [
        { atMs: 1, data: "sleep 100\n" },
        { atMs: 50, data: "\x1a" },
        { atMs: 100, data: "jobs\n" },
        { atMs: 150, data: "exit 4\n" },
      ],
    },
  });
  assert.match(r.output, /Stopped\s+sleep 100/);
  assert.equal(r.status, 4);
  assert.ok(r.cycles < 100_000_000, "the stopped sleep did not hold the machine");
});

/**
 * Boots with a host-fed terminal console whose input arrives in host time:
 * `first`, then ^C after 300 ms, then `last` after another 100 ms.
 */
async function bootWithHostInput(first: string, last: string) {
  const { TerminalConsole } = await import("../../system/terminal_console.ts");
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let out = "";
  const readable = new ReadableStream<Uint8Array>({
    async start(c) {
      c.enqueue(enc.encode(first));
      // Host time, not simulated time: the loop must yield to let this arrive.
      await new Promise((r) => setTimeout(r, 300));
      c.enqueue(enc.encode("\x03"));
      await new Promise((r) => setTimeout(r, 100));
      c.enqueue(enc.encode(last));
      c.close();
    },
  });
  const io = new TerminalConsole({
    input: { readable, isTerminal: () => false },
    output: { writeSync: (p) => ((out += dec.decode(p)), p.length) },
  });
  const { bootKernel } = await import("../../system/boot.ts");
  // Host input arrives in host time; the limits only end a run that never gets it.
  const r = assertFinished(
    await bootKernel({
      console: { kind: "custom", io },
      maxCycles: 1e10,
      maxHostMs: HOST_LIMIT_MS,
    }),
    "a shell fed from a host stream",
  );
  return { r, out };
}

Deno.test("boot: a host console (terminal back-end) delivers ^C to a busy guest", async () => {
  const { r, out } = await bootWithHostInput("bench_getpid 1000000000\n", "exit 9\n");
  assert.equal(r.status, 9, out);
  assert.ok(r.log.some((l) => /bench_getpid\) killed by SIGINT/.test(l)), r.log.join("\n"));
});

Deno.test("boot: ^C reaches a guest spinning without system calls (host input is polled)", async () => {
  const { r, out } = await bootWithHostInput("sh -c 'while true; do :; done'\n", "exit 5\n");
  assert.equal(r.status, 5, out);
  // Polling only every 2048 traps would let the spinner run ~2e9 cycles (2048
  // quanta) before the ^C is even read; polling by simulated time reads it
  // within a few tens of host milliseconds.
  assert.ok(r.cycles < 1.5e9, `^C was read only after ${r.cycles} cycles`);
});

Deno.test("boot: a second scheduler module takes over; the active one is busy, the old one unloads", async () => {
  const { API_VERSION } = await import("../../kernel/api.ts");
  const { RoundRobinPolicy } = await import("../../plugins/schedulers/round_robin.ts");
  const sys = await boot(
    { cmd: "bench_getpid 3000 & bench_getpid 3000; wait", maxCycles: 5e8 },
    { kind: "buffer" },
  );
  const k = sys.kernel;
  await k.modules.loadDescriptor({
    name: "rr_small",
    version: "1.0.0",
    apiVersion: API_VERSION,
    kind: "scheduler",
    init: (_api, ctx) => ctx.setScheduler(new RoundRobinPolicy(5_000)),
    exit: () => {},
  });
  assert.equal(k.scheduler.name, "round_robin");
  assert.equal(k.table.policy.readyCount, 1, "init moved to the new policy");
  await assert.rejects(k.modules.unload("rr_small"), ModuleBusyError);
  await k.modules.unload("round_robin");
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0);
  assert.ok(r.stats.preemptions > 5, `preemptions ${r.stats.preemptions}`);
});

Deno.test("boot: chromeTrace writes run slices, system calls and interrupts in simulated time", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const opts = { cmd: "echo hi | cat", maxCycles: 5e8, chromeTrace: path };
    const r = await runGuarded(opts);
    assert.equal(r.status, 0);
    const trace = JSON.parse(await Deno.readTextFile(path));
    const ev = trace.traceEvents as { name: string; cat: string; ph: string; ts: number }[];
    assert.ok(ev.some((e) => e.cat === "sched" && e.ph === "X" && e.name === "cat"));
    assert.ok(ev.some((e) => e.cat === "syscall" && e.name === "pipe2"));
    assert.ok(ev.some((e) => e.cat === "irq"));
    assert.ok(ev.some((e) => e.ph === "M" && e.name === "process_name"));
    // Faults by name, decoded arguments, one span for a call that waited, the last slice closed.
    assert.ok(
      ev.some((e) => e.cat === "fault" && /^page fault \((load|store|fetch)\)$/.test(e.name)),
    );
    const full = trace.traceEvents as {
      name: string;
      cat: string;
      args?: Record<string, unknown>;
    }[];
    assert.ok(full.some((e) => e.name === "pipe2" && e.args?.args === "[3, 4], O_CLOEXEC"));
    const waits = full.filter((e) => e.name === "waitid" && e.args?.blocked === true);
    assert.ok(waits.length > 0 && waits.every((e) => /CLD_EXITED/.test(String(e.args?.args))));
    const last = ev.filter((e) => e.cat === "sched" && e.ph === "X").at(-1)!;
    assert.equal(last.name, "init"); // pid 1's slice that ended with its exit
    const again = await runGuarded(opts);
    assert.equal(again.cycles, r.cycles, "tracing does not change simulated time");
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), trace, "same trace every run");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("boot: a machine without a tape drive boots without the st driver", async () => {
  const sys = await boot({ init: "/bin/echo", initArgs: ["x"], tape: null }, { kind: "buffer" });
  assert.deepEqual(sys.kernel.modules.list().map((m) => m.name), [
    "round_robin",
    "unix",
    "win32",
    "uart16550",
    "ext2",
  ]);
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0);
});

Deno.test("boot: the tree has /bin, /dev (console, tty, null, zero...), /proc and /tmp", async () => {
  const r = await runGuarded({
    cmd: "ls /; ls /dev; echo x > /dev/null; ls /proc/1",
    maxCycles: 5e8,
  });
  assert.equal(r.status, 0, r.output);
  for (const name of ["bin", "dev", "proc", "tmp", "console", "tty", "null", "zero", "status"]) {
    assert.match(r.output, new RegExp(`\\b${name}\\b`), `${name} missing in ${r.output}`);
  }
});

Deno.test("boot: a host directory is shared read-only at /mnt/host", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/hello.txt`, "from the host\n");
    const r = await runGuarded({
      cmd: "cat /mnt/host/hello.txt; echo x > /mnt/host/new.txt",
      share: [{ hostDir: dir }],
      maxCycles: 5e8,
    });
    assert.match(r.output, /from the host/);
    assert.notEqual(r.status, 0, "writing to the share fails");
    await assert.rejects(Deno.stat(`${dir}/new.txt`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("boot: poweroff halts the machine with status 0", async () => {
  const r = await runGuarded({ cmd: "echo bye; poweroff; echo not reached", maxCycles: 5e8 });
  assert.equal(r.reason, "poweroff");
  assert.equal(r.status, 0);
  assert.match(r.output, /bye/);
  assert.doesNotMatch(r.output, /not reached/);
});

Deno.test("boot: a deadlock ends the run with its own status, 125, not the timeout's 124", async () => {
  // The child stops itself; the shell waits for it and init waits for the shell: nothing can wake one.
  const r = await runGuest({ cmd: 'sh -c "kill -STOP \\$\\$"', maxCycles: 2e8 });
  assert.equal(r.reason, "deadlock");
  assert.equal(r.status, 125);
  assert.match(r.detail, /pid 1 \(init\) blocked on wait/);
});

Deno.test("boot: runGuest refuses an option key it does not know, naming it", async () => {
  const typo = { cmd: "true", maxCycle: 1e8 } as unknown as BootOptions;
  await assert.rejects(() => runGuest(typo), (e: unknown) => {
    assert.ok(e instanceof BootError);
    assert.match(e.message, /^unknown boot option "maxCycle" \(known options: .*maxCycles/);
    return true;
  });
});

Deno.test("boot: runGuest passes env to the command", async () => {
  const r = await runGuest({
    cmd: 'echo "$GREETING"; env',
    env: ["PATH=/bin", "GREETING=hello from env"],
    maxCycles: 2e8,
  });
  assert.equal(r.status, 0);
  assert.match(r.output, /^hello from env\r?\n/);
  assert.match(r.output, /^GREETING=hello from env\r?$/m);
  assert.doesNotMatch(r.output, /^TERM=/m, "the default environment is replaced, not merged");
});

Deno.test("boot: shares onto the system's directories or onto one mount point twice are refused", () => {
  const bad: [ShareSpec[], RegExp][] = [
    [[{ hostDir: "/tmp", guestDir: "/bin" }], /hide the system's \/bin/],
    [[{ hostDir: "/tmp", guestDir: "/bin/" }], /hide the system's \/bin/],
    [[{ hostDir: "/tmp", guestDir: "/" }], /hide the system's \//],
    [[{ hostDir: "/tmp", guestDir: "/dev" }], /\/dev/],
    [[{ hostDir: "/tmp", guestDir: "/proc/self" }], /\/proc/],
    [[{ hostDir: "/tmp", guestDir: "/mnt/../proc" }], /\/proc/],
    [
      [{ hostDir: "/a" }, { hostDir: "/b", guestDir: "/mnt//host/" }],
      /\/mnt\/host is already a share/,
    ],
    [[{ hostDir: "/tmp", guestDir: "rel" }], /not absolute/],
  ];
  for (const [shares, re] of bad) assert.throws(() => checkShares(shares), re);
  assert.deepEqual(checkShares([{ hostDir: "/a" }, { hostDir: "/b", guestDir: "/srv/b/" }]), [
    { hostPath: "/a", guestPath: "/mnt/host" },
    { hostPath: "/b", guestPath: "/srv/b" },
  ]);
});

Deno.test("boot: /proc/PID/fd, fdinfo, exe and cwd of real processes", async () => {
  const r = await runGuest({
    cmd: "cd /tmp && exec 3</bin/ls && readlink /proc/self/cwd /proc/self/exe /proc/self/fd/0 " +
      "/proc/self/fd/3 /proc/1/exe && cat /proc/self/fdinfo/3 /proc/self/fdinfo/1 && ls /proc/1/fd",
    maxCycles: 2_000_000_000,
    maxHostMs: HOST_LIMIT_MS,
  });
  assert.equal(r.status, 0, r.output);
  assert.equal(
    r.output.replaceAll("\r\n", "\n").replace(/ino:\t\d+/g, "ino:\tN"),
    "/tmp\n/bin/readlink\n/dev/console\n/bin/ls\n/bin/init\n" +
      "pos:\t0\nflags:\t00\nmnt_id:\t0\nino:\tN\n" +
      "pos:\t0\nflags:\t02\nmnt_id:\t0\nino:\tN\n" +
      "0  1  2\n",
  );
});
