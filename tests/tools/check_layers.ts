/**
 * Checks the one-way import direction of the source tree (the layer rule of
 * `docs/architecture.md`):
 *
 * - `lib/` imports only `lib/`: pure helpers (ELF parsing, LZ4, byte copies) under everything.
 * - `hw/` imports only `hw/` and `lib/` (and `npm:`/`node:` packages): hardware knows no kernel.
 * - a kernel layer imports only the layers under it (and its own layer):
 *   proc 0 < mm 1 < ipc 2 < io 3 < block 4 < fs 5 < exec, modules, api 6 < kernel/boot 7,
 *   plus `hw/`, `lib/`, `kernel/errors.ts` and the file-layer contract `kernel/fs/types.ts`.
 *   The kernel never imports `system/` (the composition root) or `plugins/`.
 * - a plugin imports only `kernel/api.ts`, the register-constant files of `hw/`
 *   (`hw/memory_map.ts` and `hw/*_regs.ts`), `lib/`, and files of its own plugin
 *   kind folder.
 *
 * Run: `deno run -A tests/tools/check_layers.ts` (exit status 1 on a violation).
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";

/** One import that breaks the layer rule. */
export interface LayerViolation {
  /** Importing file, relative to the root. */
  file: string;
  /** Imported file, relative to the root. */
  target: string;
  /** Why it is not allowed. */
  reason: string;
}

const KERNEL_LAYERS: Record<string, number> = {
  proc: 0,
  mm: 1,
  ipc: 2,
  io: 3,
  block: 4,
  fs: 5,
  exec: 6,
  modules: 6,
  "api.ts": 6,
  "api_personality.ts": 6,
  "api_modules.ts": 6,
  "errors.ts": -1,
  "kernel.ts": 7,
  "kernel_run.ts": 7,
  "kernel_wiring.ts": 7,
  "process_calls.ts": 7,
  "storage_calls.ts": 7,
  "trap_handlers.ts": 7,
  "registrations.ts": 7,
  "kernel_types.ts": 7,
  "kernel_info.ts": 7,
  "mod.ts": 8,
};

const LAYER_NAMES = [
  "proc",
  "mm",
  "ipc",
  "io",
  "block",
  "fs",
  "exec/modules/api",
  "kernel",
  "mod",
];

/** Whether `target` is a file of hardware register constants that a driver may use. */
function isRegisterFile(target: string): boolean {
  return target === "hw/memory_map.ts" || /^hw\/[a-z0-9_]+_regs\.ts$/.test(target);
}

function kernelLayer(path: string): number | undefined {
  const first = path.split("/")[1];
  return KERNEL_LAYERS[first];
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g;

/** Lists the relative import specifiers of a TypeScript source text. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec !== undefined && spec.startsWith(".")) out.push(spec);
  }
  return out;
}

/** Decides whether `file` may import `target` (both relative to the root). */
export function checkImport(file: string, target: string): string | null {
  const area = file.split("/")[0];
  const targetArea = target.split("/")[0];
  if (area === "lib") {
    return targetArea === "lib" ? null : "lib/ must not import outside lib/";
  }
  if (area === "hw") {
    return targetArea === "hw" || targetArea === "lib"
      ? null
      : "hw/ must not import outside hw/ and lib/";
  }
  if (area === "kernel") {
    if (targetArea === "hw" || targetArea === "lib") return null;
    if (targetArea !== "kernel") return "kernel/ must not import plugins/, userland/ or tests/";
    if (target === "kernel/errors.ts" || target === "kernel/fs/types.ts") return null;
    const from = kernelLayer(file), to = kernelLayer(target);
    if (from === undefined) {
      return `${file} has no layer in the table of tests/tools/check_layers.ts`;
    }
    if (to === undefined) {
      return `${target} has no layer in the table of tests/tools/check_layers.ts`;
    }
    if (to > from) {
      return `layer ${LAYER_NAMES[from] ?? from} must not import the higher layer ${
        LAYER_NAMES[to] ?? to
      }`;
    }
    return null;
  }
  if (area === "plugins") {
    if (target === "kernel/api.ts" || targetArea === "lib") return null;
    if (isRegisterFile(target)) return null;
    // The folder's public face re-exports every plugin kind.
    if (file === "plugins/mod.ts" && targetArea === "plugins") return null;
    const kind = file.split("/")[1];
    if (
      targetArea === "plugins" && (target.split("/")[1] === kind || target === "plugins/mod.ts")
    ) {
      return null;
    }
    return "plugins import only kernel/api.ts, hw/ register constants, lib/ and their own kind's files";
  }
  return null;
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

/** Scans `lib/`, `hw/`, `kernel/` and `plugins/` under `root` and returns every violation. */
export async function checkLayers(root: string): Promise<LayerViolation[]> {
  const violations: LayerViolation[] = [];
  for (const top of ["lib", "hw", "kernel", "plugins"]) {
    const dir = join(root, top);
    try {
      await Deno.stat(dir);
    } catch {
      continue;
    }
    for await (const path of sourceFiles(dir)) {
      const file = relative(root, path);
      const source = await Deno.readTextFile(path);
      for (const spec of importsOf(source)) {
        const target = relative(root, resolve(dirname(path), spec));
        const reason = checkImport(file, target);
        if (reason !== null) violations.push({ file, target, reason });
      }
    }
  }
  return violations;
}

if (import.meta.main) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");
  const violations = await checkLayers(root);
  for (const v of violations) console.error(`${v.file} -> ${v.target}: ${v.reason}`);
  if (violations.length > 0) {
    console.error(`${violations.length} layer violation(s)`);
    Deno.exit(1);
  }
  console.log("layer check: ok");
}
