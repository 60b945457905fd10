import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import { SIG } from "../../../kernel/ipc/signal_numbers.ts";
import type { FileCaller, OpenFile } from "../../../kernel/fs/types.ts";
import { OpenFlags } from "../../../kernel/fs/types.ts";
import {
  decodeTermios,
  defaultTermios,
  encodeTermios,
  IFLAG,
  LFLAG,
  OFLAG,
  TERMIOS_SIZE,
  Tty,
  TtyIoctl,
  VCC,
} from "../../../kernel/io/mod.ts";

const te = new TextEncoder();
const td = new TextDecoder();

function setup(options: { timers?: boolean } = {}) {
  const out: number[] = [];
  const signals: [number, number][] = [];
  const timers: (() => void)[] = [];
  const tty = new Tty({
    name: "test",
    signalGroup: (pgid, sig) => signals.push([pgid, sig]),
    startTimer: options.timers ? (_ds, cb) => timers.push(cb) : undefined,
  });
  tty.attachPort({ transmit: (b) => out.push(...b) });
  const mem = new Uint8Array(256);
  const caller: FileCaller = {
    pid: 10,
    pgid: 10,
    sid: 10,
    memory: {
      copyIn: (a, n) => (a >= 0 && a + n <= mem.length ? mem.slice(a, a + n) : null),
      copyOut: (a, d) => {
        if (a < 0 || a + d.length > mem.length) return false;
        mem.set(d, a);
        return true;
      },
    },
  };
  const file: OpenFile = {
    inode: null,
    flags: OpenFlags.READ | OpenFlags.WRITE,
    offset: 0,
    refs: 1,
    priv: null,
    path: "/dev/tty",
  };
  const output = () => {
    const s = td.decode(Uint8Array.from(out));
    out.length = 0;
    return s;
  };
  const read = (n = 64) => {
    const buf = new Uint8Array(n);
    const r = tty.fileOps.read(file, buf, caller);
    return r < 0 ? r : td.decode(buf.subarray(0, r));
  };
  const type = (s: string) => tty.receive(te.encode(s));
  return { tty, signals, timers, mem, caller, file, output, read, type };
}

Deno.test("tty: termios defaults match Linux tty_std_termios; 36-byte layout", () => {
  const t = defaultTermios();
  const b = encodeTermios(t);
  assert.equal(b.length, TERMIOS_SIZE);
  const dv = new DataView(b.buffer);
  assert.equal(dv.getUint32(0, true), 0o2400); // ICRNL | IXON
  assert.equal(dv.getUint32(4, true), 0o5); // OPOST | ONLCR
  assert.equal(dv.getUint32(8, true), 0o2277); // B38400 | CS8 | CREAD | HUPCL
  assert.equal(dv.getUint32(12, true), 0o105073); // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  assert.equal(b[16], 0);
  assert.deepEqual([...b.subarray(17, 17 + 7)], [3, 28, 127, 21, 4, 0, 1]);
  assert.deepEqual(decodeTermios(b), t);
});

Deno.test("tty: canonical line with echo, ICRNL and ONLCR", () => {
  const { type, read, output } = setup();
  type("ls -l");
  assert.equal(read(), K.AGAIN);
  assert.equal(output(), "ls -l");
  type("\r");
  assert.equal(output(), "\r\n");
  assert.equal(read(), "ls -l\n");
  assert.equal(read(), K.AGAIN);
});

Deno.test("tty: a read takes at most one line, and partial reads continue it", () => {
  const { type, read } = setup();
  type("one\ntwo\n");
  assert.equal(read(2), "on");
  assert.equal(read(), "e\n");
  assert.equal(read(), "two\n");
});

Deno.test("tty: ERASE (DEL and ^H), KILL, WERASE editing and their echo", () => {
  const { type, read, output } = setup();
  type("abc\x7f\x08d\n");
  assert.equal(read(), "ad\n");
  assert.equal(output(), "abc\b \b\b \bd\r\n");
  type("junk words\x15ok\n");
  assert.equal(read(), "ok\n");
  assert.equal(output(), "junk words" + "\b \b".repeat(10) + "ok\r\n");
  type("cp a  bb\x17c\n");
  assert.equal(read(), "cp a  c\n");
  type("\x7f\n"); // erase at line start does nothing
  assert.equal(read(), "\n");
  type("x\x01\x7f\n"); // a control char echoed as ^A takes two columns to erase
  output();
  assert.equal(read(), "x\n");
});

Deno.test("tty: ^C, ^\\ and ^Z signal the foreground group and flush input", () => {
  const { tty, type, read, output, signals } = setup();
  tty.foregroundPgrp = 33;
  type("half a line\x03");
  assert.deepEqual(signals, [[33, SIG.INT]]);
  assert.equal(output(), "half a line^C");
  type("\n");
  assert.equal(read(), "\n"); // the half line was flushed
  type("\x1c\x1a");
  assert.deepEqual(signals.slice(1), [[33, SIG.QUIT], [33, SIG.TSTP]]);
  // with ISIG off, ^C is data
  tty.termios.lflag &= ~LFLAG.ISIG;
  type("\x03\n");
  assert.equal(read(), "\x03\n");
  assert.equal(signals.length, 3);
});

