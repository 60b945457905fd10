/**
 * System information and control calls of the Unix personality: uname,
 * reboot, getrandom.
 *
 * uname reports sysname "Linux" (programs and build scripts that branch on
 * it keep working, and the output matches qemu-riscv32's) and names Strata
 * in `version` and, by default, `nodename`.
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import { encodeUtsname, GRND, REBOOT, UTSNAME_SIZE } from "./abi.ts";
import { randomOf, scratch, SCRATCH_SIZE, scratchView, uarg } from "./common.ts";

/** The Linux release this ABI corresponds to (rv32 time64 syscall set, statx, clone3 era). */
export const UNAME_RELEASE = "6.6.0-strata";

/** uname(buf): struct new_utsname. */
export function sysUname(t: Thread, api: KernelApi): number {
  const info = api.systemInfo();
  const bytes = encodeUtsname({
    sysname: "Linux",
    nodename: info.nodename,
    release: UNAME_RELEASE,
    version: `#1 ${info.sysname} ${info.release}`,
    machine: "riscv32",
    domainname: "(none)",
  });
  return api.copyOut(t.process, uarg(t, 0), bytes.subarray(0, UTSNAME_SIZE)) ? 0 : K.FAULT;
}

/**
 * reboot(magic1, magic2, cmd, arg): needs both magic numbers and uid 0.
 * POWER_OFF and HALT halt the machine with status 0; RESTART and RESTART2
 * also halt it (there is no reset path; documented); CAD_ON/CAD_OFF are
 * accepted and do nothing; other commands give EINVAL.
 */
export function sysReboot(t: Thread, api: KernelApi): number {
  const magic1 = uarg(t, 0);
  const magic2 = uarg(t, 1);
  const cmd = uarg(t, 2);
  if (t.process.uid !== 0) return K.PERM;
  if (magic1 !== REBOOT.MAGIC1) return K.INVAL;
  if (
    magic2 !== REBOOT.MAGIC2 && magic2 !== REBOOT.MAGIC2A && magic2 !== REBOOT.MAGIC2B &&
    magic2 !== REBOOT.MAGIC2C
  ) return K.INVAL;
  switch (cmd) {
    case REBOOT.CMD_POWER_OFF:
    case REBOOT.CMD_HALT:
    case REBOOT.CMD_RESTART:
    case REBOOT.CMD_RESTART2:
      api.poweroff(0);
      return 0;
    case REBOOT.CMD_CAD_ON:
    case REBOOT.CMD_CAD_OFF:
      return 0;
    default:
      return K.INVAL;
  }
}

/**
 * getrandom(buf, length, flags): bytes from the kernel's deterministic
 * generator (the same on every run: the simulation is reproducible, and
 * these bytes are not secret). Never blocks.
 */
export function sysGetrandom(t: Thread, api: KernelApi): number {
  const buf = uarg(t, 0);
  const length = Math.min(uarg(t, 1), 0x01ff_ffff);
  const flags = uarg(t, 2);
  if ((flags & ~(GRND.NONBLOCK | GRND.RANDOM | GRND.INSECURE)) !== 0) return K.INVAL;
  if ((flags & GRND.RANDOM) && (flags & GRND.INSECURE)) return K.INVAL;
  const rng = randomOf(api);
  let done = 0;
  while (done < length) {
    const n = Math.min(length - done, SCRATCH_SIZE);
    const chunk = scratch.subarray(0, n);
    rng.fill(chunk);
    if (!api.copyOut(t.process, buf + done, chunk)) return done > 0 ? done : K.FAULT;
    done += n;
  }
  return done;
}

/** `struct sysinfo` size on rv32. */
const SYSINFO_SIZE = 64;

/**
 * sysinfo(info): uptime (simulated), RAM totals in bytes (mem_unit 1) and
 * the process count; load averages, shared/buffer RAM and swap are zero.
 */
export function sysSysinfo(t: Thread, api: KernelApi): number {
  const info = api.systemInfo();
  const v = scratchView;
  for (let i = 0; i < SYSINFO_SIZE; i += 4) v.setUint32(i, 0, true);
  v.setInt32(0, Math.floor(info.uptimeSeconds), true);
  v.setUint32(16, Math.min(info.totalRam, 0xffff_ffff) >>> 0, true);
  v.setUint32(20, Math.min(info.freeRam, 0xffff_ffff) >>> 0, true);
  v.setUint16(40, Math.min(info.processes, 0xffff), true);
  v.setUint32(52, 1, true);
  return api.copyOut(t.process, uarg(t, 0), scratch.subarray(0, SYSINFO_SIZE)) ? 0 : K.FAULT;
}

/** personality(persona): only PER_LINUX (0) exists; 0xffffffff queries it. */
export function sysPersonality(t: Thread): number {
  const persona = uarg(t, 0);
  return persona === 0 || persona === 0xffff_ffff ? 0 : K.INVAL;
}

/** prctl options the personality answers. */
const PR = { SET_NAME: 15, GET_NAME: 16 } as const;
/** Size of the task name buffer (TASK_COMM_LEN). */
const TASK_COMM_LEN = 16;

/**
 * prctl(option, ...): PR_SET_NAME and PR_GET_NAME (the command name `ps`
 * shows, at most 15 bytes); other options give EINVAL.
 */
export function sysPrctl(t: Thread, api: KernelApi): number {
  const p = t.process;
  const option = uarg(t, 0);
  const addr = uarg(t, 1);
  if (option === PR.SET_NAME) {
    // Up to 15 bytes; near the end of readable memory, as many as can be read.
    let raw = api.copyIn(p, addr, TASK_COMM_LEN - 1);
    for (let n = TASK_COMM_LEN - 2; raw === null && n >= 1; n--) raw = api.copyIn(p, addr, n);
    if (raw === null) return K.FAULT;
    const end = raw.indexOf(0);
    p.comm = String.fromCharCode(...(end < 0 ? raw : raw.subarray(0, end)));
    return 0;
  }
  if (option === PR.GET_NAME) {
    const out = new Uint8Array(TASK_COMM_LEN);
    for (let i = 0; i < Math.min(p.comm.length, TASK_COMM_LEN - 1); i++) {
      out[i] = p.comm.charCodeAt(i) & 0xff;
    }
    return api.copyOut(p, addr, out) ? 0 : K.FAULT;
  }
  return K.INVAL;
}

/** getcpu(cpu, node, cache): CPU 0 on node 0 (either pointer may be NULL). */
export function sysGetcpu(t: Thread, api: KernelApi): number {
  const p = t.process;
  const cpu = uarg(t, 0), node = uarg(t, 1);
  if (cpu !== 0 && !api.writeU32(p, cpu, 0)) return K.FAULT;
  if (node !== 0 && !api.writeU32(p, node, 0)) return K.FAULT;
  return 0;
}
