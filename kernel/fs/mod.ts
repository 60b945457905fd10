/**
 * The fs layer (4): the VFS and the file systems under it (ramfs, devfs,
 * pipes, procfs, the host share), cpio archives and the initramfs.
 *
 * Personalities reach these through `kernel/api.ts`; the kernel core builds
 * the tree at boot: a {@link RamFs} root filled by {@link unpackInitramfs},
 * {@link DevFs} on `/dev`, {@link ProcFs} on `/proc`, {@link HostFs} shares.
 *
 * @module
 */

export * from "./types.ts";
export {
  type AttrChange,
  checkName,
  type Cred,
  type FileSystem,
  type FsInode,
  makeStat,
  NAME_MAX,
  OpenFileDescription,
  opsOf,
  PATH_MAX,
  ROOT_CRED,
} from "./node.ts";
export {
  MAX_SYMLINKS,
  type Mount,
  type OpenResult,
  type PathFrame,
  PathLoc,
  Vfs,
  type VfsOptions,
  Whence,
} from "./vfs.ts";
export { PAGE_SIZE, PagedBytes, RamFs, type RamFsOptions, RamInode } from "./ramfs.ts";
export {
  DevFs,
  type MemoryDeviceOptions,
  registerConsoleTty,
  registerMemoryDevices,
  XorShift32,
} from "./devfs.ts";
export {
  createPipe,
  DEFAULT_PIPE_CAPACITY,
  FIONREAD,
  Pipe,
  PIPE_BUF,
  PIPE_OPS,
  type PipeEnd,
  type PipeOptions,
} from "./pipefs.ts";
export {
  formatCmdline,
  formatInterrupts,
  formatMeminfo,
  formatStat,
  formatStatus,
  type InterruptInfo,
  type MemInfo,
  type ProcessInfo,
  ProcFs,
  type ProcInfoProvider,
} from "./procfs.ts";
export { type CpioEntry, CpioFormatError, readCpio, writeCpio } from "./cpio.ts";
export {
  buildInitramfs,
  type BuildInitramfsOptions,
  collectInitramfs,
  fillRamFs,
  type HostDirMapping,
  type HostFileRef,
  InitramfsError,
  type InitramfsMember,
  loadHostFile,
  unpackInitramfs,
  type UnpackSummary,
} from "./initramfs.ts";
export { HostFs, HostFsError } from "./hostfs.ts";
export {
  createRootFs,
  DEFAULT_SHARE_DIR,
  formatMounts,
  parseShareSpec,
  type RootFs,
  RootFsError,
  type RootFsOptions,
} from "./rootfs.ts";
