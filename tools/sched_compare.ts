/**
 * `deno task sched-compare`: runs the fixed workload mix of
 * `userland/bench/schedmix.c` (CPU-bound, I/O-bound and periodic real-time
 * tasks) under every scheduler plugin and compares them: mean turnaround,
 * mean response time, fairness, deadline misses and whether the real-time
 * tasks were admitted. Simulated time makes every figure deterministic, so
 * the table in `docs/performance.md` is checked by a test.
 *
 * - `deno task sched-compare` prints the table;
 * - `--write` also updates the table in `docs/performance.md` (between the
 *   `sched-compare` markers) and the chart `docs/sched_compare.svg`;
 * - `--json` prints the figures as JSON instead;
 * - `--policies a,b` runs only those.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runGuest, SCHEDULERS } from "../system/boot.ts";

/** One task's line of schedmix output. */
export interface TaskResult {
  /** Task name (cpu0, io1, rt0...). */
  name: string;
  /** From the common start to the task's end, in µs. */
  turnaroundUs: number;
  /** Mean response time (wake-up to run), in µs. */
  responseUs: number;
  /** Total time spent ready but waiting, in µs. */
  waitUs: number;
  /** Periodic jobs that ended after their deadline. */
  misses: number;
  /** Periodic jobs run (0 for other tasks). */
  jobs: number;
  /** False when sched_setattr(SCHED_DEADLINE) was refused. */
  admitted: boolean;
}

/** The summary of one policy's run. */
export interface PolicyResult {
  /** Policy name. */
  policy: string;
  /** Per-task lines. */
  tasks: TaskResult[];
  /** Mean turnaround over all tasks, ms. */
  turnaroundMs: number;
  /** Mean response time over all tasks, ms. */
  responseMs: number;
  /**
   * Jain's fairness index of the share of their lifetime that the nice-0
   * ordinary tasks (cpu0, cpu1, io0, io1) spent waiting: 1 when all waited
   * the same share.
   */
  fairness: number;
  /** Deadline misses over periodic jobs. */
  misses: number;
  /** Periodic jobs. */
  jobs: number;
  /** Real-time tasks admitted, of those that asked. */
  admitted: string;
}

/**
 * Parses schedmix output.
 *
 * @param text The guest's output.
 * @returns One result per task line.
 */
export function parseSchedmix(text: string): TaskResult[] {
  const out: TaskResult[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 7 || !/^(cpu|io|rt)\d$/.test(f[0])) continue;
    const n = f.slice(1).map(Number);
    out.push({
      name: f[0],
      turnaroundUs: n[0],
      responseUs: n[1],
      waitUs: n[2],
      misses: n[3],
      jobs: n[4],
      admitted: n[5] === 1,
    });
  }
  return out;
}

/**
 * Summarises one policy's tasks.
 *
 * @param policy Policy name.
 * @param tasks Its task results.
 * @returns The summary row.
 */
export function summarise(policy: string, tasks: TaskResult[]): PolicyResult {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const shares = tasks.filter((t) => ["cpu0", "cpu1", "io0", "io1"].includes(t.name))
    .map((t) => t.waitUs / Math.max(1, t.turnaroundUs));
  const sum = shares.reduce((a, b) => a + b, 0);
  const sq = shares.reduce((a, b) => a + b * b, 0);
  const rt = tasks.filter((t) => t.name.startsWith("rt"));
  return {
    policy,
    tasks,
    turnaroundMs: mean(tasks.map((t) => t.turnaroundUs)) / 1000,
    responseMs: mean(tasks.map((t) => t.responseUs)) / 1000,
    fairness: sq === 0 ? 1 : (sum * sum) / (shares.length * sq),
    misses: rt.reduce((a, t) => a + t.misses, 0),
    jobs: rt.reduce((a, t) => a + t.jobs, 0),
    admitted: `${rt.filter((t) => t.admitted).length}/${rt.length}`,
  };
}

/**
 * Boots the kernel with `policy` and runs the workload.
 *
 * @param policy One of {@link SCHEDULERS}.
 * @returns The summary.
 */
export async function runPolicy(policy: string): Promise<PolicyResult> {
  const r = await runGuest({ cmd: "schedmix", scheduler: policy, maxHostMs: 120_000 });
  if (r.status !== 0) throw new Error(`schedmix under ${policy} ended with status ${r.status}`);
  const tasks = parseSchedmix(r.output);
  if (tasks.length !== 7) throw new Error(`schedmix under ${policy}: ${tasks.length} task lines`);
  return summarise(policy, tasks);
}

