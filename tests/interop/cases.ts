/**
 * Interop cases: guest programs with arguments, input and expected behaviour,
 * shared by the qemu-riscv32 runner (`qemu_utils_test.ts`) and the Strata
 * runner, so that both sides check the same things.
 *
 * Conventions for a runner:
 * - `{dir}` in `args`, `stdout`, `stdoutMatch` and `stderrMatch` stands for a
 *   fresh scratch directory (an absolute path without symlinks); `files` and
 *   `dirs` are created in it (files with mode 0644, dirs 0755) before the run.
 * - `stdin` (default empty) is delivered through a pipe, never as a file.
 * - With `cwdInDir` the program runs with the scratch directory as its cwd.
 * - `only` restricts a case to one side; `reason` says why.
 * @module
 */

/** What a run must produce. */
export interface InteropExpect {
  /** Exit status (0-255). */
  status: number;
  /** Exact standard output (after `{dir}` substitution). */
  stdout?: string;
  /** Pattern the whole standard output must match (source with `{dir}` substituted, flags kept). */
  stdoutMatch?: RegExp;
  /** Pattern standard error must match. */
  stderrMatch?: RegExp;
  /** Paths (relative to the scratch directory) that must exist afterwards. */
  exists?: string[];
  /** Paths (relative to the scratch directory) that must not exist afterwards. */
  absent?: string[];
}

/** One program run to compare between qemu-riscv32 and Strata. */
export interface InteropCase {
  /** Unique case name, used as the test step name. */
  name: string;
  /** Program name in `userland/bin/`. */
  program: string;
  /** Arguments after argv[0]. */
  args: string[];
  /** Standard input, delivered through a pipe. */
  stdin?: string;
  /** Files to create in the scratch directory first: relative path -> contents. */
  files?: Record<string, string>;
  /** Directories to create in the scratch directory first (relative paths, parents included). */
  dirs?: string[];
  /** Run with the scratch directory as the working directory. */
  cwdInDir?: boolean;
  /** The expected outcome. */
  expect: InteropExpect;
  /** Run on one side only. */
  only?: "qemu" | "strata";
  /** Why the case is one-sided (required with `only`). */
  reason?: string;
}

const TEXT = "hello world\nfoo bar baz\n";

