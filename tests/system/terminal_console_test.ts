import assert from "node:assert/strict";
import { TerminalConsole } from "../../system/terminal_console.ts";

function capture(lfLineEnds?: boolean) {
  const chunks: number[] = [];
  const io = new TerminalConsole({
    input: {
      readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
      isTerminal: () => false,
    },
    output: { writeSync: (p) => (chunks.push(...p), p.length) },
    lfLineEnds,
  });
  const write = (text: string) => {
    for (const ch of text) io.write(ch.charCodeAt(0));
  };
  return { io, write, text: () => String.fromCharCode(...chunks) };
}

Deno.test("terminal console: the guest's CR LF reaches the host as LF; a lone CR stays", () => {
  const c = capture();
  c.write("a\r\nb\rc\r\r\nd\r");
  c.io.close();
  assert.equal(c.text(), "a\nb\rc\r\nd\r");
});

Deno.test("terminal console: lfLineEnds false passes bytes through", () => {
  const c = capture(false);
  c.write("a\r\nb");
  c.io.close();
  assert.equal(c.text(), "a\r\nb");
});
