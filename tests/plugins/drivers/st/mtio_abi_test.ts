import assert from "node:assert/strict";
import {
  GMT,
  MT_OP,
  MTGET_SIZE,
  MTIOCGET,
  MTIOCPOS,
  MTIOCTOP,
  MTOP_SIZE,
} from "../../../../plugins/drivers/st/mtio.ts";

const LINUX = "/usr/include/linux/mtio.h";
const OURS = new URL("../../../../userland/libc/include/sys/mtio.h", import.meta.url);

function header(path: string | URL): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/** `#define NAME value` pairs with a plain number. */
function defines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b/gm)) {
    out.set(m[1], Number(m[2]));
  }
  return out;
}

/** Linux's _IOC encoding: dir (1 write, 2 read) << 30 | size << 16 | type << 8 | nr. */
function ioc(dir: number, type: string, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
}

Deno.test("mtio: ioctl numbers follow _IOW/_IOR with RV32 structure sizes", () => {
  assert.equal(MTOP_SIZE, 8); // short, padding, int
  assert.equal(MTGET_SIZE, 7 * 4); // five longs and two __kernel_daddr_t (int)
  assert.equal(MTIOCTOP, ioc(1, "m", 1, MTOP_SIZE));
  assert.equal(MTIOCGET, ioc(2, "m", 2, MTGET_SIZE));
  assert.equal(MTIOCPOS, ioc(2, "m", 3, 4));
});

Deno.test({
  name: "mtio: mt_op codes and GMT bits match the host's <linux/mtio.h> and our <sys/mtio.h>",
  ignore: header(LINUX) === null,
  fn: () => {
    const linux = defines(header(LINUX)!);
    const ours = defines(header(OURS)!);
    for (const [name, value] of Object.entries(MT_OP)) {
      assert.equal(linux.get(name), value, `${name} in linux/mtio.h`);
      assert.equal(ours.get(name), value, `${name} in sys/mtio.h`);
    }
    const text = header(LINUX)!;
    for (const [name, bit] of Object.entries(GMT)) {
      const m = new RegExp(`#define GMT_${name}\\(x\\)\\s+\\(\\(x\\) & (0x[0-9a-fA-F]+)\\)`).exec(
        text,
      );
      assert.ok(m !== null, `GMT_${name}`);
      assert.equal(Number(m[1]), bit, `GMT_${name}`);
    }
    assert.equal(ours.get("MTIOCTOP"), MTIOCTOP);
    assert.equal(ours.get("MTIOCGET"), MTIOCGET);
    assert.equal(ours.get("MTIOCPOS"), MTIOCPOS);
    assert.equal(linux.get("MT_ISSCSI2"), ours.get("MT_ISSCSI2"));
  },
});
