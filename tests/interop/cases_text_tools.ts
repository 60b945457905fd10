/**
 * Interop cases for the text tools and small utilities added with the line
 * editor: sed, diff, more, vi, head -c, readlink, whoami, clear, time, and
 * `--help` on every utility. Expected outputs are GNU's (sed 4.8, diffutils
 * 3.8, coreutils) for the same arguments; they are part of
 * `UTILITY_CASES` in `cases.ts`, so both the qemu-riscv32 and the Strata
 * runners check them.
 * @module
 */
import type { InteropCase } from "./cases.ts";
import { UTILITIES } from "../../userland/mod.ts";

const TEXT = "hello world\nfoo bar baz\nabc abc abc\nline4\n";

/** Cases whose expected output was produced by the GNU tools. */
const GNU_CASES: readonly InteropCase[] = [
  {
    name: "sed s///g",
    program: "sed",
    args: ["s/o/0/g"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "hell0 w0rld\nf00 bar baz\nabc abc abc\nline4\n" },
  },
  {
    name: "sed s Nth match and &",
    program: "sed",
    args: ["s/abc/[&]/2"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "hello world\nfoo bar baz\nabc [abc] abc\nline4\n" },
  },
  {
    name: "sed -n range p",
    program: "sed",
    args: ["-n", "/foo/,/abc/p", "{dir}/a.txt"],
    files: { "a.txt": "hello world\nfoo bar baz\nabc abc abc\nline4\n" },
    expect: { status: 0, stdout: "foo bar baz\nabc abc abc\n" },
  },
  {
    name: "sed -e groups and \\1",
    program: "sed",
    args: ["-e", "s/\\(hel\\)lo/\\1p/", "-e", "s/ba\\(.\\)/<\\1>/g"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "help world\nfoo <r> <z>\nabc abc abc\nline4\n" },
  },
  {
    name: "sed -E alternation and +",
    program: "sed",
    args: ["-E", "s/(a|b)+/<&>/g"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "hello world\nfoo <ba>r <ba>z\n<ab>c <ab>c <ab>c\nline4\n" },
  },
  {
    name: "sed d with $ and !",
    program: "sed",
    args: ["$d;/abc/!s/^/> /"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "> hello world\n> foo bar baz\nabc abc abc\n" },
  },
  {
    name: "sed line addresses, step, +N",
    program: "sed",
    args: ["-n", "1~2p;3,+1="],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "hello world\nabc abc abc\n3\n4\n" },
  },
  {
    name: "sed y a i c",
    program: "sed",
    args: ["y/abc/XYZ/;1i top\n2a after\n4c changed"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "top\nhello world\nfoo YXr YXz\nafter\nXYZ XYZ XYZ\nchanged\n" },
  },
  {
    name: "sed hold space (tac)",
    program: "sed",
    args: ["1!G;h;$!d"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "line4\nabc abc abc\nfoo bar baz\nhello world\n" },
  },
  {
    name: "sed N P D and join",
    program: "sed",
    args: [":a;N;$!ba;s/\\n/,/g"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "hello world,foo bar baz,abc abc abc,line4\n" },
  },
  {
    name: "sed q with status",
    program: "sed",
    args: ["2q5"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 5, stdout: "hello world\nfoo bar baz\n" },
  },
  {
    name: "sed l",
    program: "sed",
    args: ["-n", "l"],
    stdin: "tab\there\u0001\n",
    expect: { status: 0, stdout: "tab\\there\\001$\n" },
  },
  {
    name: "sed no final newline kept",
    program: "sed",
    args: ["p"],
    stdin: "no newline",
    expect: { status: 0, stdout: "no newline\nno newline" },
  },
  {
    name: "sed unknown command",
    program: "sed",
    args: ["k"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /sed: -e expression #1, char 1: unknown command: `k'/,
    },
  },
  {
    name: "sed unterminated s",
    program: "sed",
    args: ["s/a/b"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: {
      status: 1,
      stdout: "",
      stderrMatch: /sed: -e expression #1, char 5: unterminated `s' command/,
    },
  },
  {
    name: "sed missing file",
    program: "sed",
    args: ["p", "{dir}/nope"],
    expect: {
      status: 2,
      stdout: "",
      stderrMatch: /sed: can't read {dir}\/nope: No such file or directory/,
    },
  },
  {
    name: "diff same",
    program: "diff",
    args: ["{dir}/a", "{dir}/b"],
    files: {
      "a": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
      "b": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
    },
    expect: { status: 0, stdout: "" },
  },
  {
    name: "diff normal format",
    program: "diff",
    args: ["{dir}/a", "{dir}/b"],
    files: {
      "a": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
      "b": "a\nB\nc\nd\ne\nf\ng\nh\nx\ni\nj\nk\nl\nm",
    },
    expect: {
      status: 1,
      stdout: "2c2\n< b\n---\n> B\n8a9\n> x\n13c14\n< m\n---\n> m\n\\ No newline at end of file\n",
    },
  },
  {
    name: "diff -u with labels",
    program: "diff",
    args: ["-u", "-L", "old", "-L", "new", "{dir}/a", "{dir}/b"],
    files: {
      "a": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
      "b": "a\nB\nc\nd\ne\nf\ng\nh\nx\ni\nj\nk\nl\nm",
    },
    expect: {
      status: 1,
      stdout:
        "--- old\n+++ new\n@@ -1,13 +1,14 @@\n a\n-b\n+B\n c\n d\n e\n f\n g\n h\n+x\n i\n j\n k\n l\n-m\n+m\n\\ No newline at end of file\n",
    },
  },
  {
    name: "diff -U1",
    program: "diff",
    args: ["-U1", "-L", "old", "-L", "new", "{dir}/a", "{dir}/b"],
    files: {
      "a": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
      "b": "a\nB\nc\nd\ne\nf\ng\nh\nx\ni\nj\nk\nl\nm",
    },
    expect: {
      status: 1,
      stdout:
        "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -8,2 +8,3 @@\n h\n+x\n i\n@@ -12,2 +13,2 @@\n l\n-m\n+m\n\\ No newline at end of file\n",
    },
  },
  {
    name: "diff -u add to empty",
    program: "diff",
    args: ["-u", "-L", "a", "-L", "b", "{dir}/a", "{dir}/b"],
    files: { "a": "", "b": "one\ntwo\n" },
    expect: { status: 1, stdout: "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+one\n+two\n" },
  },
  {
    name: "diff -q",
    program: "diff",
    args: ["-q", "{dir}/a", "{dir}/b"],
    files: {
      "a": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
      "b": "a\nB\nc\nd\ne\nf\ng\nh\nx\ni\nj\nk\nl\nm",
    },
    expect: { status: 1, stdout: "Files {dir}/a and {dir}/b differ\n" },
  },
  {
    name: "diff missing file",
    program: "diff",
    args: ["{dir}/a", "{dir}/nope"],
    files: { "a": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n" },
    expect: {
      status: 2,
      stdout: "",
      stderrMatch: /diff: {dir}\/nope: No such file or directory/,
    },
  },
  {
    name: "head -c",
    program: "head",
    args: ["-c", "7", "{dir}/a.txt"],
    files: { "a.txt": "hello world\nfoo bar baz\nabc abc abc\nline4\n" },
    expect: { status: 0, stdout: "hello w" },
  },
  {
    name: "head -c -N",
    program: "head",
    args: ["-c", "-8"],
    stdin: "hello world\nfoo bar baz\nabc abc abc\nline4\n",
    expect: { status: 0, stdout: "hello world\nfoo bar baz\nabc abc ab" },
  },
  {
    name: "head -c two files",
    program: "head",
    args: ["-c", "3", "{dir}/a", "{dir}/b"],
    files: { "a": "12345", "b": "abcdef" },
    expect: { status: 0, stdout: "==> {dir}/a <==\n123\n==> {dir}/b <==\nabc" },
  },
  {
    name: "readlink -f dot-dot",
    program: "readlink",
    args: ["-f", "{dir}/d/../a.txt"],
    files: { "a.txt": "x" },
    dirs: ["d"],
    expect: { status: 0, stdout: "{dir}/a.txt\n" },
  },
  {
    name: "readlink -f missing directory",
    program: "readlink",
    args: ["-f", "{dir}/nodir/../a.txt"],
    files: { "a.txt": "x" },
    expect: { status: 1, stdout: "" },
  },
  {
    name: "readlink not a link",
    program: "readlink",
    args: ["{dir}/a.txt"],
    files: { "a.txt": "x" },
    expect: { status: 1, stdout: "" },
  },
  {
    name: "readlink -m missing",
    program: "readlink",
    args: ["-m", "{dir}/no/such/./x"],
    expect: { status: 0, stdout: "{dir}/no/such/x\n" },
  },
  {
    name: "readlink -e missing",
    program: "readlink",
    args: ["-e", "{dir}/nosuch"],
    expect: { status: 1, stdout: "" },
  },
  {
    name: "more not a terminal: cat with headers",
    program: "more",
    args: ["{dir}/a", "{dir}/b"],
    files: { "a": "A\n", "b": "B\n" },
    expect: {
      status: 0,
      stdout:
        "::::::::::::::\n{dir}/a\n::::::::::::::\nA\n::::::::::::::\n{dir}/b\n::::::::::::::\nB\n",
    },
  },
];

/** Cases written by hand (effects on files, host-dependent output, --help). */
const OTHER_CASES: readonly InteropCase[] = [
  {
    name: "sed -i with a backup suffix",
    program: "sed",
    args: ["-i.bak", "-e", "s/foo/FOO/", "{dir}/a.txt"],
    files: { "a.txt": TEXT },
    expect: {
      status: 0,
      stdout: "",
      contents: { "a.txt": TEXT.replace("foo", "FOO"), "a.txt.bak": TEXT },
    },
  },
  {
    name: "sed -s with $ per file and -f script",
    program: "sed",
    args: ["-s", "-f", "{dir}/script", "{dir}/a", "{dir}/b"],
    files: { script: "$s/$/ (last)/\n", a: "1\n2\n", b: "3\n" },
    expect: { status: 0, stdout: "1\n2 (last)\n3 (last)\n" },
  },
  {
    name: "diff -u headers carry the modification time",
    program: "diff",
    args: ["-u", "{dir}/a", "{dir}/b"],
    files: { a: "x\n", b: "y\n" },
    expect: {
      status: 1,
      stdoutMatch:
        /^--- {dir}\/a\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}\n\+\+\+ {dir}\/b\t.*\n@@ -1 \+1 @@\n-x\n\+y\n$/,
    },
  },
  {
    name: "diff no newline at end",
    program: "diff",
    args: ["-u", "-L", "a", "-L", "b", "{dir}/a", "{dir}/b"],
    files: { a: "x\ny", b: "x\ny\n" },
    expect: {
      status: 1,
      stdout: "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n",
    },
  },
  {
    name: "clear",
    program: "clear",
    args: [],
    expect: { status: 0, stdout: "\x1b[H\x1b[2J\x1b[3J" },
  },
  {
    name: "clear -x keeps the scrollback",
    program: "clear",
    args: ["-x"],
    expect: { status: 0, stdout: "\x1b[H\x1b[2J" },
  },
  {
    name: "time -p",
    program: "time",
    args: ["-p", "true"],
    expect: {
      status: 0,
      stdout: "",
      stderrMatch: /^real \d+\.\d\d\nuser \d+\.\d\d\nsys \d+\.\d\d\n$/,
    },
  },
  {
    name: "time of a failing command",
    program: "time",
    args: ["false"],
    expect: {
      status: 1,
      stdout: "",
      stderrMatch:
        /^Command exited with non-zero status 1\n\d+\.\d\duser \d+\.\d\dsystem \d+:\d\d\.\d\delapsed \d+%CPU\n$/,
    },
  },
  {
    name: "time of a missing command",
    program: "time",
    args: ["/nonexistent/cmd"],
    expect: {
      status: 127,
      stdout: "",
      stderrMatch: /^time: cannot run \/nonexistent\/cmd: No such file or directory\n/,
    },
  },
  {
    name: "whoami (host user database)",
    program: "whoami",
    args: [],
    expect: { status: 0, stdoutMatch: /^[A-Za-z_][\w.-]*\n$/ },
    only: "qemu",
    reason: "the host has /etc/passwd; Strata has no user database",
  },
  {
    name: "whoami without a user database",
    program: "whoami",
    args: [],
    expect: { status: 1, stdout: "", stderrMatch: /^whoami: cannot find name for user ID 0\n$/ },
    only: "strata",
    reason: "Strata has no /etc/passwd (a host has one)",
  },
  {
    name: "top -b -n 1",
    program: "top",
    args: ["-b", "-n", "1"],
    expect: {
      status: 0,
      stdoutMatch:
        /^top - \d\d:\d\d:\d\d up .*load average: .*\nTasks: +\d+ total, +\d+ running, +\d+ sleeping, +\d+ stopped, +\d+ zombie\nMiB Mem : +\d+\.\d total, +\d+\.\d free, +\d+\.\d used, +\d+\.\d buff\/cache\n\n {2}PID USER {6}PR {2}NI {4}VIRT {4}RES S {2}%CPU {2}%MEM {5}TIME\+ COMMAND\n( *\d+ \S+ +-?\d+ +-?\d+ +\d+ +\d+ \w +\d+\.\d +\d+\.\d +\d+:\d\d\.\d\d .*\n)+$/,
    },
  },
  {
    name: "top bad delay",
    program: "top",
    args: ["-d", "x"],
    expect: { status: 1, stdout: "", stderrMatch: /^top: bad delay interval 'x'\n$/ },
  },
  {
    name: "vi needs a terminal",
    program: "vi",
    args: ["{dir}/f"],
    expect: { status: 1, stdout: "", stderrMatch: /^vi: standard input is not a terminal\n$/ },
  },
  {
    name: "more from a pipe to a pipe copies",
    program: "more",
    args: [],
    stdin: TEXT,
    expect: { status: 0, stdout: TEXT },
  },
  {
    name: "echo --help is text when not alone",
    program: "echo",
    args: ["a", "--help"],
    expect: { status: 0, stdout: "a --help\n" },
  },
  {
    name: "ls -- --help is a file name",
    program: "ls",
    args: ["--", "--help"],
    cwdInDir: true,
    expect: {
      status: 2,
      stdout: "",
      stderrMatch: /ls: cannot access '--help': No such file or directory/,
    },
  },
  ...UTILITIES.map((program): InteropCase => ({
    name: `${program} --help`,
    program,
    args: ["--help"],
    expect: { status: 0, stdoutMatch: new RegExp(`^Usage:(\\n | )(${program}|\\[)[\\s\\S]*\\n$`) },
  })),
];

/** All of this module's cases. */
export const TEXT_TOOL_CASES: readonly InteropCase[] = [...GNU_CASES, ...OTHER_CASES];
