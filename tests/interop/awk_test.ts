/**
 * The guest awk (userland/cmd/awk.c) against the host's awk (mawk or any
 * POSIX awk on PATH as `awk`): each program runs under qemu-riscv32 and on the
 * host with the same arguments, input and files, and standard output and exit
 * status must agree. A few programs also run on Strata itself. Skipped, with a
 * message, when qemu-riscv32 or a host awk is missing.
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runGuarded, runHostCommand } from "../guest_guard.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const AWK = join(REPO, "userland", "bin", "awk");

function onPath(name: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin").split(":")) {
    try {
      const p = join(dir, name);
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not in this PATH entry
    }
  }
  return null;
}

const QEMU = onPath("qemu-riscv32");
const HOST_AWK = onPath("awk");
if (!QEMU || !HOST_AWK) console.warn("awk_test: qemu-riscv32 or a host awk missing; runs skipped");

const TEXT = "alpha 10 x\nbeta 20 y\n\ngamma 30 z\ndelta 5 x\nalpha 7 y\n";
const CSV = "name:age:city\nann:31:Oslo\nbob:27:Rome\ncid:45:Oslo\n";
const PARA = "a 1\nb 2\n\n\nc 3\n\nd 4\ne 5\n";

/** One program: awk arguments, standard input; files are written to the working folder. */
interface AwkCase {
  name: string;
  args: string[];
  stdin?: string;
}

const FILES: Record<string, string> = {
  "text.txt": TEXT,
  "data.csv": CSV,
  "para.txt": PARA,
  "prog.awk":
    'function max(a, b) { return a > b ? a : b }\n{ m = max(m, $2) }\nEND { print "max", m }\n',
};

