import assert from "node:assert/strict";
import { runGuest } from "../../../system/boot.ts";
import { runPolicy, tableIn } from "../../../tools/sched_compare.ts";
import { formatTable } from "../../../tools/sched_compare.ts";

async function sh(cmd: string, scheduler?: string): Promise<string> {
  const r = await runGuest({ cmd, scheduler, maxHostMs: 60_000 });
  return r.output.replaceAll("\r\n", "\n");
}

Deno.test("sched calls: chrt shows and sets classes with Linux's checks", async () => {
  const out = await sh([
    "chrt -p $$",
    "chrt -f 10 chrt -p 0",
    "chrt -r 100 true; echo rc=$?",
    "chrt -o 5 true; echo rc=$?",
    "chrt -d -T 1000000 -D 5000000 -P 10000000 0 cat /proc/self/sched | grep -E '^(policy|prio|dl.period) '",
    "chrt -d -T 500 -P 10000000 0 true; echo rc=$?",
    "chrt -d -T 2000000 -P 10000000 0 sh -c '/bin/true; /bin/true'; echo rc=$?",
    "nice; nice -n 7 nice; nice -n 7 cat /proc/self/stat | cut -d' ' -f19",
  ].join("; "));
  assert.equal(
    out,
    [
      "pid 2's current scheduling policy: SCHED_OTHER",
      "pid 2's current scheduling priority: 0",
      "pid 0's current scheduling policy: SCHED_FIFO",
      "pid 0's current scheduling priority: 10",
      "chrt: failed to set pid 0's policy: Invalid argument",
      "rc=1",
      "chrt: failed to set pid 0's policy: Invalid argument",
      "rc=1",
      "policy                                       :                    6",
      "prio                                         :                   -1",
      "dl.period                                    :             10000000",
      "chrt: failed to set pid 0's policy: Invalid argument",
      "rc=1",
      "sh: fork: Resource temporarily unavailable",
      "sh: fork: Resource temporarily unavailable",
      "rc=1",
      "0",
      "7",
      "7",
      "",
    ].join("\n"),
  );
});

Deno.test("sched calls: admission control refuses an overload with EBUSY", async () => {
  const cmd = "chrt -d -T 6000000 -P 10000000 0 sleep 1 & " +
    "sleep 0.01; chrt -d -T 5000000 -P 10000000 0 true; echo rc=$?; wait";
  const edf = await sh(cmd, "edf");
  assert.match(edf, /failed to set pid 0's policy: Device or resource busy\nrc=1/);
  // RM's bound for two tasks is 0.828: 0.6 + 0.2 fits under EDF and RM, 0.6 + 0.25 only EDF.
  const fits = "chrt -d -T 6000000 -P 10000000 0 sleep 1 & sleep 0.01; " +
    "chrt -d -T 2500000 -P 10000000 0 true; echo rc=$?; wait";
  assert.match(await sh(fits, "edf"), /^rc=0$/m);
  assert.match(await sh(fits, "rm"), /busy\nrc=1/);
});

Deno.test("/proc/PID/sched: waiting and response times are accounted", async () => {
  const out = await sh("yes > /dev/null & sleep 0.05; cat /proc/$!/sched; kill $!");
  const field = (k: string) => Number(out.match(new RegExp(`^${k}\\s+:\\s+(\\S+)$`, "m"))?.[1]);
  assert.ok(field("se.sum_exec_runtime") > 10, out);
  assert.ok(field("se.statistics.wait_count") >= 2, out);
  assert.ok(field("response.count") >= 1, out);
  assert.equal(field("policy"), 0);
  assert.equal(field("prio"), 120);
});

Deno.test("sched-compare: the table in docs/performance.md is what the policies give", async () => {
  const doc = await Deno.readTextFile(new URL("../../../docs/performance.md", import.meta.url));
  const table = tableIn(doc);
  assert.ok(table !== null, "markers present");
  // A sample here (the whole sweep is `deno task sched-compare`): two policies' rows.
  const rows = formatTable([await runPolicy("round_robin"), await runPolicy("edf")])
    .trim().split("\n").slice(2);
  for (const row of rows) assert.ok(table.includes(row), `docs row missing: ${row}`);
});
