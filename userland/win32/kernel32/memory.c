/*
 * kernel32's memory functions: virtual memory (VirtualAlloc, VirtualFree,
 * VirtualProtect, VirtualQuery and their -Ex forms for another process,
 * over the Nt*VirtualMemory calls), GetSystemInfo, the heaps (HeapCreate,
 * HeapAlloc, ... over ntdll's Rtl*Heap, heap.c) and
 * SetUnhandledExceptionFilter (ntdll keeps the filter and calls it).
 */
#include "k32.h"

NTSTATUS_T NtProtectVirtualMemory(HANDLE_T process, void **base, ULONG_T *size, ULONG_T protect,
                                  ULONG_T *old);
NTSTATUS_T NtQueryVirtualMemory(HANDLE_T process, const void *base, ULONG_T cls, void *buf,
                                ULONG_T len, ULONG_T *ret);
void *RtlCreateHeap(ULONG_T flags, void *base, ULONG_T reserve, ULONG_T commit, void *lock,
                    void *params);
void *RtlDestroyHeap(void *heap);
void *RtlGetProcessHeap(void);
void *RtlSetUnhandledExceptionFilter(void *filter);

#define HEAP_CREATE_FLAGS (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS | HEAP_CREATE_ENABLE_EXECUTE)

LPVOID WINAPI VirtualAllocEx(HANDLE process, LPVOID addr, SIZE_T size, DWORD type, DWORD protect) {
  void *base = addr;
  ULONG_T n = size;
  NTSTATUS_T s = NtAllocateVirtualMemory(process, &base, 0, &n, type, protect);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return NULL;
  }
  return base;
}

LPVOID WINAPI VirtualAlloc(LPVOID addr, SIZE_T size, DWORD type, DWORD protect) {
  return VirtualAllocEx(CURRENT_PROCESS, addr, size, type, protect);
}

BOOL WINAPI VirtualFreeEx(HANDLE process, LPVOID addr, SIZE_T size, DWORD type) {
  void *base = addr;
  ULONG_T n = size;
  NTSTATUS_T s = NtFreeVirtualMemory(process, &base, &n, type);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI VirtualFree(LPVOID addr, SIZE_T size, DWORD type) {
  return VirtualFreeEx(CURRENT_PROCESS, addr, size, type);
}

BOOL WINAPI VirtualProtectEx(HANDLE process, LPVOID addr, SIZE_T size, DWORD protect, PDWORD old) {
  void *base = addr;
  ULONG_T n = size;
  NTSTATUS_T s = NtProtectVirtualMemory(process, &base, &n, protect, (ULONG_T *)old);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI VirtualProtect(LPVOID addr, SIZE_T size, DWORD protect, PDWORD old) {
  return VirtualProtectEx(CURRENT_PROCESS, addr, size, protect, old);
}

SIZE_T WINAPI VirtualQueryEx(HANDLE process, LPCVOID addr, PMEMORY_BASIC_INFORMATION info, SIZE_T len) {
  ULONG_T got = 0;
  NTSTATUS_T s = NtQueryVirtualMemory(process, addr, 0, info, len, &got);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return 0;
  }
  return got;
}

SIZE_T WINAPI VirtualQuery(LPCVOID addr, PMEMORY_BASIC_INFORMATION info, SIZE_T len) {
  return VirtualQueryEx(CURRENT_PROCESS, addr, info, len);
}

/* Windows has no RISC-V architecture value: PROCESSOR_ARCHITECTURE_UNKNOWN, type 0. */
void WINAPI GetSystemInfo(LPSYSTEM_INFO si) {
  DWORD n = RtlGetCurrentPeb()->NumberOfProcessors;
  if (n == 0) n = 1;
  memset(si, 0, sizeof *si);
  si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN;
  si->dwPageSize = 4096;
  si->lpMinimumApplicationAddress = (LPVOID)0x10000;
  si->lpMaximumApplicationAddress = (LPVOID)0x7ffeffff;
  si->dwActiveProcessorMask = n >= 32 ? 0xffffffffu : (1u << n) - 1;
  si->dwNumberOfProcessors = n;
  si->dwAllocationGranularity = 0x10000;
}

void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO si) { GetSystemInfo(si); }

HANDLE WINAPI GetProcessHeap(void) { return RtlGetProcessHeap(); }

HANDLE WINAPI HeapCreate(DWORD options, SIZE_T initial, SIZE_T maximum) {
  DWORD flags = options & HEAP_CREATE_FLAGS;
  if (maximum == 0) flags |= HEAP_GROWABLE;
  else if (initial > maximum) initial = maximum;
  HANDLE h = RtlCreateHeap(flags, NULL, maximum ? maximum : initial, initial, NULL, NULL);
  if (!h) k32_error(ERROR_NOT_ENOUGH_MEMORY);
  return h;
}

BOOL WINAPI HeapDestroy(HANDLE heap) {
  if (!heap || heap == RtlGetProcessHeap()) return k32_error(ERROR_INVALID_PARAMETER);
  return RtlDestroyHeap(heap) ? k32_error(ERROR_INVALID_HANDLE) : TRUE;
}

LPVOID WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T n) { return RtlAllocateHeap(heap, flags, n); }

LPVOID WINAPI HeapReAlloc(HANDLE heap, DWORD flags, LPVOID p, SIZE_T n) {
  return RtlReAllocateHeap(heap, flags, p, n);
}

BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, LPVOID p) { return RtlFreeHeap(heap, flags, p); }

SIZE_T WINAPI HeapSize(HANDLE heap, DWORD flags, LPCVOID p) { return RtlSizeHeap(heap, flags, p); }

LPTOP_LEVEL_EXCEPTION_FILTER WINAPI SetUnhandledExceptionFilter(LPTOP_LEVEL_EXCEPTION_FILTER filter) {
  return (LPTOP_LEVEL_EXCEPTION_FILTER)RtlSetUnhandledExceptionFilter((void *)filter);
}
