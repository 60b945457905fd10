/**
 * The image loader of the executive: maps an exe and the DLLs it imports
 * into an address space, NT's loader work done in the kernel.
 *
 * Map of the file:
 * - {@link ImageCache}: parsed images by VFS path, size and mtime (a DLL is
 *   parsed once per boot; its built, unrelocated image is copied per load);
 * - {@link MapSpace}: where images go (the new space at exec, or a running
 *   process's space for NtStrataLoadDll);
 * - {@link ModuleSet}: one process's modules in initialisation order (the
 *   exe first), {@link ModuleSet.load} finding a DLL (the exe's folder, then
 *   `C:\Windows\System32`, ".dll" appended to a name without a dot),
 *   choosing its base (the preferred one, else the first free 64 KiB-aligned
 *   range: a rebase through the relocations), resolving its imports by name
 *   and ordinal (forwarders followed), mapping its sections with their
 *   protections, and {@link ModuleSet.unload} dropping a reference.
 *
 * Results are a module or an NTSTATUS (unsigned number).
 *
 * @module
 */

import { type KernelApi, PROT } from "../../../kernel/api.ts";
import {
  applyRelocations,
  buildImage,
  findExport,
  IMAGE_SCN_MEM_EXECUTE,
  IMAGE_SCN_MEM_WRITE,
  parsePe32,
  type Pe32Image,
  type PeExports,
  PeFormatError,
  type PeImport,
  readExports,
  readImports,
  writeImport,
} from "../../../lib/pe.ts";
import { STATUS } from "./ntstatus.ts";
import { resolveVfsName, splitName } from "./vfs_names.ts";

/** The VFS folder of `C:\Windows\System32`. */
export const SYSTEM32 = "/windows/system32";
/** Lowest address a rebased DLL is put at. */
const REBASE_FROM = 0x1000_0000;
/** Addresses images may not use (the PEB block and the stack live above). */
const IMAGE_LIMIT = 0x7f00_0000;
/** Deepest chain of imports and forwarders followed. */
const MAX_DEPTH = 32;

/** A parsed image file. */
export interface ImageFile {
  /** Headers. */
  img: Pe32Image;
  /** The image built at its preferred base (never modified: copied per load). */
  mem: Uint8Array;
  /** Exports (null without a directory). */
  exports: PeExports | null;
  /** Imports. */
  imports: PeImport[];
}

/** Parsed images by path, reparsed when the file's size or mtime changes. */
export class ImageCache {
  readonly #map = new Map<string, { key: string; file: ImageFile }>();

  /** Creates the cache; `onParsed` hears of every image parsed from a file. */
  constructor(private readonly onParsed: (path: string, file: ImageFile) => void = () => {}) {}

  /** The image at `path`: a file, or an NTSTATUS (INVALID_IMAGE_FORMAT, DLL_NOT_FOUND). */
  get(api: KernelApi, path: string, bytes?: Uint8Array): ImageFile | number {
    const st = api.vfs.stat(null, path);
    const key = typeof st === "number" ? "" : `${st.size}:${st.mtimeNs}`;
    const hit = this.#map.get(path);
    if (hit !== undefined && hit.key === key && key !== "") return hit.file;
    const data = bytes ?? api.vfs.readWholeFile(path);
    if (typeof data === "number") return STATUS.DLL_NOT_FOUND;
    const file = parseImageFile(data);
    if (typeof file === "number") return file;
    if (key !== "") {
      this.#map.set(path, { key, file });
      this.onParsed(path, file);
    }
    return file;
  }
}

/** Parses and builds an image; INVALID_IMAGE_FORMAT for any defect. */
export function parseImageFile(bytes: Uint8Array): ImageFile | number {
  try {
    const img = parsePe32(bytes);
    const mem = buildImage(bytes, img);
    return { img, mem, exports: readExports(mem, img), imports: readImports(mem, img) };
  } catch (e) {
    if (e instanceof PeFormatError) return STATUS.INVALID_IMAGE_FORMAT;
    throw e;
  }
}

