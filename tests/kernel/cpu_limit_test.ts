/** RLIMIT_CPU: SIGXCPU from the soft limit on, once per CPU second; SIGKILL at the hard limit. */
import assert from "node:assert/strict";
import { FifoPolicy, type Process, ProcessTable } from "../../kernel/proc/mod.ts";
import { WaitQueue } from "../../kernel/ipc/wait_queue.ts";
import { RLIMIT } from "../../kernel/proc/rlimits.ts";
import { type TrapHandlerDeps, TrapHandlers } from "../../kernel/trap_handlers.ts";

Deno.test("RLIMIT_CPU: SIGXCPU at the soft limit and every second after, SIGKILL at the hard", () => {
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), { cancel: () => {} });
  const p = table.create(null)!;
  const sent: number[] = [];
  const deps = {
    machine: { clock: { frequency: 1000 } },
    api: {},
    trace: null,
    signals: { send: (_p: Process, sig: number) => void sent.push(sig) },
    log: () => {},
    takeIoWait: () => null,
  } as unknown as TrapHandlerDeps;
  const h = new TrapHandlers(deps);
  const t = p.mainThread;
  const at = (seconds: number) => {
    t.userCycles = seconds * 600;
    t.systemCycles = seconds * 400;
    h.sliceExpired(t);
  };
  at(5);
  assert.deepEqual(sent, [], "no limit: nothing");
  p.rlimits.soft[RLIMIT.CPU] = 2;
  p.rlimits.hard[RLIMIT.CPU] = 4;
  at(1.9);
  assert.deepEqual(sent, []);
  at(2.01);
  assert.deepEqual(sent, [24], "SIGXCPU at the soft limit");
  at(2.5);
  assert.deepEqual(sent, [24], "once per second");
  at(3.0);
  assert.deepEqual(sent, [24, 24]);
  at(4.0);
  assert.deepEqual(sent, [24, 24, 9], "SIGKILL at the hard limit");
});
