/**
 * The interactive shell at the console: keys are fed to a buffer console at
 * fixed simulated times and the results of the edited command lines are
 * checked (line editing, history, completion, ^C). The shell redraws with
 * ANSI sequences; `screenText` drops them so assertions read like a screen log.
 */
import assert from "node:assert/strict";
import { runGuest } from "../../system/boot.ts";

/** Runs /bin/sh as init, typing each chunk of keys 50 ms of simulated time apart. */
async function typeAtShell(keys: string[]) {
  const script = keys.map((data, i) => ({ atMs: 1 + i * 50, data }));
  const r = await runGuest({
    init: "/bin/sh",
    maxCycles: 6e9,
    console: { kind: "buffer", script },
  });
  return { ...r, text: screenText(r.output) };
}

/**
 * What a terminal would show, one string per line: carriage return, cursor
 * right (CSI n C) and erase to the end (CSI J, CSI K) are applied; other
 * sequences are dropped (the lines here never wrap).
 */
function screenText(out: string): string {
  const lines: string[] = [];
  let line: string[] = [];
  let col = 0;
  // deno-lint-ignore no-control-regex
  const tokens = out.match(/\x1b\[[0-9;]*[A-Za-z]|[\s\S]/gu) ?? [];
  for (const t of tokens) {
    if (t === "\n") {
      lines.push(line.join(""));
      line = [];
      col = 0;
    } else if (t === "\r") {
      col = 0;
    } else if (t.startsWith("\x1b[")) {
      const n = Number(t.slice(2, -1) || "1");
      if (t.endsWith("C")) col += n;
      else if (t.endsWith("J") || t.endsWith("K")) line.length = Math.min(line.length, col);
    } else {
      while (line.length < col) line.push(" ");
      line[col++] = t;
    }
  }
  lines.push(line.join(""));
  return lines.join("\n");
}

const ESC = "\x1b";
const LEFT = `${ESC}[D`,
  HOME = `${ESC}[H`,
  END = `${ESC}[F`,
  DEL = `${ESC}[3~`,
  UP = `${ESC}[A`,
  DOWN = `${ESC}[B`;

Deno.test("sh line editing: cursor motion, insertion anywhere, Delete, Home/End, ^A ^E ^B ^F", async () => {
  const r = await typeAtShell([
    `echo abc${LEFT}${LEFT}X\r`,
    `cho 1${HOME}e${END}2\r`,
    `echo wxyz${LEFT}${LEFT}${LEFT}${DEL}\r`,
    "ho AB\x01ec\x05C\x02\x02-\x06\x06!\r",
    "exit 3\r",
  ]);
  assert.match(r.text, /\naXbc\n/);
  assert.match(r.text, /\n12\n/);
  assert.match(r.text, /\nwyz\n/);
  assert.match(r.text, /\nA-BC!\n/);
  assert.equal(r.status, 3);
});

Deno.test("sh line editing: ^K ^U ^W ^Y kill and yank, UTF-8 backspace", async () => {
  const r = await typeAtShell([
    "echo one two three\x17\x17four\r",
    "junk words\x15echo five\r",
    "echo six seven\x01\x06\x06\x06\x06\x06\x0b\x05x \x19\r",
    "echo h\u00e9\u00e9\x7fllo \u20ac\x7f!\r",
    "exit 0\r",
  ]);
  assert.match(r.text, /\none four\n/);
  assert.match(r.text, /\nfive\n/);
  assert.match(r.text, /\nx six seven\n/);
  assert.match(r.text, /\nh\u00e9llo !\n/);
  assert.equal(r.status, 0);
});

Deno.test("sh line editing: unknown escape sequences are dropped, never inserted", async () => {
  const r = await typeAtShell([
    `echo a${ESC}[15~b${ESC}OPc${ESC}[1;5Qd${ESC}[200~e\r`,
    "exit 0\r",
  ]);
  assert.match(r.text, /\nabcde\n/);
  assert.doesNotMatch(r.output, /15~|200~|OP/);
});

Deno.test("sh history: up/down, history, !!, !N and ~/.sh_history", async () => {
  const r = await typeAtShell([
    "echo first\r",
    "echo second\r",
    `${UP}${UP}\r`,
    `${UP}${UP}${UP}${DOWN}\r`,
    "echo !!-again\r",
    "history\r",
    "echo !2 !nosuch\r",
    "echo \"hi!\" 'no!!' a!=b\r",
    "cat /.sh_history\r",
    "exit 0\r",
  ]);
  const t = r.text;
  assert.match(t, /\nsecond\n# echo first\nfirst\n/, "UP UP recalls the line before last");
  assert.match(t, /\n# echo second\nsecond\n/, "UP x3 then DOWN");
  assert.match(t, /\necho echo second-again\necho second-again\n/);
  assert.match(t, /\n {4}1 {2}echo first\n {4}2 {2}echo second\n {4}3 {2}echo first\n/);
  assert.match(t, /sh: !nosuch: event not found/);
  assert.match(t, /\nhi! no!! a!=b\n/, "! before a quote, in single quotes or before = stays");
  assert.match(
    t,
    /\necho first\necho second\necho first\necho second\necho echo second-again\nhistory\n/,
  );
});

Deno.test("sh completion: command names, paths, the list on a second Tab", async () => {
  const r = await typeAtShell([
    "mkd\t/tmp/dd\r",
    "ec\tdone\r",
    "ls /tm\t\r",
    "echo x > /tmp/dd/file1\r",
    "cat ~/tm\tdd/fi\t\r",
    "ex\t\t\x03",
    "exit 0\r",
  ]);
  const t = r.text;
  assert.match(t, /# mkdir \/tmp\/dd\n/);
  assert.match(t, /# echo done\ndone\n/);
  assert.match(t, /# ls \/tmp\/\ndd\n/);
  assert.match(t, /# cat ~\/tmp\/dd\/file1 \nx\n/);
  assert.match(t, /\nexit +export\n# ex\^C\n/);
  assert.ok(r.output.includes("ex\x07"), "the bell on an ambiguous first Tab");
  assert.equal(r.status, 0);
});

Deno.test("sh ^C: a typed line is dropped with a fresh prompt; a builtin loop stops at the first ^C", async () => {
  const r = await typeAtShell([
    "echo partial\x03",
    "echo st $?\r",
    "while true; do :; done\r",
    "\x03",
    "echo st $?\r",
    "i=0; while :; do i=$((i+1)); done\r",
    "\x03",
    "echo loop2 $?\r",
    "for x in 1 2 3; do while :; do :; done; done; echo not here\r",
    "\x03",
    "exit 4\r",
  ]);
  const t = r.text;
  assert.match(t, /# echo partial\^C\n# echo st \$\?\nst 130\n/);
  assert.match(t, /done\n\^C\n# echo st \$\?\nst 130\n/);
  assert.match(t, /\nloop2 130\n/);
  assert.doesNotMatch(t, /^not here$/m);
  assert.equal(r.status, 4);
});

Deno.test("sh ^C ends a read or wait builtin that is blocked", async () => {
  const r = await typeAtShell([
    "read x; echo not here\r",
    "\x03",
    "echo read $?\r",
    "sleep 100 & wait; echo not here\r",
    "\x03",
    "echo wait $?\r",
    "kill %1\r",
    "exit 0\r",
  ]);
  assert.match(r.text, /\nread 130\n/);
  assert.match(r.text, /\nwait 130\n/);
  assert.doesNotMatch(r.text, /^not here$/m);
  assert.equal(r.status, 0);
});

Deno.test("sh ^L clears the screen and redraws the line", async () => {
  const r = await typeAtShell(["echo abc\x0c\r", "exit 0\r"]);
  assert.ok(r.output.includes("\x1b[H\x1b[2J\r# echo abc"), r.output);
});