const CASES: AwkCase[] = [
  { name: "print fields", args: ["{ print $1, $3; print NF, NR }", "text.txt"] },
  { name: "default print and regex", args: ["/^a/", "text.txt"] },
  { name: "expression pattern", args: ["$2 > 9 { print $1 }", "text.txt"] },
  { name: "range pattern", args: ['/beta/,/gamma/ { print NR ": " $0 }', "text.txt"] },
  { name: "range same line", args: ["/alpha/,/10/", "text.txt"] },
  { name: "BEGIN END sums", args: ["{ s += $2 } END { print s, s / NR, NR }", "text.txt"] },
  {
    name: "-F and OFS",
    args: ["-F:", "-v", "OFS=-", "NR > 1 { $1 = $1; print; print $2 + 1 }", "data.csv"],
  },
  { name: "FS regex", args: ['BEGIN { FS = "[0-9]+" } { print NF ":" $1 ":" $2 }', "text.txt"] },
  { name: "FS tab escape", args: ["-F", "\\t", "{ print $2 }"], stdin: "a\tb c\td\n1\t2\n" },
  {
    name: "single space splitting",
    args: ["{ print NF; print $2 }"],
    stdin: "  lead  and   trail  \n\t tab\there\n",
  },
  { name: "NF assignment", args: ['{ NF = 2; print; $5 = "e"; print; print NF }', "text.txt"] },
  { name: "$0 assignment", args: ['{ $0 = "x y z"; print NF, $2 }'], stdin: "a\n" },
  { name: "FNR and two files", args: ["{ print FILENAME, FNR, NR }", "data.csv", "text.txt"] },
  { name: "operand assignment", args: ["{ print v, $1 }", "v=1", "data.csv", "v=2", "data.csv"] },
  { name: "RS paragraph", args: ['BEGIN { RS = "" } { print NR ": " $1 "/" NF }', "para.txt"] },
  { name: "RS char", args: ['BEGIN { RS = ";" } { print NR, $0 }'], stdin: "a;b;c d;" },
  { name: "ORS", args: ['BEGIN { ORS = "|" } { print $1 } END { printf "\\n" }', "text.txt"] },
  {
    name: "arithmetic",
    args: [
      "BEGIN { print 1 + 2 * 3, 7 % 3, -7 % 3, 2 ^ 3 ^ 2, -2 ^ 2, 10 / 4, 1e3, 0.1 + 0.2, 1 / 3 }",
    ],
  },
  {
    name: "increments",
    args: [
      "BEGIN { x = 5; y = x++ + ++x; print x, y; x -= 2; x *= 3; x /= 4; x %= 3; x ^= 2; print x }",
    ],
  },
  {
    name: "concatenation precedence",
    args: ['BEGIN { x = 1; print 1 " " 2, x "" -1, "a" (2 + 3) "b", 1 - 1 "0" }'],
  },
  {
    name: "comparisons",
    args: ['{ print ($1 < $2), ($1 == $2), ($1 < "b") }'],
    stdin: "10 9\n10 10.0\nabc abd\n2 10\n 3  3e0\n",
  },
  {
    name: "string vs number constants",
    args: ['BEGIN { print ("10" < "9"), (10 < 9), ("a" > 1), (x == 0), (x == "") }'],
  },
  {
    name: "logical",
    args: ['BEGIN { print !0, !1, !"", !"a", 1 && 0, 1 || 0, (2 > 1) ? "y" : "n" }'],
  },
  { name: "match operators", args: ['$1 ~ /^[ab]/ && $3 !~ "x" { print }', "text.txt"] },
  { name: "dynamic regex", args: ["-v", "re=a+l", "$0 ~ re { print NR }", "text.txt"] },
  { name: "ERE syntax", args: ["/^(al|ga)[a-z]+ [0-9]+ (x|z)?$/", "text.txt"] },
  {
    name: "if else",
    args: [
      '{ if ($2 > 10) print "big", $1; else if ($2 > 6) print "mid"; else print "small" }',
      "text.txt",
    ],
  },
  {
    name: "while do",
    args: [
      'BEGIN { i = 0; while (i < 3) { print i; i++ }; do { print "d" i; i-- } while (i > 1) }',
    ],
  },
  {
    name: "for break continue",
    args: [
      "BEGIN { for (i = 0; i < 10; i++) { if (i == 2) continue; if (i == 5) break; print i } }",
    ],
  },
  {
    name: "arrays and in",
    args: [
      '{ c[$3]++ } END { print c["x"], c["y"], ("z" in c), ("w" in c); delete c["x"]; print ("x" in c), length(c) }',
      "text.txt",
    ],
  },
  {
    name: "for in sorted by pipe",
    args: [
      '{ s[$1] += $2 } END { for (k in s) print k, s[k] | "sort"; close("sort"); print "done" }',
      "text.txt",
    ],
  },
  {
    name: "multi subscripts",
    args: [
      "BEGIN { a[1, 2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2] }; print ((1, 2) in a) }",
    ],
  },
  {
    name: "delete whole array",
    args: ["BEGIN { a[1]; a[2]; delete a; n = 0; for (k in a) n++; print n }"],
  },
  {
    name: "next and exit",
    args: ['NR == 2 { next } { print } NR == 4 { exit 3 } END { print "end" }', "text.txt"],
  },
  {
    name: "exit in BEGIN runs END",
    args: ['BEGIN { print "b"; exit } { print } END { print "e" }', "text.txt"],
  },
  {
    name: "getline forms",
    args: ['NR == 1 { getline; print "now", $0; getline x; print "x", x, NR }', "text.txt"],
  },
  {
    name: "getline from file",
    args: [
      'BEGIN { while ((getline line < "data.csv") > 0) n++; print n; close("data.csv"); getline < "data.csv"; print $2 }',
    ],
  },
  {
    name: "command getline",
    args: ['BEGIN { "echo one two" | getline; print $2, NF; "echo x" | getline v; print v }'],
  },
  {
    name: "print redirection",
    args: [
      '{ print $1 > "out.txt" } END { close("out.txt"); while ((getline l < "out.txt") > 0) print "got", l }',
      "data.csv",
    ],
  },
  {
    name: "append redirection",
    args: [
      'BEGIN { print "a" > "o"; close("o"); print "b" >> "o"; close("o"); while ((getline l < "o") > 0) print l }',
    ],
  },
  {
    name: "printf",
    args: [
      'BEGIN { printf "%d|%5d|%-5d|%05d|%+d|%i\\n", 42.9, 42, 42, 42, 42, -3; printf "%s|%10s|%-10s|%.2s|%c|%c\\n", "abc", "abc", "abc", "abc", 66, "hello"; printf "%o %x %X %u %%\\n", 8, 255, 255, 3 }',
    ],
  },
  {
    name: "printf floats",
    args: [
      'BEGIN { printf "%f %.2f %e %.3E %g %G %*.*f\\n", 3.14159, 2.5, 12345.678, 0.00012, 0.0001, 1e20, 8, 3, 3.14159 }',
    ],
  },
  {
    name: "OFMT and CONVFMT",
    args: [
      'BEGIN { x = 3.14159265; print x; OFMT = "%.2f"; print x; CONVFMT = "%.3f"; y = x ""; print y; print 17 "" }',
    ],
  },
  {
    name: "length substr index",
    args: [
      '{ print length($1), length, substr($1, 2), substr($1, 2, 3), substr($1, 3, 100), substr($1, -1), index($0, "a") }',
      "text.txt",
    ],
  },
  {
    name: "split",
    args: [
      'BEGIN { n = split("a:b::c", a, ":"); print n, a[1], a[3], a[4]; n = split("  x  y ", b); print n, b[1], b[2]; n = split("a1b22c", c, /[0-9]+/); print n, c[3]; print split("", d) }',
    ],
  },
  {
    name: "sub gsub",
    args: ['{ n = gsub(/a/, "[&]"); sub(/[0-9]+/, "<\\\\&>", $0); print n, $0 }', "text.txt"],
  },
  {
    name: "gsub empty matches",
    args: [
      'BEGIN { s = "abc"; gsub(/x*/, "-", s); print s; t = "hello"; gsub(/l*/, "L", t); print t; u = "aaa"; print gsub(/a/, "b", u), u }',
    ],
  },
  { name: "sub on field", args: ['{ sub(/a/, "A", $1); print; print $1 }', "text.txt"] },
  {
    name: "match",
    args: [
      "{ if (match($0, /[0-9]+/)) print RSTART, RLENGTH, substr($0, RSTART, RLENGTH); else print RSTART, RLENGTH }",
      "text.txt",
    ],
  },
  {
    name: "sprintf case int",
    args: [
      'BEGIN { s = sprintf("%03d-%s", 7, "x"); print s, toupper(s), tolower("MiXeD"), int(3.9), int(-3.9), int("12abc") }',
    ],
  },
  {
    name: "math",
    args: [
      'BEGIN { printf "%.6f %.6f %.6f %.6f %.6f %.6f\\n", sqrt(2), exp(1), log(10), sin(1), cos(1), atan2(1, 2) }',
    ],
  },
  {
    name: "rand range",
    args: [
      "BEGIN { srand(1); for (i = 0; i < 100; i++) { r = rand(); if (r < 0 || r >= 1) bad++ }; print bad + 0, srand(5), srand() }",
    ],
  },
  {
    name: "system",
    args: ['BEGIN { r = system("exit 3"); print "r", r; system("echo from sh") }'],
  },
  {
    name: "user functions",
    args: [
      "function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10), fact(1) }",
    ],
  },
  {
    name: "function array by reference",
    args: [
      "function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i } function sum(arr, n,   i, s) { for (i = 1; i <= n; i++) s += arr[i]; return s } BEGIN { fill(sq, 4); print sum(sq, 4), sq[3], i }",
    ],
  },
  {
    name: "function scalar by value",
    args: ['function f(x) { x = 5; return } BEGIN { y = 1; f(y); print y, f(y) "|" }'],
  },
  { name: "program file", args: ["-f", "prog.awk", "text.txt"] },
  { name: "uninitialized", args: ['BEGIN { print x + 0, "[" x "]", length(x), (x < 1) }'] },
  {
    name: "strnum from input",
    args: ['{ if ($1 == 1) print "num", $1; else print "str", $1 }'],
    stdin: "1.0\n+1\n1e0\n abc\n1x\n .1e1 \n",
  },
  {
    name: "semicolons and newlines",
    args: [
      'BEGIN {\n  x = 1 ;\n  if (x)\n    print "yes"\n  else\n    print "no"\n  for (i = 0;\n       i < 2;\n       i++) print i\n}\n',
    ],
  },
  { name: "comments and continuation", args: ["BEGIN { # a comment\n  print 1, \\\n    2 }"] },
  { name: "field variables", args: ["{ i = 2; print $i, $(i + 1), $NF, $(NF - 1) }", "text.txt"] },
  { name: "regex as value", args: ["{ x = /a/; print x }"], stdin: "abc\nxyz\n" },
  { name: "string escapes", args: ['BEGIN { print "a\\tb\\\\c\\"d\\101" }'] },
  { name: "syntax error", args: ["BEGIN { print ( }"] },
  {
    name: "ARGV ARGC",
    args: ["BEGIN { print ARGC; for (i = 0; i < ARGC; i++) print i, ARGV[i] }", "one", "two"],
  },
  { name: "ENVIRON", args: ['BEGIN { print ENVIRON["AWKTEST"] }'] },
  {
    name: "printf with redirect parens",
    args: ['BEGIN { printf("%s-%s\\n", "a", "b") > "/dev/stdout"; print(1, 2) }'],
  },
  { name: "dedupe idiom", args: ["!seen[$1]++"], stdin: "a\nb\na\nc\nb\n" },
  { name: "field beyond NF", args: ['{ $(NF + 2) = "z"; print; print NF }', "text.txt"] },
  {
    name: "for-in keys are strings",
    args: ["BEGIN { a[9]; for (k in a) print (k < 10), (k == 9) }"],
  },
  { name: "pipe closed at exit", args: ['BEGIN { print "b\\na" | "sort"; print "x" }'] },
  {
    name: "empty bodies",
    args: [
      'BEGIN { if (1) ; else print "x"; for (i = 0; i < 3; i++); while (j++ < 2); print i, j }',
    ],
  },
  {
    name: "uninitialized array arg",
    args: [
      'function add(a, k) { a[k] = 1 } BEGIN { add(arr, "q"); print length(arr), ("q" in arr) }',
    ],
  },
];

