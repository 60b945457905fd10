import assert from "node:assert/strict";
import { runGuest } from "../../../system/boot.ts";

async function sh(cmd: string): Promise<string> {
  const r = await runGuest({ cmd, maxHostMs: 60_000 });
  return r.output.replaceAll("\r\n", "\n");
}

const dmesg = "dmesg | sed 's/^\\[[ 0-9.]*\\] //' | grep -E 'faulty|giving'";

Deno.test("driver faults: the module restarts and the request is retried on the fresh instance", async () => {
  const out = await sh(
    "insmod faulty throw_on=3; echo a > /dev/faulty; echo b > /dev/faulty; " +
      "echo c > /dev/faulty; echo rc=$?; modinfo faulty | grep restarts; " + dmesg,
  );
  assert.equal(
    out,
    [
      "rc=0",
      "restarts:       1",
      "loaded driver module faulty 1.0.0",
      "faulty: host exception: Error: injected fault on request 3; restarting the module",
      "restarted module faulty 1.0.0 by faulty 1.0.0",
      "",
    ].join("\n"),
  );
});

Deno.test("driver faults: a request that keeps failing gets EIO; the loader gives up after 3 restarts", async () => {
  const out = await sh(
    "insmod faulty throw_on=1; echo x > /dev/faulty; echo rc=$?; " +
      "modinfo faulty | grep restarts; echo y > /dev/faulty; lsmod | grep -c faulty; " +
      "ls /dev/faulty; dmesg | grep -c 'giving up'",
  );
  assert.equal(
    out,
    [
      "echo: write error: Input/output error",
      "rc=1",
      "restarts:       3",
      "echo: write error: No such device or address",
      "0",
      "ls: cannot access '/dev/faulty': No such file or directory",
      "1",
      "",
    ].join("\n"),
  );
});

Deno.test("driver faults: a throw in a timer (interrupt context) is contained too", async () => {
  const out = await sh(
    "insmod faulty timer_throw=5; sleep 0.1; lsmod | grep -c faulty; " +
      "dmesg | grep -c 'injected fault in a timer'; echo the shell lives",
  );
  assert.equal(out, ["0", "4", "the shell lives", ""].join("\n"));
});
