/**
 * Win32 memory: the region map (allocations, runs of equal pages, free
 * gaps, protection checks), and on a booted machine the Wine-compared
 * `test_w32_memory.exe` plus `guest/vm_edges.c`, the cases where Windows'
 * documented behaviour and Wine's differ (checked on Strata only).
 */
import { HAVE_CLANG } from "../../../host_tools.ts";
import assert from "node:assert/strict";
import { runGuest } from "../../../../system/boot.ts";
import { type KernelApi, type Process, PROT } from "../../../../kernel/api.ts";
import type { Win32Process } from "../../../../plugins/personalities/win32/executive.ts";
import { vmForget, vmSpaceOf, vmTrack } from "../../../../plugins/personalities/win32/vm_calls.ts";
import {
  kernelProt,
  MEM,
  PAGE_PROT,
  validProtect,
  VM_HIGH,
  VmAllocation,
  VmSpace,
} from "../../../../plugins/personalities/win32/vm_space.ts";

Deno.test("win32 memory: runs of equal pages, reserved and committed, and free gaps", () => {
  const s = new VmSpace();
  const a = new VmAllocation(0x10_0000, 0x4_0000, PAGE_PROT.READWRITE, MEM.PRIVATE, false);
  a.pages.fill(PAGE_PROT.READONLY, 0x10, 0x12);
  s.insert(a);
  const b = new VmAllocation(0x20_0000, 0x1_0000, PAGE_PROT.EXECUTE_WRITECOPY, MEM.IMAGE, true);
  b.pages.fill(PAGE_PROT.EXECUTE_READ);
  s.insert(b);
  assert.deepEqual(s.runAt(0x10_0123), {
    base: 0x10_0000,
    allocationBase: 0x10_0000,
    allocationProtect: PAGE_PROT.READWRITE,
    size: 0x1_0000,
    state: MEM.RESERVE,
    protect: 0,
    type: MEM.PRIVATE,
  });
  const c = s.runAt(0x11_1fff);
  assert.deepEqual([c.base, c.size, c.state, c.protect], [0x11_1000, 0x1000, MEM.COMMIT, 2]);
  const gap = s.runAt(0x14_0000);
  assert.deepEqual([gap.base, gap.size, gap.state, gap.protect, gap.allocationBase, gap.type], [
    0x14_0000,
    0xc_0000,
    MEM.FREE,
    PAGE_PROT.NOACCESS,
    0,
    0,
  ]);
  assert.equal(s.runAt(0x21_0000).size, VM_HIGH - 0x21_0000);
  assert.equal(s.runAt(0x20_8000).type, MEM.IMAGE);
  assert.equal(s.find(0x1f_ffff), null);
  assert.equal(s.find(0x20_ffff), b);
  assert.ok(!s.isFree(0x13_f000, 0x14_1000));
  assert.ok(s.isFree(0x14_0000, 0x20_0000));
  s.remove(a);
  assert.equal(s.runAt(0x10_0000).state, MEM.FREE);
  assert.ok(a.allCommitted(0x10, 2) && !a.allCommitted(0x10, 3));
});

Deno.test("win32 memory: protections Windows accepts, and what the kernel maps", () => {
  assert.ok(validProtect(PAGE_PROT.READWRITE | PAGE_PROT.GUARD, false));
  assert.ok(!validProtect(PAGE_PROT.NOACCESS | PAGE_PROT.GUARD, false));
  assert.ok(!validProtect(PAGE_PROT.READONLY | PAGE_PROT.READWRITE, false));
  assert.ok(!validProtect(0, false));
  assert.ok(!validProtect(PAGE_PROT.WRITECOPY, false) && validProtect(PAGE_PROT.WRITECOPY, true));
  assert.ok(!validProtect(PAGE_PROT.READWRITE | PAGE_PROT.GUARD | PAGE_PROT.NOCACHE, false));
  assert.equal(kernelProt(PAGE_PROT.READWRITE | PAGE_PROT.GUARD), PROT.NONE);
  assert.equal(kernelProt(PAGE_PROT.EXECUTE_READ), PROT.READ | PROT.EXEC);
  assert.equal(kernelProt(PAGE_PROT.WRITECOPY), PROT.READ | PROT.WRITE);
});

Deno.test("win32 memory: a stack the executive mapped itself is tracked and forgotten", () => {
  // Nothing readable: no TEB stack, no module headers; the PEB block is always there.
  const api = { readU32: () => -14, copyIn: () => null } as unknown as KernelApi;
  const w = { modules: { modules: [] } } as unknown as Win32Process;
  const p = {} as Process;
  vmTrack(api, p, w, 0x50_0000, 0x2_0000, 1);
  const s = vmSpaceOf(api, p, w);
  const guard = s.runAt(0x50_0000), stack = s.runAt(0x50_1000);
  assert.deepEqual([guard.size, guard.protect, guard.state], [
    0x1000,
    PAGE_PROT.NOACCESS,
    MEM.COMMIT,
  ]);
  assert.deepEqual([stack.size, stack.protect, stack.allocationBase], [0x1_f000, 4, 0x50_0000]);
  assert.equal(s.runAt(0x7ffd_0000).type, MEM.PRIVATE);
  vmForget(w, 0x50_0000);
  assert.equal(s.runAt(0x50_1000).state, MEM.FREE);
});

const bin = new URL("../../../../userland/bin/", import.meta.url);
const present = (() => {
  try {
    return Deno.statSync(new URL("win32/test_w32_memory.exe", bin)).isFile;
  } catch {
    return false;
  }
})();
Deno.test({
  name: "win32 memory: test_w32_memory.exe and the Windows-only cases pass on the executive",
  ignore: !present || !HAVE_CLANG,
  async fn() {
    const { buildExe } = await import("../../../../userland/win32/build.ts");
    const dir = await Deno.makeTempDir({ prefix: "strata_w32mem_" });
    try {
      await Deno.mkdir(`${dir}/win32`, { recursive: true });
      for (const e of Deno.readDirSync(bin)) {
        if (e.isFile) await Deno.copyFile(new URL(e.name, bin), `${dir}/${e.name}`);
      }
      for (const e of Deno.readDirSync(new URL("win32/", bin))) {
        await Deno.copyFile(new URL(`win32/${e.name}`, bin), `${dir}/win32/${e.name}`);
      }
      await buildExe(
        [new URL("guest/vm_edges.c", import.meta.url).pathname],
        `${dir}/win32/vm_edges.exe`,
      );
      const r = await runGuest({
        cmd: "cd /tmp; test_w32_memory.exe > /tmp/m.out; echo rc=$?; grep -c FAILED /tmp/m.out; " +
          "vm_edges.exe; echo rc=$?",
        maxHostMs: 120_000,
        binDir: dir,
      });
      const out = r.output.replaceAll("\r", "");
      assert.match(out, /^rc=0\n0\n/, out);
      assert.match(out, /\nfailures: 0\nrc=0\n$/, out);
      assert.doesNotMatch(out, /: no \(/, out);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