/**
 * The Markdown table of the results.
 *
 * @param results One row per policy.
 * @returns The table text.
 */
export function formatTable(results: PolicyResult[]): string {
  const head = "| policy | mean turnaround (ms) | mean response (ms) | fairness | " +
    "deadline misses | RT admitted |\n| --- | ---: | ---: | ---: | ---: | ---: |\n";
  return head +
    results.map((r) =>
      `| ${r.policy} | ${r.turnaroundMs.toFixed(1)} | ${r.responseMs.toFixed(2)} | ` +
      `${r.fairness.toFixed(3)} | ${r.misses}/${r.jobs} | ${r.admitted} |`
    ).join("\n") + "\n";
}

/**
 * A bar chart of turnaround, response and misses per policy, as SVG.
 *
 * @param results One entry per policy.
 * @returns The SVG document.
 */
export function formatSvg(results: PolicyResult[]): string {
  const panels: [string, (r: PolicyResult) => number, string][] = [
    ["mean turnaround (ms)", (r) => r.turnaroundMs, "#4e79a7"],
    ["mean response (ms)", (r) => r.responseMs, "#f28e2b"],
    ["deadline misses (%)", (r) => 100 * r.misses / Math.max(1, r.jobs), "#e15759"],
  ];
  const w = 300, h = 220, bar = Math.floor((w - 40) / results.length);
  const parts: string[] = [];
  panels.forEach(([title, value, color], k) => {
    const x0 = k * w;
    const max = Math.max(1e-9, ...results.map(value));
    parts.push(`<text x="${x0 + w / 2}" y="16" text-anchor="middle">${title}</text>`);
    results.forEach((r, i) => {
      const v = value(r), bh = Math.round((h - 70) * v / max);
      const x = x0 + 20 + i * bar;
      parts.push(
        `<rect x="${x + 2}" y="${h - 40 - bh}" width="${bar - 4}" height="${bh}" fill="${color}"/>`,
        `<text x="${x + bar / 2}" y="${h - 44 - bh}" text-anchor="middle" font-size="9">` +
          `${v.toFixed(v >= 100 ? 0 : 1)}</text>`,
        `<text x="${x + bar / 2}" y="${h - 26}" text-anchor="middle" font-size="9" ` +
          `transform="rotate(30 ${x + bar / 2} ${h - 26})">${r.policy}</text>`,
      );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w * panels.length}" height="${h}" ` +
    `font-family="sans-serif" font-size="12">\n${parts.join("\n")}\n</svg>\n`;
}

/** Marker lines around the generated table in docs/performance.md. */
export const TABLE_BEGIN = "<!-- sched-compare:begin -->";
/** End marker. */
export const TABLE_END = "<!-- sched-compare:end -->";

/**
 * The table between the markers of a document, or null without markers.
 *
 * @param doc The document text.
 * @returns The table text.
 */
export function tableIn(doc: string): string | null {
  const a = doc.indexOf(TABLE_BEGIN), b = doc.indexOf(TABLE_END);
  return a < 0 || b < a ? null : doc.slice(a + TABLE_BEGIN.length, b).trim() + "\n";
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      write: { type: "boolean" },
      json: { type: "boolean" },
      policies: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("Usage: deno task sched-compare [--write] [--json] [--policies a,b,...]");
    return;
  }
  const names = values.policies?.split(",") ?? [...SCHEDULERS];
  const results: PolicyResult[] = [];
  for (const name of names) results.push(await runPolicy(name));
  if (values.json) console.log(JSON.stringify(results, null, 2));
  else console.log(formatTable(results));
  if (!values.write) return;
  const root = new URL("../", import.meta.url);
  const docUrl = new URL("docs/performance.md", root);
  const doc = await Deno.readTextFile(docUrl);
  const a = doc.indexOf(TABLE_BEGIN), b = doc.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error("docs/performance.md has no sched-compare markers");
  const next = doc.slice(0, a + TABLE_BEGIN.length) + "\n" + formatTable(results) + doc.slice(b);
  await Deno.writeTextFile(docUrl, next);
  await Deno.writeTextFile(new URL("docs/sched_compare.svg", root), formatSvg(results));
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error(`sched-compare: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
