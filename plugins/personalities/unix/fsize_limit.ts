/**
 * RLIMIT_FSIZE on writes, as Linux's generic_write_check_limits: a write to
 * a regular file may not extend it past the limit. A write that would start
 * at or past it sends SIGXFSZ to the writer and fails with EFBIG; one that
 * crosses it is cut at the limit. Other files (pipes, ttys, devices) are not
 * limited.
 *
 * @module
 */

import {
  K,
  type KernelApi,
  type OpenFile,
  OpenFlags,
  RLIMIT,
  S_IFMT,
  S_IFREG,
  type Thread,
} from "../../../kernel/api.ts";
import { SIG } from "./abi.ts";

/**
 * How many of `count` bytes `t` may write to `file` at `pos` (default: the
 * file's offset, or its end with O_APPEND): `count`, fewer at the limit, or
 * K.FBIG (after SIGXFSZ) when the write starts at or past it.
 */
export function fsizeAllowance(
  t: Thread,
  api: KernelApi,
  file: OpenFile,
  count: number,
  pos?: number,
): number {
  const limit = t.process.rlimits.soft[RLIMIT.FSIZE];
  if (limit === Infinity) return count;
  const st = api.vfs.fstat(file);
  if (typeof st === "number" || (st.mode & S_IFMT) !== S_IFREG) return count;
  const at = pos ?? ((file.flags & OpenFlags.APPEND) ? st.size : file.offset);
  if (at >= limit) {
    api.tgkill(null, t.process.pid, t.tid, SIG.XFSZ);
    return K.FBIG;
  }
  return Math.min(count, limit - at);
}
