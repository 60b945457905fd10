/**
 * exec: replacing a process's program. The steps, in order:
 *
 * 1. find the file (the caller's cwd), check it is a regular executable file;
 * 2. ask each personality whether the file names an interpreter
 *    (`interpreterOf`: `#!` scripts for Unix) and if so exec that instead,
 *    at most {@link MAX_INTERPRETER_DEPTH} levels deep;
 * 3. pick the personality whose `checkBinary` accepts the bytes;
 * 4. load the image into a fresh address space (ELF32 here, or the
 *    personality's own `loadBinary`);
 * 5. let the personality build the initial stack (`setupProcess`); until it
 *    succeeds the old program is intact;
 * 6. commit: drop the old space, call the personality's `onExec` (the rules
 *    of its ABI: close-on-exec, signal actions) and rebind the process.
 *
 * @module
 */

import { type Elf32Image, parseElf32Headers } from "../../lib/elf.ts";
import type { ImageLoader, LoadedImage, Personality } from "../api.ts";
import { errorText, K, type KStatus } from "../errors.ts";
import type { PathLoc, Vfs } from "../fs/vfs.ts";
import { type OpenFile, OpenFlags, S_IFMT, S_IFREG } from "../fs/types.ts";
import { AddressSpace, type MmContext, USER_LAYOUT } from "../mm/address_space.ts";
import type { OwnedList } from "../modules/registry.ts";
import { NO_RESULT } from "../proc/call_result.ts";
import type { KernelCosts } from "../proc/costs.ts";
import { NO_MEMORY, type Thread } from "../proc/process.ts";
import { RLIMIT } from "../proc/rlimits.ts";
import { loadElf } from "./elf_loader.ts";
import { TypedSlab } from "../../lib/typed_slab.ts";

/** How many interpreters an exec may go through (`#!` naming a `#!` script...). */
export const MAX_INTERPRETER_DEPTH = 4;

/** Bytes read from the start of a program before anything else: headers, `#!` line. */
export const HEAD_BYTES = 4096;
/**
 * Most bytes exec reads as a program's headers: an ELF program header table
 * must end within this many bytes of the start of the file.
 */
export const HEAD_MAX = 128 * 1024;

/** A program open for exec. */
interface Program {
  readonly vfs: Vfs;
  readonly file: OpenFile;
  /** Its first bytes (see {@link readHead}). */
  readonly head: Uint8Array;
  /** Its size. */
  readonly size: number;
  /** Its absolute path. */
  readonly path: string;
  /** The process's RLIMIT_STACK soft limit (bytes; Infinity for none). */
  readonly stackLimit: number;
}

// The file reads and saved registers of an exec: views of shared buffers (lib/typed_slab.ts).
const SLAB = new TypedSlab();

