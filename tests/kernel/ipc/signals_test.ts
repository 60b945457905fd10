import assert from "node:assert/strict";
import { EnqueueReason, FifoPolicy, ProcessTable, TaskState } from "../../../kernel/proc/mod.ts";
import type { Process, SigAction, Thread } from "../../../kernel/proc/mod.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { CLD, SignalEngine, type SignalInfo } from "../../../kernel/ipc/signals.ts";
import { SA, SIG } from "../../../kernel/ipc/signal_numbers.ts";

const EINTR = -4;

function setup() {
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), { cancel: () => {} });
  const terminated: [number, number, boolean][] = [];
  const frames: [number, number, SignalInfo][] = [];
  let frameOk = true;
  const eng = new SignalEngine(table, {
    terminate: (p, sig, core) => {
      terminated.push([p.pid, sig, core]);
      table.zombify(p);
    },
    deliverToHandler: (t: Thread, sig: number, _a: SigAction, info: SignalInfo) => {
      frames.push([t.tid, sig, { ...info }]);
      t.pc = 0x5000;
      return frameOk;
    },
    interruptedResult: () => EINTR,
    charge: () => {},
    deliveryCost: 0,
  });
  const init = table.create(null)!;
  const child = table.create(init)!;
  table.makeReady(child.mainThread, EnqueueReason.NEW);
  table.policy.pickNext(0);
  child.mainThread.state = TaskState.RUNNING;
  table.current = child.mainThread;
  return {
    table,
    eng,
    init,
    child,
    terminated,
    frames,
    failFrames: () => (frameOk = false),
  };
}

function catchSig(p: Process, sig: number, flags = 0, maskLo = 0) {
  p.sigActions[sig] = { handler: 0x4000, flags, maskLo, maskHi: 0, restorer: 0 };
}

Deno.test("default terminate action kills at once; SIGCHLD semantics left to the kernel hook", () => {
  const { eng, child, terminated } = setup();
  eng.send(child, SIG.TERM, 1);
  assert.deepEqual(terminated, [[2, SIG.TERM, false]]);
});

Deno.test("core signals report the core flag", () => {
  const { eng, child, terminated } = setup();
  eng.send(child, SIG.SEGV, 0);
  assert.deepEqual(terminated, [[2, SIG.SEGV, true]]);
});

Deno.test("caught signal gets a frame, handler mask and the signal itself blocked", () => {
  const { eng, child, frames } = setup();
  const t = child.mainThread;
  catchSig(child, SIG.USR1, 0, 1 << (SIG.USR2 - 1));
  eng.send(child, SIG.USR1, 7);
  assert.equal(t.sigPendingLo, 1 << (SIG.USR1 - 1));
  eng.deliver(t);
  assert.equal(frames.length, 1);
  assert.equal(frames[0][1], SIG.USR1);
  assert.equal(frames[0][2].pid, 7);
  assert.equal(t.sigPendingLo, 0);
  assert.equal(t.sigBlockedLo, (1 << (SIG.USR1 - 1)) | (1 << (SIG.USR2 - 1)));
  assert.equal(eng.delivered, 1);
});

Deno.test("SA_NODEFER and SA_RESETHAND", () => {
  const { eng, child } = setup();
  const t = child.mainThread;
  catchSig(child, SIG.USR1, SA.NODEFER | SA.RESETHAND);
  eng.send(child, SIG.USR1, 1);
  eng.deliver(t);
  assert.equal(t.sigBlockedLo, 0);
  assert.equal(child.sigActions[SIG.USR1].handler, 0);
});

Deno.test("blocked signals stay pending; SIGKILL/SIGSTOP cannot be blocked", () => {
  const { eng, child, frames, terminated } = setup();
  const t = child.mainThread;
  catchSig(child, SIG.USR2);
  eng.setMask(t, 0xffff_ffff, 0xffff_ffff);
  assert.equal(t.sigBlockedLo & (1 << (SIG.KILL - 1)), 0);
  assert.equal(t.sigBlockedLo & (1 << (SIG.STOP - 1)), 0);
  eng.send(child, SIG.USR2, 1);
  eng.deliver(t);
  assert.equal(frames.length, 0);
  assert.ok(t.sigPendingLo & (1 << (SIG.USR2 - 1)));
  eng.send(child, SIG.TERM, 1);
  assert.equal(terminated.length, 0, "blocked TERM does not kill");
  eng.setMask(t, 0, 0);
  eng.deliver(t);
  assert.equal(frames.length, 1, "USR2 (12) delivered before TERM (15)");
  eng.deliver(t);
  assert.deepEqual(terminated, [[2, SIG.TERM, false]]);
});

Deno.test("ignored signals are discarded; SIG_DFL SIGCHLD ignored", () => {
  const { eng, child } = setup();
  const t = child.mainThread;
  child.sigActions[SIG.INT].handler = 1;
  eng.send(child, SIG.INT, 1);
  eng.send(child, SIG.CHLD, 1);
  assert.equal(t.sigPendingLo, 0);
});

