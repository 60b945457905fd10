/* ntdll's system call stubs: one per native call of strata/ntsyscalls.h.
 * ABI: number in a7, arguments 1..7 in a0..a6, argument 8 moved from a7 to
 * t0 before a7 is loaded, arguments 9+ stay where the caller put them (sp+0,
 * sp+4, ...: the stub is a leaf and does not move sp); NTSTATUS in a0. */
#include <strata/ntsyscalls.h>

#define NTCALL(name)                 \
  .section .text.name, "ax", @progbits; \
  .globl name;                       \
  .type name, @function;             \
  .p2align 2;                        \
  name:                              \
  mv t0, a7;                         \
  li a7, NTSYS_##name;               \
  ecall;                             \
  ret

NTCALL(NtClose)
NTCALL(NtCreateFile)
NTCALL(NtOpenFile)
NTCALL(NtReadFile)
NTCALL(NtWriteFile)
NTCALL(NtQueryInformationFile)
NTCALL(NtSetInformationFile)
NTCALL(NtQueryDirectoryFile)
NTCALL(NtQueryAttributesFile)
NTCALL(NtQueryFullAttributesFile)
NTCALL(NtDeleteFile)
NTCALL(NtCreateNamedPipeFile)
NTCALL(NtCreateUserProcess)
NTCALL(NtTerminateProcess)
NTCALL(NtQueryInformationProcess)
NTCALL(NtWaitForSingleObject)
NTCALL(NtDuplicateObject)
NTCALL(NtQuerySystemTime)
NTCALL(NtDelayExecution)
NTCALL(NtQueryPerformanceCounter)
NTCALL(NtFlushBuffersFile)
NTCALL(NtFsControlFile)
NTCALL(NtQueryObject)
NTCALL(NtSetInformationObject)
NTCALL(NtAllocateVirtualMemory)
NTCALL(NtFreeVirtualMemory)
NTCALL(NtProtectVirtualMemory)
NTCALL(NtQueryVolumeInformationFile)
NTCALL(NtResumeThread)
NTCALL(NtTerminateThread)
NTCALL(NtQuerySystemInformation)
NTCALL(NtOpenProcess)
NTCALL(NtCreateEvent)
NTCALL(NtOpenEvent)
NTCALL(NtSetEvent)
NTCALL(NtResetEvent)
NTCALL(NtCreateMutant)
NTCALL(NtOpenMutant)
NTCALL(NtReleaseMutant)
NTCALL(NtCreateSemaphore)
NTCALL(NtOpenSemaphore)
NTCALL(NtReleaseSemaphore)
NTCALL(NtWaitForMultipleObjects)
NTCALL(NtCreateSection)
NTCALL(NtMapViewOfSection)
NTCALL(NtUnmapViewOfSection)
NTCALL(NtCreateThreadEx)
NTCALL(NtYieldExecution)
NTCALL(NtStrataLoadDll)
NTCALL(NtStrataUnloadDll)
NTCALL(NtStrataConsoleMode)
NTCALL(NtStrataQueryName)
NTCALL(NtSuspendThread)
NTCALL(NtQueryInformationThread)
NTCALL(NtOpenThread)
NTCALL(NtSetInformationThread)
NTCALL(NtPulseEvent)
NTCALL(NtSignalAndWaitForSingleObject)
NTCALL(NtCreateTimer)
NTCALL(NtOpenTimer)
NTCALL(NtSetTimer)
NTCALL(NtCancelTimer)
NTCALL(NtCreateKeyedEvent)
NTCALL(NtOpenKeyedEvent)
NTCALL(NtWaitForKeyedEvent)
NTCALL(NtReleaseKeyedEvent)
NTCALL(NtQueryVirtualMemory)
NTCALL(NtContinue)
NTCALL(NtStrataConsoleControl)
NTCALL(NtGetCurrentProcessorNumber)
