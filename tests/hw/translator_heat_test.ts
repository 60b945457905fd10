/**
 * The translator's heat: the inner loop credits a page with the
 * instructions the interpreter ran in it at control points (a taken branch
 * or jump, a fetch-page change, the loop's exits) instead of counting each
 * instruction. The count must be exact whatever the `run` budgets, and a
 * page that code only jumps into and out of (a function on another page)
 * must still get hot.
 */

import assert from "node:assert/strict";
import { asm, load, machine, type TestMachine } from "./cpu_test_asm.ts";
import { JIT_WARMUP, KIND_FN } from "../../hw/translator.ts";
import { MIN_ENTRY_RUN } from "../../hw/translator_scan.ts";

// A loop with a not-taken branch inside and a tail that spins forever.
const LOOP = [
  asm.addi(1, 0, 0),
  asm.addi(2, 0, 700),
  asm.addi(1, 1, 1), // 8: loop
  asm.blt(2, 1, 8), // 12: never taken (x1 <= x2)
  asm.addi(3, 3, 2), // 16
  asm.bne(1, 2, -12), // 20
  asm.jal(0, 0), // 24: spins
];

/**
 * Runs `caller` (RAM page 0) and `callee` (page 1, if any) for `steps`
 * under both engines (hot threshold `hot`); asserts that they agree, and
 * returns the translating machine.
 */
function bothAgree(caller: number[], callee: number[], steps: number, hot: number): TestMachine {
  const run = (engine: "interp" | "jit") => {
    const m = machine(caller, { engine, hotThreshold: hot });
    if (callee.length > 0) load(m.ram, 4096, callee);
    // One run: no budget stop leaves the interpreter standing in page 1.
    m.cpu.run(steps);
    return m;
  };
  const interp = run("interp"), jit = run("jit");
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.equal(jit.cpu.pc, interp.cpu.pc);
  assert.equal(jit.clock.now, interp.clock.now);
  return jit;
}

Deno.test("heat counts every interpreted instruction of the page, whatever the run budgets", () => {
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  for (const total of [1, 2, 5, 99, 2803, 4000]) {
    // A threshold no page reaches: nothing is translated, all is heat.
    const m = machine(LOOP, { engine: "jit", hotThreshold: 1 << 30 });
    while (m.cpu.instret < total) m.cpu.run(Math.min(1 + (rand() % 37), total - m.cpu.instret));
    const tr = m.cpu.translator!;
    assert.equal(m.cpu.instret, total);
    assert.equal(tr.translations, 0);
    assert.equal(tr.heat[0], total, `heat after ${total} instructions`);
  }
});

Deno.test("a page that code only jumps into and out of gets hot and is translated", () => {
  // Page 0 calls a function on page 1 (jal there, jalr back): every
  // control point in page 1's code is a jump from or to page 0.
  const caller = [
    asm.addi(1, 0, 0),
    asm.addi(2, 0, 500),
    asm.jal(5, 4096 - 8), // 8: call page 1 (link in x5)
    asm.bne(1, 2, -4), // 12: again until x1 = x2
    asm.jal(0, 0), // 16: spins
  ];
  // Long enough to be worth entering (MIN_ENTRY_RUN instructions before the return).
  const callee = [
    asm.addi(1, 1, 1), // 4096
    ...Array.from({ length: MIN_ENTRY_RUN }, (_, i) => asm.addi(3, 3, i + 1)),
    asm.jalr(0, 5, 0), // back to 12
  ];
  const jit = bothAgree(caller, callee, 2 + (callee.length + 2) * 500 + 10, 64);
  assert.equal(jit.cpu.x[1], 500);
  const tr = jit.cpu.translator!;
  assert.notEqual(tr.pageFn(1), null, "the callee's page is translated");
  assert.notEqual(tr.pageFn(0), null, "the caller's page is translated");
});

Deno.test("a page with no block head worth entering is not translated; its scans back off", () => {
  // As above, with a callee too short to be worth entering: a function
  // the inner loop would never call, and a page that would make every
  // instruction of it a control point. Each scan doubles the next one's heat.
  // The call goes through a register, so that the caller's translation
  // does not take the callee's blocks in (a direct call would link them).
  const caller = [
    asm.addi(1, 0, 0),
    asm.addi(2, 0, 2000),
    asm.auipc(6, 1), // 8
    asm.addi(6, 6, -8), // 12: page 1
    asm.jalr(5, 6, 0), // 16: call page 1
    asm.bne(1, 2, -4), // 20: to 16
    asm.jal(0, 0), // 24: spins
  ];
  const callee = [asm.addi(1, 1, 1), asm.addi(3, 3, 3), asm.jalr(0, 5, 0)];
  const jit = bothAgree(caller, callee, 4 + 5 * 2000 + 10, 64);
  assert.equal(jit.cpu.x[1], 2000);
  const tr = jit.cpu.translator!;
  assert.equal(tr.pageFn(1), null, "the callee's page is not translated");
  assert.equal(tr.kind[1] & KIND_FN, 0, "the callee's page has no function of its own");
  // 6,000 instructions on page 1 at 64 each: 93 scans without the back-off.
  assert.ok(tr.noEntry >= 3 && tr.noEntry <= 8, `${tr.noEntry} scans found nothing to enter`);
  assert.notEqual(tr.pageFn(0), null, "the caller's page is translated");
});

