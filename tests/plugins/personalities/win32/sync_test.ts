/**
 * Win32 synchronisation on Strata: the dispatcher and object classes
 * directly (wait blocks, hand-offs, wait-all, abandonment, timers over a
 * clock), and `guest/sync_strata.c` on a machine for the cases kept out of
 * the Wine comparison (Windows' codes where Wine differs, keyed events,
 * critical-section counts, deterministic hand-offs).
 */
import assert from "node:assert/strict";
import { Process, TaskState, Thread, WaitQueue } from "../../../../kernel/api.ts";
import {
  ABANDONED_WAIT_0,
  abandonMutants,
  EventObject,
  MutantObject,
  Namespace,
  type NtObject,
  SemaphoreObject,
  trySatisfy,
  type WaitBlock,
} from "../../../../plugins/personalities/win32/ob.ts";
import { TimerObject } from "../../../../plugins/personalities/win32/sync_objects.ts";
import { STATUS } from "../../../../plugins/personalities/win32/ntstatus.ts";
import { hasGuestToolchain } from "../../../../userland/mod.ts";
import { boot } from "../../../../system/boot.ts";
import { writeGuestFile } from "../unix/strata_runner.ts";
import { assertFinished, guarded } from "../../../guest_guard.ts";

function threads(n: number): Thread[] {
  const p = new Process(100, { wakeThread() {} });
  return Array.from({ length: n }, (_, i) => new Thread(100 + i, p));
}

function block(t: Thread, objects: NtObject[], all: boolean): WaitBlock {
  const wb = { thread: t, objects, all, deadline: -1, result: -1, queue: new WaitQueue() };
  for (const o of objects) o.waitBlocks.push(wb);
  return wb;
}

Deno.test("sync: a set auto-reset event goes to the first waiter, not to a later caller", () => {
  const [a, b, c] = threads(3);
  const e = new EventObject(false, false);
  const wa = block(a, [e], false), wb = block(b, [e], false);
  e.set();
  assert.equal(wa.result, 0);
  assert.equal(wb.result, -1);
  assert.equal(trySatisfy([e], false, c), -1); // already taken by a
  assert.equal(e.waitBlocks.length, 1);
});

Deno.test("sync: PulseEvent releases the waiters of the moment and leaves the event reset", () => {
  const [a, b] = threads(2);
  const manual = new EventObject(true, false);
  const wa = block(a, [manual], false), wb = block(b, [manual], false);
  manual.pulse();
  assert.deepEqual([wa.result, wb.result, manual.state], [0, 0, false]);
  const auto = new EventObject(false, false);
  const w1 = block(a, [auto], false), w2 = block(b, [auto], false);
  auto.pulse();
  assert.deepEqual([w1.result, w2.result, auto.state], [0, -1, false]);
});

Deno.test("sync: wait-all takes every object together or none", () => {
  const [a] = threads(1);
  const e = new EventObject(false, true), s = new SemaphoreObject(0, 2);
  assert.equal(trySatisfy([e, s], true, a), -1);
  assert.equal(e.state, true); // untouched
  const wb = block(a, [e, s], true);
  s.release(1);
  assert.deepEqual([wb.result, e.state, s.count], [0, false, 0]);
});

Deno.test("sync: a mutex is abandoned by its owner's end and reported once", () => {
  const [a, b] = threads(2);
  const m = new MutantObject(a);
  assert.equal(m.release(b), -1);
  const e = new EventObject(true, false);
  const wb = block(b, [e, m], false);
  abandonMutants(a.process, a);
  assert.equal(wb.result, ABANDONED_WAIT_0 + 1);
  assert.equal(m.owner, b);
  assert.equal(trySatisfy([m], false, b), 0); // recursion, no longer abandoned
  assert.equal(m.release(b), 2);
});

Deno.test("sync: waits of exited threads are dropped, not served", () => {
  const [a, b] = threads(2);
  const s = new SemaphoreObject(0, 1);
  const dead = block(a, [s], false), live = block(b, [s], false);
  a.state = TaskState.ZOMBIE;
  s.release(1);
  assert.deepEqual([dead.result, live.result, s.count], [-1, 0, 0]);
});

Deno.test("sync: timers expire on the clock, periodic ones again, synchronization ones reset", () => {
  let now = 1000;
  const t = new TimerObject(() => now, false);
  const [a] = threads(1);
  assert.equal(t.signaled(), false);
  assert.equal(t.set(now + 500, 100), false);
  assert.equal(t.nextDueNs(), 1500);
  now = 1650;
  assert.equal(trySatisfy([t], false, a), 0);
  assert.equal(t.signaled(), false); // reset by the wait; next expiry at 1700
  assert.equal(t.nextDueNs(), 1700);
  now = 1700;
  assert.equal(t.signaled(), true);
  assert.equal(t.cancel(), true);
  now = 5000;
  assert.equal(t.nextDueNs(), -1);
});

Deno.test("sync: object names compare exactly unless the lookup is case-insensitive", () => {
  const ns = new Namespace();
  const e = new EventObject(true, false);
  assert.equal(ns.baseNamedObjects.insert("Ev", e, false), STATUS.SUCCESS);
  assert.equal(
    ns.baseNamedObjects.insert("EV", new EventObject(true, false), false),
    STATUS.SUCCESS,
  );
  assert.equal(
    ns.baseNamedObjects.insert("ev", new EventObject(true, false)),
    STATUS.OBJECT_NAME_COLLISION,
  );
  const exact = ns.resolve("\\BaseNamedObjects\\Ev", ns.root, false);
  assert.ok(typeof exact !== "number" && exact.object === e);
  const missing = ns.resolve("\\BaseNamedObjects\\eV", ns.root, false);
  assert.ok(typeof missing !== "number" && missing.missingName === "eV");
  const caseless = ns.resolve("\\BASENAMEDOBJECTS\\eV");
  assert.ok(typeof caseless !== "number" && caseless.missingIn === undefined);
});

const source = new URL("guest/sync_strata.c", import.meta.url).pathname;

Deno.test({
  name: "sync: Strata-only cases (Windows' codes, keyed events, hand-offs) on a machine",
  ignore: !hasGuestToolchain(),
  async fn() {
    const { buildExe } = await import("../../../../userland/win32/build.ts");
    const dir = await Deno.makeTempDir({ prefix: "strata_w32sync_" });
    let exe: Uint8Array;
    try {
      await buildExe([source], `${dir}/sync_strata.exe`);
      exe = await Deno.readFile(`${dir}/sync_strata.exe`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    const sys = await boot(
      guarded({ cmd: "/tmp/sync_strata.exe", maxCycles: 500_000_000 }),
      { kind: "buffer" },
    );
    try {
      writeGuestFile(sys.kernel, "/tmp/sync_strata.exe", exe, 0o755);
      const r = assertFinished(await sys.run(), "sync_strata");
      const out = r.output.replaceAll("\r", "");
      assert.match(out, /failures: 0\n/, out);
      assert.equal(r.status, 0, out);
    } finally {
      sys.machine.close();
    }
  },
});
