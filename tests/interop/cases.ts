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
import { TEXT_TOOL_CASES } from "./cases_text_tools.ts";

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
  /** Files (relative to the scratch directory) and the exact text they must hold afterwards. */
  contents?: Record<string, string>;
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
    name: "ls -d: directories as themselves",
    program: "ls",
    args: ["-d", "{dir}/sub", "{dir}/a.txt"],
    files: { "a.txt": "a", "sub/inner": "i" },
    expect: { status: 0, stdout: "{dir}/a.txt\n{dir}/sub\n" },
  },
  {
    name: "ls -d with no operand lists .",
    program: "ls",
    args: ["-d"],
    cwdInDir: true,
    files: { "a.txt": "a" },
    expect: { status: 0, stdout: ".\n" },
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
  {
    name: "dmesg shows the kernel's line for a process killed by a signal",
    program: "sh",
    args: ["-c", "sh -c 'kill -SEGV $$'; dmesg"],
    only: "strata",
    reason: "under qemu-riscv32 dmesg reads the host kernel's log",
    expect: {
      status: 0,
      stdoutMatch:
        /^(\[ *\d+\.\d{6}\] .*\n)*\[ *\d+\.\d{6}\] pid \d+ \(sh\) killed by SIGSEGV \(core\)\n$/,
      stderrMatch: /^Segmentation fault\n$/,
    },
  },
  {
    name: "dmesg -r prints the raw records, -t no time stamps; -c reads then clears",
    program: "sh",
    args: [
      "-c",
      "sh -c 'kill -KILL $$'; dmesg -r | tail -n 1; dmesg -t -c | tail -n 1; dmesg | wc -l",
    ],
    only: "strata",
    reason: "under qemu-riscv32 dmesg reads (and as root clears) the host kernel's log",
    expect: {
      status: 0,
      stdoutMatch:
        /^<6>\[\d+\.\d{6}\] pid (\d+) \(sh\) killed by SIGKILL\npid \1 \(sh\) killed by SIGKILL\n *0\n$/,
    },
  },
  {
    name: "dmesg rejects an unknown option",
    program: "dmesg",
    args: ["-z"],
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^dmesg: invalid option -- 'z'\nTry 'dmesg --help' for more information\.\n$/,
    },
  },
  {
    name: "cp file to file",
    program: "cp",
    args: ["{dir}/a.txt", "{dir}/b.txt"],
    files: { "a.txt": "hello\n" },
    expect: { status: 0, stdout: "", exists: ["a.txt", "b.txt"] },
  },
  {
    name: "cp files into directory",
    program: "cp",
    args: ["a.txt", "b.txt", "sub"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    dirs: ["sub"],
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["sub/a.txt", "sub/b.txt", "a.txt"] },
  },
  {
    name: "cp -r directory tree",
    program: "cp",
    args: ["-r", "src", "dst"],
    files: { "src/inner/f.txt": "f\n", "src/top.txt": "t\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["dst/inner/f.txt", "dst/top.txt", "src/top.txt"] },
  },
  {
    name: "cp -p file",
    program: "cp",
    args: ["-p", "{dir}/a.txt", "{dir}/c.txt"],
    files: { "a.txt": "hello\n" },
    expect: { status: 0, stdout: "", exists: ["c.txt"] },
  },
  {
    name: "cp directory without -r",
    program: "cp",
    args: ["src", "dst"],
    dirs: ["src"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^cp: -r not specified; omitting directory 'src'\n$/,
      absent: ["dst"],
    },
  },
  {
    name: "cp file onto itself",
    program: "cp",
    args: ["a.txt", "./a.txt"],
    files: { "a.txt": "hello\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^cp: 'a.txt' and '.\/a.txt' are the same file\n$/,
    },
  },
  {
    name: "cp missing source",
    program: "cp",
    args: ["nope", "x"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^cp: cannot stat 'nope': No such file or directory\n$/,
      absent: ["x"],
    },
  },
  {
    name: "cp -r directory into itself",
    program: "cp",
    args: ["-r", "d", "d/sub"],
    files: { "d/f.txt": "f\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^cp: cannot copy a directory, 'd', into itself, 'd\/sub'\n$/,
      exists: ["d/sub/f.txt"],
      absent: ["d/sub/sub"],
    },
  },
  {
    name: "mv rename file",
    program: "mv",
    args: ["{dir}/a.txt", "{dir}/b.txt"],
    files: { "a.txt": "hello\n" },
    expect: { status: 0, stdout: "", exists: ["b.txt"], absent: ["a.txt"] },
  },
  {
    name: "mv files into directory",
    program: "mv",
    args: ["a.txt", "b.txt", "sub/"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    dirs: ["sub"],
    cwdInDir: true,
    expect: {
      status: 0,
      stdout: "",
      exists: ["sub/a.txt", "sub/b.txt"],
      absent: ["a.txt", "b.txt"],
    },
  },
  {
    name: "mv directory",
    program: "mv",
    args: ["d", "d2"],
    files: { "d/e/f.txt": "f\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["d2/e/f.txt"], absent: ["d"] },
  },
  {
    name: "mv file over file",
    program: "mv",
    args: ["-f", "a.txt", "b.txt"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["b.txt"], absent: ["a.txt"] },
  },
  {
    name: "mv missing source",
    program: "mv",
    args: ["nope", "x"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^mv: cannot stat 'nope': No such file or directory\n$/,
      absent: ["x"],
    },
  },
  {
    name: "mv directory into itself",
    program: "mv",
    args: ["d", "d/sub"],
    dirs: ["d"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^mv: cannot move 'd' to a subdirectory of itself, 'd\/sub'\n$/,
      exists: ["d"],
      absent: ["d/sub"],
    },
  },
  {
    name: "mv file over directory",
    program: "mv",
    args: ["a.txt", "d"],
    files: { "a.txt": "a\n", "d/a.txt/keep": "k\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^mv: cannot overwrite directory 'd\/a.txt' with non-directory\n$/,
      exists: ["a.txt", "d/a.txt/keep"],
    },
  },
  {
    name: "mv target not a directory",
    program: "mv",
    args: ["a.txt", "b.txt", "c.txt"],
    files: { "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^mv: target 'c.txt': Not a directory\n$/,
      exists: ["a.txt", "b.txt", "c.txt"],
    },
  },
  {
    name: "ln hard link",
    program: "ln",
    args: ["{dir}/a.txt", "{dir}/b.txt"],
    files: { "a.txt": "hello\n" },
    expect: { status: 0, stdout: "", exists: ["a.txt", "b.txt"] },
  },
  {
    name: "ln -s symbolic link",
    program: "ln",
    args: ["-s", "a.txt", "{dir}/s"],
    files: { "a.txt": "hello\n" },
    expect: { status: 0, stdout: "", exists: ["s"] },
  },
  {
    name: "ln -s dangling link",
    program: "ln",
    args: ["-s", "nowhere", "s"],
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["s"], absent: ["nowhere"] },
  },
  {
    name: "ln into directory",
    program: "ln",
    args: ["a.txt", "b.txt", "sub"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    dirs: ["sub"],
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["sub/a.txt", "sub/b.txt"] },
  },
  {
    name: "ln existing link",
    program: "ln",
    args: ["a.txt", "b.txt"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^ln: failed to create hard link 'b.txt': File exists\n$/,
    },
  },
  {
    name: "ln -sf replaces link",
    program: "ln",
    args: ["-sf", "a.txt", "b.txt"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", stderrMatch: /^$/, exists: ["b.txt"] },
  },
  {
    name: "ln hard link to directory",
    program: "ln",
    args: ["d", "e"],
    dirs: ["d"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^ln: d: hard link not allowed for directory\n$/,
      absent: ["e"],
    },
  },
  {
    name: "ln missing target",
    program: "ln",
    args: ["nope", "x"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^ln: failed to access 'nope': No such file or directory\n$/,
      absent: ["x"],
    },
  },
  {
    name: "chmod octal",
    program: "chmod",
    args: ["755", "{dir}/a.txt"],
    files: { "a.txt": "a\n" },
    expect: { status: 0, stdout: "", stderrMatch: /^$/ },
  },
  {
    name: "chmod symbolic clauses",
    program: "chmod",
    args: ["u+x,go-w", "{dir}/a.txt", "{dir}/b.txt"],
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    expect: { status: 0, stdout: "", stderrMatch: /^$/ },
  },
  {
    name: "chmod mode that looks like an option",
    program: "chmod",
    args: ["-w", "a.txt"],
    files: { "a.txt": "a\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", stderrMatch: /^$/ },
  },
  {
    name: "chmod -R tree",
    program: "chmod",
    args: ["-R", "a=rX,u+w", "d"],
    files: { "d/e/f.txt": "f\n", "d/g.txt": "g\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", stderrMatch: /^$/ },
  },
  {
    name: "chmod invalid mode",
    program: "chmod",
    args: ["u+q", "a.txt"],
    files: { "a.txt": "a\n" },
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /^chmod: invalid mode: 'u\+q'\n$/ },
  },
  {
    name: "chmod missing file",
    program: "chmod",
    args: ["644", "nope"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^chmod: cannot access 'nope': No such file or directory\n$/,
    },
  },
  {
    name: "chmod missing operand",
    program: "chmod",
    args: ["644"],
    expect: { status: 1, stdout: "", stderrMatch: /^chmod: missing operand after '644'\n$/ },
  },
  {
    name: "touch creates file",
    program: "touch",
    args: ["{dir}/new.txt", "{dir}/a.txt"],
    files: { "a.txt": "a\n" },
    expect: { status: 0, stdout: "", stderrMatch: /^$/, exists: ["new.txt", "a.txt"] },
  },
  {
    name: "touch -c does not create",
    program: "touch",
    args: ["-c", "{dir}/new.txt"],
    expect: { status: 0, stdout: "", stderrMatch: /^$/, absent: ["new.txt"] },
  },
  {
    name: "touch -d @SECONDS",
    program: "touch",
    args: ["-d", "@1000000000", "-m", "a.txt", "b.txt"],
    files: { "a.txt": "a\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", stderrMatch: /^$/, exists: ["a.txt", "b.txt"] },
  },
  {
    name: "touch -a directory",
    program: "touch",
    args: ["-a", "d"],
    dirs: ["d"],
    cwdInDir: true,
    expect: { status: 0, stdout: "", stderrMatch: /^$/ },
  },
  {
    name: "touch invalid date",
    program: "touch",
    args: ["-d", "yesterday", "a.txt"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^touch: invalid date format 'yesterday'\n$/,
      absent: ["a.txt"],
    },
  },
  {
    name: "touch in missing directory",
    program: "touch",
    args: ["nodir/x"],
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^touch: cannot touch 'nodir\/x': No such file or directory\n$/,
      absent: ["nodir"],
    },
  },
  {
    name: "touch missing operand",
    program: "touch",
    args: [],
    expect: { status: 1, stdout: "", stderrMatch: /^touch: missing file operand\n$/ },
  },
  {
    name: "tail default ten lines",
    program: "tail",
    args: ["{dir}/n.txt"],
    files: { "n.txt": "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n" },
    expect: { status: 0, stdout: "3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n" },
  },
  {
    name: "tail -n 2 last line without newline",
    program: "tail",
    args: ["-n", "2", "{dir}/n.txt"],
    files: { "n.txt": "a\nb\nc" },
    expect: { status: 0, stdout: "b\nc" },
  },
  {
    name: "tail -n +3 from a pipe",
    program: "tail",
    args: ["-n", "+3"],
    stdin: "a\nb\nc\nd\n",
    expect: { status: 0, stdout: "c\nd\n" },
  },
  {
    name: "tail -1 of stdin",
    program: "tail",
    args: ["-1"],
    stdin: "x\ny\nz\n",
    expect: { status: 0, stdout: "z\n" },
  },
  {
    name: "tail several files with headers",
    program: "tail",
    args: ["-n", "1", "a.txt", "b.txt"],
    files: { "a.txt": "a1\na2\n", "b.txt": "b1\nb2\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "==> a.txt <==\na2\n\n==> b.txt <==\nb2\n" },
  },
  {
    name: "tail missing file",
    program: "tail",
    args: ["nofile", "a.txt"],
    files: { "a.txt": "a\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "==> a.txt <==\na\n",
      stderrMatch: /tail: cannot open 'nofile' for reading: No such file or directory/,
    },
  },
  {
    name: "tail invalid count",
    program: "tail",
    args: ["-n", "x"],
    stdin: "a\n",
    expect: { status: 1, stdout: "", stderrMatch: /tail: invalid number of lines: 'x'/ },
  },
  {
    name: "tr lower to upper range",
    program: "tr",
    args: ["a-z", "A-Z"],
    stdin: "Hello, World\n",
    expect: { status: 0, stdout: "HELLO, WORLD\n" },
  },
  {
    name: "tr classes upper to lower",
    program: "tr",
    args: ["[:upper:]", "[:lower:]"],
    stdin: "MiXeD 42\n",
    expect: { status: 0, stdout: "mixed 42\n" },
  },
  {
    name: "tr -d digits",
    program: "tr",
    args: ["-d", "[:digit:]"],
    stdin: "a1b22c333\n",
    expect: { status: 0, stdout: "abc\n" },
  },
  {
    name: "tr -s spaces",
    program: "tr",
    args: ["-s", " "],
    stdin: "a   b    c\n",
    expect: { status: 0, stdout: "a b c\n" },
  },
  {
    name: "tr -cs words per line",
    program: "tr",
    args: ["-cs", "[:alpha:]", "\\n"],
    stdin: "one, two;  three\n",
    expect: { status: 0, stdout: "one\ntwo\nthree\n" },
  },
  {
    name: "tr short set2 padded and escapes",
    program: "tr",
    args: ["abc\\t", "x_"],
    stdin: "abc\td\n",
    expect: { status: 0, stdout: "x___d\n" },
  },
  {
    name: "tr missing second set",
    program: "tr",
    args: ["a"],
    stdin: "a\n",
    expect: { status: 1, stdout: "", stderrMatch: /tr: missing operand after 'a'/ },
  },
  {
    name: "tr reversed range",
    program: "tr",
    args: ["z-a", "x"],
    stdin: "a\n",
    expect: { status: 1, stdout: "", stderrMatch: /reverse collating sequence order/ },
  },
  {
    name: "sort bytewise",
    program: "sort",
    args: ["{dir}/s.txt"],
    files: { "s.txt": "banana\nApple\napple\n_x\nCherry\n" },
    expect: { status: 0, stdout: "Apple\nCherry\n_x\napple\nbanana\n" },
  },
  {
    name: "sort -n with negatives and decimals",
    program: "sort",
    args: ["-n"],
    stdin: "10\n-5\n2\n1.5\n1.25\nx\n",
    expect: { status: 0, stdout: "-5\nx\n1.25\n1.5\n2\n10\n" },
  },
  {
    name: "sort -rn",
    program: "sort",
    args: ["-r", "-n"],
    stdin: "3\n20\n100\n",
    expect: { status: 0, stdout: "100\n20\n3\n" },
  },
  {
    name: "sort -u",
    program: "sort",
    args: ["-u"],
    stdin: "b\na\nb\na\nc\n",
    expect: { status: 0, stdout: "a\nb\nc\n" },
  },
  {
    name: "sort -f ties broken bytewise",
    program: "sort",
    args: ["-f"],
    stdin: "b\nB\na\nA\n",
    expect: { status: 0, stdout: "A\na\nB\nb\n" },
  },
  {
    name: "sort -t -k numeric field",
    program: "sort",
    args: ["-t", ":", "-k", "2", "-n", "{dir}/t.txt"],
    files: { "t.txt": "c:3\na:10\nb:2\n" },
    expect: { status: 0, stdout: "b:2\nc:3\na:10\n" },
  },
  {
    name: "sort -k blank separated field, several files",
    program: "sort",
    args: ["-k", "2", "a.txt", "b.txt"],
    files: { "a.txt": "x b\ny a\n", "b.txt": "z c" },
    cwdInDir: true,
    expect: { status: 0, stdout: "y a\nx b\nz c\n" },
  },
  {
    name: "sort missing file",
    program: "sort",
    args: ["nofile"],
    cwdInDir: true,
    expect: {
      status: 2,
      stdout: "",
      stderrMatch: /sort: cannot read: nofile: No such file or directory/,
    },
  },
  {
    name: "sort zero field",
    program: "sort",
    args: ["-k", "0"],
    stdin: "a\n",
    expect: { status: 2, stdout: "", stderrMatch: /sort: field number is zero/ },
  },
  {
    name: "uniq adjacent runs",
    program: "uniq",
    args: ["{dir}/u.txt"],
    files: { "u.txt": "a\na\nb\na\n" },
    expect: { status: 0, stdout: "a\nb\na\n" },
  },
  {
    name: "uniq -c counts",
    program: "uniq",
    args: ["-c"],
    stdin: "x\nx\nx\ny\n",
    expect: { status: 0, stdout: "      3 x\n      1 y\n" },
  },
  {
    name: "uniq -d",
    program: "uniq",
    args: ["-d"],
    stdin: "a\na\nb\nc\nc\n",
    expect: { status: 0, stdout: "a\nc\n" },
  },
  {
    name: "uniq -u",
    program: "uniq",
    args: ["-u"],
    stdin: "a\na\nb\nc\nc\n",
    expect: { status: 0, stdout: "b\n" },
  },
  {
    name: "uniq -i -c",
    program: "uniq",
    args: ["-i", "-c"],
    stdin: "Abc\nabc\nABC\nd",
    expect: { status: 0, stdout: "      3 Abc\n      1 d\n" },
  },
  {
    name: "uniq to output file",
    program: "uniq",
    args: ["in.txt", "out.txt"],
    files: { "in.txt": "q\nq\nr\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "", exists: ["out.txt"] },
  },
  {
    name: "uniq missing input",
    program: "uniq",
    args: ["nofile"],
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /uniq: nofile: No such file or directory/ },
  },
  {
    name: "seq last only",
    program: "seq",
    args: ["3"],
    expect: { status: 0, stdout: "1\n2\n3\n" },
  },
  {
    name: "seq first incr last, negative step",
    program: "seq",
    args: ["10", "-3", "1"],
    expect: { status: 0, stdout: "10\n7\n4\n1\n" },
  },
  {
    name: "seq negative operands",
    program: "seq",
    args: ["-2", "0"],
    expect: { status: 0, stdout: "-2\n-1\n0\n" },
  },
  {
    name: "seq -s separator",
    program: "seq",
    args: ["-s", ",", "4"],
    expect: { status: 0, stdout: "1,2,3,4\n" },
  },
  {
    name: "seq -w equal width",
    program: "seq",
    args: ["-w", "-5", "3", "5"],
    expect: { status: 0, stdout: "-5\n-2\n01\n04\n" },
  },
  {
    name: "seq empty range",
    program: "seq",
    args: ["5", "1"],
    expect: { status: 0, stdout: "" },
  },
  {
    name: "seq non-integer",
    program: "seq",
    args: ["1.5"],
    expect: { status: 1, stdout: "", stderrMatch: /seq: invalid floating point argument: '1\.5'/ },
  },
  {
    name: "seq zero increment",
    program: "seq",
    args: ["1", "0", "3"],
    expect: { status: 1, stdout: "", stderrMatch: /seq: invalid Zero increment value: '0'/ },
  },
  {
    name: "grep basic match with line numbers",
    program: "grep",
    args: ["-n", "o", "{dir}/in.txt"],
    files: { "in.txt": "hello\nabc\nfoo\n" },
    expect: { status: 0, stdout: "1:hello\n3:foo\n" },
  },
  {
    name: "grep no match exits 1",
    program: "grep",
    args: ["zzz", "{dir}/in.txt"],
    files: { "in.txt": "hello\n" },
    expect: { status: 1, stdout: "" },
  },
  {
    name: "grep BRE anchors, class and interval",
    program: "grep",
    args: ["^[[:alpha:]]\\{2\\}[0-9]*$"],
    stdin: "ab123\nabc12\nab\n9ab\n",
    expect: { status: 0, stdout: "ab123\nab\n" },
  },
  {
    name: "grep -E alternation and plus",
    program: "grep",
    args: ["-E", "^(foo|ba+r)$"],
    stdin: "foo\nbaaar\nbr\nfoobar\n",
    expect: { status: 0, stdout: "foo\nbaaar\n" },
  },
  {
    name: "grep -F -i fixed string",
    program: "grep",
    args: ["-F", "-i", "A.B*"],
    stdin: "xa.b*y\naxbb\n",
    expect: { status: 0, stdout: "xa.b*y\n" },
  },
  {
    name: "grep -v -c counts",
    program: "grep",
    args: ["-v", "-c", "x"],
    stdin: "x\ny\nz\n",
    expect: { status: 0, stdout: "2\n" },
  },
  {
    name: "grep -w and -x",
    program: "grep",
    args: ["-w", "-e", "cat", "-e", "dog"],
    stdin: "cat\nconcat\nthe dog ran\ndogs\n",
    expect: { status: 0, stdout: "cat\nthe dog ran\n" },
  },
  {
    name: "grep several files prefix names, missing file exits 2",
    program: "grep",
    args: ["hi", "a.txt", "b.txt", "nope.txt"],
    files: { "a.txt": "hi there\n", "b.txt": "bye\nhi\n" },
    cwdInDir: true,
    expect: {
      status: 2,
      stdout: "a.txt:hi there\nb.txt:hi\n",
      stderrMatch: /grep: nope\.txt: No such file or directory/,
    },
  },
  {
    name: "grep -r -l recursive",
    program: "grep",
    args: ["-r", "-l", "needle", "sub"],
    files: { "sub/a.txt": "hay\n", "sub/deep/b.txt": "a needle\n" },
    dirs: ["sub", "sub/deep"],
    cwdInDir: true,
    expect: { status: 0, stdout: "sub/deep/b.txt\n" },
  },
  {
    name: "grep -q is silent",
    program: "grep",
    args: ["-q", "b"],
    stdin: "a\nb\n",
    expect: { status: 0, stdout: "" },
  },
  {
    name: "grep directory without -r",
    program: "grep",
    args: ["x", "{dir}/sub"],
    dirs: ["sub"],
    expect: { status: 2, stdout: "", stderrMatch: /grep: .*sub: Is a directory/ },
  },
  {
    name: "grep unmatched bracket is an error",
    program: "grep",
    args: ["[ab"],
    stdin: "a\n",
    expect: { status: 2, stdout: "", stderrMatch: /Unmatched \[/ },
  },
  {
    name: "basename strips directories and suffix",
    program: "basename",
    args: ["/usr/lib/libc.so/", ".so"],
    expect: { status: 0, stdout: "libc\n" },
  },
  {
    name: "basename keeps a suffix that is the whole name",
    program: "basename",
    args: [".so", ".so"],
    expect: { status: 0, stdout: ".so\n" },
  },
  {
    name: "basename of slashes is root",
    program: "basename",
    args: ["///"],
    expect: { status: 0, stdout: "/\n" },
  },
  {
    name: "basename -a and -s",
    program: "basename",
    args: ["-s", ".c", "src/a.c", "b.c", "dir/"],
    expect: { status: 0, stdout: "a\nb\ndir\n" },
  },
  {
    name: "basename missing operand",
    program: "basename",
    args: [],
    expect: { status: 1, stdout: "", stderrMatch: /basename: missing operand/ },
  },
  {
    name: "basename extra operand",
    program: "basename",
    args: ["a", "b", "c"],
    expect: { status: 1, stdout: "", stderrMatch: /basename: extra operand 'c'/ },
  },
  {
    name: "dirname of paths",
    program: "dirname",
    args: ["/usr/lib/", "a/b//c", "file", "/top"],
    expect: { status: 0, stdout: "/usr\na/b\n.\n/\n" },
  },
  {
    name: "dirname of root and empty",
    program: "dirname",
    args: ["//", ""],
    expect: { status: 0, stdout: "/\n.\n" },
  },
  {
    name: "dirname missing operand",
    program: "dirname",
    args: [],
    expect: { status: 1, stdout: "", stderrMatch: /dirname: missing operand/ },
  },
  {
    name: "tee copies to stdout and files",
    program: "tee",
    args: ["{dir}/a.txt", "{dir}/b.txt"],
    stdin: "one\ntwo\n",
    files: { "b.txt": "old content that is replaced\n" },
    expect: { status: 0, stdout: "one\ntwo\n", exists: ["a.txt", "b.txt"] },
  },
  {
    name: "tee -a appends",
    program: "tee",
    args: ["-a", "log.txt"],
    stdin: "new\n",
    files: { "log.txt": "old\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "new\n" },
  },
  {
    name: "tee with no files",
    program: "tee",
    args: [],
    stdin: "pass through\n",
    expect: { status: 0, stdout: "pass through\n" },
  },
  {
    name: "tee unopenable file still copies",
    program: "tee",
    args: ["{dir}/missing/x.txt", "{dir}/ok.txt"],
    stdin: "data\n",
    expect: {
      status: 1,
      stdout: "data\n",
      stderrMatch: /tee: .*missing\/x\.txt: No such file or directory/,
      exists: ["ok.txt"],
      absent: ["missing"],
    },
  },
  {
    name: "printf format reused",
    program: "printf",
    args: ["%s=%d\\n", "a", "1", "b", "0x10"],
    expect: { status: 0, stdout: "a=1\nb=16\n" },
  },
  {
    name: "printf flags width precision",
    program: "printf",
    args: ["[%5s|%-4d|%+d|%05d|%.3d|%#x|%#o|%X]\\n", "ab", "7", "3", "-42", "5", "255", "8", "255"],
    expect: { status: 0, stdout: "[   ab|7   |+3|-0042|005|0xff|010|FF]\n" },
  },
  {
    name: "printf star and char code",
    program: "printf",
    args: ["%*d|%.*s|%i|%o\\n", "4", "1", "2", "abcd", "'A", "010"],
    expect: { status: 0, stdout: "   1|ab|65|10\n" },
  },
  {
    name: "printf %b and \\c",
    program: "printf",
    args: ["%b|%s\\n", "x\\ty\\0101\\c", "never"],
    expect: { status: 0, stdout: "x\tyA" },
  },
  {
    name: "printf escapes and 64-bit unsigned",
    program: "printf",
    args: ["\\101\\t%u %x %% %c\\n", "-1", "-1", "hello"],
    expect: { status: 0, stdout: "A\t18446744073709551615 ffffffffffffffff % h\n" },
  },
  {
    name: "printf bad number",
    program: "printf",
    args: ["%d-%d\\n", "12", "x"],
    expect: { status: 1, stdout: "12-0\n", stderrMatch: /printf: 'x': expected a numeric value/ },
  },
  {
    name: "printf floating point refused",
    program: "printf",
    args: ["%.2f\\n", "1"],
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /printf: %\.2f: floating point is not supported/,
    },
  },
  {
    name: "cut -b list",
    program: "cut",
    args: ["-b", "1-2,4-", "{dir}/a.txt"],
    files: { "a.txt": "abcdef\nxy\n" },
    expect: { status: 0, stdout: "abdef\nxy\n" },
  },
  {
    name: "cut -c to position, last line unterminated",
    program: "cut",
    args: ["-c", "-3"],
    stdin: "hello\nworld",
    expect: { status: 0, stdout: "hel\nwor\n" },
  },
  {
    name: "cut -f -d",
    program: "cut",
    args: ["-d", ":", "-f", "3,1"],
    stdin: "a:b:c\nplain\n",
    expect: { status: 0, stdout: "a:c\nplain\n" },
  },
  {
    name: "cut -s open range",
    program: "cut",
    args: ["-s", "-d", ":", "-f", "2-"],
    stdin: "a:b:c\nplain\n",
    expect: { status: 0, stdout: "b:c\n" },
  },
  {
    name: "cut -f default tab",
    program: "cut",
    args: ["-f", "2"],
    stdin: "1\t2\t3\nx\ty\n",
    expect: { status: 0, stdout: "2\ny\n" },
  },
  {
    name: "cut missing file",
    program: "cut",
    args: ["-b", "1", "{dir}/nope", "{dir}/a.txt"],
    files: { "a.txt": "xyz\n" },
    expect: { status: 1, stdout: "x\n", stderrMatch: /cut: .*nope: No such file or directory/ },
  },
  {
    name: "cut no list",
    program: "cut",
    args: [],
    expect: { status: 1, stderrMatch: /cut: you must specify a list of bytes, characters/ },
  },
  {
    name: "cut decreasing range",
    program: "cut",
    args: ["-f", "3-1"],
    expect: { status: 1, stderrMatch: /cut: invalid decreasing range/ },
  },
  {
    name: "xargs default echo",
    program: "xargs",
    args: [],
    stdin: "a b\n  c\n",
    expect: { status: 0, stdout: "a b c\n" },
  },
  {
    name: "xargs -n",
    program: "xargs",
    args: ["-n", "2", "echo", "x"],
    stdin: "1 2 3\n",
    expect: { status: 0, stdout: "x 1 2\nx 3\n" },
  },
  {
    name: "xargs quotes and backslash",
    program: "xargs",
    args: ["-n", "1"],
    stdin: "'a b' \"c d\" e\\ f\n",
    expect: { status: 0, stdout: "a b\nc d\ne f\n" },
  },
  {
    name: "xargs -I",
    program: "xargs",
    args: ["-I", "{}", "echo", "[{}]", "{}.txt"],
    stdin: "one\n  two three\n\n",
    expect: { status: 0, stdout: "[one] one.txt\n[two three] two three.txt\n" },
  },
  {
    name: "xargs -0",
    program: "xargs",
    args: ["-0", "-n", "1", "echo"],
    stdin: "a b\u0000c\u0000",
    expect: { status: 0, stdout: "a b\nc\n" },
  },
  {
    name: "xargs -t",
    program: "xargs",
    args: ["-t", "echo", "hi"],
    stdin: "x 'y z'\n",
    expect: { status: 0, stdout: "hi x y z\n", stderrMatch: /^echo hi x 'y z'\n$/ },
  },
  {
    name: "xargs empty input runs once",
    program: "xargs",
    args: ["echo", "hi"],
    stdin: "\n",
    expect: { status: 0, stdout: "hi\n" },
  },
  {
    name: "xargs -r empty input",
    program: "xargs",
    args: ["-r", "echo", "hi"],
    stdin: "\n",
    expect: { status: 0, stdout: "" },
  },
  {
    name: "xargs command fails",
    program: "xargs",
    args: ["false"],
    stdin: "x\n",
    expect: { status: 123, stdout: "" },
  },
  {
    name: "xargs command exits 255",
    program: "xargs",
    args: ["sh", "-c", "exit 255"],
    stdin: "a\n",
    expect: { status: 124, stdout: "", stderrMatch: /xargs: sh: exited with status 255; aborting/ },
  },
  {
    name: "xargs command not found",
    program: "xargs",
    args: ["{dir}/nosuch"],
    stdin: "x\n",
    expect: { status: 127, stderrMatch: /xargs: .*nosuch: No such file or directory/ },
  },
  {
    name: "xargs command not runnable",
    program: "xargs",
    args: ["{dir}/a.txt"],
    files: { "a.txt": "data\n" },
    stdin: "x\n",
    expect: { status: 126, stderrMatch: /xargs: .*a\.txt: / },
  },
  {
    name: "xargs unmatched quote",
    program: "xargs",
    args: ["echo"],
    stdin: "a 'b\n",
    expect: { status: 1, stdout: "a\n", stderrMatch: /xargs: unmatched single quote/ },
  },
  {
    name: "find walks parents before children",
    program: "find",
    args: ["{dir}/t"],
    files: { "t/s/f": "x\n" },
    dirs: ["t/s/e"],
    expect: {
      status: 0,
      stdoutMatch:
        /^{dir}\/t\n{dir}\/t\/s\n({dir}\/t\/s\/e\n{dir}\/t\/s\/f\n|{dir}\/t\/s\/f\n{dir}\/t\/s\/e\n)$/,
    },
  },
  {
    name: "find -name glob and -type",
    program: "find",
    args: [".", "-name", "*.c", "-type", "f"],
    files: { "t/b.txt": "b\n", "t/a.h": "a\n", "t/sub/c.c": "" },
    dirs: ["t/d.c"],
    cwdInDir: true,
    expect: { status: 0, stdout: "./t/sub/c.c\n" },
  },
  {
    name: "find -maxdepth, -o, ! and parentheses",
    program: "find",
    args: [
      "t",
      "-maxdepth",
      "1",
      "(",
      "-name",
      "*.c",
      "-o",
      "-name",
      "?.txt",
      ")",
      "!",
      "-name",
      "a*",
    ],
    files: { "t/b.txt": "b\n", "t/a.txt": "a\n", "t/ab.txt": "", "t/x/c.txt": "" },
    cwdInDir: true,
    expect: { status: 0, stdout: "t/b.txt\n" },
  },
  {
    name: "find -size",
    program: "find",
    // -type f: a directory's size depends on the file system (4096 on ext4, small on tmpfs).
    args: ["t", "-type", "f", "-size", "+1c", "-size", "-2k"],
    files: { "t/big": "0123456789", "t/one": "x", "t/zero": "" },
    cwdInDir: true,
    expect: { status: 0, stdout: "t/big\n" },
  },
  {
    name: "find -empty",
    program: "find",
    args: ["t", "-empty"],
    files: { "t/one": "x" },
    dirs: ["t/hollow"],
    cwdInDir: true,
    expect: { status: 0, stdout: "t/hollow\n" },
  },
  {
    name: "find -exec runs a command per file",
    program: "find",
    args: ["t", "-exec", "echo", "got", "{}", ";"],
    files: { "t/s/f": "x" },
    cwdInDir: true,
    expect: { status: 0, stdout: "got t\ngot t/s\ngot t/s/f\n" },
  },
  {
    name: "find -delete removes matches",
    program: "find",
    args: ["t", "-name", "*.tmp", "-delete"],
    files: { "t/a.tmp": "", "t/keep.txt": "k\n", "t/sub/b.tmp": "" },
    dirs: ["t", "t/sub"],
    cwdInDir: true,
    expect: {
      status: 0,
      stdout: "",
      exists: ["t/keep.txt", "t/sub"],
      absent: ["t/a.tmp", "t/sub/b.tmp"],
    },
  },
  {
    name: "find missing path",
    program: "find",
    args: ["nope", "a"],
    files: { "a": "" },
    cwdInDir: true,
    expect: { status: 1, stdout: "a\n", stderrMatch: /find: .nope.: No such file or directory/ },
  },
  {
    name: "find unknown predicate",
    program: "find",
    args: [".", "-bogus"],
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /unknown predicate `-bogus'/ },
  },
  {
    name: "stat -c size, mode and type",
    program: "stat",
    args: ["-c", "%n|%s|%a|%A|%F|%h", "{dir}/f.txt", "{dir}/empty"],
    files: { "f.txt": "hello\n", "empty": "" },
    expect: {
      status: 0,
      stdout:
        "{dir}/f.txt|6|644|-rw-r--r--|regular file|1\n{dir}/empty|0|644|-rw-r--r--|regular empty file|1\n",
    },
  },
  {
    name: "stat -c directory type, widths and %%",
    program: "stat",
    args: ["-c", "[%-6a] %05a %F 100%%", "d"],
    dirs: ["d"],
    cwdInDir: true,
    expect: { status: 0, stdout: "[755   ] 00755 directory 100%\n" },
  },
  {
    name: "stat -c %N quotes names",
    program: "stat",
    args: ["-c", "%N %n", "a b", "plain"],
    files: { "a b": "", "plain": "x" },
    cwdInDir: true,
    expect: { status: 0, stdout: "'a b' a b\n'plain' plain\n" },
  },
  {
    name: "stat default layout",
    program: "stat",
    args: ["f.txt"],
    files: { "f.txt": "hello\n" },
    cwdInDir: true,
    expect: {
      status: 0,
      stdoutMatch:
        /^ {2}File: f\.txt\n {2}Size: 6 {9}\tBlocks: \d+ +IO Block: \d+ +regular file\nDevice: \d+,\d+\tInode: \d+ +Links: 1\nAccess: \(0644\/-rw-r--r--\) {2}Uid: \( *\d+\/ *\S+\) {3}Gid: \( *\d+\/ *\S+\)\nAccess: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\nModify: .*\nChange: .*\n Birth: .*\n$/,
    },
  },
  {
    name: "stat missing file",
    program: "stat",
    args: ["-c", "%s", "nope", "f"],
    files: { "f": "abc" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "3\n",
      stderrMatch: /stat: cannot stat.*'nope': No such file or directory/,
    },
  },
  {
    name: "stat missing operand",
    program: "stat",
    args: [],
    expect: { status: 1, stdout: "", stderrMatch: /stat: missing operand/ },
  },
  {
    name: "hexdump -C canonical layout",
    program: "hexdump",
    args: ["-C", "{dir}/a"],
    files: { "a": "hello world, this is hexdump\n" },
    expect: {
      status: 0,
      stdout: "00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  |hello world, thi|\n" +
        "00000010  73 20 69 73 20 68 65 78  64 75 6d 70 0a           |s is hexdump.|\n" +
        "0000001d\n",
    },
  },
  {
    name: "hexdump -C squeezes repeated lines",
    program: "hexdump",
    args: ["-C"],
    stdin: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
    expect: {
      status: 0,
      stdout: "00000000  61 61 61 61 61 61 61 61  61 61 61 61 61 61 61 61  |aaaaaaaaaaaaaaaa|\n" +
        "*\n" +
        "00000030  62                                                |b|\n" +
        "00000031\n",
    },
  },
  {
    name: "hexdump default 16-bit words",
    program: "hexdump",
    args: ["{dir}/a"],
    files: { "a": "abc" },
    expect: { status: 0, stdout: "0000000 6261 0063                              \n0000003\n" },
  },
  {
    name: "hexdump -s and -n across files",
    program: "hexdump",
    args: ["-C", "-s", "2", "-n", "3", "a", "b"],
    files: { "a": "abc", "b": "defg" },
    cwdInDir: true,
    expect: {
      status: 0,
      stdout: "00000002  63 64 65                                          |cde|\n00000005\n",
    },
  },
  {
    name: "hexdump empty input",
    program: "hexdump",
    args: ["-C"],
    stdin: "",
    expect: { status: 0, stdout: "" },
  },
  {
    name: "hexdump missing file",
    program: "hexdump",
    args: ["-C", "nope", "a"],
    files: { "a": "hi" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "00000000  68 69                                             |hi|\n00000002\n",
      stderrMatch: /hexdump: nope: No such file or directory/,
    },
  },
  {
    name: "hexdump bad length",
    program: "hexdump",
    args: ["-n", "x1", "a"],
    files: { "a": "hi" },
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /hexdump: failed to parse length: 'x1'/ },
  },
  {
    name: "free default layout",
    program: "free",
    args: [],
    expect: {
      status: 0,
      stdoutMatch:
        /^ {15}total {8}used {8}free {6}shared {2}buff\/cache {3}available\nMem: +\d+ +\d+ +\d+ +\d+ +\d+ +\d+\nSwap: +\d+ +\d+ +\d+\n$/,
    },
  },
  {
    name: "free -m",
    program: "free",
    args: ["-m"],
    expect: {
      status: 0,
      stdoutMatch: /^ {15}total .* available\nMem:( +\d+){6}\nSwap:( +\d+){3}\n$/,
    },
  },
  {
    name: "free -h",
    program: "free",
    args: ["-h"],
    expect: {
      status: 0,
      stdoutMatch:
        /^ {15}total .* available\nMem:( +\d+(\.\d)?(B|[KMGTPE]i)){6}\nSwap:( +\d+(\.\d)?(B|[KMGTPE]i)){3}\n$/,
    },
  },
  {
    name: "free two units",
    program: "free",
    args: ["-b", "-m"],
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^free: Multiple unit options don't make sense\.\n$/,
    },
  },
  {
    name: "free bad option",
    program: "free",
    args: ["-z"],
    expect: { status: 1, stdout: "", stderrMatch: /^free: invalid option -- 'z'\n/ },
  },
  {
    name: "free operand",
    program: "free",
    args: ["extra"],
    expect: { status: 1, stdout: "" },
  },
  {
    name: "uptime line",
    program: "uptime",
    args: [],
    expect: {
      status: 0,
      stdoutMatch:
        /^ \d\d:\d\d:\d\d up (\d+ days?, )?( ?\d+:\d\d|\d+ min), +\d+ users?, +load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/,
    },
  },
  {
    name: "uptime -p",
    program: "uptime",
    args: ["-p"],
    expect: {
      status: 0,
      stdoutMatch:
        /^up \d+ (decade|year|week|day|hour|minute)s?(, \d+ (year|week|day|hour|minute)s?)*\n$/,
    },
  },
  {
    name: "uptime -s",
    program: "uptime",
    args: ["-s"],
    expect: { status: 0, stdoutMatch: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/ },
  },
  {
    name: "uptime bad option",
    program: "uptime",
    args: ["-x"],
    expect: { status: 1, stdout: "", stderrMatch: /^uptime: invalid option -- 'x'\n/ },
  },
  {
    name: "uptime operand",
    program: "uptime",
    args: ["extra"],
    expect: { status: 1, stdout: "" },
  },
  {
    name: "id default",
    program: "id",
    args: [],
    expect: {
      status: 0,
      stdoutMatch:
        /^uid=\d+(\([^)]*\))? gid=\d+(\([^)]*\))?( euid=\d+(\([^)]*\))?)?( egid=\d+(\([^)]*\))?)? groups=\d+(\([^)]*\))?(,\d+(\([^)]*\))?)*\n$/,
    },
  },
  { name: "id -u", program: "id", args: ["-u"], expect: { status: 0, stdoutMatch: /^\d+\n$/ } },
  { name: "id -g", program: "id", args: ["-g"], expect: { status: 0, stdoutMatch: /^\d+\n$/ } },
  {
    name: "id -G",
    program: "id",
    args: ["-G"],
    expect: { status: 0, stdoutMatch: /^\d+( \d+)*\n$/ },
  },
  {
    name: "id -n alone",
    program: "id",
    args: ["-n"],
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^id: cannot print only names or real IDs in default format\n$/,
    },
  },
  {
    name: "id two choices",
    program: "id",
    args: ["-u", "-g"],
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /^id: cannot print "only" of more than one choice\n$/,
    },
  },
  {
    name: "id unknown user",
    program: "id",
    args: ["no_such_user_zq"],
    expect: { status: 1, stdout: "", stderrMatch: /^id: 'no_such_user_zq': no such user\n$/ },
  },
  {
    name: "id bad option",
    program: "id",
    args: ["-x"],
    expect: { status: 1, stdout: "", stderrMatch: /^id: invalid option -- 'x'\n/ },
  },
  {
    name: "yes bad option",
    program: "yes",
    args: ["-n"],
    expect: { status: 1, stdout: "", stderrMatch: /^yes: invalid option -- 'n'\n$/ },
  },
  { name: "which no names", program: "which", args: [], expect: { status: 1, stdout: "" } },
  {
    name: "which missing name",
    program: "which",
    args: ["no_such_program_zq"],
    expect: { status: 1, stdout: "" },
  },
  {
    name: "which -a missing names",
    program: "which",
    args: ["-a", "no_such_zq1", "no_such_zq2"],
    expect: { status: 1, stdout: "" },
  },
  {
    name: "which path not executable",
    program: "which",
    args: ["{dir}/a.txt"],
    files: { "a.txt": "text\n" },
    expect: { status: 1, stdout: "" },
  },
  {
    name: "which path is a directory",
    program: "which",
    args: ["{dir}/sub"],
    dirs: ["sub"],
    expect: { status: 1, stdout: "" },
  },
  {
    name: "which bad option",
    program: "which",
    args: ["-x", "sh"],
    expect: { status: 2, stdout: "", stderrMatch: /^which: invalid option -- 'x'\n/ },
  },
  {
    name: "cmp same",
    program: "cmp",
    args: ["a", "b"],
    files: { "a": "abc\ndef\n", "b": "abc\ndef\n" },
    cwdInDir: true,
    expect: { status: 0, stdout: "" },
  },
  {
    name: "cmp differ",
    program: "cmp",
    args: ["{dir}/a", "{dir}/b"],
    files: { "a": "abc\ndef\n", "b": "abc\ndxf\n" },
    expect: { status: 1, stdout: "{dir}/a {dir}/b differ: byte 6, line 2\n" },
  },
  {
    name: "cmp EOF",
    program: "cmp",
    args: ["a", "c"],
    files: { "a": "abc\ndef\n", "c": "abc\n" },
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /^cmp: EOF on c after byte 4, line 1\n$/ },
  },
  {
    name: "cmp EOF in line",
    program: "cmp",
    args: ["x", "y"],
    files: { "x": "abc", "y": "abcd" },
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /^cmp: EOF on x after byte 3, in line 1\n$/ },
  },
  {
    name: "cmp empty file",
    program: "cmp",
    args: ["a", "e"],
    files: { "a": "abc\n", "e": "" },
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /^cmp: EOF on e which is empty\n$/ },
  },
  {
    name: "cmp -l",
    program: "cmp",
    args: ["-l", "a", "d"],
    files: { "a": "abc\ndef\n", "d": "abX\ndxfZZ\n" },
    cwdInDir: true,
    expect: {
      status: 1,
      stdout: "3 143 130\n6 145 170\n8  12 132\n",
      stderrMatch: /^cmp: EOF on a after byte 8\n$/,
    },
  },
  {
    name: "cmp -s",
    program: "cmp",
    args: ["-s", "a", "b"],
    files: { "a": "abc\n", "b": "abd\n" },
    cwdInDir: true,
    expect: { status: 1, stdout: "", stderrMatch: /^$/ },
  },
  {
    name: "cmp stdin and skips",
    program: "cmp",
    args: ["a", "-", "4", "4"],
    files: { "a": "abc\ndef\n" },
    stdin: "xyz\ndxf\n",
    cwdInDir: true,
    expect: { status: 1, stdout: "a - differ: byte 2, line 1\n" },
  },
  {
    name: "cmp missing file",
    program: "cmp",
    args: ["a", "nope"],
    files: { "a": "abc\n" },
    cwdInDir: true,
    expect: { status: 2, stdout: "", stderrMatch: /^cmp: nope: No such file or directory\n$/ },
  },
  {
    name: "cmp -l with -s",
    program: "cmp",
    args: ["-l", "-s", "a", "a"],
    files: { "a": "abc\n" },
    cwdInDir: true,
    expect: { status: 2, stdout: "", stderrMatch: /^cmp: options -l and -s are incompatible\n/ },
  },
  ...TEXT_TOOL_CASES,
];

/**
 * The CPU benchmark programs with N = 5 and the checksum each prints (the
 * same from the host build of the source: `deno task compare` checks that too).
 */
const CPU_BENCH_CASES: readonly InteropCase[] = [
  ["bench_int", "cf9e6736"],
  ["bench_mem", "9dd8d8d5"],
  ["bench_branch", "0054a56b"],
  ["bench_calls", "0000ddb4"],
  ["bench_interp", "f63c137c"],
  ["bench_mix", "5481"],
].map(([program, sum]): InteropCase => ({
  name: `${program} 5`,
  program,
  args: ["5"],
  expect: { status: 0, stdout: `ok 5 ${sum}\n` },
}));

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
]).concat(CPU_BENCH_CASES);

/** The libc self-checks (`userland/libc/tests/test_libc.c`, `test_libc_posix.c`). */
export const LIBC_CASES: readonly InteropCase[] = [
  {
    name: "test_libc",
    program: "test_libc",
    args: ["{dir}"],
    expect: { status: 0, stdoutMatch: /^test_libc: ok \d+\n$/ },
  },
  {
    name: "test_libc_posix",
    program: "test_libc_posix",
    args: ["{dir}"],
    expect: { status: 0, stdoutMatch: /^test_libc_posix: ok \d+\n$/ },
  },
];

/** Self-checking test programs that qemu-riscv32 cannot run, with the reason. */
export const STRATA_ONLY_TEST_PROGRAMS: Readonly<Record<string, string>> = {
  test_robust: "qemu-riscv32's user mode answers set_robust_list with ENOSYS",
};

/**
 * Cases for the self-checking `test_*` programs found among `programs`
 * (built names): each gets the scratch directory as argv[1] and must exit 0.
 * `test_libc` and `test_libc_posix` have their own stricter cases in {@link LIBC_CASES}.
 */
export function testProgramCases(programs: readonly string[]): InteropCase[] {
  const own = new Set(LIBC_CASES.map((c) => c.program));
  return programs
    .filter((p) => p.startsWith("test_") && !own.has(p))
    .map((program): InteropCase => {
      const reason = STRATA_ONLY_TEST_PROGRAMS[program];
      const c: InteropCase = { name: program, program, args: ["{dir}"], expect: { status: 0 } };
      return reason === undefined ? c : { ...c, only: "strata", reason };
    });
}

/** Every case for the programs in `programs` (built names), in a stable order. */
export function allCases(programs: readonly string[]): InteropCase[] {
  const have = new Set(programs);
  return [...UTILITY_CASES, ...BENCH_CASES, ...LIBC_CASES, ...testProgramCases(programs)].filter(
    (c) => have.has(c.program),
  );
}