/** A loaded module. */
export interface LoadedModule {
  /** Where it is mapped. */
  base: number;
  /** SizeOfImage. */
  size: number;
  /** Entry point address (0: none). */
  entry: number;
  /** A DLL (not the exe). */
  isDll: boolean;
  /** File name as on disk ("kernel32.dll"). */
  baseName: string;
  /** Win32 path ("C:\Windows\System32\kernel32.dll"). */
  fullName: string;
  /** VFS path. */
  vfsPath: string;
  /** Its exports. */
  exports: PeExports | null;
  /** References from NtStrataLoadDll (static modules: -1, never unloaded). */
  loadCount: number;
  /** Modules it imports from. */
  deps: LoadedModule[];
}

/** Where a module set maps images. */
export interface MapSpace {
  /**
   * Maps `[addr, addr+data.length)` (page multiple) with `prot`, filled with
   * `data`; K status (K.EXIST when something is there already).
   */
  mapFilled(addr: number, data: Uint8Array, prot: number, name: string): number;
  /** Removes a mapping made by mapFilled (runtime unloads). */
  unmap(addr: number, length: number): void;
}

function pageUp(n: number): number {
  return Math.ceil(n / 4096) * 4096;
}

/** Memory protection of a section from its IMAGE_SCN flags (always readable). */
export function sectionProt(characteristics: number): number {
  let prot = PROT.READ;
  if (characteristics & IMAGE_SCN_MEM_WRITE) prot |= PROT.WRITE;
  if (characteristics & IMAGE_SCN_MEM_EXECUTE) prot |= PROT.EXEC;
  return prot;
}

/** One process's loaded modules. */
export class ModuleSet {
  /** Modules in initialisation order; [0] is the exe once loaded. */
  readonly modules: LoadedModule[] = [];
  readonly #busy: [number, number][] = [];
  /** Win32 path of a VFS path (set by the executive: drive letters). */
  win32Path: (vfsPath: string) => string = (p) => `C:${p.replaceAll("/", "\\")}`;

  /** Creates the set over `space`; `reserved` ranges are never used for images. */
  constructor(
    readonly api: KernelApi,
    readonly cache: ImageCache,
    public space: MapSpace,
    reserved: [number, number][],
  ) {
    this.#busy.push([0, 0x10000], ...reserved);
  }

  /** The folder of the exe (VFS), searched first for DLLs. */
  get exeDir(): string {
    const exe = this.modules[0];
    if (exe === undefined || exe.isDll) return SYSTEM32;
    return exe.vfsPath.slice(0, exe.vfsPath.lastIndexOf("/")) || "/";
  }

  /** Loads the exe at `vfsPath` (its bytes given) at its base; the module or an NTSTATUS. */
  loadExe(vfsPath: string, bytes: Uint8Array): LoadedModule | number {
    const file = this.cache.get(this.api, vfsPath, bytes);
    if (typeof file === "number") return file;
    if (file.img.isDll || file.img.entryRva === 0) return STATUS.INVALID_IMAGE_FORMAT;
    const mod = this.#place(file, vfsPath, false);
    if (typeof mod === "number") return mod;
    this.modules.push(mod);
    this.#exeFile = file;
    return mod;
  }

  /** Resolves the exe's imports after the DLLs named in `first` (ntdll, kernel32). */
  linkExe(first: string[]): number {
    const exe = this.modules[0];
    for (const name of first) {
      const m = this.load(name, 1);
      if (typeof m === "number") return m;
    }
    return this.#link(exe, this.#exeFile!, 1);
  }

  /** The exe's SizeOfStackReserve (0 before loadExe). */
  get exeStackReserve(): number {
    return this.#exeFile?.img.stackReserve ?? 0;
  }

  /** The module loaded from `vfsPath`, or undefined. */
  byPath(vfsPath: string): LoadedModule | undefined {
    return this.modules.find((m) => m.vfsPath === vfsPath);
  }

