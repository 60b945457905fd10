/**
 * NTSTATUS values the executive returns, and the translation of the
 * kernel's K statuses (errno-like) into them. Handlers return an NTSTATUS
 * as the a0 value (`| 0`: error codes are negative int32 values far below
 * the kernel's [-4095, -1] status range, so they pass through untouched).
 *
 * @module
 */

import { K } from "../../../kernel/api.ts";

/** NTSTATUS codes (as unsigned 32-bit numbers). */
export const STATUS = {
  SUCCESS: 0x0000_0000,
  TIMEOUT: 0x0000_0102,
  PENDING: 0x0000_0103,
  BUFFER_OVERFLOW: 0x8000_0005,
  NO_MORE_FILES: 0x8000_0006,
  UNSUCCESSFUL: 0xc000_0001,
  NOT_IMPLEMENTED: 0xc000_0002,
  INVALID_INFO_CLASS: 0xc000_0003,
  INFO_LENGTH_MISMATCH: 0xc000_0004,
  ACCESS_VIOLATION: 0xc000_0005,
  INVALID_HANDLE: 0xc000_0008,
  INVALID_CID: 0xc000_000b,
  INVALID_PARAMETER: 0xc000_000d,
  NO_SUCH_FILE: 0xc000_000f,
  INVALID_DEVICE_REQUEST: 0xc000_0010,
  END_OF_FILE: 0xc000_0011,
  NO_MEMORY: 0xc000_0017,
  CONFLICTING_ADDRESSES: 0xc000_0018,
  BUFFER_TOO_SMALL: 0xc000_0023,
  OBJECT_TYPE_MISMATCH: 0xc000_0024,
  ACCESS_DENIED: 0xc000_0022,
  OBJECT_NAME_INVALID: 0xc000_0033,
  OBJECT_NAME_NOT_FOUND: 0xc000_0034,
  OBJECT_NAME_COLLISION: 0xc000_0035,
  OBJECT_PATH_NOT_FOUND: 0xc000_003a,
  OBJECT_PATH_SYNTAX_BAD: 0xc000_003b,
  SHARING_VIOLATION: 0xc000_0043,
  DELETE_PENDING: 0xc000_0056,
  DISK_FULL: 0xc000_007f,
  INVALID_IMAGE_FORMAT: 0xc000_007b,
  INSUFFICIENT_RESOURCES: 0xc000_009a,
  FILE_IS_A_DIRECTORY: 0xc000_00ba,
  NOT_SUPPORTED: 0xc000_00bb,
  INSTANCE_NOT_AVAILABLE: 0xc000_00ab,
  PIPE_NOT_AVAILABLE: 0xc000_00ac,
  INVALID_PIPE_STATE: 0xc000_00ad,
  PIPE_BUSY: 0xc000_00ae,
  PIPE_DISCONNECTED: 0xc000_00b0,
  PIPE_CLOSING: 0xc000_00b1,
  PIPE_BROKEN: 0xc000_014b,
  DIRECTORY_NOT_EMPTY: 0xc000_0101,
  NOT_A_DIRECTORY: 0xc000_0103,
  NAME_TOO_LONG: 0xc000_0106,
  CANCELLED: 0xc000_0120,
  CANNOT_DELETE: 0xc000_0121,
  PROCESS_IS_TERMINATING: 0xc000_010a,
  MEDIA_WRITE_PROTECTED: 0xc000_00a2,
  DLL_NOT_FOUND: 0xc000_0135,
  ORDINAL_NOT_FOUND: 0xc000_0138,
  ENTRYPOINT_NOT_FOUND: 0xc000_0139,
  INVALID_PARAMETER_MIX: 0xc000_0030,
  FILE_TOO_LARGE: 0xc000_0904,
  NOT_SAME_DEVICE: 0xc000_00d4,
  MUTANT_NOT_OWNED: 0xc000_0046,
  SEMAPHORE_LIMIT_EXCEEDED: 0xc000_0047,
  IO_DEVICE_ERROR: 0xc000_0185,
  SUSPEND_COUNT_EXCEEDED: 0xc000_004a,
  THREAD_IS_TERMINATING: 0xc000_004b,
  CONTROL_C_EXIT: 0xc000_013a,
} as const;

/** NTSTATUS as the int32 a0 value a handler returns. */
export function nt(status: number): number {
  return status | 0;
}

/** True for an error or warning status (severity bits non-zero, not a success code). */
export function ntFailed(status: number): boolean {
  return (status >>> 0) >= 0x8000_0000;
}

/**
 * The NTSTATUS for a kernel K status (negative) or for K.OK. K.RESTART (a
 * disk file system waiting for blocks) passes through unchanged: returned by
 * a native call, it makes the kernel park the caller until the device
 * answers and run the call again, as for a Unix call.
 */
export function ntFromK(k: number): number {
  switch (k) {
    case K.OK:
      return STATUS.SUCCESS;
    case K.RESTART:
      return K.RESTART;
    case K.NOENT:
      return STATUS.OBJECT_NAME_NOT_FOUND;
    case K.NOTDIR:
      return STATUS.OBJECT_PATH_NOT_FOUND;
    case K.PERM:
    case K.ACCES:
      return STATUS.ACCESS_DENIED;
    case K.EXIST:
      return STATUS.OBJECT_NAME_COLLISION;
    case K.ISDIR:
      return STATUS.FILE_IS_A_DIRECTORY;
    case K.NOTEMPTY:
      return STATUS.DIRECTORY_NOT_EMPTY;
    case K.BADF:
      return STATUS.INVALID_HANDLE;
    case K.FAULT:
      return STATUS.ACCESS_VIOLATION;
    case K.NOMEM:
      return STATUS.NO_MEMORY;
    case K.NOSPC:
      return STATUS.DISK_FULL;
    case K.ROFS:
      return STATUS.MEDIA_WRITE_PROTECTED;
    case K.NAMETOOLONG:
      return STATUS.NAME_TOO_LONG;
    case K.PIPE:
      return STATUS.PIPE_BROKEN;
    case K.NOEXEC:
      return STATUS.INVALID_IMAGE_FORMAT;
    case K.NOSYS:
      return STATUS.NOT_IMPLEMENTED;
    case K.NOTSUP:
      return STATUS.NOT_SUPPORTED;
    case K.XDEV:
      return STATUS.NOT_SAME_DEVICE;
    case K.FBIG:
      return STATUS.FILE_TOO_LARGE;
    case K.BUSY:
    case K.TXTBSY:
      return STATUS.SHARING_VIOLATION;
    case K.TIMEDOUT:
      return STATUS.TIMEOUT;
    case K.IO:
      return STATUS.IO_DEVICE_ERROR;
    case K.MFILE:
    case K.NFILE:
    case K.AGAIN:
      return STATUS.INSUFFICIENT_RESOURCES;
    case K.LOOP:
      return STATUS.OBJECT_PATH_SYNTAX_BAD;
    case K.INTR:
      return STATUS.CANCELLED;
    default:
      return STATUS.INVALID_PARAMETER;
  }
}