Deno.test("interrupted blocking call: EINTR without SA_RESTART, restart with it", () => {
  for (const restart of [false, true]) {
    const { eng, child, table } = setup();
    const t = child.mainThread;
    catchSig(child, SIG.USR1, restart ? SA.RESTART : 0);
    const q = new WaitQueue("pipe");
    t.restartPc = 0x1000;
    t.pc = 0x1000;
    q.add(t);
    table.current = null;
    table.park(t, q);
    eng.send(child, SIG.USR1, 1);
    assert.equal(t.state, TaskState.READY);
    assert.equal(t.interrupted, true);
    assert.equal(q.length, 0);
    eng.deliver(t);
    assert.equal(t.interrupted, false);
    if (restart) {
      assert.equal(t.regs[10], 0);
    } else {
      assert.equal(t.regs[10], EINTR);
    }
  }
});

Deno.test("stop and continue a background process; parent notified", () => {
  const { eng, child, init, table } = setup();
  table.current = null;
  let wakes = 0;
  table.childEvents(init).add({ wake: () => wakes++ } as never);
  eng.send(child, SIG.TSTP, 1);
  assert.equal(child.state, TaskState.STOPPED);
  assert.equal(child.stopSignal, SIG.TSTP);
  assert.ok(child.stopReportPending);
  assert.equal(wakes, 1);
  eng.send(child, SIG.TERM, 1);
  assert.equal(child.state, TaskState.STOPPED, "TERM waits for SIGCONT");
  eng.send(child, SIG.CONT, 1);
  assert.notEqual(child.state, TaskState.STOPPED);
  assert.ok(child.continueReportPending);
  assert.equal(child.mainThread.state, TaskState.READY);
});

Deno.test("SIGKILL kills a stopped process", () => {
  const { eng, child, table, terminated } = setup();
  table.current = null;
  eng.send(child, SIG.STOP, 1);
  assert.equal(child.state, TaskState.STOPPED);
  eng.send(child, SIG.KILL, 1);
  assert.deepEqual(terminated, [[2, SIG.KILL, false]]);
});

Deno.test("stop of the running thread happens at delivery", () => {
  const { eng, child } = setup();
  eng.send(child, SIG.STOP, 1);
  assert.equal(child.state, TaskState.READY, "not yet");
  eng.deliver(child.mainThread);
  assert.equal(child.state, TaskState.STOPPED);
});

Deno.test("SIGCHLD notification respects SA_NOCLDSTOP", () => {
  const { eng, child, init } = setup();
  catchSig(init, SIG.CHLD, SA.NOCLDSTOP);
  eng.notifyParent(child, CLD.STOPPED, SIG.TSTP);
  assert.equal(init.mainThread.sigPendingLo, 0);
  eng.notifyParent(child, CLD.EXITED, 0);
  assert.ok(init.mainThread.sigPendingLo & (1 << (SIG.CHLD - 1)));
  assert.equal(init.mainThread.sigInfo[SIG.CHLD * 4 + 1], CLD.EXITED);
});

Deno.test("sigsuspend-style wait: saved mask restored, EINTR even with SA_RESTART", () => {
  const { eng, child, table, frames } = setup();
  const t = child.mainThread;
  catchSig(child, SIG.USR1, SA.RESTART);
  eng.setMask(t, 1 << (SIG.USR1 - 1), 0);
  t.savedBlockedLo = t.sigBlockedLo;
  t.hasSavedMask = true;
  eng.setMask(t, 0, 0);
  t.noRestart = true;
  t.restartPc = 0x2000;
  const q = new WaitQueue("pause");
  q.add(t);
  table.current = null;
  table.park(t, q);
  eng.send(child, SIG.USR1, 1);
  eng.deliver(t);
  assert.equal(frames.length, 1);
  assert.equal(t.regs[10], EINTR);
  assert.equal(t.hasSavedMask, false);
  assert.equal(t.sigBlockedLo, 1 << (SIG.USR1 - 1), "old mask plus the handled signal");
});

Deno.test("a frame that cannot be written kills with SIGSEGV", () => {
  const { eng, child, terminated, failFrames } = setup();
  failFrames();
  catchSig(child, SIG.USR1);
  eng.send(child, SIG.USR1, 1);
  eng.deliver(child.mainThread);
  assert.deepEqual(terminated, [[2, SIG.SEGV, true]]);
});

Deno.test("real-time signals use the high word", () => {
  const { eng, child, frames } = setup();
  catchSig(child, 40);
  eng.send(child, 40, 1);
  assert.equal(child.mainThread.sigPendingHi, 1 << (40 - 33));
  eng.deliver(child.mainThread);
  assert.equal(frames[0][1], 40);
  assert.equal(eng.send(child, 65, 1), -22);
});