async function run(cmd: string, args: string[], c: AwkCase, dir: string) {
  return await runHostCommand(cmd, args, {
    stdin: c.stdin ?? "",
    cwd: dir,
    env: { PATH: "/usr/bin:/bin", AWKTEST: "env-value", LC_ALL: "C" },
  });
}

async function makeDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "strata_awk_" });
  for (const [name, text] of Object.entries(FILES)) await Deno.writeTextFile(join(dir, name), text);
  return dir;
}

Deno.test({
  name: "awk: the guest awk under qemu-riscv32 agrees with the host awk",
  ignore: !QEMU || !HOST_AWK,
  async fn() {
    const failures: string[] = [];
    await Promise.all(CASES.map(async (c) => {
      const [gd, hd] = [await makeDir(), await makeDir()];
      try {
        const guest = await run(QEMU!, [AWK, ...c.args], c, gd);
        const host = await run(HOST_AWK!, c.args, c, hd);
        if (guest.stdout !== host.stdout || guest.code !== host.code) {
          failures.push(
            `${c.name}: guest ${guest.code} ${JSON.stringify(guest.stdout)} ${guest.stderr}` +
              `\n  host ${host.code} ${JSON.stringify(host.stdout)}`,
          );
        }
        if (c.name === "syntax error") {
          assert.match(guest.stderr, /^awk: syntax error at line 1\n$/);
        }
      } finally {
        await Deno.remove(gd, { recursive: true });
        await Deno.remove(hd, { recursive: true });
      }
    }));
    assert.deepEqual(failures, []);
  },
});

Deno.test({
  name: "awk: runs on Strata (pipes, files, functions) as the host awk does",
  ignore: !HOST_AWK,
  async fn() {
    const prog = "function sq(x) { return x * x } { s[$3] += sq($2) } " +
      'END { for (k in s) print k, s[k] | "sort"; close("sort"); printf "%.3f\\n", NR / 7 }';
    const quoted = prog.replaceAll("'", "'\\''");
    const r = await runGuarded({
      cmd:
        `awk '${quoted}'; echo 'x:y' | awk -F: '{ print $2, NF }' && awk 'BEGIN { exit 4 }'; echo "rc $?"`,
      stdio: "pipes",
      stdin: TEXT,
      maxCycles: 4_000_000_000,
    });
    const host = await runHostCommand(HOST_AWK!, [prog], { stdin: TEXT });
    assert.equal(r.stdout, host.stdout + "y 2\nrc 4\n");
  },
});
