import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import type { FileOps } from "../../../kernel/fs/types.ts";
import {
  CharDeviceError,
  CharDeviceRegistry,
  majorOf,
  makeDev,
  minorOf,
} from "../../../kernel/io/mod.ts";

const ops: FileOps = { read: () => 0, write: () => K.NOSPC };

Deno.test("char devices: numbers encode and decode", () => {
  assert.equal(makeDev(5, 1), 0x501);
  assert.equal(majorOf(makeDev(136, 7)), 136);
  assert.equal(minorOf(makeDev(136, 7)), 7);
});

Deno.test("char devices: register, look up by number and name, unregister", () => {
  const reg = new CharDeviceRegistry();
  const g0 = reg.generation;
  reg.register({ name: "ttyS1", major: 4, minor: 65, fileOps: ops });
  reg.register({ name: "lp0", major: 6, minor: 0, fileOps: ops });
  assert.ok(reg.generation > g0);
  assert.equal(reg.lookup(makeDev(4, 65))?.name, "ttyS1");
  assert.equal(reg.byName("lp0")?.major, 6);
  assert.deepEqual(reg.list().map((d) => d.name), ["lp0", "ttyS1"]);
  assert.throws(
    () => reg.register({ name: "a/b", major: 9, minor: 0, fileOps: ops }),
    CharDeviceError,
  );
  assert.throws(
    () => reg.register({ name: "..", major: 9, minor: 0, fileOps: ops }),
    CharDeviceError,
  );
  assert.throws(() => reg.register({ name: "lp0", major: 9, minor: 0, fileOps: ops }), /already/);
  assert.equal(reg.unregister(6, 0), true);
  assert.equal(reg.unregister(6, 0), false);
  assert.equal(reg.byName("lp0"), undefined);
  reg.register({ name: "lp0", major: 6, minor: 0, fileOps: ops });
});
