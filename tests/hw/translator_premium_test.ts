/**
 * The first translation in a process waits for its premium: with the
 * default threshold, a page is not translated before it has also run
 * {@link FIRST_TRANSLATION_PREMIUM} interpreted instructions, unless a page
 * has already been translated in the process; an explicit threshold gets
 * no premium. The results stay the interpreter's.
 */

import assert from "node:assert/strict";
import { FIRST_TRANSLATION_PREMIUM, HOT_THRESHOLD, Translator } from "../../hw/translator.ts";
import { asm, machine, type TestMachine } from "./cpu_test_asm.ts";

// An endless loop of four instructions: x1 counts.
const LOOP = [
  asm.addi(1, 1, 1), // 0
  asm.addi(2, 2, 3),
  asm.r("add", 3, 3, 2),
  asm.jal(0, -12),
];

/** Runs `m` in slices until it has executed `total` instructions. */
function runFor(m: TestMachine, total: number): void {
  while (m.cpu.instret < total) m.cpu.run(Math.min(100_000, total - m.cpu.instret));
}

/** Runs `body` with {@link Translator.warm} set to `warm`, restoring it after. */
function withWarm(warm: boolean, body: () => void): void {
  const was = Translator.warm;
  Translator.warm = warm;
  try {
    body();
  } finally {
    Translator.warm = was;
  }
}

Deno.test("the first translation in a process waits for the premium", () => {
  withWarm(false, () => {
    const m = machine(LOOP, { engine: "jit" });
    const tr = m.cpu.translator!;
    assert.equal(tr.premium, FIRST_TRANSLATION_PREMIUM);
    // Far past the threshold, short of the premium: still interpreted.
    runFor(m, 8 * HOT_THRESHOLD);
    assert.equal(tr.translations, 0);
    assert.equal(Translator.warm, false);
    runFor(m, HOT_THRESHOLD + FIRST_TRANSLATION_PREMIUM + 1000);
    assert.equal(tr.translations, 1);
    assert.equal(Translator.warm, true);
    const ref = machine(LOOP, { engine: "interp" });
    runFor(ref, m.cpu.instret);
    assert.deepStrictEqual([...m.cpu.x], [...ref.cpu.x]);
    assert.equal(m.clock.now, ref.clock.now);
  });
});

Deno.test("once a page is translated in the process, the next pays no premium", () => {
  withWarm(true, () => {
    const m = machine(LOOP, { engine: "jit" });
    runFor(m, HOT_THRESHOLD + 1000);
    assert.equal(m.cpu.translator!.translations, 1);
  });
});

Deno.test("an explicit threshold other than the default has no premium", () => {
  withWarm(false, () => {
    const m = machine(LOOP, { engine: "jit", hotThreshold: 4096 });
    assert.equal(m.cpu.translator!.premium, 0);
    runFor(m, 4096 + 1000);
    assert.equal(m.cpu.translator!.translations, 1);
  });
});
