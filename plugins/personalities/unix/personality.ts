/**
 * The Unix personality object: the syscall table plus the hooks the kernel
 * calls at exec (format check, initial stack), at signal delivery, at fork
 * and at exit.
 *
 * @module
 */

import {
  K,
  type KernelApi,
  type KStatus,
  type LoadedImage,
  type Personality,
  type Process,
  PROT,
  type SigAction,
  type SignalInfo,
  type Thread,
} from "../../../kernel/api.ts";
import { errnoOf } from "./errno.ts";
import { ArgumentListTooLongError, buildInitialStack, standardAuxv } from "./initial_stack.ts";
import { procData, randomOf, threadData, UnixProcessData } from "./common.ts";
import { deliverUnixSignal } from "./signal_calls.ts";
import { TRAMPOLINE_ECALL, TRAMPOLINE_LI_A7 } from "./signal_frame.ts";
import { PAGE_SIZE } from "./abi.ts";
import { buildSyscallArrays } from "./syscall_arrays.ts";
import { unixSyscallDecoder } from "./strace.ts";
import { unixInterpreterOf, unixOnExec, unixOnFault } from "./exec_rules.ts";
import { TypedSlab } from "../../../lib/typed_slab.ts";

/** ELF identification the Unix personality accepts. */
const ELF_MAGIC = 0x464c457f; // "\x7fELF" little-endian
const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const ET_EXEC = 2;
const EM_RISCV = 243;

/** Program header type of an interpreter request (dynamic linking). */
const PT_INTERP = 3;

/**
 * True for a static ELF32 little-endian RISC-V executable (ET_EXEC without
 * a PT_INTERP segment). Other ELF types (shared objects, PIE), classes and
 * machines, and dynamically linked programs (this kernel has no dynamic
 * loader to start) are refused, so exec answers ENOEXEC for them.
 */
export function isUnixExecutable(bytes: Uint8Array): boolean {
  if (bytes.length < 52) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    v.getUint32(0, true) !== ELF_MAGIC || bytes[4] !== ELFCLASS32 || bytes[5] !== ELFDATA2LSB ||
    v.getUint16(16, true) !== ET_EXEC || v.getUint16(18, true) !== EM_RISCV
  ) return false;
  const phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true);
  const phnum = v.getUint16(44, true);
  if (phentsize < 32) return phnum === 0;
  for (let i = 0; i < phnum; i++) {
    const off = phoff + i * phentsize;
    if (off + 4 > bytes.length) return false; // truncated table: not a loadable executable
    if (v.getUint32(off, true) === PT_INTERP) return false;
  }
  return true;
}

// Small arrays every exec makes: views of shared buffers (lib/typed_slab.ts).
const SLAB = new TypedSlab();

const te = new TextEncoder();

/**
 * Maps the page signal handlers return through: `li a7, 139; ecall`,
 * read-execute. The stack is not executable (the ELF loader maps it
 * read-write), so the copy of the trampoline inside each frame cannot be
 * run; `ra` points here instead, as Linux points it at its vDSO.
 * Returns the page address or a negative status.
 */
function mapSigreturnPage(api: KernelApi, p: Process): number {
  const page = api.mmap(p, 0, PAGE_SIZE, PROT.READ | PROT.WRITE, false, "[vdso]");
  if (page < 0 && page >= -4095) return page;
  const code = SLAB.uint8(8);
  const v = new DataView(code.buffer, code.byteOffset, code.byteLength);
  v.setUint32(0, TRAMPOLINE_LI_A7, true);
  v.setUint32(4, TRAMPOLINE_ECALL, true);
  if (!api.copyOut(p, page, code)) return K.FAULT;
  const r = api.mprotect(p, page, PAGE_SIZE, PROT.READ | PROT.EXEC);
  return r < 0 ? r : page >>> 0;
}

/** Builds the Unix personality bound to one kernel. */
export function createUnixPersonality(api: KernelApi): Personality {
  const arrays = buildSyscallArrays();
  return {
    name: "unix",
    syscalls: arrays.syscalls,
    syscallNames: arrays.syscallNames,
    syscallSupport: arrays.syscallSupport,
    decoder: unixSyscallDecoder(arrays.syscallNames),
    mapStatus(status: number): number {
      return -errnoOf(status);
    },
    deliverSignal(t: Thread, sig: number, action: SigAction, info: SignalInfo): boolean {
      return deliverUnixSignal(api, t, sig, action, info);
    },
    checkBinary: isUnixExecutable,
    interpreterOf: unixInterpreterOf,
    onExec: unixOnExec(api),
    onFault: unixOnFault(api),
    setupProcess(t: Thread, image: LoadedImage, argv: string[], envp: string[]): KStatus {
      const p = t.process;
      const random = SLAB.uint8(16);
      randomOf(api).fill(random);
      let st;
      try {
        st = buildInitialStack({
          stackTop: image.stackTop,
          argv: argv.map((s) => te.encode(s)),
          envp: envp.map((s) => te.encode(s)),
          execfn: te.encode(image.path),
          random,
          auxv: standardAuxv({
            phdr: image.phdrAddr,
            phent: image.phent,
            phnum: image.phnum,
            entry: image.entry,
            uid: p.uid,
            euid: p.uid,
            gid: p.gid,
            egid: p.gid,
          }),
          limit: Math.min(image.stackSize / 4, 128 * 1024),
        });
      } catch (e) {
        if (e instanceof ArgumentListTooLongError) return K.TOOBIG;
        if (e instanceof RangeError) return K.INVAL;
        throw e;
      }
      if (!api.copyOut(p, st.sp, st.bytes)) return K.FAULT;
      const page = mapSigreturnPage(api, p);
      if (page < 0) return page;
      t.regs.fill(0);
      t.regs[2] = st.sp | 0;
      t.pc = image.entry >>> 0;
      procData(p, api).sigreturnPage = page;
      const td = threadData(t);
      td.clearChildTid = 0;
      td.robustHead = 0;
      td.robustLen = 0;
      td.altStackSp = 0; // exec drops the alternate signal stack
      td.altStackSize = 0;
      return K.OK;
    },
    onFork(parent: Process, child: Process): void {
      const d = new UnixProcessData(child, api);
      const pd = parent.pdata;
      if (pd instanceof UnixProcessData) {
        d.sigreturnPage = pd.sigreturnPage;
      }
      child.pdata = d;
    },
    onExecAway(p: Process): void {
      // The process now belongs to another personality: leave it no Unix state.
      if (p.pdata instanceof UnixProcessData) p.pdata = null;
    },
  };
}