/** Cases for the utilities in `userland/cmd/`. */
export const UTILITY_CASES: readonly InteropCase[] = [
  { name: "true", program: "true", args: [], expect: { status: 0, stdout: "" } },
  { name: "false", program: "false", args: [], expect: { status: 1, stdout: "" } },
  {
    name: "echo",
    program: "echo",
    args: ["hello", "world"],
    expect: { status: 0, stdout: "hello world\n" },
  },
  { name: "echo -n", program: "echo", args: ["-n", "x"], expect: { status: 0, stdout: "x" } },
  {
    name: "echo -e",
    program: "echo",
    args: ["-e", "a\\tb\\n\\x"],
    expect: { status: 0, stdout: "a\tb\n\\x\n" },
  },
  {
    name: "cat file",
    program: "cat",
    args: ["{dir}/a.txt"],
    files: { "a.txt": TEXT },
    expect: { status: 0, stdout: TEXT },
  },
  {
    name: "cat stdin",
    program: "cat",
    args: [],
    stdin: "piped\ninput\n",
    expect: { status: 0, stdout: "piped\ninput\n" },
  },
  {
    name: "cat -n",
    program: "cat",
    args: ["-n", "{dir}/a.txt", "-"],
    files: { "a.txt": TEXT },
    stdin: "third\n",
    expect: {
      status: 0,
      stdout: "     1\thello world\n     2\tfoo bar baz\n     3\tthird\n",
    },
  },
  {
    name: "cat missing",
    program: "cat",
    args: ["{dir}/missing"],
    expect: { status: 1, stdout: "", stderrMatch: /cat: .*missing: No such file or directory/ },
  },
  {
    name: "head -n 1 file",
    program: "head",
    args: ["-n", "1", "{dir}/a.txt"],
    files: { "a.txt": TEXT },
    expect: { status: 0, stdout: TEXT.split("\n")[0] + "\n" },
  },
  {
    name: "head two files",
    program: "head",
    args: ["-n", "1", "{dir}/a.txt", "{dir}/b.txt"],
    files: { "a.txt": TEXT, "b.txt": "x\ny\n" },
    expect: {
      status: 0,
      stdout: `==> {dir}/a.txt <==\n${TEXT.split("\n")[0]}\n\n==> {dir}/b.txt <==\nx\n`,
    },
  },
  {
    name: "head -2 stdin (traditional form)",
    program: "head",
    args: ["-2"],
    stdin: "1\n2\n3\n",
    expect: { status: 0, stdout: "1\n2\n" },
  },
  {
    name: "wc file",
    program: "wc",
    args: ["{dir}/a.txt"],
    files: { "a.txt": TEXT },
    expect: { status: 0, stdout: " 2  5 24 {dir}/a.txt\n" },
  },
  {
    name: "wc stdin",
    program: "wc",
    args: [],
    stdin: TEXT,
    expect: { status: 0, stdout: "      2       5      24\n" },
  },
  {
    name: "wc -l stdin",
    program: "wc",
    args: ["-l"],
    stdin: TEXT,
    expect: { status: 0, stdout: "2\n" },
  },
  {
    name: "wc two files",
    program: "wc",
    args: ["-lc", "{dir}/a.txt", "{dir}/b.txt"],
    files: { "a.txt": TEXT, "b.txt": "x\n" },
    expect: { status: 0, stdout: " 2 24 {dir}/a.txt\n 1  2 {dir}/b.txt\n 3 26 total\n" },
  },
  {
    name: "ls dir",
    program: "ls",
    args: ["{dir}"],
    files: { "b.txt": "b", "a.txt": "a", ".hidden": "h" },
    dirs: ["sub"],
    expect: { status: 0, stdout: "a.txt\nb.txt\nsub\n" },
  },
  {
    name: "ls -a",
    program: "ls",
    args: ["-a", "{dir}"],
    files: { "a.txt": "a", ".hidden": "h" },
    expect: { status: 0, stdout: ".\n..\n.hidden\na.txt\n" },
  },
  {
    name: "ls files and dirs",
    program: "ls",
    args: ["{dir}/sub", "{dir}/a.txt"],
    files: { "a.txt": "a", "sub/inner": "i" },
    expect: { status: 0, stdout: "{dir}/a.txt\n\n{dir}/sub:\ninner\n" },
  },
  {
    name: "ls -l",
    program: "ls",
    args: ["-l", "{dir}/a.txt"],
    files: { "a.txt": TEXT },
    expect: {
      status: 0,
      stdoutMatch:
        /^-[r-][w-][x-][r-][w-][x-][r-][w-][x-] +1 \d+ \d+ +24 [A-Z][a-z]{2} +\d+ \d{4} \d\d:\d\d {dir}\/a\.txt\n$/,
    },
  },
  {
    name: "ls missing",
    program: "ls",
    args: ["{dir}/missing"],
    expect: { status: 2, stdout: "", stderrMatch: /No such file or directory/ },
  },
  {
    name: "mkdir -p",
    program: "mkdir",
    args: ["-p", "{dir}/x/y/z", "{dir}/x/y"],
    expect: { status: 0, stdout: "", exists: ["x/y/z"] },
  },
  {
    name: "mkdir existing",
    program: "mkdir",
    args: ["{dir}/d"],
    dirs: ["d"],
    expect: { status: 1, stderrMatch: /cannot create directory .*: File exists/ },
  },
  {
    name: "mkdir missing parent",
    program: "mkdir",
    args: ["{dir}/no/such"],
    expect: { status: 1, stderrMatch: /No such file or directory/, absent: ["no"] },
  },
  {
    name: "rm file",
    program: "rm",
    args: ["{dir}/a.txt"],
    files: { "a.txt": "a", "b.txt": "b" },
    expect: { status: 0, stdout: "", absent: ["a.txt"], exists: ["b.txt"] },
  },
  {
    name: "rm -r",
    program: "rm",
    args: ["-r", "{dir}/tree"],
    files: { "tree/a": "a", "tree/sub/b": "b", "tree/sub/deeper/c": "c", "keep": "k" },
    dirs: ["tree/empty"],
    expect: { status: 0, absent: ["tree"], exists: ["keep"] },
  },
  {
    name: "rm dir without -r",
    program: "rm",
    args: ["{dir}/d"],
    dirs: ["d"],
    expect: { status: 1, stderrMatch: /Is a directory/, exists: ["d"] },
  },
  {
    name: "rm missing",
    program: "rm",
    args: ["{dir}/missing"],
    expect: { status: 1, stderrMatch: /No such file or directory/ },
  },
  {
    name: "rm -f missing",
    program: "rm",
    args: ["-f", "{dir}/missing"],
    expect: { status: 0, stdout: "" },
  },
  {
    name: "pwd",
    program: "pwd",
    args: [],
    cwdInDir: true,
    expect: { status: 0, stdout: "{dir}\n" },
  },
  {
    name: "date -d @0",
    program: "date",
    args: ["-u", "-d", "@0"],
    expect: { status: 0, stdout: "Thu Jan  1 00:00:00 UTC 1970\n" },
  },
  {
    // Expected texts are GNU date's (LC_ALL=C date -u -d @N +FORMAT).
    name: "date +FORMAT",
    program: "date",
    args: [
      "-d",
      "@1700000000",
      "+%a %A %b %B %c|%C %d %D %e %F %H %I %j %k %l %m %M %p %R %s %S %T %u %w %y %Y %z %Z %%",
    ],
    expect: {
      status: 0,
      stdout: "Tue Tuesday Nov November Tue Nov 14 22:13:20 2023|20 14 11/14/23 14 2023-11-14 " +
        "22 10 318 22 10 11 13 PM 22:13 1700000000 20 22:13:20 2 2 23 2023 +0000 UTC %\n",
    },
  },
  {
    name: "date: a leap day",
    program: "date",
    args: ["-d", "@951782400", "+%F %j %a"],
    expect: { status: 0, stdout: "2000-02-29 060 Tue\n" },
  },
  {
    name: "date -d @-1",
    program: "date",
    args: ["-d", "@-1"],
    expect: { status: 0, stdout: "Wed Dec 31 23:59:59 UTC 1969\n" },
  },
  {
    name: "date -d @253402300799",
    program: "date",
    args: ["-d", "@253402300799", "+%c"],
    expect: { status: 0, stdout: "Fri Dec 31 23:59:59 9999\n" },
  },
  {
    name: "date now",
    program: "date",
    args: [],
    expect: {
      status: 0,
      stdoutMatch:
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n$/,
    },
  },
  {
    name: "date bad -d",
    program: "date",
    args: ["-d", "tomorrow"],
    expect: { status: 1, stderrMatch: /invalid date 'tomorrow'/ },
  },
  {
    name: "date extra operand",
    program: "date",
    args: ["+%Y", "x"],
    expect: { status: 1, stderrMatch: /extra operand 'x'/ },
  },
  { name: "sleep", program: "sleep", args: ["0.05"], expect: { status: 0, stdout: "" } },
  {
    name: "sleep bad",
    program: "sleep",
    args: ["soon"],
    expect: { status: 1, stderrMatch: /usage: sleep/ },
  },
  {
    name: "env -i",
    program: "env",
    args: ["-i", "A=1", "B=two"],
    expect: { status: 0, stdout: "A=1\nB=two\n" },
  },
  {
    name: "env overrides",
    program: "env",
    args: ["-i", "A=1", "A=2"],
    expect: { status: 0, stdout: "A=2\n" },
  },
  {
    name: "env missing command",
    program: "env",
    args: ["-i", "/no/such/program"],
    expect: { status: 127, stderrMatch: /No such file or directory/ },
  },
  {
    name: "kill -l 9",
    program: "kill",
    args: ["-l", "9"],
    expect: { status: 0, stdout: "KILL\n" },
  },
  {
    name: "kill -l 143",
    program: "kill",
    args: ["-l", "143"],
    expect: { status: 0, stdout: "TERM\n" },
  },
  {
    name: "kill bad signal",
    program: "kill",
    args: ["-s", "BOGUS", "1"],
    expect: { status: 1, stderrMatch: /unknown signal: BOGUS/ },
  },
  {
    name: "kill no such process",
    program: "kill",
    args: ["-0", "2147483647"],
    expect: { status: 1, stderrMatch: /No such process/ },
  },
  {
    name: "uname",
    program: "uname",
    args: [],
    expect: { status: 0, stdoutMatch: /^(Linux|Strata)\n$/ },
  },
  { name: "uname -m", program: "uname", args: ["-m"], expect: { status: 0, stdout: "riscv32\n" } },
  {
    name: "uname -a",
    program: "uname",
    args: ["-a"],
    expect: { status: 0, stdoutMatch: /^(Linux|Strata) \S+ \S+ .* riscv32\n$/ },
  },
  {
    name: "ps",
    program: "ps",
    args: [],
    expect: {
      status: 0,
      stdoutMatch: /^ {2}PID {2}PPID {2}PGID S {2}TIME CMD\n( *\d+ +\d+ +\d+ \S +\d+:\d\d .*\n)+$/,
    },
  },
  {
    name: "poweroff",
    program: "poweroff",
    args: [],
    only: "strata",
    reason:
      "under qemu-riscv32 reboot(2) reaches the host kernel: as root it would power off the host",
    expect: { status: 0, stdout: "" },
  },
];

