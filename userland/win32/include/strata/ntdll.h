/*
 * ntdll.dll's interface as kernel32 uses it: NTSTATUS values, the native
 * calls (numbers in strata/ntsyscalls.h, structures in strata/peb.h) and the
 * Ldr/Rtl helpers ntdll exports. Not part of the documented Win32 API.
 */
#ifndef _STRATA_NTDLL_H
#define _STRATA_NTDLL_H

#include <strata/peb.h>

typedef int NTSTATUS_T;
typedef STRATA_UNICODE_STRING UNICODE_STRING;
typedef STRATA_OBJECT_ATTRIBUTES OBJECT_ATTRIBUTES;
typedef STRATA_IO_STATUS_BLOCK IO_STATUS_BLOCK;

#define NT_SUCCESS(s) ((int)(s) >= 0)
#define STATUS_SUCCESS 0x00000000
#define STATUS_TIMEOUT 0x00000102
#define STATUS_PENDING 0x00000103
#define STATUS_BUFFER_OVERFLOW 0x80000005
#define STATUS_NO_MORE_FILES 0x80000006
#define STATUS_UNSUCCESSFUL 0xC0000001
#define STATUS_NOT_IMPLEMENTED 0xC0000002
#define STATUS_INVALID_HANDLE 0xC0000008
#define STATUS_INVALID_PARAMETER 0xC000000D
#define STATUS_NO_SUCH_FILE 0xC000000F
#define STATUS_END_OF_FILE 0xC0000011
#define STATUS_NO_MEMORY 0xC0000017
#define STATUS_ACCESS_DENIED 0xC0000022
#define STATUS_BUFFER_TOO_SMALL 0xC0000023
#define STATUS_OBJECT_TYPE_MISMATCH 0xC0000024
#define STATUS_OBJECT_NAME_INVALID 0xC0000033
#define STATUS_OBJECT_NAME_NOT_FOUND 0xC0000034
#define STATUS_OBJECT_NAME_COLLISION 0xC0000035
#define STATUS_OBJECT_PATH_INVALID 0xC0000039
#define STATUS_OBJECT_PATH_NOT_FOUND 0xC000003A
#define STATUS_OBJECT_PATH_SYNTAX_BAD 0xC000003B
#define STATUS_SHARING_VIOLATION 0xC0000043
#define STATUS_DELETE_PENDING 0xC0000056
#define STATUS_DISK_FULL 0xC000007F
#define STATUS_INVALID_IMAGE_FORMAT 0xC000007B
#define STATUS_INSUFFICIENT_RESOURCES 0xC000009A
#define STATUS_FILE_IS_A_DIRECTORY 0xC00000BA
#define STATUS_NOT_SUPPORTED 0xC00000BB
#define STATUS_PIPE_BROKEN 0xC000014B
#define STATUS_CANCELLED 0xC0000120
#define STATUS_PIPE_CLOSING 0xC00000B1
#define STATUS_PIPE_EMPTY 0xC00000D9
#define STATUS_INVALID_DEVICE_REQUEST 0xC0000010
#define STATUS_DIRECTORY_NOT_EMPTY 0xC0000101
#define STATUS_NOT_A_DIRECTORY 0xC0000103
#define STATUS_CANNOT_DELETE 0xC0000121
#define STATUS_FILE_DELETED 0xC0000123
#define STATUS_DLL_NOT_FOUND 0xC0000135
#define STATUS_ORDINAL_NOT_FOUND 0xC0000138
#define STATUS_ENTRYPOINT_NOT_FOUND 0xC0000139
#define STATUS_VARIABLE_NOT_FOUND 0xC0000100
#define STATUS_NAME_TOO_LONG 0xC0000106
#define STATUS_PROCESS_IS_TERMINATING 0xC000010A
#define STATUS_INVALID_INFO_CLASS 0xC0000003
#define STATUS_INFO_LENGTH_MISMATCH 0xC0000004
#define STATUS_INVALID_CID 0xC000000B
#define STATUS_SUSPEND_COUNT_EXCEEDED 0xC000004A
#define STATUS_THREAD_IS_TERMINATING 0xC000004B
#define STATUS_NO_YIELD_PERFORMED 0x40000024

typedef unsigned int ULONG_T;
typedef void *HANDLE_T;

NTSTATUS_T NtClose(HANDLE_T h);
NTSTATUS_T NtReadFile(HANDLE_T h, HANDLE_T event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb,
                      void *buf, ULONG_T n, STRATA_LARGE_INTEGER *offset, ULONG_T *key);
NTSTATUS_T NtWriteFile(HANDLE_T h, HANDLE_T event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb,
                       const void *buf, ULONG_T n, STRATA_LARGE_INTEGER *offset, ULONG_T *key);
NTSTATUS_T NtTerminateProcess(HANDLE_T process, NTSTATUS_T code);
NTSTATUS_T NtQuerySystemTime(STRATA_LARGE_INTEGER *t);
NTSTATUS_T NtQueryPerformanceCounter(STRATA_LARGE_INTEGER *count, STRATA_LARGE_INTEGER *freq);
NTSTATUS_T NtDelayExecution(int alertable, STRATA_LARGE_INTEGER *interval);
NTSTATUS_T NtAllocateVirtualMemory(HANDLE_T process, void **base, ULONG_T zeroBits,
                                   ULONG_T *size, ULONG_T type, ULONG_T protect);
NTSTATUS_T NtFreeVirtualMemory(HANDLE_T process, void **base, ULONG_T *size, ULONG_T type);
NTSTATUS_T NtStrataLoadDll(const char *name, ULONG_T len, void **base, ULONG_T *firstNew);
NTSTATUS_T NtStrataUnloadDll(void *base);
NTSTATUS_T NtStrataConsoleMode(HANDLE_T h, ULONG_T set, ULONG_T mode, ULONG_T *old);
NTSTATUS_T NtStrataQueryName(ULONG_T which, char *buf, ULONG_T size, ULONG_T *needed);

NTSTATUS_T LdrLoadDll(const char *name, void **base);
NTSTATUS_T LdrUnloadDll(void *base);
NTSTATUS_T LdrGetProcedureAddress(void *base, const char *name, ULONG_T ordinal, void **addr);
STRATA_LDR_MODULE *LdrFindModule(const char *name, void *base);
ULONG_T RtlNtStatusToDosError(NTSTATUS_T status);
STRATA_PEB *RtlGetCurrentPeb(void);
ULONG_T RtlGetLastWin32Error(void);
void RtlSetLastWin32Error(ULONG_T code);
void *RtlAllocateHeap(void *heap, ULONG_T flags, ULONG_T size);
void *RtlReAllocateHeap(void *heap, ULONG_T flags, void *p, ULONG_T size);
int RtlFreeHeap(void *heap, ULONG_T flags, void *p);
ULONG_T RtlSizeHeap(void *heap, ULONG_T flags, const void *p);

/* The current thread's TEB: tp holds it from the first instruction on. */
static inline STRATA_TEB *NtCurrentTeb(void) {
  STRATA_TEB *t;
  __asm__("mv %0, tp" : "=r"(t));
  return t;
}

#endif
