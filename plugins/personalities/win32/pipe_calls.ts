/**
 * Pipes: NtCreateNamedPipeFile makes the server end of a one-instance,
 * one-direction byte pipe under `\Device\NamedPipe` (kernel32's CreatePipe
 * makes an inbound one and opens its client end); an open of the name
 * connects the client end; NtFsControlFile(FSCTL_PIPE_PEEK) answers
 * PeekNamedPipe. Both ends are kernel pipes (`createPipe`), so a Win32 pipe
 * end handed to a Unix child is an ordinary pipe descriptor.
 *
 * @module
 */

import type { KernelApi, OpenFile, Thread } from "../../../kernel/api.ts";
import { nargs, OBJ_INHERIT, readObjectAttributes, writeIosb } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, Win32Process } from "./executive.ts";
import { mapGenericAccess } from "./ob.ts";
import { FILE_ACCESS, FileObject } from "./objects.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { createPipe, peekPipe } from "../../../kernel/api.ts";

/** FSCTL_PIPE_PEEK. */
export const FSCTL_PIPE_PEEK = 0x11_400c;

/** A named pipe waiting for (or holding) its client. */
interface PipeInstance {
  server: FileObject;
  client: OpenFile | null;
}

const registries = new WeakMap<Executive, Map<string, PipeInstance>>();

function registry(ex: Executive): Map<string, PipeInstance> {
  let r = registries.get(ex);
  if (r === undefined) {
    r = new Map();
    registries.set(ex, r);
  }
  for (const [k, v] of r) if (v.server.dead) r.delete(k);
  return r;
}

/**
 * NtCreateNamedPipeFile(FileHandle*, DesiredAccess, ObjectAttributes*,
 * IoStatusBlock*, ShareAccess, CreateDisposition, CreateOptions,
 * NamedPipeType, ReadMode, CompletionMode, MaximumInstances, InboundQuota,
 * OutboundQuota, DefaultTimeout*). The server end reads (inbound) when it
 * asks for read access, else writes (outbound); a duplex pipe is
 * STATUS_NOT_SUPPORTED. InboundQuota/OutboundQuota set the buffer size
 * (default 64 KiB).
 */
export function ntCreateNamedPipeFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 14);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const p = t.process;
  const w = win32Of(ex, t);
  const oa = readObjectAttributes(api, p, a[2]);
  if (typeof oa === "number") return nt(oa);
  const dev = ex.deviceOf(oa.name, null);
  if (typeof dev === "number") return nt(dev);
  if (dev.device.kind !== "namedpipe" || dev.rest === "") return nt(STATUS.OBJECT_NAME_INVALID);
  const access = mapGenericAccess("File", a[1]);
  const reads = (access & FILE_ACCESS.READ_DATA) !== 0;
  const writes = (access & FILE_ACCESS.WRITE_DATA) !== 0;
  if (reads && writes) return nt(STATUS.NOT_SUPPORTED);
  const reg = registry(ex);
  const key = dev.rest.toUpperCase();
  if (reg.has(key)) return nt(STATUS.INSTANCE_NOT_AVAILABLE);
  const quota = reads ? a[11] : a[12];
  const capacity = quota > 0 && quota <= 1 << 20 ? quota : 64 * 1024;
  const { reader, writer } = createPipe({ capacity, account: api.pipeMemory });
  const mine = reads ? reader : writer;
  const server = new FileObject(api, mine, "pipe", "", access, a[4], null);
  server.pipeServer = true;
  reg.set(key, { server, client: reads ? writer : reader });
  const h = w.handles.insert(server, access, (oa.attributes & OBJ_INHERIT) ? 1 : 0);
  if (h < 0) return h;
  api.writeU32(p, a[0], h);
  writeIosb(api, p, a[3], STATUS.SUCCESS, 2);
  return STATUS.SUCCESS;
}

/** Opens the client end of the pipe `name`; the handle and info, or an NTSTATUS. */
export function openPipeClient(
  ex: Executive,
  w: Win32Process,
  name: string,
  access: number,
  inherit: boolean,
): { handle: number; info: number } | number {
  const inst = registry(ex).get(name.toUpperCase());
  if (inst === undefined) return STATUS.OBJECT_NAME_NOT_FOUND;
  if (inst.client === null) return STATUS.PIPE_NOT_AVAILABLE;
  const obj = new FileObject(ex.api, inst.client, "pipe", "", access, 7, null);
  inst.client = null;
  const h = w.handles.insert(obj, access, inherit ? 1 : 0);
  return h < 0 ? STATUS.INSUFFICIENT_RESOURCES : { handle: h, info: 1 };
}

/**
 * NtFsControlFile(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock*,
 * FsControlCode, InputBuffer, InputBufferLength, OutputBuffer,
 * OutputBufferLength). Only FSCTL_PIPE_PEEK, on either end of a pipe:
 * FILE_PIPE_PEEK_BUFFER {NamedPipeState 3 (connected), ReadDataAvailable,
 * NumberOfMessages 0, MessageLength 0} followed by as many of the buffered
 * bytes as fit, not consumed; IO_STATUS_BLOCK.Information = 16 + bytes.
 * An empty pipe whose writers are gone: STATUS_PIPE_BROKEN.
 */
export function ntFsControlFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 10);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const w = win32Of(ex, t);
  const o = objectOf(w, a[0], "File", 0);
  if (typeof o === "number") return nt(o);
  const f = o as FileObject;
  if (a[5] !== FSCTL_PIPE_PEEK) return nt(STATUS.INVALID_DEVICE_REQUEST);
  if (f.kind !== "pipe" || f.file === null) return nt(STATUS.INVALID_PARAMETER);
  if (a[9] < 16) return nt(STATUS.BUFFER_TOO_SMALL);
  const out = new Uint8Array(Math.min(a[9], 16 + 64 * 1024));
  const peek = peekPipe(f.file, out.subarray(16));
  if (peek === null) return nt(STATUS.INVALID_PIPE_STATE);
  if (peek.available === 0 && peek.writers === 0) return nt(STATUS.PIPE_BROKEN);
  const v = new DataView(out.buffer);
  v.setUint32(0, 3, true);
  v.setUint32(4, peek.available, true);
  if (!api.copyOut(t.process, a[8], out.subarray(0, 16 + peek.copied))) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  writeIosb(api, t.process, a[4], STATUS.SUCCESS, 16 + peek.copied);
  return STATUS.SUCCESS;
}
