import assert from "node:assert/strict";
import { K } from "../../../../kernel/errors.ts";
import {
  ERRNO,
  ERRNO_MAP,
  errnoOf,
  toSyscallResult,
} from "../../../../plugins/personalities/unix/errno.ts";
import { haveHeaders, HOST_HEADERS, numericDefines } from "./linux_headers.ts";

const HAVE_ERRNO_H = haveHeaders(HOST_HEADERS.errno);

Deno.test("every kernel status has an errno", () => {
  const mapped = new Set(ERRNO_MAP.map(([name]) => name));
  for (const [name, code] of Object.entries(K)) {
    if (code === 0) continue;
    assert.ok(mapped.has(name), `K.${name} is not in ERRNO_MAP`);
    const row = ERRNO_MAP.find(([n]) => n === name)!;
    assert.equal(row[1], code, `ERRNO_MAP row for ${name} has the wrong status value`);
  }
});

Deno.test({
  name: "errno values equal the host's asm-generic/errno-base.h and errno.h",
  ignore: !HAVE_ERRNO_H,
  fn() {
    const host = numericDefines(HOST_HEADERS.errno);
    for (const [name, value] of Object.entries(ERRNO)) {
      assert.equal(value, host.get(name), `ERRNO.${name}`);
    }
    // What a failing syscall really returns, row by row of the table.
    for (const [status, code, errnoName, errno] of ERRNO_MAP) {
      const linux = host.get(errnoName);
      assert.ok(linux !== undefined, `${errnoName} (for K.${status}) is not a Linux errno`);
      assert.equal(errno, linux, `ERRNO_MAP row ${status}: ${errnoName}`);
      assert.equal(errnoOf(code), linux, `errnoOf(K.${status})`);
      assert.equal(toSyscallResult(code), -linux, `toSyscallResult(K.${status})`);
    }
  },
});

Deno.test("unknown statuses become EIO, never success", () => {
  assert.equal(errnoOf(K.VERSION), ERRNO.EINVAL);
  assert.equal(errnoOf(-33), ERRNO.EIO);
  assert.equal(errnoOf(-100000), ERRNO.EIO);
  assert.equal(errnoOf(0), ERRNO.EIO);
});

Deno.test("syscall result: values pass, statuses become -errno", () => {
  assert.equal(toSyscallResult(0), 0);
  assert.equal(toSyscallResult(1234), 1234);
  assert.equal(toSyscallResult(K.BADF), -ERRNO.EBADF);
});
