/**
 * The size classes of NtQueryVolumeInformationFile, from the VFS's statfs
 * of the file system the handle's file is on (GetDiskFreeSpaceExA, and
 * `dir`'s "bytes free"):
 *
 * - FileFsSizeInformation (3), 24 bytes: TotalAllocationUnits,
 *   AvailableAllocationUnits (LARGE_INTEGER), SectorsPerAllocationUnit,
 *   BytesPerSector;
 * - FileFsFullSizeInformation (7), 32 bytes: TotalAllocationUnits,
 *   CallerAvailableAllocationUnits, ActualAvailableAllocationUnits,
 *   SectorsPerAllocationUnit, BytesPerSector.
 *
 * An allocation unit is the file system's block; a sector is 512 bytes.
 * The caller's units are the blocks available to unprivileged users.
 *
 * @module
 */

import type { KernelApi } from "../../../kernel/api.ts";
import type { FileObject } from "./objects.ts";
import { ntFromK, STATUS } from "./ntstatus.ts";

/** The information classes answered here. */
export const FS_SIZE_CLASS = { SIZE: 3, FULL_SIZE: 7 } as const;

/** The structure for `cls`, or an NTSTATUS (a negative number as nt() takes it). */
export function volumeSizeInfo(
  api: KernelApi,
  f: FileObject,
  cls: number,
  length: number,
): Uint8Array | number {
  const size = cls === FS_SIZE_CLASS.SIZE ? 24 : 32;
  if (length < size) return STATUS.INFO_LENGTH_MISMATCH;
  if (f.file === null || f.kind === "pipe" || f.kind === "console") {
    return STATUS.INVALID_DEVICE_REQUEST;
  }
  const u = api.vfs.fstatfs(f.file);
  if (typeof u === "number") return ntFromK(u);
  const block = Math.max(512, u.blockSize);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(u.blocks), true);
  dv.setBigUint64(8, BigInt(u.blocksAvailable), true);
  if (cls === FS_SIZE_CLASS.FULL_SIZE) dv.setBigUint64(16, BigInt(u.blocksFree), true);
  dv.setUint32(size - 8, Math.floor(block / 512), true);
  dv.setUint32(size - 4, 512, true);
  return out;
}
