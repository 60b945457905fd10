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

Deno.test({
  name: "terminal pty: ^C ends a --cmd and a newline follows the echoed ^C",
  ignore: !hasScript(),
  async fn() {
    const child = new Deno.Command("script", {
      args: [
        "-qec",
        `deno run -A ${MOD} --cmd 'echo ready; sleep 20'; echo status=$?`,
        "/dev/null",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    const reader = child.stdout.getReader();
    let text = "";
    const readUntil = async (s: string) => {
      for (let i = 0; i < 200 && !text.includes(s); i++) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    // Once the guest has printed, the terminal is raw and the command runs: type ^C.
    await readUntil("ready");
    await new Promise((r) => setTimeout(r, 200));
    await w.write(Uint8Array.of(3));
    await readUntil("status=");
    await w.close();
    await reader.cancel();
    await child.status;
    assert.match(text.replaceAll("\r", ""), /\^C\nstatus=130/);
  },
});
