/**
 * The Win32 session (`personality: "win32"`, `--personality win32`): smss.exe
 * as pid 1 sets the session up and runs cmd.exe; `cmd` runs `cmd.exe /c`;
 * the machine's status is cmd's exit code; Unix programs run from the
 * session (and see a Unix PATH); a bad personality is refused.
 */
import assert from "node:assert/strict";
import { BootError, runGuest } from "../../system/boot.ts";
import { interactiveBanner, main, parseCommandLine, UsageError } from "../../system/cli.ts";
import { sessionInit } from "../../system/session.ts";
import { runGuarded } from "../guest_guard.ts";

const W32 = { personality: "win32" as const, maxCycles: 3e9 };

Deno.test("win32 session: --cmd output goes to stdout and cmd's exit code is the machine's status", async () => {
  const r = await runGuarded({ ...W32, cmd: "echo hello & exit /b 3", stdio: "pipes" });
  assert.equal(r.reason, "init-exit");
  assert.equal(r.status, 3);
  assert.equal(r.stdout, "hello \r\n");
  assert.equal(r.stderr, "");
  const bad = await runGuarded({ ...W32, cmd: "nosuchprogram", stdio: "pipes" });
  assert.equal(bad.status, 9009 & 0xff, "cmd's 9009 for an unknown command, low 8 bits");
  assert.match(bad.stderr, /'nosuchprogram' is not recognized/);
});

Deno.test("win32 session: smss sets the environment and C:\\ before cmd starts", async () => {
  const r = await runGuarded({ ...W32, cmd: "cd & set", stdio: "pipes" });
  assert.equal(r.status, 0);
  const lines = r.stdout.split("\r\n");
  assert.equal(lines[0], "C:\\");
  for (
    const v of [
      "COMSPEC=C:\\bin\\cmd.exe",
      "PATH=C:\\bin;C:\\Windows\\System32;C:\\Windows",
      "PATHEXT=.COM;.EXE;.BAT;.CMD;.",
      "PROMPT=$P$G",
      "SystemRoot=C:\\Windows",
      "SystemDrive=C:",
      "OS=Windows_NT",
      "USERNAME=root",
    ]
  ) assert.ok(lines.includes(v), `${v} in ${JSON.stringify(lines)}`);
});

Deno.test("win32 session: the env option is smss's starting environment (another COMSPEC)", async () => {
  const r = await runGuarded({
    ...W32,
    cmd: "ignored by upper",
    env: ["COMSPEC=C:\\bin\\upper.exe"],
    stdio: "pipes",
    stdin: "piped text\n",
  });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "PIPED TEXT\n");
  const missing = await runGuarded({
    ...W32,
    cmd: "x",
    env: ["COMSPEC=C:\\bin\\none.exe"],
    stdio: "pipes",
  });
  assert.equal(missing.status, 127);
  assert.match(missing.stderr, /smss: cannot start C:\\bin\\none\.exe, error 2/);
});

Deno.test("win32 session: an interactive session scripted on the console ends with exit", async () => {
  const r = await runGuarded({
    ...W32,
    console: {
      kind: "buffer",
      script: [
        { atMs: 50, data: "echo hi\n" },
        { atMs: 100, data: "cd bin\n" },
        { atMs: 150, data: "exit 4\n" },
      ],
    },
  });
  assert.equal(r.reason, "init-exit");
  assert.equal(r.status, 4);
  const out = r.output.replace(/\r+\n/g, "\n");
  assert.match(out, /^Strata Windows \[Version [\d.]+\]\n/);
  assert.ok(out.includes("C:\\>echo hi\nhi\n"), out);
  assert.ok(out.includes("C:\\bin>exit 4\n"), out);
});

