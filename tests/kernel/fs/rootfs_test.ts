import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import {
  buildInitramfs,
  createRootFs,
  DEFAULT_SHARE_DIR,
  parseShareSpec,
  type ProcInfoProvider,
  registerMemoryDevices,
  RootFsError,
} from "../../../kernel/fs/mod.ts";
import { CharDeviceRegistry } from "../../../kernel/io/mod.ts";
import { RamFs } from "../../../kernel/fs/ramfs.ts";

const te = new TextEncoder();
const td = new TextDecoder();

Deno.test("rootfs: --share specs", () => {
  assert.deepEqual(parseShareSpec("/home/me/src"), {
    hostPath: "/home/me/src",
    guestPath: DEFAULT_SHARE_DIR,
  });
  assert.deepEqual(parseShareSpec("./data:/data"), { hostPath: "./data", guestPath: "/data" });
  assert.deepEqual(parseShareSpec("C:\\x"), { hostPath: "C:\\x", guestPath: DEFAULT_SHARE_DIR });
  assert.throws(() => parseShareSpec(":/x"), RootFsError);
  assert.throws(() => parseShareSpec("d:/x/../y"), RootFsError);
  assert.throws(() => parseShareSpec("d:/"), RootFsError);
});

Deno.test("rootfs: initramfs, /dev, /proc with mounts, and a share", () => {
  const host = Deno.makeTempDirSync({ prefix: "strata_rootfs_" });
  try {
    Deno.mkdirSync(`${host}/img/bin`, { recursive: true });
    Deno.writeFileSync(`${host}/img/bin/init`, te.encode("init!"));
    Deno.mkdirSync(`${host}/share`);
    Deno.writeFileSync(`${host}/share/notes`, te.encode("shared"));
    const reg = new CharDeviceRegistry();
    registerMemoryDevices(reg);
    const proc: ProcInfoProvider = {
      pids: () => [],
      process: () => null,
      selfPid: () => 1,
      memory: () => ({ totalBytes: 0, freeBytes: 0 }),
      uptime: () => ({ seconds: 0, idleSeconds: 0 }),
      interrupts: () => [],
      version: () => "v",
    };
    const { vfs, unpacked } = createRootFs({
      initramfs: buildInitramfs([{ hostPath: `${host}/img`, guestPath: "/" }]),
      charDevices: reg,
      proc,
      shares: [parseShareSpec(`${host}/share:/srv/share`)],
      now: () => 1_700_000_000_000_000_000n,
    });
    assert.equal(unpacked?.files, 1);
    assert.equal(td.decode(vfs.readWholeFile("/bin/init") as Uint8Array), "init!");
    assert.equal(td.decode(vfs.readWholeFile("/srv/share/notes") as Uint8Array), "shared");
    // /dev and /proc show the mount time, as devtmpfs and proc show boot time on Linux.
    for (const path of ["/dev", "/dev/null", "/proc", "/proc/meminfo", "/proc/self"]) {
      const st = vfs.lstat(null, path);
      assert.ok(typeof st !== "number", path);
      assert.equal(st.mtimeNs, 1_700_000_000_000_000_000n, path);
      assert.equal(st.ctimeNs, 1_700_000_000_000_000_000n, path);
    }
    assert.equal(
      td.decode(vfs.readWholeFile("/proc/mounts") as Uint8Array),
      "ramfs / ramfs rw 0 0\ndevtmpfs /dev devtmpfs rw 0 0\nproc /proc proc ro 0 0\n" +
        "hostfs /srv/share hostfs ro 0 0\n",
    );
    assert.equal(vfs.mkdir(null, "/srv/share/x"), K.ROFS);
  } finally {
    Deno.removeSync(host, { recursive: true });
  }
});

Deno.test("rootfs: unpacking the initramfs leaves no file open (a root on disk can replace it)", () => {
  const host = Deno.makeTempDirSync();
  Deno.mkdirSync(`${host}/bin`);
  Deno.writeTextFileSync(`${host}/bin/a`, "a");
  Deno.writeTextFileSync(`${host}/bin/e`, "");
  const { vfs } = createRootFs({
    initramfs: buildInitramfs([{ hostPath: host, guestPath: "/" }]),
  });
  Deno.removeSync(host, { recursive: true });
  assert.equal(vfs.replaceRoot(new RamFs(), []), K.OK, "K.BUSY would mean a leaked open file");
  assert.equal(vfs.lookup(null, "/bin"), K.NOENT, "the new root is in place");
});
