import assert from "node:assert/strict";
import {
  ACCESS,
  DeviceObject,
  EventObject,
  mapGenericAccess,
  Namespace,
  ObjectDirectory,
  SymbolicLink,
} from "../../../../plugins/personalities/win32/ob.ts";
import {
  DUPLICATE,
  duplicateHandle,
  HANDLE_FLAG,
  HANDLE_NOT_CLOSABLE,
  HandleTable,
} from "../../../../plugins/personalities/win32/handles.ts";
import { FILE_SHARE, ShareTable } from "../../../../plugins/personalities/win32/objects.ts";
import { STATUS } from "../../../../plugins/personalities/win32/ntstatus.ts";
import {
  joinCommandLine,
  splitCommandLine,
} from "../../../../plugins/personalities/win32/cmdline.ts";
import { NATIVE_CALL_NAMES } from "../../../../plugins/personalities/win32/native_numbers.ts";
import { NATIVE_CALLS } from "../../../../plugins/personalities/win32/native_table.ts";
import {
  NTSYSCALLS_HEADER,
  renderNtSyscallsHeader,
} from "../../../../plugins/personalities/win32/gen_ntsyscalls.ts";
import { wildcardMatch } from "../../../../plugins/personalities/win32/file_info.ts";

Deno.test("ob: handles are multiples of 4, reused lowest first, and hold a reference", () => {
  const t = new HandleTable();
  const e = new EventObject(true, false);
  const h1 = t.insert(e, 0x1f0003), h2 = t.insert(e, 0x1f0003), h3 = t.insert(e, 0x1f0003);
  assert.deepEqual([h1, h2, h3], [4, 8, 12]);
  assert.equal(e.refs, 3);
  assert.equal(t.close(h2), STATUS.SUCCESS);
  assert.equal(t.close(h2), STATUS.INVALID_HANDLE);
  assert.equal(t.insert(e, 1), 8);
  assert.equal(t.reference(h1 | 3, "Event", 0), e); // tag bits ignored
  assert.equal(t.reference(h1, "Process", 0), STATUS.OBJECT_TYPE_MISMATCH);
  assert.equal(t.reference(8, "Event", 0x2), STATUS.ACCESS_DENIED); // granted 1 only
  t.closeAll();
  assert.equal(e.refs, 0);
  assert.equal(e.dead, true);
});

Deno.test("ob: protected handles resist NtClose; inheritance keeps values", () => {
  const parent = new HandleTable();
  const a = new EventObject(true, false), b = new EventObject(false, false);
  const ha = parent.insert(a, 1, HANDLE_FLAG.INHERIT);
  const hb = parent.insert(b, 1, 0);
  const hc = parent.insert(b, 1, HANDLE_FLAG.INHERIT | HANDLE_FLAG.PROTECT_FROM_CLOSE);
  assert.equal(parent.close(hc), HANDLE_NOT_CLOSABLE);
  const child = new HandleTable();
  child.inheritFrom(parent);
  assert.deepEqual(child.list().map(([h]) => h), [ha, hc]);
  assert.equal(child.entry(hb), null);
  assert.equal(child.insert(a, 1), hb); // the gap is reused
  assert.equal(a.refs, 3);
});

Deno.test("ob: DuplicateHandle semantics (same access, close source, into another table)", () => {
  const src = new HandleTable(), dst = new HandleTable();
  const e = new EventObject(true, false);
  const h = src.insert(e, 0x1f0003, HANDLE_FLAG.INHERIT);
  const d1 = duplicateHandle(src, h, dst, 0, 0, DUPLICATE.SAME_ACCESS | DUPLICATE.SAME_ATTRIBUTES);
  assert.equal(d1, 4);
  assert.equal(dst.entry(d1)!.access, 0x1f0003);
  assert.equal(dst.entry(d1)!.flags, HANDLE_FLAG.INHERIT);
  const d2 = duplicateHandle(src, h, dst, 0x1, 0, DUPLICATE.CLOSE_SOURCE);
  assert.equal(dst.entry(d2)!.access, 0x1);
  assert.equal(src.entry(h), null);
  assert.equal(e.refs, 2);
  assert.equal(duplicateHandle(src, h, dst, 0, 0, 0), STATUS.INVALID_HANDLE | 0);
});

Deno.test("ob: generic access maps per type", () => {
  assert.equal(mapGenericAccess("File", ACCESS.GENERIC_READ), 0x120089);
  assert.equal(mapGenericAccess("File", ACCESS.GENERIC_READ | ACCESS.GENERIC_WRITE), 0x12019f);
  assert.equal(mapGenericAccess("Process", ACCESS.MAXIMUM_ALLOWED), 0x1fffff);
  assert.equal(mapGenericAccess("Event", 0x2), 0x2);
});