Deno.test("win32 session: Unix programs run from cmd, with a Unix PATH, and can wait for children", async () => {
  const r = await runGuarded({
    ...W32,
    cmd: 'ls /bin | wc -l & sh -c "echo $PATH; ls /bin | grep -c ^test_; exit 5"',
    stdio: "pipes",
  });
  assert.equal(r.status, 5);
  const [count, path, tests] = r.stdout.split("\n");
  const files = [...Deno.readDirSync(new URL("../../userland/bin", import.meta.url))].length;
  assert.ok(Number(count) >= files, `ls /bin | wc -l: ${count}`);
  assert.equal(path, "/bin:/windows/system32:/windows");
  assert.ok(Number(tests) > 5, `sh's pipeline: ${tests}`);
});

Deno.test("win32 session: a zombie orphaned to smss (which ignores SIGCHLD) is reaped at once", async () => {
  // The subshell leaves a finished child unwaited for and execs sleep, so its
  // zombie goes to pid 1 when sleep ends; smss never waits for Unix children.
  const r = await runGuarded({
    ...W32,
    cmd: 'sh -c "(sleep 0 & exec sleep 1); ps"',
    stdio: "pipes",
  });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /\bps\b/);
  assert.doesNotMatch(r.stdout, / Z /, r.stdout);
});

Deno.test("win32 session: the Unix session starts Win32 programs as before", async () => {
  const r = await runGuarded({ maxCycles: 1e9, cmd: "echo hi | upper.exe; exit 6" });
  assert.equal(r.status, 6);
  assert.equal(r.output.replace(/\r+\n/g, "\n"), "HI\n");
});

Deno.test("win32 session: a bad personality is a one-line error", async () => {
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => runGuest({ personality: "dos" as any }),
    (e) =>
      e instanceof BootError && /unknown personality 'dos' \(one of: unix, win32\)/.test(e.message),
  );
  assert.throws(() => parseCommandLine(["--personality", "os2"]), UsageError);
  assert.equal(parseCommandLine(["--personality", "win32"]).personality, "win32");
  const saved = console.error;
  const lines: string[] = [];
  console.error = (s: string) => lines.push(s);
  try {
    assert.equal(await main(["--personality", "dos"]), 2);
  } finally {
    console.error = saved;
  }
  assert.equal(lines[0].split("\n")[0], "strata: --personality takes unix or win32, got 'dos'");
});

Deno.test("win32 session: pid 1 by personality, and the banner", () => {
  assert.deepEqual(sessionInit({ personality: "win32", cmd: "dir /b" }), {
    path: "/bin/smss.exe",
    args: ["/c", "dir /b"],
    env: [],
  });
  assert.deepEqual(sessionInit({ cmd: "ls" }), {
    path: "/bin/init",
    args: ["/bin/sh", "-c", "ls"],
    env: ["PATH=/bin", "HOME=/", "TERM=vt100"],
  });
  assert.match(interactiveBanner(parseCommandLine(["--personality", "win32"])), /Win32 session/);
});

Deno.test("win32 session: the CLI's --personality win32 --cmd exits with cmd's code, output on stdout", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../mod.ts", import.meta.url).pathname,
      "--personality",
      "win32",
      "--cmd",
      "echo %OS% & exit /b 7",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 7, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout), "Windows_NT \r\n");
});

Deno.test("win32 session: a fresh ext2 mount listed and written from cmd; the session's end syncs it", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/data.img`;
    Deno.writeFileSync(path, new Uint8Array(0));
    Deno.truncateSync(path, 4 << 20);
    const mk = new Deno.Command("mke2fs", { args: ["-q", "-t", "ext2", "-F", path] }).outputSync();
    assert.ok(mk.success, new TextDecoder().decode(mk.stderr));
    const r = await runGuarded({
      ...W32,
      disks: [{ path }],
      cmd: 'mkdir C:\\mnt & sh -c "mount /dev/hda /mnt" & dir /b C:\\mnt & ' +
        "echo from win32> C:\\mnt\\f.txt",
      stdio: "pipes",
    });
    assert.equal(r.status, 0, r.stderr);
    // Listed and written while the disk still reads the blocks (the calls wait and run again).
    assert.equal(r.stdout, "lost+found\r\n");
    const cat = new Deno.Command("debugfs", {
      args: ["-R", "cat /f.txt", path],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    assert.equal(new TextDecoder().decode(cat.stdout), "from win32\r\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