Deno.test("tty: ^D gives EOF at line start, or returns the partial line", () => {
  const { type, read, output } = setup();
  type("abc\x04");
  assert.equal(read(), "abc");
  assert.equal(output(), "abc");
  type("\x04");
  assert.equal(read(), "");
  assert.equal(read(), K.AGAIN);
});

Deno.test("tty: raw mode VMIN/VTIME", () => {
  const { tty, type, read, timers } = setup({ timers: true });
  const t = defaultTermios();
  t.lflag &= ~(LFLAG.ICANON | LFLAG.ECHO);
  t.cc[VCC.VMIN] = 3;
  t.cc[VCC.VTIME] = 0;
  tty.setTermios(t);
  type("ab");
  assert.equal(read(), K.AGAIN);
  type("cde");
  assert.equal(read(), "abcde");
  // VMIN=0, VTIME=0: polling
  t.cc[VCC.VMIN] = 0;
  tty.setTermios(t);
  assert.equal(read(), "");
  // VMIN=0, VTIME>0: wait for a byte or the timer
  t.cc[VCC.VTIME] = 5;
  tty.setTermios(t);
  assert.equal(read(), K.AGAIN);
  assert.equal(timers.length, 1);
  let woke = 0;
  tty.readQueue.add({ wake: () => woke++ });
  timers[0]();
  assert.equal(woke, 1);
  assert.equal(read(), "");
  assert.equal(read(), K.AGAIN);
  type("z");
  assert.equal(read(), "z");
  // raw input is not edited and CR is still mapped by ICRNL
  t.cc[VCC.VTIME] = 0;
  t.cc[VCC.VMIN] = 1;
  tty.setTermios(t);
  type("\x7f\r");
  assert.equal(read(), "\x7f\n");
});

Deno.test("tty: a VTIME timer that fires after its read was satisfied does not cut the next read short", () => {
  const { tty, type, read, timers } = setup({ timers: true });
  const t = defaultTermios();
  t.lflag &= ~(LFLAG.ICANON | LFLAG.ECHO);
  t.cc[VCC.VMIN] = 0;
  t.cc[VCC.VTIME] = 5;
  tty.setTermios(t);
  assert.equal(read(), K.AGAIN); // waits: timer 0 armed
  type("a");
  assert.equal(read(), "a"); // satisfied by data before the timer
  timers[0](); // the old timer fires late
  assert.equal(read(), K.AGAIN); // a new read still waits its own VTIME
  assert.equal(timers.length, 2);
  timers[1]();
  assert.equal(read(), "");
});

Deno.test("tty: with VMIN > 0, VTIME restarts at every byte (inter-byte timer)", () => {
  const { tty, type, read, timers } = setup({ timers: true });
  const t = defaultTermios();
  t.lflag &= ~(LFLAG.ICANON | LFLAG.ECHO);
  t.cc[VCC.VMIN] = 4;
  t.cc[VCC.VTIME] = 2;
  tty.setTermios(t);
  assert.equal(read(), K.AGAIN); // no byte yet: no timer (waits for the first byte)
  assert.equal(timers.length, 0);
  type("a");
  assert.equal(read(), K.AGAIN);
  assert.equal(timers.length, 1);
  type("b"); // restarts the timer
  timers[0](); // the first timer is stale now
  assert.equal(read(), K.AGAIN);
  assert.equal(timers.length, 2);
  timers[1]();
  assert.equal(read(), "ab");
});

Deno.test("tty: switching canonical to raw keeps typed input", () => {
  const { tty, type, read } = setup();
  type("pending");
  const t = defaultTermios();
  t.lflag &= ~LFLAG.ICANON;
  tty.setTermios(t);
  assert.equal(read(), "pending");
});

Deno.test("tty: output processing ONLCR/OCRNL/OPOST", () => {
  const { tty, file, caller, output } = setup();
  assert.equal(tty.fileOps.write(file, te.encode("a\nb"), caller), 3);
  assert.equal(output(), "a\r\nb");
  tty.termios.oflag &= ~OFLAG.OPOST;
  tty.fileOps.write(file, te.encode("a\nb"), caller);
  assert.equal(output(), "a\nb");
  tty.termios.oflag = OFLAG.OPOST | OFLAG.OCRNL;
  tty.fileOps.write(file, te.encode("x\r"), caller);
  assert.equal(output(), "x\n");
});

