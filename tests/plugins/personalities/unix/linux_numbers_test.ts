/**
 * Signal and system call numbers of the kernel and the Unix personality,
 * compared with the host's Linux uapi headers (asm-generic/signal.h,
 * signal-defs.h and unistd.h as an rv32 kernel sees it). Ignored when the
 * headers (linux-libc-dev) are not installed; `.ci/run` installs them.
 */
import assert from "node:assert/strict";
import { SA, SIG } from "../../../../kernel/ipc/signal_numbers.ts";
import { NR, SYSCALL_NAMES } from "../../../../plugins/personalities/unix/syscall_names.ts";
import { haveHeaders, HOST_HEADERS, numericDefines, rv32SyscallNumbers } from "./linux_headers.ts";

/** rv32 calls of riscv's own asm/unistd.h (__NR_arch_specific_syscall + 14 and + 15). */
const RISCV_SPECIFIC: Record<string, number> = { riscv_hwprobe: 258, riscv_flush_icache: 259 };

Deno.test({
  name: "signal numbers and sigaction flags equal asm-generic/signal.h and signal-defs.h",
  ignore: !haveHeaders(HOST_HEADERS.signal),
  fn() {
    const host = numericDefines(HOST_HEADERS.signal);
    for (const [name, value] of Object.entries(SIG)) {
      const linux = name === "MAX" ? "_NSIG" : `SIG${name}`;
      assert.equal(value, host.get(linux), `SIG.${name} (${linux})`);
    }
    for (const [name, value] of Object.entries(SA)) {
      // SA_RESTORER is per-architecture (arch/*/include/uapi/asm/signal.h).
      if (name === "RESTORER") continue;
      assert.equal(value, host.get(`SA_${name}`), `SA.${name}`);
    }
  },
});

Deno.test({
  name: "syscall numbers and names equal asm-generic/unistd.h for rv32, both ways",
  ignore: !haveHeaders(HOST_HEADERS.unistd),
  fn() {
    const { numbers: host, count } = rv32SyscallNumbers();
    const ours = new Map<string, number>();
    for (const [nr, name] of SYSCALL_NAMES) {
      assert.ok(!ours.has(name), `${name} listed twice`);
      ours.set(name, nr);
      if (name in RISCV_SPECIFIC) assert.equal(nr, RISCV_SPECIFIC[name], name);
      // Strata's own calls sit above Linux's numbers.
      else if (name.startsWith("strata_")) assert.ok(nr >= 1000, name);
      // Calls newer than the installed headers cannot be checked here.
      else if (nr < count) assert.equal(nr, host.get(name), `SYSCALL_NAMES ${name}`);
    }
    for (const [name, nr] of host) assert.equal(ours.get(name), nr, `rv32 call ${name} missing`);
    for (const [name, nr] of Object.entries(NR)) assert.equal(nr, ours.get(name), `NR.${name}`);
    assert.ok(host.size > 250, `only ${host.size} calls parsed from the header`);
  },
});
