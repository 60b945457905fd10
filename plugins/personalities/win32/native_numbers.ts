/**
 * The Win32 personality's native call numbers: the ordered list of native
 * system call names, index = number in `a7`. Data only, shared with the
 * guest side: `userland/win32/include/strata/ntsyscalls.h` is generated from
 * it (`deno run -A plugins/personalities/win32/gen_ntsyscalls.ts`) and a test
 * checks the header is current.
 *
 * The list only grows at its end, so compiled `ntdll.dll` images keep
 * working. Names beyond NT's own carry the `NtStrata` prefix; they are the
 * services NT keeps in user mode or in other drivers (DLL mapping, console
 * modes, names of the machine and the user) that the Strata ntdll asks the
 * executive for instead, and are documented in `docs/syscalls_win32.md`.
 *
 * @module
 */

/** Native call names in number order (number = index). */
export const NATIVE_CALL_NAMES: readonly string[] = [
  "NtClose", // 0
  "NtCreateFile", // 1
  "NtOpenFile", // 2
  "NtReadFile", // 3
  "NtWriteFile", // 4
  "NtQueryInformationFile", // 5
  "NtSetInformationFile", // 6
  "NtQueryDirectoryFile", // 7
  "NtQueryAttributesFile", // 8
  "NtQueryFullAttributesFile", // 9
  "NtDeleteFile", // 10
  "NtCreateNamedPipeFile", // 11
  "NtCreateUserProcess", // 12
  "NtTerminateProcess", // 13
  "NtQueryInformationProcess", // 14
  "NtWaitForSingleObject", // 15
  "NtDuplicateObject", // 16
  "NtQuerySystemTime", // 17
  "NtDelayExecution", // 18
  "NtQueryPerformanceCounter", // 19
  "NtFlushBuffersFile", // 20
  "NtFsControlFile", // 21
  "NtQueryObject", // 22
  "NtSetInformationObject", // 23
  "NtAllocateVirtualMemory", // 24
  "NtFreeVirtualMemory", // 25
  "NtProtectVirtualMemory", // 26
  "NtQueryVolumeInformationFile", // 27
  "NtResumeThread", // 28
  "NtTerminateThread", // 29
  "NtQuerySystemInformation", // 30
  "NtOpenProcess", // 31
  "NtCreateEvent", // 32
  "NtOpenEvent", // 33
  "NtSetEvent", // 34
  "NtResetEvent", // 35
  "NtCreateMutant", // 36
  "NtOpenMutant", // 37
  "NtReleaseMutant", // 38
  "NtCreateSemaphore", // 39
  "NtOpenSemaphore", // 40
  "NtReleaseSemaphore", // 41
  "NtWaitForMultipleObjects", // 42
  "NtCreateSection", // 43
  "NtMapViewOfSection", // 44
  "NtUnmapViewOfSection", // 45
  "NtCreateThreadEx", // 46
  "NtYieldExecution", // 47
  "NtStrataLoadDll", // 48
  "NtStrataUnloadDll", // 49
  "NtStrataConsoleMode", // 50
  "NtStrataQueryName", // 51
  "NtSuspendThread", // 52
  "NtQueryInformationThread", // 53
  "NtOpenThread", // 54
  "NtSetInformationThread", // 55
  "NtPulseEvent", // 56
  "NtSignalAndWaitForSingleObject", // 57
  "NtCreateTimer", // 58
  "NtOpenTimer", // 59
  "NtSetTimer", // 60
  "NtCancelTimer", // 61
  "NtCreateKeyedEvent", // 62
  "NtOpenKeyedEvent", // 63
  "NtWaitForKeyedEvent", // 64
  "NtReleaseKeyedEvent", // 65
  "NtQueryVirtualMemory", // 66
  "NtContinue", // 67
  "NtStrataConsoleControl", // 68
  "NtGetCurrentProcessorNumber", // 69
];

/** Number of a native call by name (-1 if unknown). */
export function nativeNumber(name: string): number {
  return NATIVE_CALL_NAMES.indexOf(name);
}
