import assert from "node:assert/strict";
import { K } from "../../../../kernel/errors.ts";
import {
  ERRNO,
  ERRNO_MAP,
  errnoOf,
  toSyscallResult,
} from "../../../../plugins/personalities/unix/errno.ts";

Deno.test("every kernel status has an errno", () => {
  const mapped = new Set(ERRNO_MAP.map(([name]) => name));
  for (const [name, code] of Object.entries(K)) {
    if (code === 0) continue;
    assert.ok(mapped.has(name), `K.${name} is not in ERRNO_MAP`);
    const row = ERRNO_MAP.find(([n]) => n === name)!;
    assert.equal(row[1], code, `ERRNO_MAP row for ${name} has the wrong status value`);
    assert.equal(errnoOf(code), row[3]);
  }
});

Deno.test("Linux errno values", () => {
  assert.equal(errnoOf(K.PERM), 1);
  assert.equal(errnoOf(K.NOENT), ERRNO.ENOENT);
  assert.equal(errnoOf(K.NOSYS), 38);
  assert.equal(errnoOf(K.NOTEMPTY), 39);
  assert.equal(errnoOf(K.LOOP), 40);
  assert.equal(errnoOf(K.NOTSUP), 95);
  assert.equal(errnoOf(K.TIMEDOUT), 110);
  assert.equal(errnoOf(K.FAULT), 14);
  assert.equal(errnoOf(K.VERSION), ERRNO.EINVAL);
  assert.equal(errnoOf(-15), ERRNO.EIO); // unknown status never becomes success
  assert.equal(errnoOf(-100000), ERRNO.EIO);
});

Deno.test("syscall result: values pass, statuses become -errno", () => {
  assert.equal(toSyscallResult(0), 0);
  assert.equal(toSyscallResult(1234), 1234);
  assert.equal(toSyscallResult(K.BADF), -9);
  assert.equal(toSyscallResult(K.AGAIN), -11);
});