/** Small N for the benchmark programs in interop runs (they are checked, not timed). */
export const BENCH_SMALL_N = 5;

/** Cases for the benchmark programs: each prints exactly "ok N" and exits 0. */
export const BENCH_CASES: readonly InteropCase[] = [
  "bench_getpid",
  "bench_yield",
  "bench_pipe",
  "bench_pagefault",
  "bench_mprotect",
  "bench_fork",
].flatMap((program): InteropCase[] => [
  {
    name: `${program} ${BENCH_SMALL_N}`,
    program,
    args: [String(BENCH_SMALL_N)],
    expect: { status: 0, stdout: `ok ${BENCH_SMALL_N}\n` },
  },
  {
    name: `${program} bad N`,
    program,
    args: ["zero"],
    expect: { status: 2, stdout: "", stderrMatch: /N must be a positive integer/ },
  },
]);

/** The libc self-check (`userland/libc/tests/test_libc.c`). */
export const LIBC_CASES: readonly InteropCase[] = [
  {
    name: "test_libc",
    program: "test_libc",
    args: ["{dir}"],
    expect: { status: 0, stdoutMatch: /^test_libc: ok \d+\n$/ },
  },
];

/**
 * Cases for the self-checking `test_*` programs found among `programs`
 * (built names): each gets the scratch directory as argv[1] and must exit 0.
 * `test_libc` has its own stricter case in {@link LIBC_CASES}.
 */
export function testProgramCases(programs: readonly string[]): InteropCase[] {
  return programs
    .filter((p) => p.startsWith("test_") && p !== "test_libc")
    .map((program) => ({ name: program, program, args: ["{dir}"], expect: { status: 0 } }));
}

/** Every case for the programs in `programs` (built names), in a stable order. */
export function allCases(programs: readonly string[]): InteropCase[] {
  const have = new Set(programs);
  return [...UTILITY_CASES, ...BENCH_CASES, ...LIBC_CASES, ...testProgramCases(programs)].filter(
    (c) => have.has(c.program),
  );
}
