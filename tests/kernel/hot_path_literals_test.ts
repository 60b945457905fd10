// The system call, switch and wake paths write some constants as literals
// (a module constant costs a load and a hole check in V8's optimized code,
// an object constant a map check and a field load besides): each literal
// there must stay equal to the named constant it stands for.
import assert from "node:assert/strict";
import { CAUSE, MSTATUS, MSTATUS_FS_SHIFT } from "../../hw/csr.ts";
import { EcallOutcome, NO_PAGE, S_MODE, StopReason, U_MODE } from "../../hw/hart_state.ts";
import {
  JIT_ECALL_DECLINED,
  JIT_ECALL_GO_ON,
  JIT_ECALL_LEAVE,
  JIT_ECALL_STOP,
  JIT_ECALL_SWITCH,
} from "../../hw/jit_ecall.ts";
import { K } from "../../kernel/errors.ts";
import { BLOCK, NO_RESULT } from "../../kernel/proc/call_result.ts";
import { TaskState } from "../../kernel/proc/process.ts";
import { SCHED } from "../../kernel/proc/sched_info.ts";
import { EnqueueReason } from "../../kernel/proc/scheduler.ts";
import { OpenFlags } from "../../kernel/fs/types.ts";
import { PIPE_BUF } from "../../kernel/fs/pipefs.ts";
import { PAGE_SHIFT, PAGE_SIZE } from "../../kernel/mm/frames.ts";
import { USER_LAYOUT } from "../../kernel/mm/regions.ts";
import { Access } from "../../kernel/mm/user_access.ts";
import { SCRATCH_SIZE } from "../../plugins/personalities/unix/common.ts";

Deno.test("hot path literals: the hart's modes, causes, mstatus bits and ecall outcomes", () => {
  assert.equal(U_MODE, 0);
  assert.equal(S_MODE, 1);
  assert.equal(NO_PAGE, 1);
  assert.equal(CAUSE.USER_ECALL, 8);
  assert.equal(MSTATUS.SIE, 0x2);
  assert.equal(MSTATUS.SPIE, 0x20);
  assert.equal(MSTATUS.SPP, 0x100);
  assert.equal(MSTATUS.MPRV, 0x20000);
  assert.equal(MSTATUS_FS_SHIFT, 13);
  assert.equal(MSTATUS.FS, 3 << 13);
  assert.deepEqual(
    [EcallOutcome.DECLINED, EcallOutcome.RESUMED, EcallOutcome.SERVICED],
    [0, 1, 2],
  );
  assert.equal(StopReason.HOST_TRAP, 1);
  assert.equal(StopReason.SERVICED, 4);
  assert.deepEqual(
    [JIT_ECALL_DECLINED, JIT_ECALL_STOP, JIT_ECALL_GO_ON, JIT_ECALL_LEAVE, JIT_ECALL_SWITCH],
    [-1, -2, 0, 1, 2],
  );
});

Deno.test("hot path literals: the kernel's states, reasons and call results", () => {
  assert.deepEqual(
    [TaskState.READY, TaskState.RUNNING, TaskState.BLOCKED, TaskState.ZOMBIE],
    [0, 1, 2, 4],
  );
  assert.deepEqual([EnqueueReason.NEW, EnqueueReason.WAKE, EnqueueReason.YIELD], [0, 1, 3]);
  assert.equal(SCHED.DEADLINE, 6);
  assert.equal(K.NOSYS, -38);
  assert.equal(K.RESTART, -202);
  assert.equal(BLOCK, -0x1_0000_0000);
  assert.equal(NO_RESULT, -0x1_0000_0001);
});

Deno.test("hot path literals: the pipe read and write path's statuses, flags and sizes", () => {
  assert.deepEqual([K.BADF, K.AGAIN, K.FAULT, K.PIPE], [-9, -11, -14, -32]);
  assert.deepEqual([OpenFlags.READ, OpenFlags.WRITE, OpenFlags.NONBLOCK], [1, 2, 128]);
  assert.equal(PIPE_BUF, 4096);
  assert.deepEqual([PAGE_SIZE, PAGE_SHIFT], [4096, 12]);
  // The span's one-page test relies on the user end being page-aligned.
  assert.equal(USER_LAYOUT.USER_END, 0x8000_0000);
  assert.deepEqual([Access.READ, Access.WRITE], [0, 1]);
  assert.deepEqual([TaskState.READY, TaskState.BLOCKED], [0, 2]);
  assert.equal(SCRATCH_SIZE, 65536);
});
