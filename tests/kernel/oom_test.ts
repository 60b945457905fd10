/** The OOM killer: the victim is chosen by badness (resident pages), never init, one at a time. */
import assert from "node:assert/strict";
import { CAUSE } from "../../hw/csr.ts";
import { FifoPolicy, type Process, ProcessTable, TaskState } from "../../kernel/proc/mod.ts";
import { WaitQueue } from "../../kernel/ipc/wait_queue.ts";
import { FaultResult } from "../../kernel/mm/address_space.ts";
import { type TrapHandlerDeps, TrapHandlers } from "../../kernel/trap_handlers.ts";

function machine() {
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), { cancel: () => {} });
  const spawn = (parent: Process | null, comm: string, resident: number) => {
    const p = table.create(parent)!;
    p.comm = comm;
    p.uid = 1001;
    p.space = {
      resident,
      vsize: resident * 4096,
      handleFault: () => FaultResult.NOMEM,
    } as never;
    return p;
  };
  const init = spawn(null, "init", 500);
  const kills: string[] = [];
  const log: string[] = [];
  let yields = 0;
  const deps = {
    api: {
      processes: () => [...table.byPid.values()],
      getProcess: (pid: number) => table.get(pid) ?? null,
      yield: () => void yields++,
    },
    trace: null,
    signals: { send: (p: Process, sig: number) => void kills.push(`${p.comm}:${sig}`) },
    log: (l: string) => void log.push(l),
    takeIoWait: () => null,
  } as unknown as TrapHandlerDeps;
  return { h: new TrapHandlers(deps), init, spawn, kills, log, yields: () => yields };
}

Deno.test("OOM: the process with the most resident pages is killed, not the one that faulted", () => {
  const m = machine();
  const small = m.spawn(m.init, "small", 3);
  const big = m.spawn(m.init, "hog", 300);
  m.spawn(m.init, "medium", 40);
  m.h.pageFault(small.mainThread, CAUSE.STORE_PAGE_FAULT, 0x1000);
  assert.deepEqual(m.kills, ["hog:9"], "init (500 pages) is never chosen");
  assert.match(
    m.log[0],
    new RegExp(
      `^Out of memory: Killed process ${big.pid} \\(hog\\) total-vm:1200kB, anon-rss:1200kB`,
    ),
  );
  assert.equal(m.yields(), 1, "the faulting thread waits for the memory");
  // While the victim is dying nobody else is killed.
  m.h.pageFault(small.mainThread, CAUSE.STORE_PAGE_FAULT, 0x1000);
  assert.deepEqual(m.kills, ["hog:9"]);
  // Once it is gone, the next fault picks the next one.
  big.state = TaskState.ZOMBIE;
  m.h.pageFault(small.mainThread, CAUSE.STORE_PAGE_FAULT, 0x1000);
  assert.deepEqual(m.kills, ["hog:9", "medium:9"]);
  assert.equal(m.h.oomKills, 2);
});

Deno.test("OOM: with only init left, the faulting process itself is the victim", () => {
  const m = machine();
  m.h.pageFault(m.init.mainThread, CAUSE.LOAD_PAGE_FAULT, 0x1000);
  assert.deepEqual(m.kills, ["init:9"]);
});
