/**
 * The CLI on a real pseudo-terminal (util-linux `script`): raw mode while the
 * machine runs, and the terminal's mode restored when the host process is
 * ended by a signal. Skipped where `script` is missing.
 */
import assert from "node:assert/strict";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

function hasScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

for (const [sig, number] of [["TERM", 15], ["HUP", 1], ["INT", 2]] as const) {
  Deno.test({
    name: `terminal pty: SIG${sig} ends the CLI with ${128 + number} and restores cooked mode`,
    ignore: !hasScript(),
    async fn() {
      // The shell inside the pty starts the CLI, waits for raw mode, sends the signal,
      // then shows the terminal's mode again.
      const inner = `deno run -A ${MOD} </dev/tty >/dev/null 2>&1 & pid=$!; ` +
        "for i in $(seq 100); do stty -a </dev/tty | grep -q -- -icanon && break; sleep 0.1; done; " +
        "echo during=$(stty -a </dev/tty | grep -o -- '-\\?icanon'); " +
        `kill -${sig} $pid; wait $pid; echo status=$?; ` +
        "echo after=$(stty -a </dev/tty | grep -o -- '-\\?icanon')";
      const out = await new Deno.Command("script", {
        args: ["-qec", inner, "/dev/null"],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn().output();
      const text = new TextDecoder().decode(out.stdout).replaceAll("\r", "");
      assert.match(text, /during=-icanon\n/);
      assert.match(text, new RegExp(`status=${128 + number}\\n`));
      assert.match(text, /after=icanon\n/);
    },
  });
}
