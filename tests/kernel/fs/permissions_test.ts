/** Unix permission rules in the VFS: group bits with supplementary groups, the sticky bit. */
import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import { type Cred, OpenFlags, RamFs, Vfs } from "../../../kernel/fs/mod.ts";

const USER: Cred = { uid: 1001, gid: 1001 };
const OTHER: Cred = { uid: 1002, gid: 1002 };

function tree(): Vfs {
  const vfs = new Vfs({ root: new RamFs() });
  assert.equal(vfs.mkdir(null, "/tmp", 0o777), K.OK);
  assert.equal(vfs.setAttr(null, "/tmp", { mode: 0o1777 }, true), K.OK);
  return vfs;
}

function create(vfs: Vfs, path: string, cred: Cred, mode = 0o644): void {
  const r = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE, mode, cred);
  assert.ok(typeof r !== "number", `create ${path}: ${r}`);
  vfs.close(r.file);
}

Deno.test("group bits apply to the file's group, effective or supplementary", () => {
  const vfs = tree();
  create(vfs, "/tmp/f", { uid: 0, gid: 50 });
  assert.equal(vfs.setAttr(null, "/tmp/f", { mode: 0o604 }, true), K.OK);
  // 0604: the group (50) has no bits, others read.
  assert.equal(vfs.access(null, "/tmp/f", 4, { uid: 1001, gid: 50 }), K.ACCES);
  assert.equal(vfs.access(null, "/tmp/f", 4, { uid: 1001, gid: 1001, groups: [7, 50] }), K.ACCES);
  assert.equal(vfs.access(null, "/tmp/f", 4, USER), K.OK, "not in group 50: others' bits");
  assert.equal(vfs.setAttr(null, "/tmp/f", { mode: 0o640 }, true), K.OK);
  assert.equal(vfs.access(null, "/tmp/f", 4, { uid: 1001, gid: 1001, groups: [50] }), K.OK);
  assert.equal(vfs.access(null, "/tmp/f", 2, { uid: 1001, gid: 1001, groups: [50] }), K.ACCES);
  assert.equal(vfs.access(null, "/tmp/f", 4, USER), K.ACCES);
  const r = vfs.open(null, "/tmp/f", OpenFlags.READ, 0, { uid: 1001, gid: 50 });
  assert.ok(typeof r !== "number", "open for reading as a group member");
});

Deno.test("chown by the owner: only to a group the owner belongs to", () => {
  const vfs = tree();
  create(vfs, "/tmp/mine", USER);
  assert.equal(vfs.setAttr(null, "/tmp/mine", { gid: 50 }, true, USER), K.PERM);
  const member = { uid: 1001, gid: 1001, groups: [50] };
  assert.equal(vfs.setAttr(null, "/tmp/mine", { gid: 50 }, true, member), K.OK);
});

Deno.test("sticky /tmp: only the owner of an entry (or of /tmp, or root) removes or renames it", () => {
  const vfs = tree();
  create(vfs, "/tmp/roots", { uid: 0, gid: 0 });
  create(vfs, "/tmp/users", USER);
  assert.equal(vfs.mkdir(null, "/tmp/rootdir", 0o777), K.OK);
  assert.equal(vfs.unlink(null, "/tmp/roots", USER), K.PERM);
  assert.equal(vfs.rmdir(null, "/tmp/rootdir", USER), K.PERM);
  assert.equal(vfs.rename(null, "/tmp/roots", null, "/tmp/taken", USER), K.PERM);
  assert.equal(vfs.rename(null, "/tmp/users", null, "/tmp/roots", USER), K.PERM, "replace");
  assert.equal(vfs.unlink(null, "/tmp/users", OTHER), K.PERM);
  assert.equal(vfs.rename(null, "/tmp/users", null, "/tmp/users2", USER), K.OK);
  assert.equal(vfs.unlink(null, "/tmp/users2", USER), K.OK);
  assert.equal(vfs.unlink(null, "/tmp/roots", { uid: 0, gid: 0 }), K.OK, "root bypasses");
  // Without the sticky bit the directory's write permission is enough.
  assert.equal(vfs.setAttr(null, "/tmp", { mode: 0o777 }, true), K.OK);
  assert.equal(vfs.rmdir(null, "/tmp/rootdir", USER), K.OK);
});
