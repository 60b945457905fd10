import assert from "node:assert/strict";
import {
  ArgumentListTooLongError,
  buildInitialStack,
  programHeaderAddress,
  standardAuxv,
} from "../../../../plugins/personalities/unix/initial_stack.ts";
import { AT } from "../../../../plugins/personalities/unix/abi.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function readCString(bytes: Uint8Array, off: number): string {
  const end = bytes.indexOf(0, off);
  return new TextDecoder().decode(bytes.subarray(off, end));
}

Deno.test("initial stack: argc, argv, envp, auxv and strings", () => {
  const top = 0x7fff_f000;
  const random = new Uint8Array(16).map((_, i) => i + 1);
  const auxv = standardAuxv({
    phdr: 0x10034,
    phent: 32,
    phnum: 3,
    entry: 0x100b0,
    uid: 0,
    euid: 0,
    gid: 0,
    egid: 0,
  });
  const st = buildInitialStack({
    stackTop: top,
    argv: [enc("/bin/echo"), enc("hi"), enc("")],
    envp: [enc("PATH=/bin")],
    execfn: enc("/bin/echo"),
    random,
    auxv,
  });
  assert.equal(st.sp % 16, 0);
  assert.equal(st.sp + st.bytes.length, top);
  const v = new DataView(st.bytes.buffer);
  const word = (addr: number) => v.getUint32(addr - st.sp, true);
  assert.equal(word(st.sp), 3);
  const argv = [0, 1, 2].map((i) => readCString(st.bytes, word(st.argvAddr + 4 * i) - st.sp));
  assert.deepEqual(argv, ["/bin/echo", "hi", ""]);
  assert.equal(word(st.argvAddr + 12), 0);
  assert.equal(st.envpAddr, st.argvAddr + 16);
  assert.equal(readCString(st.bytes, word(st.envpAddr) - st.sp), "PATH=/bin");
  assert.equal(word(st.envpAddr + 4), 0);
  assert.equal(st.auxvAddr, st.envpAddr + 8);
  const aux = new Map<number, number>();
  let a = st.auxvAddr;
  for (;;) {
    const tag = word(a), val = word(a + 4);
    a += 8;
    if (tag === AT.NULL) break;
    aux.set(tag, val);
  }
  assert.equal(aux.get(AT.PAGESZ), 4096);
  assert.equal(aux.get(AT.PHDR), 0x10034);
  assert.equal(aux.get(AT.PHENT), 32);
  assert.equal(aux.get(AT.PHNUM), 3);
  assert.equal(aux.get(AT.ENTRY), 0x100b0);
  assert.equal(aux.get(AT.UID), 0);
  assert.equal(aux.get(AT.HWCAP), 0x1101);
  const r = aux.get(AT.RANDOM)!;
  assert.deepEqual(st.bytes.subarray(r - st.sp, r - st.sp + 16), random);
  assert.equal(readCString(st.bytes, aux.get(AT.EXECFN)! - st.sp), "/bin/echo");
  // strings lie above the random bytes, inside the stack
  assert.ok(r + 16 <= word(st.argvAddr));
});

Deno.test("initial stack: too many arguments is E2BIG material", () => {
  assert.throws(
    () =>
      buildInitialStack({
        stackTop: 0x8000_0000,
        argv: [new Uint8Array(200_000)],
        envp: [],
        execfn: enc("x"),
        random: new Uint8Array(16),
        auxv: [],
      }),
    ArgumentListTooLongError,
  );
});

Deno.test("program header address from PT_PHDR or the covering PT_LOAD", () => {
  assert.equal(
    programHeaderAddress(52, 32, 2, [{ type: 1, offset: 0, vaddr: 0x10000, filesz: 0x200 }]),
    0x10034,
  );
  assert.equal(
    programHeaderAddress(52, 32, 2, [
      { type: 6, offset: 52, vaddr: 0x20034, filesz: 64 },
      { type: 1, offset: 0, vaddr: 0x10000, filesz: 0x200 },
    ]),
    0x20034,
  );
  assert.equal(
    programHeaderAddress(52, 32, 2, [{ type: 1, offset: 0x1000, vaddr: 0x10000, filesz: 0x200 }]),
    0,
  );
});