Deno.test("tty: termios ioctls through guest memory", () => {
  const { tty, file, caller, mem, type, read } = setup();
  const ioctl = (cmd: number, arg: number) => tty.fileOps.ioctl!(file, cmd, arg, caller);
  assert.equal(ioctl(TtyIoctl.TCGETS, 16), K.OK);
  const t = decodeTermios(mem.slice(16, 16 + TERMIOS_SIZE));
  assert.deepEqual(t, defaultTermios());
  assert.equal(ioctl(TtyIoctl.TCGETS, 250), K.FAULT);
  assert.equal(ioctl(TtyIoctl.TCSETS, -4), K.FAULT);
  t.lflag &= ~LFLAG.ECHO;
  t.iflag &= ~IFLAG.ICRNL;
  mem.set(encodeTermios(t), 100);
  assert.equal(ioctl(TtyIoctl.TCSETS, 100), K.OK);
  assert.equal(tty.termios.lflag & LFLAG.ECHO, 0);
  type("keep\n");
  mem.set(encodeTermios(t), 100);
  assert.equal(ioctl(TtyIoctl.TCSETSW, 100), K.OK);
  assert.equal(read(), "keep\n");
  type("drop\n");
  assert.equal(ioctl(TtyIoctl.TCSETSF, 100), K.OK);
  assert.equal(read(), K.AGAIN);
  assert.equal(ioctl(0x5401 + 0x100, 0), K.NOTTY);
});

Deno.test("tty: window size, process groups, FIONREAD, FIONBIO", () => {
  const { tty, file, caller, mem, type, signals } = setup();
  const dv = new DataView(mem.buffer);
  const ioctl = (cmd: number, arg: number) => tty.fileOps.ioctl!(file, cmd, arg, caller);
  assert.equal(ioctl(TtyIoctl.TIOCGWINSZ, 0), K.OK);
  assert.deepEqual([dv.getUint16(0, true), dv.getUint16(2, true)], [24, 80]);
  assert.equal(ioctl(TtyIoctl.TIOCSCTTY, 0), K.OK);
  assert.equal(tty.session, 10);
  assert.equal(tty.foregroundPgrp, 10);
  dv.setUint16(8, 50, true);
  dv.setUint16(10, 132, true);
  assert.equal(ioctl(TtyIoctl.TIOCSWINSZ, 8), K.OK);
  assert.deepEqual(signals, [[10, SIG.WINCH]]);
  dv.setInt32(20, 77, true);
  assert.equal(ioctl(TtyIoctl.TIOCSPGRP, 20), K.OK);
  assert.equal(ioctl(TtyIoctl.TIOCGPGRP, 24), K.OK);
  assert.equal(dv.getInt32(24, true), 77);
  assert.equal(ioctl(TtyIoctl.TIOCGSID, 28), K.OK);
  assert.equal(dv.getInt32(28, true), 10);
  dv.setInt32(20, -1, true);
  assert.equal(ioctl(TtyIoctl.TIOCSPGRP, 20), K.INVAL);
  type("abc\nde");
  assert.equal(ioctl(TtyIoctl.FIONREAD, 32), K.OK);
  assert.equal(dv.getUint32(32, true), 4);
  dv.setInt32(36, 1, true);
  assert.equal(ioctl(TtyIoctl.FIONBIO, 36), K.OK);
  assert.ok(file.flags & OpenFlags.NONBLOCK);
  // a background group reading gets SIGTTIN and K.INTR
  const bg = { ...caller, pgid: 11 };
  assert.equal(tty.fileOps.read(file, new Uint8Array(4), bg), K.INTR);
  assert.deepEqual(signals.at(-1), [11, SIG.TTIN]);
  // another session cannot steal it
  assert.equal(
    tty.fileOps.ioctl!(file, TtyIoctl.TIOCSCTTY, 0, { ...caller, sid: 99, pid: 99 }),
    K.PERM,
  );
  assert.equal(ioctl(TtyIoctl.TIOCNOTTY, 0), K.OK);
  assert.equal(tty.session, 0);
});

Deno.test("tty: readers are woken by a completed line, writers blocked by a full port", () => {
  const { tty, type, file, caller } = setup();
  let woke = 0;
  tty.readQueue.add({ wake: () => woke++ });
  type("partial");
  assert.equal(woke, 0);
  type("\n");
  assert.equal(woke, 1);
  let room = 0;
  tty.attachPort({ transmit: () => {}, outputRoom: () => room });
  assert.equal(tty.fileOps.write(file, te.encode("hello"), caller), K.AGAIN);
  room = 4;
  assert.equal(tty.fileOps.write(file, te.encode("hello"), caller), 2);
  tty.hangup();
  assert.equal(tty.fileOps.write(file, te.encode("x"), caller), K.IO);
  assert.equal(tty.fileOps.read(file, new Uint8Array(8), caller) >= 0, true);
});

Deno.test("tty: with IUTF8, ERASE removes a whole multi-byte character", () => {
  const { tty, type, read, output, file, caller } = setup();
  tty.termios.iflag |= IFLAG.IUTF8;
  type("a\u00e9\u20ac\x7f\x7f\n"); // a, é (2 bytes), € (3 bytes), two erases
  assert.equal(read(), "a\n");
  assert.equal(output(), "a\u00e9\u20ac\b \b\b \b\r\n");
  tty.termios.iflag &= ~IFLAG.IUTF8;
  type("\u00e9\x7f\n"); // without IUTF8 only the last byte goes
  const buf = new Uint8Array(8);
  assert.equal(tty.fileOps.read(file, buf, caller), 2);
  assert.deepEqual([...buf.subarray(0, 2)], [0xc3, 0x0a]);
});
