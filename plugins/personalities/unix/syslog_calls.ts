/**
 * syslog(type, buf, len): the kernel ring buffer, as `dmesg` reads it
 * (klogctl). Each line is `<6>[seconds] message\n`. Reading all (3) and the
 * sizes (9, 10) are open to everyone (Linux's dmesg_restrict 0); clearing
 * (4, 5) and the console controls (6, 7, 8) need root. The destructive,
 * blocking read (2) is not provided (EINVAL).
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import { arg, uarg } from "./common.ts";

const te = new TextEncoder();

const ACTION = {
  CLOSE: 0,
  OPEN: 1,
  READ_ALL: 3,
  READ_CLEAR: 4,
  CLEAR: 5,
  CONSOLE_OFF: 6,
  CONSOLE_ON: 7,
  CONSOLE_LEVEL: 8,
  SIZE_UNREAD: 9,
  SIZE_BUFFER: 10,
} as const;

/** The ring buffer as syslog text. */
function logText(api: KernelApi): Uint8Array {
  return te.encode(api.logLines.map((l) => `<6>${l}\n`).join(""));
}

/** syslog(type, bufp, len). */
export function sysSyslog(t: Thread, api: KernelApi): number {
  const type = arg(t, 0), buf = uarg(t, 1), len = arg(t, 2);
  const root = t.process.uid === 0;
  switch (type) {
    case ACTION.CLOSE:
    case ACTION.OPEN:
      return 0;
    case ACTION.READ_ALL:
    case ACTION.READ_CLEAR: {
      if (type === ACTION.READ_CLEAR && !root) return K.PERM;
      if (buf === 0 || len < 0) return K.INVAL;
      const text = logText(api);
      // The newest `len` bytes, as Linux copies the end of the buffer.
      const part = text.subarray(Math.max(0, text.length - len));
      if (part.length > 0 && !api.copyOut(t.process, buf, part)) return K.FAULT;
      if (type === ACTION.READ_CLEAR) api.clearLog();
      return part.length;
    }
    case ACTION.CLEAR:
      if (!root) return K.PERM;
      api.clearLog();
      return 0;
    case ACTION.CONSOLE_OFF:
    case ACTION.CONSOLE_ON:
      return root ? 0 : K.PERM;
    case ACTION.CONSOLE_LEVEL:
      if (!root) return K.PERM;
      return len >= 1 && len <= 8 ? 0 : K.INVAL;
    case ACTION.SIZE_UNREAD:
    case ACTION.SIZE_BUFFER:
      return logText(api).length;
    default:
      return K.INVAL;
  }
}