Deno.test("a function reached only through a pointer becomes a head of its page's translation", () => {
  // F (at 40) follows code that never runs and is called through a
  // register. Where a translation has no head there, its page function
  // leaves at every call and the interpreter runs F; the heat of those
  // runs, credited with where each began, must translate the page again
  // with F as a head. (Whether the first translation has F as a head
  // depends on the jump that found the page hot: over these thresholds,
  // some do and some do not.)
  const prog = [
    asm.addi(1, 0, 0), // 0
    asm.addi(2, 0, 300), // 4
    asm.auipc(6, 0), // 8
    asm.addi(6, 6, 32), // 12: F's address (not an auipc + jalr pair)
    asm.jalr(5, 6, 0), // 16: call F through x6
    asm.bne(1, 2, -4), // 20: again until x1 = x2
    asm.jal(0, 0), // 24: spins
    ...Array.from({ length: 3 }, () => asm.addi(0, 0, 0)), // 28-36: never run
    asm.addi(1, 1, 1), // 40: F
    asm.addi(3, 3, 3), // 44
    asm.jalr(0, 5, 0), // 48: return
  ];
  let again = 0;
  for (const hotThreshold of [64, 65, 66, 67, 68]) {
    const jit = bothAgree(prog, [], 4 + 5 * 300 + 10, hotThreshold);
    assert.equal(jit.cpu.x[1], 300);
    const tr = jit.cpu.translator!;
    assert.notEqual(tr.pageFn(0), null, "the page is translated");
    assert.notEqual(tr.entries[tr.slot[0]]![40], 0, "F is a head of the page's translation");
    if (tr.translations >= 2) again++;
  }
  assert.ok(again > 0, "some first translation lacked F");
});

Deno.test("no page is translated before the hart has retired its warm-up; a hot page then is", () => {
  // An endless loop (x1 counts up): hot after 64 interpreted instructions.
  const spin = [asm.addi(1, 1, 1), asm.jal(0, -4)];
  const m = machine(spin, { engine: "jit", hotThreshold: 64, jitWarmup: 20_000 });
  const tr = m.cpu.translator!;
  while (m.cpu.instret < 19_000) m.cpu.run(1000);
  assert.equal(tr.translations, 0, "inside the warm-up");
  while (m.cpu.instret < 30_000) m.cpu.run(1000);
  assert.equal(tr.translations, 1, "after the warm-up");
  // The default: a warm-up with the default threshold, none with a chosen one.
  assert.equal(machine(spin, { engine: "jit" }).cpu.translator!.warmup, JIT_WARMUP);
  assert.equal(machine(spin, { engine: "jit", hotThreshold: 64 }).cpu.translator!.warmup, 0);
  assert.throws(() => machine(spin, { engine: "jit", jitWarmup: -1 }), /warm-up/);
});

Deno.test("a full translation cache is emptied and translation goes on; results as interpreted", () => {
  // Six pages, each a hot loop that then jumps to the next page.
  const PAGES = 6;
  const run = (engine: "interp" | "jit", jitCacheSize?: number) => {
    const m = machine([], { engine, hotThreshold: 64, jitCacheSize });
    for (let p = 0; p < PAGES; p++) {
      load(m.ram, p * 4096, [
        asm.addi(1, 0, 0),
        asm.addi(2, 0, 200),
        asm.addi(1, 1, 1), // 8: loop
        asm.addi(3, 3, p + 1),
        asm.bne(1, 2, -8),
        p + 1 < PAGES ? asm.jal(0, 4096 - 20) : asm.jal(0, 0), // 20: next page, or spin
      ]);
    }
    m.cpu.run(PAGES * 603 + 10);
    return m;
  };
  const interp = run("interp");
  for (const size of [undefined, 1]) {
    const jit = run("jit", size);
    assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
    assert.equal(jit.cpu.pc, interp.cpu.pc);
    assert.equal(jit.clock.now, interp.clock.now);
    const tr = jit.cpu.translator!;
    assert.equal(tr.translations, PAGES, `cache size ${size}`);
    // With room for one page function, each translation after the first
    // finds the cache full and empties it; with the default, none does.
    assert.equal(tr.cacheFlushes, size === 1 ? PAGES - 1 : 0);
    assert.equal(tr.pageFn(0) === null, size === 1, "page 0 was dropped by a flush");
    assert.notEqual(tr.pageFn(PAGES - 1), null);
  }
  assert.throws(() => machine([], { engine: "jit", jitCacheSize: 0 }), /cache size/);
});