  /** The module mapped at `base`, or undefined. */
  byBase(base: number): LoadedModule | undefined {
    return this.modules.find((m) => m.base === base >>> 0);
  }

  /** The VFS path of DLL `name` (search order above), or DLL_NOT_FOUND. */
  find(name: string): string | number {
    let n = name;
    const parts = splitName(n);
    if (parts.length === 0) return STATUS.DLL_NOT_FOUND;
    if (!parts[parts.length - 1].includes(".")) n += ".dll";
    if (/^[A-Za-z]:/.test(n) || /[\\/]/.test(n)) {
      if (!/^[Cc]:/.test(n)) return STATUS.DLL_NOT_FOUND;
      const r = resolveVfsName(this.api, "/", n.slice(2));
      return typeof r !== "number" && r.exists && !r.isDir ? r.path : STATUS.DLL_NOT_FOUND;
    }
    for (const dir of [this.exeDir, SYSTEM32]) {
      const r = resolveVfsName(this.api, dir, n);
      if (typeof r !== "number" && r.exists && !r.isDir) return r.path;
    }
    return STATUS.DLL_NOT_FOUND;
  }

  /**
   * Loads DLL `name` and what it imports (or finds it loaded); `depth`
   * bounds import chains. The module or an NTSTATUS; on failure the
   * modules mapped for it stay listed until the caller drops the set.
   */
  load(name: string, depth = 0): LoadedModule | number {
    if (depth > MAX_DEPTH) return STATUS.DLL_NOT_FOUND;
    const path = this.find(name);
    if (typeof path === "number") return path;
    const have = this.byPath(path) ?? this.#loading.find((m) => m.vfsPath === path);
    if (have !== undefined) return have;
    const file = this.cache.get(this.api, path);
    if (typeof file === "number") return file;
    if (!file.img.isDll) return STATUS.INVALID_IMAGE_FORMAT;
    const mod = this.#place(file, path, true);
    if (typeof mod === "number") return mod;
    this.#loading.push(mod);
    try {
      const r = this.#link(mod, file, depth + 1);
      if (r !== STATUS.SUCCESS) return r;
    } finally {
      this.#loading.splice(this.#loading.indexOf(mod), 1);
    }
    this.modules.push(mod);
    return mod;
  }

  readonly #loading: LoadedModule[] = [];
  #exeFile: ImageFile | null = null;
  readonly #mems = new WeakMap<LoadedModule, Uint8Array>();

