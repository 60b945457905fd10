import assert from "node:assert/strict";
import { CAUSE } from "../../hw/csr.ts";
import { K, type Personality } from "../../kernel/api.ts";
import { FifoPolicy, ProcessTable, type Thread } from "../../kernel/proc/mod.ts";
import { WaitQueue } from "../../kernel/ipc/wait_queue.ts";
import { type TrapHandlerDeps, TrapHandlers } from "../../kernel/trap_handlers.ts";

function setup(pers: Partial<Personality>) {
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), { cancel: () => {} });
  const p = table.create(null)!;
  p.personality = {
    name: "test",
    syscalls: [],
    syscallNames: [],
    mapStatus: (s: number) => 1000 + s,
    ...pers,
  };
  const sent: number[] = [];
  const deps = {
    api: {},
    trace: null,
    signals: { send: (_p: unknown, sig: number) => void sent.push(sig) },
    log: () => {},
    takeIoWait: () => null,
  } as unknown as TrapHandlerDeps;
  const t = p.mainThread;
  t.pc = 0x1004;
  return { h: new TrapHandlers(deps), t, sent };
}

Deno.test("a call with no handler asks the personality's missing hook, else K.NOSYS", () => {
  const withHook = setup({ missing: (_t: Thread, num: number) => num * 2 });
  withHook.t.regs[17] = 21;
  withHook.h.syscall(withHook.t);
  assert.equal(withHook.t.regs[10], 42);
  const without = setup({});
  without.t.regs[17] = 21;
  without.h.syscall(without.t);
  assert.equal(without.t.regs[10], 1000 + K.NOSYS, "mapped by the personality");
});

Deno.test("faults go to the personality's onFault; without one the process is killed", () => {
  const seen: [number, number, boolean][] = [];
  const a = setup({
    onFault: (_t, cause, addr, unmapped) => void seen.push([cause, addr, unmapped]),
  });
  a.h.exception(a.t, CAUSE.ILLEGAL_INSTRUCTION, 0xdead);
  assert.deepEqual(seen, [[CAUSE.ILLEGAL_INSTRUCTION, 0xdead, false]]);
  assert.deepEqual(a.sent, []);
  const b = setup({});
  b.h.exception(b.t, CAUSE.BREAKPOINT, 0);
  assert.deepEqual(b.sent, [9], "SIGKILL");
});

Deno.test("a K.RESTART without a queue to wait on answers an I/O error, never hangs", () => {
  const c = setup({ syscalls: [() => K.RESTART] });
  c.t.regs[17] = 0;
  c.h.syscall(c.t);
  assert.equal(c.t.regs[10], 1000 + K.IO);
});
