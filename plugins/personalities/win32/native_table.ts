/**
 * The native call table as data: one row a call (name, handler, support,
 * notes). The number of a call is its index in `native_numbers.ts`;
 * `docs/syscalls_win32.md` is generated from these rows
 * (`deno run -A plugins/personalities/win32/syscall_doc.ts`).
 *
 * @module
 */

import { SupportLevel, type SyscallHandler } from "../../../kernel/api.ts";
import type { NativeHandler } from "./context.ts";
import type { Executive } from "./executive.ts";
import { NATIVE_CALL_NAMES } from "./native_numbers.ts";
import { ntCreateFile, ntOpenFile } from "./file_open.ts";
import {
  ntClose,
  ntFlushBuffersFile,
  ntQueryVolumeInformationFile,
  ntReadFile,
  ntWriteFile,
} from "./file_io_calls.ts";
import {
  ntDeleteFile,
  ntQueryAttributesFile,
  ntQueryDirectoryFile,
  ntQueryFullAttributesFile,
  ntQueryInformationFile,
  ntSetInformationFile,
} from "./file_info_calls.ts";
import { ntCreateNamedPipeFile, ntFsControlFile } from "./pipe_calls.ts";
import { ntStrataConsoleControl } from "./console_calls.ts";
import {
  ntCreateUserProcess,
  ntOpenProcess,
  ntQueryInformationProcess,
  ntQuerySystemInformation,
  ntTerminateProcess,
} from "./process_calls.ts";
import {
  ntCreateThreadEx,
  ntOpenThread,
  ntQueryInformationThread,
  ntResumeThread,
  ntSetInformationThread,
  ntSuspendThread,
  ntTerminateThread,
  suspendedAtEntry,
} from "./thread_calls.ts";
import {
  ntDelayExecution,
  ntGetCurrentProcessorNumber,
  ntQueryPerformanceCounter,
  ntQuerySystemTime,
  ntWaitForMultipleObjects,
  ntWaitForSingleObject,
  ntYieldExecution,
} from "./wait_calls.ts";
import {
  ntCancelTimer,
  ntCreateKeyedEvent,
  ntCreateTimer,
  ntOpenKeyedEvent,
  ntOpenTimer,
  ntReleaseKeyedEvent,
  ntSetTimer,
  ntSignalAndWaitForSingleObject,
  ntWaitForKeyedEvent,
} from "./sync_calls.ts";
import {
  ntCreateEvent,
  ntCreateMutant,
  ntCreateSemaphore,
  ntDuplicateObject,
  ntOpenEvent,
  ntOpenMutant,
  ntOpenSemaphore,
  ntPulseEvent,
  ntQueryObject,
  ntReleaseMutant,
  ntReleaseSemaphore,
  ntResetEvent,
  ntSetEvent,
  ntSetInformationObject,
} from "./object_calls.ts";
import {
  ntStrataConsoleMode,
  ntStrataLoadDll,
  ntStrataQueryName,
  ntStrataUnloadDll,
} from "./memory_calls.ts";
import {
  ntAllocateVirtualMemory,
  ntFreeVirtualMemory,
  ntProtectVirtualMemory,
  ntQueryVirtualMemory,
} from "./vm_calls.ts";
import { ntContinue } from "./exceptions.ts";

/** Support of a row. */
export type NativeSupport = "full" | "partial" | "none";

/** One row of the table. */
export interface NativeEntry {
  /** Call name (its number is its index in NATIVE_CALL_NAMES). */
  readonly name: string;
  /** Handler, or null when the call answers STATUS_NOT_IMPLEMENTED. */
  readonly handler: NativeHandler | null;
  /** How completely it follows NT. */
  readonly support: NativeSupport;
  /** Arguments and what differs from NT ("" when nothing does). */
  readonly notes: string;
}

const row = (
  name: string,
  handler: NativeHandler | null,
  support: NativeSupport,
  notes: string,
): NativeEntry => ({ name, handler, support, notes });