/** `length` bytes of `file` at `offset` (fewer at the end of the file), or a status. */
function readRange(vfs: Vfs, file: OpenFile, offset: number, length: number): Uint8Array | KStatus {
  const out = SLAB.uint8(length);
  let done = 0;
  while (done < length) {
    const n = vfs.pread(file, out.subarray(done), offset + done);
    if (n < 0) return n;
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.slice(0, done);
}

/**
 * The first bytes of a program of `size` bytes: {@link HEAD_BYTES}, or for
 * an ELF file up to the end of its program header table when that lies
 * within {@link HEAD_MAX}. Nothing else of the file is read before the
 * headers are checked.
 */
function readHead(vfs: Vfs, file: OpenFile, size: number): Uint8Array | KStatus {
  const head = readRange(vfs, file, 0, Math.min(size, HEAD_BYTES));
  if (typeof head === "number" || head.length < 52) return head;
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return head;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const end = dv.getUint32(28, true) + dv.getUint16(42, true) * dv.getUint16(44, true);
  if (end <= head.length || end > HEAD_MAX || end > size) return head;
  return readRange(vfs, file, 0, end);
}

/** What exec needs from the rest of the kernel. */
export interface ExecDeps {
  /** The file tree. */
  readonly vfs: Vfs;
  /** Registered personalities, in registration order, with their modules. */
  readonly personalities: OwnedList<Personality>;
  /** Memory-management context for new address spaces. */
  readonly mm: MmContext;
  /** Cost table (exec's cycle charge). */
  readonly costs: KernelCosts;
  /** Charges kernel cycles to the running thread. */
  charge(cycles: number): void;
  /** Forgets the CPU's cached translation of the current space. */
  invalidateSpace(): void;
  /** Takes (true) or drops (false) a user reference on a module. */
  moduleRef(owner: string, take: boolean): void;
  /** Kernel log. */
  log(line: string): void;
  /** Starts `t` over with the Initial floating-point state (a new program). */
  resetFp(t: Thread): void;
}

/** Program loading for every personality. */
export class ExecService {
  readonly #d: ExecDeps;

  /** Creates the service. */
  constructor(deps: ExecDeps) {
    this.#d = deps;
  }

  /** Replaces the program of `t.process`; {@link NO_RESULT} on success, else a status. */
  exec(t: Thread, path: string, argv: string[], envp: string[]): number {
    return this.#exec(t, path, argv, envp, 0);
  }

  #exec(t: Thread, path: string, argv: string[], envp: string[], depth: number): number {
    const vfs = this.#d.vfs;
    const p = t.process;
    const base = (p.cwdLoc as PathLoc | null) ?? vfs.root();
    const r = vfs.open(base, path, OpenFlags.READ | OpenFlags.EXEC, 0, p);
    if (typeof r === "number") return r === K.ISDIR ? K.ACCES : r;
    const file = r.file;
    let open = true;
    try {
      const st = vfs.fstat(file);
      if (typeof st === "number") return st;
      if ((st.mode & S_IFMT) !== S_IFREG) return K.ACCES;
      const head = readHead(vfs, file, st.size);
      if (typeof head === "number") return head;
      const redirect = this.#interpreter(head, path, argv);
      if (redirect !== null) {
        if (depth >= MAX_INTERPRETER_DEPTH) return K.LOOP;
        if (typeof redirect === "number") return redirect;
        vfs.close(file);
        open = false;
        return this.#exec(t, redirect.path, redirect.argv, envp, depth + 1);
      }
      const stackLimit = p.rlimits.soft[RLIMIT.STACK];
      const prog = { vfs, file, head, size: st.size, path: file.path ?? path, stackLimit };
      return this.#execImage(t, prog, {
        argv,
        envp,
      });
    } finally {
      if (open) vfs.close(file);
    }
  }

  /** Steps 3 to 6 for the program open as `prog`. */
  #execImage(t: Thread, prog: Program, args: { argv: string[]; envp: string[] }): number {
    const pers = this.#formatOwner(prog.head);
    if (pers === null) return K.NOEXEC;
    let space: AddressSpace;
    try {
      space = new AddressSpace(this.#d.mm);
    } catch {
      return K.NOMEM;
    }
    const image = this.#loadImage(pers, space, prog);
    if (typeof image === "number") {
      space.destroy();
      return image;
    }
    const r = this.#setup(t, pers, space, image, args.argv, args.envp);
    if (r < 0) return r;
    this.#commit(t, pers, prog.path, args.argv, args.envp);
    return NO_RESULT;
  }

  /** The first personality that names an interpreter for the file, or null. */
  #interpreter(
    bytes: Uint8Array,
    path: string,
    argv: string[],
  ): { path: string; argv: string[] } | KStatus | null {
    for (const pers of this.#d.personalities.values()) {
      if (pers.interpreterOf === undefined) continue;
      try {
        const r = pers.interpreterOf(bytes, path, argv);
        if (r !== null) return r;
      } catch (e) {
        this.#d.log(`interpreterOf threw: ${errorText(e)}`);
        return K.NOEXEC;
      }
    }
    return null;
  }

  /** The first personality (in registration order) whose format the bytes are. */
  #formatOwner(bytes: Uint8Array): Personality | null {
    for (const pers of this.#d.personalities.values()) {
      let ok = false;
      try {
        ok = pers.checkBinary(bytes);
      } catch {
        ok = false;
      }
      if (ok) return pers;
    }
    return null;
  }

  /** Installs the new space and runs `setupProcess`; on failure restores the old state. */
  #setup(
    t: Thread,
    pers: Personality,
    space: AddressSpace,
    image: LoadedImage,
    argv: string[],
    envp: string[],
  ): number {
    const p = t.process;
    const oldSpace = p.space as AddressSpace | null;
    p.space = space;
    p.memory = space;
    const savedRegs = SLAB.int32(32);
    savedRegs.set(t.regs);
    const savedPc = t.pc;
    t.regs.fill(0);
    let st: number;
    try {
      st = pers.setupProcess(t, image, argv, envp);
    } catch (e) {
      this.#d.log(`setupProcess threw: ${errorText(e)}`);
      st = K.FAULT;
    }
    if (st < 0) {
      p.space = oldSpace;
      p.memory = oldSpace ?? NO_MEMORY;
      t.regs.set(savedRegs);
      t.pc = savedPc;
      space.destroy();
      return st;
    }
    oldSpace?.destroy();
    this.#d.invalidateSpace();
    this.#d.resetFp(t);
    return K.OK;
  }

  /** The point of no return: the personality's exec rules, then the process's new identity. */
  #commit(t: Thread, pers: Personality, absPath: string, argv: string[], envp: string[]): void {
    const p = t.process;
    const d = this.#d;
    try {
      pers.onExec?.(t);
    } catch (e) {
      d.log(`onExec threw: ${errorText(e)}`);
    }
    const oldPers = p.personality as Personality | null;
    if (oldPers !== pers) {
      if (oldPers !== null) {
        try {
          oldPers.onExecAway?.(p);
        } catch (e) {
          d.log(`onExecAway threw: ${errorText(e)}`);
        }
        const o = d.personalities.ownerOf(oldPers);
        if (o !== null) d.moduleRef(o, false);
      }
      const n = d.personalities.ownerOf(pers);
      if (n !== null) d.moduleRef(n, true);
      p.personality = pers;
      p.personalityName = pers.name;
    }
    const slash = absPath.lastIndexOf("/");
    p.comm = absPath.slice(slash + 1).slice(0, 15);
    p.exe = absPath;
    p.argv = argv.slice();
    p.envp = envp.slice();
    d.charge(d.costs.exec);
  }

  #loadImage(pers: Personality, space: AddressSpace, prog: Program): LoadedImage | KStatus {
    if (pers.loadBinary !== undefined) {
      const bytes = readRange(prog.vfs, prog.file, 0, prog.size);
      if (typeof bytes === "number") return bytes;
      return this.#loadForeign(pers, space, bytes, prog.path);
    }
    let elf: Elf32Image;
    try {
      elf = parseElf32Headers(prog.head, prog.size);
    } catch {
      return K.NOEXEC;
    }
    const read = (offset: number, length: number) => readRange(prog.vfs, prog.file, offset, length);
    const stackSize = stackSizeFor(prog.stackLimit);
    const lay = loadElf(space, elf, prog.path, read, stackSize);
    if (typeof lay === "number") return lay;
    return {
      path: prog.path,
      entry: lay.entry,
      phdrAddr: lay.phdrAddr,
      phent: elf.phentsize,
      phnum: elf.phnum,
      base: lay.base,
      brk: lay.brk,
      stackTop: USER_LAYOUT.STACK_TOP,
      stackSize,
      elf,
      bytes: prog.head,
    };
  }

  /** A personality's own format: it maps and fills the space through an {@link ImageLoader}. */
  #loadForeign(
    pers: Personality,
    space: AddressSpace,
    bytes: Uint8Array,
    path: string,
  ): LoadedImage | KStatus {
    const loader: ImageLoader = {
      map: (addr, length, prot, name) => space.mapRegion(addr, length, prot, name),
      write: (addr, data) => space.populate(addr, data) ? K.OK : K.FAULT,
    };
    try {
      const r = pers.loadBinary!(bytes, path, loader);
      if (typeof r === "number") return r;
      if (space.findRegion(r.stackTop - 1) === undefined) {
        const st = space.mapRegion(r.stackTop - r.stackSize, r.stackSize, 3, "[stack]");
        if (st < 0) return st;
      }
      if (space.brkStart === 0) space.initBrk(r.brk);
      return r;
    } catch (e) {
      this.#d.log(`loadBinary threw: ${errorText(e)}`);
      return K.NOEXEC;
    }
  }
}

/** The smallest stack an exec maps, whatever RLIMIT_STACK says (room for arguments). */
export const MIN_STACK_SIZE = 128 * 1024;

/**
 * The stack region for a new program: RLIMIT_STACK's soft limit rounded up
 * to pages, at least {@link MIN_STACK_SIZE}, at most the layout's region
 * (8 MiB; "unlimited" gets that too). The stack cannot grow past it: an
 * access below faults (SIGSEGV), as a stack overflowing its limit does on
 * Linux.
 */
export function stackSizeFor(limit: number): number {
  if (!(limit < USER_LAYOUT.STACK_SIZE)) return USER_LAYOUT.STACK_SIZE;
  const pages = Math.ceil(Math.max(limit, MIN_STACK_SIZE) / 4096) * 4096;
  return Math.min(pages, USER_LAYOUT.STACK_SIZE);
}