  /** Chooses the base, relocates a copy of the image and records the module (not yet mapped). */
  #place(file: ImageFile, vfsPath: string, isDll: boolean): LoadedModule | number {
    const img = file.img;
    const base = this.#chooseBase(img);
    if (base < 0) return STATUS.CONFLICTING_ADDRESSES;
    const mem = file.mem.slice();
    try {
      applyRelocations(mem, img, (base - img.imageBase) | 0);
    } catch (e) {
      if (e instanceof PeFormatError) return STATUS.INVALID_IMAGE_FORMAT;
      throw e;
    }
    this.#busy.push([base, base + img.sizeOfImage]);
    const slash = vfsPath.lastIndexOf("/");
    const mod: LoadedModule = {
      base,
      size: img.sizeOfImage,
      entry: img.entryRva === 0 ? 0 : (base + img.entryRva) >>> 0,
      isDll,
      baseName: vfsPath.slice(slash + 1),
      fullName: this.win32Path(vfsPath),
      vfsPath,
      exports: file.exports,
      loadCount: -1,
      deps: [],
    };
    this.#mems.set(mod, mem);
    return mod;
  }

  #free(start: number, end: number): boolean {
    if (end > IMAGE_LIMIT) return false;
    return this.#busy.every(([s, e]) => end <= s || start >= e);
  }

  #chooseBase(img: Pe32Image): number {
    if (this.#free(img.imageBase, img.imageBase + img.sizeOfImage)) return img.imageBase;
    if (img.directories[5].rva === 0) return -1;
    for (let b = REBASE_FROM; b + img.sizeOfImage <= IMAGE_LIMIT; b += 0x10000) {
      if (this.#free(b, b + img.sizeOfImage)) return b;
    }
    return -1;
  }

  /** Resolves the imports of `mod`, then maps it. NTSTATUS. */
  #link(mod: LoadedModule, file: ImageFile, depth: number): number {
    const mem = this.#mems.get(mod)!;
    for (const imp of file.imports) {
      const dep = this.load(imp.dll, depth);
      if (typeof dep === "number") return dep;
      if (!mod.deps.includes(dep)) mod.deps.push(dep);
      for (const e of imp.entries) {
        const addr = this.#resolve(dep, e.name, e.ordinal, depth);
        if (addr < 0) return -addr;
        writeImport(mem, e.iatRva, addr);
      }
    }
    return this.#map(mod, file.img, mem);
  }

  /** The address of an export (forwarders followed), or -NTSTATUS. */
  #resolve(dep: LoadedModule, name: string | null, ordinal: number, depth: number): number {
    const miss = name === null ? STATUS.ORDINAL_NOT_FOUND : STATUS.ENTRYPOINT_NOT_FOUND;
    if (dep.exports === null || depth > MAX_DEPTH) return -miss;
    const e = findExport(dep.exports, name, ordinal);
    if (e === null) return -miss;
    if (e.forwarder === null) return dep.base + e.rva;
    const dot = e.forwarder.lastIndexOf(".");
    if (dot <= 0) return -STATUS.INVALID_IMAGE_FORMAT;
    const target = this.load(e.forwarder.slice(0, dot), depth + 1);
    if (typeof target === "number") return -target;
    const sym = e.forwarder.slice(dot + 1);
    return sym.startsWith("#")
      ? this.#resolve(target, null, Number(sym.slice(1)) | 0, depth + 1)
      : this.#resolve(target, sym, 0, depth + 1);
  }

  /** Maps the headers and each section with its protection. NTSTATUS. */
  #map(mod: LoadedModule, img: Pe32Image, mem: Uint8Array): number {
    const regions: [number, number, number][] = [[0, pageUp(img.sizeOfHeaders), PROT.READ]];
    for (const s of img.sections) {
      const len = pageUp(Math.max(s.virtualSize, s.sizeOfRawData, 1));
      regions.push([
        s.virtualAddress,
        Math.min(len, img.sizeOfImage - s.virtualAddress),
        sectionProt(s.characteristics),
      ]);
    }
    const done: [number, number][] = [];
    for (const [rva, len, prot] of regions) {
      const st = this.space.mapFilled(
        mod.base + rva,
        mem.subarray(rva, rva + len),
        prot,
        mod.baseName,
      );
      if (st < 0) {
        for (const [a, l] of done) this.space.unmap(a, l);
        return STATUS.CONFLICTING_ADDRESSES;
      }
      done.push([mod.base + rva, len]);
    }
    this.#mems.delete(mod);
    return STATUS.SUCCESS;
  }

  /**
   * Drops one NtStrataLoadDll reference on the module at `base`; at zero it
   * is unmapped, leaves the list, and its dependencies loaded at run time
   * lose a reference in turn. NTSTATUS (DLL_NOT_FOUND for an unknown base).
   */
  unload(base: number): number {
    const mod = this.byBase(base);
    if (mod === undefined || !mod.isDll) return STATUS.DLL_NOT_FOUND;
    if (mod.loadCount < 0) return STATUS.SUCCESS;
    if (--mod.loadCount > 0) return STATUS.SUCCESS;
    this.modules.splice(this.modules.indexOf(mod), 1);
    this.space.unmap(mod.base, mod.size);
    const i = this.#busy.findIndex(([s]) => s === mod.base);
    if (i >= 0) this.#busy.splice(i, 1);
    for (const d of mod.deps) if (d.loadCount > 0) this.unload(d.base);
    return STATUS.SUCCESS;
  }
}