/** The native calls, in number order. */
export const NATIVE_CALLS: readonly NativeEntry[] = [
  row("NtClose", ntClose, "full", "Protected handles: STATUS_HANDLE_NOT_CLOSABLE."),
  row(
    "NtCreateFile",
    ntCreateFile,
    "partial",
    "All dispositions, directory/non-directory options, share modes, FILE_DELETE_ON_CLOSE, FILE_ATTRIBUTE_READONLY at creation; the named-pipe client end; the console devices (CON, CONIN$, CONOUT$); allocation size and EAs ignored; no security descriptors.",
  ),
  row("NtOpenFile", ntOpenFile, "full", "NtCreateFile with FILE_OPEN."),
  row(
    "NtReadFile",
    ntReadFile,
    "partial",
    "Synchronous only (Event and APC ignored); at most 64 KiB per call; a console line beginning with Ctrl+Z reads as end of input; Ctrl+C cancels a console read in processed line mode (STATUS_CANCELLED).",
  ),
  row(
    "NtWriteFile",
    ntWriteFile,
    "partial",
    "Synchronous only; FILE_WRITE_TO_END_OF_FILE and append-only handles write at the end.",
  ),
  row(
    "NtQueryInformationFile",
    ntQueryInformationFile,
    "partial",
    "Classes Basic, Standard, Name, Position, Mode, NetworkOpen, AttributeTag.",
  ),
  row(
    "NtSetInformationFile",
    ntSetInformationFile,
    "partial",
    "Classes Basic (times, READONLY), Rename, Disposition, Position, Allocation, EndOfFile.",
  ),
  row(
    "NtQueryDirectoryFile",
    ntQueryDirectoryFile,
    "partial",
    'Classes Directory, FullDirectory, BothDirectory (no short names), Names; wildcards * ? < > ".',
  ),
  row("NtQueryAttributesFile", ntQueryAttributesFile, "full", ""),
  row("NtQueryFullAttributesFile", ntQueryFullAttributesFile, "full", ""),
  row("NtDeleteFile", ntDeleteFile, "full", "Deletes at once (files and empty directories)."),
  row(
    "NtCreateNamedPipeFile",
    ntCreateNamedPipeFile,
    "partial",
    "One instance, one direction (inbound or outbound), byte mode; 14 arguments.",
  ),
  row(
    "NtCreateUserProcess",
    ntCreateUserProcess,
    "partial",
    "11 arguments; parameters block of strata/peb.h; PE or ELF images; CREATE_SUSPENDED stops the process until NtResumeThread.",
  ),
  row(
    "NtTerminateProcess",
    ntTerminateProcess,
    "partial",
    "Handle 0 (every other thread) is not supported: STATUS_INVALID_HANDLE.",
  ),
  row(
    "NtQueryInformationProcess",
    ntQueryInformationProcess,
    "partial",
    "ProcessBasicInformation only.",
  ),
  row(
    "NtWaitForSingleObject",
    ntWaitForSingleObject,
    "full",
    "Processes, threads, events, mutants (abandonment: STATUS_ABANDONED), semaphores, timers; alertable waits are plain waits.",
  ),
  row(
    "NtDuplicateObject",
    ntDuplicateObject,
    "full",
    "Between Win32 processes; objects have no security descriptors.",
  ),
  row("NtQuerySystemTime", ntQuerySystemTime, "full", "The RTC as FILETIME."),
  row(
    "NtDelayExecution",
    ntDelayExecution,
    "full",
    "Simulated time; alertable sleeps are plain sleeps.",
  ),
  row(
    "NtQueryPerformanceCounter",
    ntQueryPerformanceCounter,
    "full",
    "10 MHz counter of simulated time.",
  ),
  row("NtFlushBuffersFile", ntFlushBuffersFile, "full", "Writes are through: nothing to flush."),
  row(
    "NtFsControlFile",
    ntFsControlFile,
    "partial",
    "FSCTL_PIPE_PEEK only, reporting the bytes available without copying data.",
  ),
  row("NtQueryObject", ntQueryObject, "partial", "ObjectHandleFlagInformation only."),
  row(
    "NtSetInformationObject",
    ntSetInformationObject,
    "partial",
    "ObjectHandleFlagInformation only.",
  ),
  row(
    "NtAllocateVirtualMemory",
    ntAllocateVirtualMemory,
    "partial",
    "MEM_RESERVE on 64 KiB granularity, MEM_COMMIT inside a reservation, both at once; PAGE_GUARD pages; ZeroBits ignored; MEM_RESET, MEM_PHYSICAL, MEM_WRITE_WATCH and large pages are refused (STATUS_INVALID_PARAMETER).",
  ),
  row(
    "NtFreeVirtualMemory",
    ntFreeVirtualMemory,
    "full",
    "MEM_DECOMMIT of pages of one allocation; MEM_RELEASE of a whole reservation at its base with size 0. Images, the first stack and the PEB block: STATUS_UNABLE_TO_FREE_VM.",
  ),
  row(
    "NtProtectVirtualMemory",
    ntProtectVirtualMemory,
    "full",
    "Committed pages of one allocation; the old protection of the first page.",
  ),
  row(
    "NtQueryVolumeInformationFile",
    ntQueryVolumeInformationFile,
    "partial",
    "FileFsDeviceInformation (GetFileType), FileFsSizeInformation, FileFsFullSizeInformation.",
  ),
  row("NtResumeThread", ntResumeThread, "full", ""),
  row("NtTerminateThread", ntTerminateThread, "full", ""),
  row(
    "NtQuerySystemInformation",
    ntQuerySystemInformation,
    "partial",
    "SystemProcessInformation only; memory counters from /proc/PID/stat, times 0.",
  ),
  row("NtOpenProcess", ntOpenProcess, "full", "Any process by pid (Unix ones too)."),
  row("NtCreateEvent", ntCreateEvent, "full", "Named in \\BaseNamedObjects or unnamed."),
  row("NtOpenEvent", ntOpenEvent, "full", ""),
  row("NtSetEvent", ntSetEvent, "full", ""),
  row("NtResetEvent", ntResetEvent, "full", ""),
  row(
    "NtCreateMutant",
    ntCreateMutant,
    "full",
    "Owned by a thread, recursively; abandoned when the owning thread's process ends.",
  ),
  row("NtOpenMutant", ntOpenMutant, "full", ""),
  row("NtReleaseMutant", ntReleaseMutant, "full", ""),
  row("NtCreateSemaphore", ntCreateSemaphore, "full", ""),
  row("NtOpenSemaphore", ntOpenSemaphore, "full", ""),
  row("NtReleaseSemaphore", ntReleaseSemaphore, "full", ""),
  row(
    "NtWaitForMultipleObjects",
    ntWaitForMultipleObjects,
    "full",
    "Wait any / wait all (acquired together), up to 64 objects.",
  ),
  row("NtCreateSection", null, "none", "Not implemented: sections and views are not built yet."),
  row("NtMapViewOfSection", null, "none", "Not implemented: sections and views are not built yet."),
  row(
    "NtUnmapViewOfSection",
    null,
    "none",
    "Not implemented: sections and views are not built yet.",
  ),
  row(
    "NtCreateThreadEx",
    ntCreateThreadEx,
    "partial",
    "Threads of the caller's own process only; AttributeList is not read (ids via NtQueryInformationThread).",
  ),
  row("NtYieldExecution", ntYieldExecution, "full", ""),
  row(
    "NtStrataLoadDll",
    ntStrataLoadDll,
    "full",
    "Strata: maps a DLL and its imports at run time (LoadLibrary).",
  ),
  row(
    "NtStrataUnloadDll",
    ntStrataUnloadDll,
    "full",
    "Strata: drops a run-time reference (FreeLibrary).",
  ),
  row(
    "NtStrataConsoleMode",
    ntStrataConsoleMode,
    "full",
    "Strata: reads / sets the mode of a console handle (read access needed; with neither, tells whether the handle is a console).",
  ),
  row(
    "NtStrataQueryName",
    ntStrataQueryName,
    "full",
    "Strata: the computer name (the host name) or the user name.",
  ),
  row("NtSuspendThread", ntSuspendThread, "full", ""),
  row(
    "NtQueryInformationThread",
    ntQueryInformationThread,
    "partial",
    "ThreadBasicInformation only.",
  ),
  row("NtOpenThread", ntOpenThread, "full", "Win32 threads."),
  row(
    "NtSetInformationThread",
    ntSetInformationThread,
    "partial",
    "ThreadZeroTlsCell only.",
  ),
  row(
    "NtPulseEvent",
    ntPulseEvent,
    "full",
    "Satisfies the threads waiting at that moment (one for an auto-reset event), leaves it reset.",
  ),
  row(
    "NtSignalAndWaitForSingleObject",
    ntSignalAndWaitForSingleObject,
    "full",
    "Signals an event, semaphore or mutant once, then waits; alertable waits are plain waits.",
  ),
  row(
    "NtCreateTimer",
    ntCreateTimer,
    "full",
    "Notification or synchronization timer, simulated time.",
  ),
  row("NtOpenTimer", ntOpenTimer, "full", ""),
  row(
    "NtSetTimer",
    ntSetTimer,
    "partial",
    "Relative or absolute due time, period in ms; a completion routine (APC) is STATUS_NOT_SUPPORTED.",
  ),
  row("NtCancelTimer", ntCancelTimer, "full", ""),
  row("NtCreateKeyedEvent", ntCreateKeyedEvent, "full", ""),
  row("NtOpenKeyedEvent", ntOpenKeyedEvent, "full", ""),
  row(
    "NtWaitForKeyedEvent",
    ntWaitForKeyedEvent,
    "full",
    "Handle 0 is the executive's keyed event (critical sections); keys match within a process.",
  ),
  row(
    "NtReleaseKeyedEvent",
    ntReleaseKeyedEvent,
    "full",
    "Waits for a waiter when none is there yet, as NT does.",
  ),
  row(
    "NtQueryVirtualMemory",
    ntQueryVirtualMemory,
    "partial",
    "MemoryBasicInformation only: private reservations, images (MEM_IMAGE, section protections), the first thread's stack and the PEB block, free gaps.",
  ),
  row(
    "NtContinue",
    ntContinue,
    "partial",
    "Resumes the caller with a CONTEXT's x1..x31 and pc (the RISC-V layout of windows.h; no floating-point state); ends an exception dispatch. TestAlert ignored.",
  ),
  row(
    "NtStrataConsoleControl",
    ntStrataConsoleControl,
    "full",
    "Strata: a console's window size, input flush and title (kernel32's console functions); turning the terminal's suspend key off (smss).",
  ),
  row(
    "NtGetCurrentProcessorNumber",
    ntGetCurrentProcessorNumber,
    "full",
    "One hart: always processor 0 (a ULONG, not an NTSTATUS).",
  ),
];

/** The personality's arrays, each handler bound to `ex`. */
export function buildNativeArrays(ex: Executive) {
  const syscalls: (SyscallHandler | undefined)[] = [];
  const syscallNames: (string | undefined)[] = [];
  const syscallSupport: (number | undefined)[] = [];
  NATIVE_CALLS.forEach((r, i) => {
    if (NATIVE_CALL_NAMES[i] !== r.name) {
      throw new Error(`native call ${i} is ${NATIVE_CALL_NAMES[i]}, not ${r.name}`);
    }
    const h = r.handler;
    syscalls.push(
      h === null ? undefined : (t, api) => suspendedAtEntry(t, api) || h(t, api, ex),
    );
    syscallNames.push(r.name);
    syscallSupport.push(
      r.support === "full"
        ? SupportLevel.FULL
        : r.support === "partial"
        ? SupportLevel.PARTIAL
        : SupportLevel.NONE,
    );
  });
  return { syscalls, syscallNames, syscallSupport };
}