Deno.test("ob: the namespace has \\Device, \\??, \\BaseNamedObjects and \\KnownDlls; links reparse", () => {
  const ns = new Namespace(["/mnt/host"]);
  const c = ns.resolve("\\??\\C:\\Windows\\x.txt");
  assert.ok(typeof c !== "number" && c.object instanceof DeviceObject);
  if (typeof c !== "number") {
    assert.equal((c.object as DeviceObject).vfsRoot, "/");
    assert.equal(c.rest, "Windows\\x.txt");
  }
  const h = ns.resolve("\\??\\h:\\a");
  assert.ok(typeof h !== "number" && (h.object as DeviceObject).vfsRoot === "/mnt/host");
  assert.deepEqual(ns.driveList(), [["C:", "/"], ["H:", "/mnt/host"]]);
  const pipe = ns.resolve("\\??\\PIPE\\x");
  assert.ok(typeof pipe !== "number" && (pipe.object as DeviceObject).kind === "namedpipe");
  for (
    const [name, rest] of [["con", "Console"], ["CONIN$", "CurrentIn"], ["Conout$", "CurrentOut"]]
  ) {
    const con = ns.resolve(`\\??\\${name}`);
    assert.ok(typeof con !== "number" && (con.object as DeviceObject).kind === "console", name);
    assert.equal(typeof con !== "number" && con.rest, rest);
  }
  assert.ok(ns.root.lookup("knowndlls") instanceof ObjectDirectory);
  assert.ok(ns.knownDlls.lookup("KnownDllPath") instanceof SymbolicLink);
  assert.equal(ns.resolve("\\Nope\\x"), STATUS.OBJECT_PATH_NOT_FOUND);
  const miss = ns.resolve("\\BaseNamedObjects\\Ev");
  assert.ok(typeof miss !== "number" && miss.missingIn === ns.baseNamedObjects);
  assert.equal(ns.resolve("relative"), STATUS.OBJECT_PATH_SYNTAX_BAD);
});

Deno.test("ob: a named temporary object leaves its directory with its last reference", () => {
  const ns = new Namespace();
  const e = new EventObject(true, false);
  assert.equal(ns.baseNamedObjects.insert("MyEvent", e), STATUS.SUCCESS);
  assert.equal(ns.baseNamedObjects.insert("MYEVENT", e), STATUS.OBJECT_NAME_COLLISION);
  e.reference();
  assert.equal(ns.baseNamedObjects.lookup("myevent"), e);
  e.dereference();
  assert.equal(ns.baseNamedObjects.lookup("myevent"), undefined);
});

Deno.test("ob: share modes between opens (IoCheckShareAccess)", () => {
  const s = new ShareTable();
  const R = 0x1, W = 0x2, DEL = 0x10000;
  assert.ok(s.check("/f", R, FILE_SHARE.READ));
  s.add("/f", R, FILE_SHARE.READ);
  assert.ok(s.check("/f", R, FILE_SHARE.READ));
  assert.ok(!s.check("/f", W, FILE_SHARE.READ | FILE_SHARE.WRITE)); // first open does not share write
  assert.ok(!s.check("/f", R, 0)); // new open shares nothing, a reader exists
  assert.ok(s.check("/f", 0x80, 0)); // attributes only: not checked
  assert.ok(!s.check("/f", DEL, 7));
  s.remove("/f", R, FILE_SHARE.READ);
  assert.ok(s.check("/f", W | DEL, 0));
});

Deno.test("cmdline: Microsoft quoting round-trips", () => {
  const argv = ["C:\\bin\\p.exe", "a b", 'say "hi"', "tail\\", "", 'x\\\\"y'];
  assert.deepEqual(splitCommandLine(joinCommandLine(argv)), argv);
  assert.deepEqual(splitCommandLine('"C:\\a b\\p.exe" x  "y z"'), ["C:\\a b\\p.exe", "x", "y z"]);
  assert.deepEqual(splitCommandLine('p a\\\\"b c" d'), ["p", "a\\b c", "d"]);
});

Deno.test("wildcards: * ? and the DOS forms, without case", () => {
  assert.ok(wildcardMatch("*.TXT", "notes.txt"));
  assert.ok(wildcardMatch("n?tes.*", "Notes.md"));
  assert.ok(!wildcardMatch("*.c", "main.h"));
  assert.ok(wildcardMatch("*", ".hidden"));
});

Deno.test("native calls: the table follows the number list, the header is current", async () => {
  assert.deepEqual(NATIVE_CALLS.map((r) => r.name), [...NATIVE_CALL_NAMES]);
  const header = await Deno.readTextFile(
    new URL(`../../../../${NTSYSCALLS_HEADER}`, import.meta.url),
  );
  assert.equal(header, renderNtSyscallsHeader());
});

Deno.test("docs/syscalls_win32.md matches the native call table", async () => {
  const { renderSyscallDoc, SYSCALL_DOC_PATH } = await import(
    "../../../../plugins/personalities/win32/syscall_doc.ts"
  );
  const onDisk = await Deno.readTextFile(
    new URL(`../../../../${SYSCALL_DOC_PATH}`, import.meta.url),
  );
  assert.equal(
    onDisk,
    renderSyscallDoc(),
    "regenerate with: deno run -A plugins/personalities/win32/syscall_doc.ts",
  );
});
