/**
 * Command lines: joining an argv into one Windows command line (quoting as
 * the Microsoft C runtime parses it back) and splitting one into an argv by
 * those rules (for a Unix program started by NtCreateUserProcess).
 *
 * @module
 */

/** Quotes one argument so that the Microsoft rules give it back unchanged. */
export function quoteArg(a: string): string {
  if (a !== "" && !/[ \t\n\v"]/.test(a)) return a;
  let out = '"';
  let slashes = 0;
  for (const c of a) {
    if (c === "\\") {
      slashes++;
      continue;
    }
    if (c === '"') out += "\\".repeat(slashes * 2 + 1) + '"';
    else out += "\\".repeat(slashes) + c;
    slashes = 0;
  }
  return out + "\\".repeat(slashes * 2) + '"';
}

/** The command line for `argv`. */
export function joinCommandLine(argv: string[]): string {
  return argv.map(quoteArg).join(" ");
}

/**
 * Splits a command line by the Microsoft C runtime's rules: white space
 * separates; `"` toggles quoting; 2n backslashes before `"` give n
 * backslashes and a quote toggle, 2n+1 give n backslashes and a literal
 * `"`; `""` inside quotes gives a literal `"`. The program name (first
 * word) ends at the first white space outside quotes, backslashes literal.
 */
export function splitCommandLine(cmd: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = cmd.length;
  const ws = (c: string) => c === " " || c === "\t";
  // argv[0]
  let first = "";
  let q = false;
  while (i < n && (q || !ws(cmd[i]))) {
    if (cmd[i] === '"') q = !q;
    else first += cmd[i];
    i++;
  }
  out.push(first);
  for (;;) {
    while (i < n && ws(cmd[i])) i++;
    if (i >= n) return out;
    let arg = "";
    let quoted = false;
    while (i < n && (quoted || !ws(cmd[i]))) {
      let slashes = 0;
      while (cmd[i] === "\\") {
        slashes++;
        i++;
      }
      if (cmd[i] === '"') {
        arg += "\\".repeat(slashes >> 1);
        if (slashes & 1) {
          arg += '"';
          i++;
        } else if (quoted && cmd[i + 1] === '"') {
          arg += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i++;
        }
      } else {
        arg += "\\".repeat(slashes);
        if (i < n && (quoted || !ws(cmd[i]))) arg += cmd[i++];
      }
    }
    out.push(arg);
  }
}
