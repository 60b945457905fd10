/** getgroups/setgroups on the fake kernel. */
import assert from "node:assert/strict";
import { BLOCK, NO_RESULT } from "../../../../kernel/api.ts";
import { buildSyscallArrays } from "../../../../plugins/personalities/unix/mod.ts";
import { createUnixPersonality } from "../../../../plugins/personalities/unix/personality.ts";
import { createFakeKernel, type FakeKernel, MEM_BASE } from "./fake_kernel.ts";

const { syscalls } = buildSyscallArrays();
const A = MEM_BASE;
const GETGROUPS = 158, SETGROUPS = 159;
const EPERM = 1, EINVAL = 22, EFAULT = 14;

function sys(fk: FakeKernel, nr: number, ...args: number[]): number {
  const t = fk.call(nr, ...args);
  const h = syscalls[nr];
  if (h === undefined) return -38;
  const r = h(t, fk.api);
  if (r === BLOCK || r === NO_RESULT) return r;
  return r < 0 && r >= -4095 ? createUnixPersonality(fk.api).mapStatus(r) : r;
}

Deno.test("setgroups sets the supplementary groups getgroups reads; root only", () => {
  const fk = createFakeKernel();
  const v = fk.view(A);
  v.setUint32(0, 50, true);
  v.setUint32(4, 60, true);
  assert.equal(sys(fk, SETGROUPS, 2, A), 0);
  assert.deepEqual(fk.proc.groups, [50, 60]);
  assert.equal(sys(fk, GETGROUPS, 0, 0), 2, "size 0: the count");
  assert.equal(sys(fk, GETGROUPS, 1, A + 64), -EINVAL, "too small");
  assert.equal(sys(fk, GETGROUPS, 8, A + 64), 2);
  assert.deepEqual([fk.view(A + 64).getUint32(0, true), fk.view(A + 68).getUint32(0, true)], [
    50,
    60,
  ]);
  assert.equal(sys(fk, GETGROUPS, 8, 0x10), -EFAULT);
  assert.equal(sys(fk, SETGROUPS, 1, 0x10), -EFAULT);
  assert.equal(sys(fk, SETGROUPS, 65537, A), -EINVAL);
  fk.proc.uid = 1000;
  assert.equal(sys(fk, SETGROUPS, 0, A), -EPERM);
  assert.deepEqual(fk.proc.groups, [50, 60]);
});

Deno.test("path calls check the group bits with the supplementary groups", () => {
  const fk = createFakeKernel();
  const vfs = fk.api.vfs;
  const r = vfs.open(null, "/g", 2 | 4, 0o640, { uid: 0, gid: 50 });
  assert.ok(typeof r !== "number");
  vfs.close(r.file);
  fk.putString(A, "/g");
  fk.proc.uid = 1000;
  fk.proc.gid = 1000;
  const FACCESSAT = 48, AT_FDCWD = -100, R_OK = 4, EACCES = 13;
  assert.equal(sys(fk, FACCESSAT, AT_FDCWD, A, R_OK, 0), -EACCES);
  fk.proc.groups = [7, 50];
  assert.equal(sys(fk, FACCESSAT, AT_FDCWD, A, R_OK, 0), 0, "member through group 50");
});
