/**
 * Reads the host's Linux uapi headers (`/usr/include/asm-generic/...`, from
 * the linux-libc-dev package) so that tests can compare the personality's
 * errno, signal and system call numbers with the kernel's own.
 *
 * `asm-generic/unistd.h` chooses names with `#if` on the architecture's
 * wants; {@link rv32SyscallNumbers} evaluates those conditions the way the
 * rv32 kernel's `asm/unistd.h` sets them up.
 *
 * @module
 */

/** Where the headers live. */
export const HOST_HEADERS = {
  errno: ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"],
  signal: ["/usr/include/asm-generic/signal.h", "/usr/include/asm-generic/signal-defs.h"],
  unistd: ["/usr/include/asm-generic/unistd.h"],
} as const;

/** Reads a text file, or null if it does not exist. */
export function readIfExists(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** True when every header of the group is installed. */
export function haveHeaders(paths: readonly string[]): boolean {
  return paths.every((p) => readIfExists(p) !== null);
}

/** Numeric `#define NAME VALUE` lines (decimal or hex) of the headers. */
export function numericDefines(paths: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of paths) {
    const text = readIfExists(p);
    if (text === null) throw new Error(`${p} is missing (install linux-libc-dev)`);
    for (const m of text.matchAll(/^#define[ \t]+(\w+)[ \t]+(0x[0-9a-fA-F]+|\d+)\b/gm)) {
      out.set(m[1], Number(m[2]));
    }
  }
  return out;
}

/**
 * What riscv's uapi `asm/unistd.h` defines before it includes
 * asm-generic/unistd.h on rv32 (`__ARCH_WANT_NEW_STAT` and
 * `__ARCH_WANT_SET_GET_RLIMIT` are for rv64 only).
 */
const RV32_WANTS = ["__ARCH_WANT_SYS_CLONE3", "__ARCH_WANT_MEMFD_SECRET"];
const RV32_BITS_PER_LONG = 32;

/** Evaluates one `#if` expression of the forms asm-generic/unistd.h uses. */
function evalCondition(expr: string, defined: Set<string>): boolean {
  return expr.split("||").some((alt) =>
    alt.split("&&").every((term) => {
      let t = term.trim();
      let negate = false;
      while (t.startsWith("!")) {
        negate = !negate;
        t = t.slice(1).trim();
      }
      let value: boolean;
      const def = /^defined\s*\(\s*(\w+)\s*\)$/.exec(t);
      const cmp = /^__BITS_PER_LONG\s*(==|!=)\s*(\d+)$/.exec(t);
      if (def !== null) value = defined.has(def[1]);
      else if (cmp !== null) {
        value = (RV32_BITS_PER_LONG === Number(cmp[2])) === (cmp[1] === "==");
      } else throw new Error(`unexpected #if term "${t}" in asm-generic/unistd.h`);
      return value !== negate;
    })
  );
}

/**
 * The system call numbers asm-generic/unistd.h gives an rv32 kernel: name
 * (without `__NR_`) -> number, with the 32-bit names (`fcntl64`, `llseek`,
 * `mmap2`, ...) resolved and the conditional calls chosen as rv32 chooses
 * them. Also returns `__NR_syscalls`, the first number the header does not
 * know.
 */
export function rv32SyscallNumbers(): { numbers: Map<string, number>; count: number } {
  const text = readIfExists(HOST_HEADERS.unistd[0]);
  if (text === null) throw new Error("asm-generic/unistd.h is missing (install linux-libc-dev)");
  const defined = new Set(RV32_WANTS);
  const values = new Map<string, number>();
  // Each entry: is this branch active, and was any branch of the #if taken.
  const stack: { active: boolean; taken: boolean }[] = [];
  const active = () => stack.every((s) => s.active);
  for (const line of text.split("\n")) {
    const d = /^#\s*(\w+)\s*(.*?)\s*(\/\*.*)?$/.exec(line);
    if (d === null) continue;
    const [, kw, rest] = d;
    if (kw === "if" || kw === "ifdef" || kw === "ifndef") {
      const cond = kw === "if"
        ? evalCondition(rest, defined)
        : (kw === "ifdef") === defined.has(rest);
      stack.push({ active: cond, taken: cond });
    } else if (kw === "else") {
      const top = stack[stack.length - 1];
      top.active = !top.taken;
      top.taken = true;
    } else if (kw === "endif") {
      stack.pop();
    } else if (kw === "elif") {
      throw new Error("#elif is not expected in asm-generic/unistd.h");
    } else if (active() && kw === "define") {
      const m = /^(\w+)\s+(.*)$/.exec(rest);
      const name = m === null ? rest : m[1];
      defined.add(name);
      if (m === null) continue;
      const value = m[2].trim();
      if (/^\d+$/.test(value)) values.set(name, Number(value));
      else if (values.has(value)) values.set(name, values.get(value)!);
    } else if (active() && kw === "undef") {
      defined.delete(rest);
      values.delete(rest);
    }
  }
  const numbers = new Map<string, number>();
  for (const [name, n] of values) {
    if (name.startsWith("__NR_")) numbers.set(name.slice(5), n);
  }
  const count = numbers.get("syscalls");
  if (count === undefined) throw new Error("asm-generic/unistd.h defines no __NR_syscalls");
  numbers.delete("syscalls");
  numbers.delete("arch_specific_syscall");
  return { numbers, count };
}
