/*
 * Virtual memory cases where Windows' documented behaviour and Wine's
 * differ (so they stay out of the Wine-compared test_w32_memory.c), checked
 * on the Strata executive only. Prints one line per case and "failures: N".
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strata/peb.h>

static void *stack_top(void) {
  STRATA_TEB *t;
  __asm__("mv %0, tp" : "=r"(t));
  return t->StackBase;
}

static int failures;

#define EXPECT(what, cond)                                    \
  do {                                                        \
    int c_ = (cond) ? 1 : 0;                                  \
    printf("%s: %s (e=%lu)\n", what, c_ ? "yes" : "no", (unsigned long)GetLastError()); \
    if (!c_) failures++;                                      \
  } while (0)

static volatile int *guarded;
static int guard_hits;

static LONG WINAPI guard_filter(EXCEPTION_POINTERS *ep) {
  if (ep->ExceptionRecord->ExceptionCode != STATUS_GUARD_PAGE_VIOLATION) return EXCEPTION_CONTINUE_SEARCH;
  guard_hits++;
  return EXCEPTION_CONTINUE_EXECUTION;
}

typedef unsigned long U;
NTSTATUS NtAllocateVirtualMemory(U, U, U, U, U, U);
NTSTATUS NtFreeVirtualMemory(U, U, U, U);
NTSTATUS NtProtectVirtualMemory(U, U, U, U, U);
NTSTATUS NtQueryVirtualMemory(U, U, U, U, U, U);

static unsigned seed;
static unsigned rnd(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

/* An argument: 0, -1, small, random, 64 KiB aligned, or a pointer to a slot holding one. */
static U arg(U *slots) {
  switch (rnd() % 7) {
  case 0: return 0;
  case 1: return (U)-1;
  case 2: return rnd() % 0x3000;
  case 3: return rnd();
  case 4: return rnd() & 0x7fff0000u;
  default: {
    U *slot = &slots[rnd() % 8];
    *slot = rnd() % 3 ? rnd() % 0x40000 : rnd();
    return (U)slot;
  }
  }
}

/* Random memory calls; a fault is a legitimate end, a host exception (SIGSYS, 159) is not. */
static int fuzz(unsigned s, int calls) {
  static U slots[8];
  static U buf[16];
  seed = s;
  for (int i = 0; i < calls; i++) {
    U h = rnd() % 4 ? (U)-1 : arg(slots);
    switch (rnd() % 4) {
    case 0: NtAllocateVirtualMemory(h, arg(slots), arg(slots) % 32, arg(slots), arg(slots) & 0x10f000u, arg(slots) & 0x1ff); break;
    case 1: NtFreeVirtualMemory(h, arg(slots), arg(slots), rnd() % 2 ? 0x8000 : 0x4000); break;
    case 2: NtProtectVirtualMemory(h, arg(slots), arg(slots), arg(slots) & 0x1ff, rnd() % 2 ? (U)buf : arg(slots)); break;
    default: NtQueryVirtualMemory(h, arg(slots), rnd() % 3 ? 0 : arg(slots), rnd() % 2 ? (U)buf : arg(slots), arg(slots), arg(slots)); break;
    }
  }
  return 0;
}

static int (*volatile again)(int);
static int deep(int n) {
  volatile char buf[512];
  buf[0] = (char)n;
  return again(n + 1) + buf[0];
}

/* Runs this program with `arg`; its exit code. */
static DWORD child(const char *self, const char *arg) {
  char cmd[MAX_PATH + 32];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD code = 999;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  snprintf(cmd, sizeof cmd, "\"%s\" %s", self, arg);
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 998;
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  return code;
}

int main(int argc, char **argv) {
  MEMORY_BASIC_INFORMATION m;
  again = deep;
  if (argc > 1 && !strcmp(argv[1], "overflow")) return deep(0);
  if (argc > 2 && !strcmp(argv[1], "fuzz")) return fuzz((unsigned)atoi(argv[2]), 4000);
  if (argc > 1 && !strcmp(argv[1], "ebreak")) __asm__ volatile("ebreak");
  if (argc > 1 && !strcmp(argv[1], "illegal")) __asm__ volatile(".word 0");
  char self[MAX_PATH];
  GetModuleFileNameA(NULL, self, sizeof self);
  int sane = 1;
  for (int i = 1; i <= 6; i++) {
    char a[32];
    snprintf(a, sizeof a, "fuzz %d", i * 7919);
    DWORD code = child(self, a);
    printf("%s: exit code %lx\n", a, (unsigned long)code);
    if (code != 0 && code < 0x80000000u) sane = 0;
  }
  EXPECT("24,000 fuzzed memory calls end in success or an exception, never a host error", sane);
  EXPECT("stack overflow: STATUS_STACK_OVERFLOW", child(self, "overflow") == 0xC00000FDu);
  EXPECT("ebreak: STATUS_BREAKPOINT", child(self, "ebreak") == 0x80000003u);
  EXPECT("illegal instruction: STATUS_ILLEGAL_INSTRUCTION", child(self, "illegal") == 0xC000001Du);
  DWORD old = 0;
  char *p = VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_READWRITE);
  VirtualFree(p, 0, MEM_RELEASE);
  SetLastError(0);
  EXPECT("VirtualFree of a free address: ERROR_INVALID_ADDRESS", !VirtualFree(p, 0, MEM_RELEASE) && GetLastError() == ERROR_INVALID_ADDRESS);
  EXPECT("PAGE_NOACCESS | PAGE_GUARD refused", !VirtualAlloc(NULL, 0x1000, MEM_COMMIT, PAGE_NOACCESS | PAGE_GUARD) && GetLastError() == ERROR_INVALID_PARAMETER);
  EXPECT("2 GiB reservation: ERROR_INVALID_PARAMETER", !VirtualAlloc(NULL, 0x80000000u, MEM_RESERVE, PAGE_READWRITE) && GetLastError() == ERROR_INVALID_PARAMETER);
  EXPECT("1.9 GiB reservation: ERROR_NOT_ENOUGH_MEMORY", !VirtualAlloc(NULL, 0x7f000000u, MEM_RESERVE, PAGE_READWRITE) && GetLastError() == ERROR_NOT_ENOUGH_MEMORY);
  EXPECT("reservation below 64 KiB: ERROR_INVALID_PARAMETER", !VirtualAlloc((void *)0x1000, 0x1000, MEM_RESERVE, PAGE_READWRITE) && GetLastError() == ERROR_INVALID_PARAMETER);
  EXPECT("VirtualQuery above the user range", VirtualQuery((void *)0x7fff0000u, &m, sizeof m) == 0 && GetLastError() == ERROR_INVALID_PARAMETER);
  EXPECT("VirtualQuery: the last free gap ends at 0x7fff0000", VirtualQuery((void *)0x7ffe0000u, &m, sizeof m) == sizeof m && m.State == MEM_FREE && m.RegionSize == 0x10000);
  VirtualQuery(&m, &m, sizeof m);
  EXPECT("the stack's allocation ends at its top", (char *)m.BaseAddress + m.RegionSize == (char *)stack_top());

  char *r = VirtualAlloc(NULL, 0x20000, MEM_RESERVE, PAGE_READWRITE);
  VirtualAlloc(r + 0x10000, 0x1000, MEM_COMMIT, PAGE_READWRITE);
  VirtualFree(r + 0x10000, 0x1000, MEM_DECOMMIT);
  VirtualQuery(r, &m, sizeof m);
  EXPECT("a decommitted page joins the reserved run", m.State == MEM_RESERVE && m.RegionSize == 0x20000);
  VirtualFree(r, 0, MEM_RELEASE);

  /* Image pages: write-copy data, VirtualProtect with the old protection, no VirtualFree. */
  static int data_word = 1;
  VirtualQuery(&data_word, &m, sizeof m);
  EXPECT("image data: PAGE_WRITECOPY", m.Type == MEM_IMAGE && m.Protect == PAGE_WRITECOPY);
  EXPECT("image VirtualProtect", VirtualProtect(&data_word, 4, PAGE_READWRITE, &old) && old == PAGE_WRITECOPY);
  EXPECT("image VirtualFree refused", !VirtualFree(m.AllocationBase, 0, MEM_RELEASE) && GetLastError() == ERROR_INVALID_PARAMETER);

  /* A guard page raises once, then the access goes through. */
  guarded = VirtualAlloc(NULL, 0x2000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
  SetUnhandledExceptionFilter(guard_filter);
  *guarded = 5;
  int v = *guarded;
  EXPECT("guard page: one exception, then the write lands", guard_hits == 1 && v == 5);
  VirtualQuery((void *)guarded, &m, sizeof m);
  EXPECT("guard cleared on the touched page only", m.Protect == PAGE_READWRITE && m.RegionSize == 0x1000);

  /* Heaps: a fixed heap cannot grow; HeapFree of a bad pointer fails. */
  HANDLE h = HeapCreate(0, 0, 0x10000);
  EXPECT("fixed heap refuses a block past its maximum", HeapAlloc(h, 0, 0x20000) == NULL && GetLastError() == ERROR_NOT_ENOUGH_MEMORY);
  char *b = HeapAlloc(h, 0, 64);
  EXPECT("HeapFree of a pointer inside a block", !HeapFree(h, 0, b + 16) && GetLastError() == ERROR_INVALID_PARAMETER);
  EXPECT("HeapReAlloc in place past the heap fails", HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY, b, 0x20000) == NULL && GetLastError() == ERROR_NOT_ENOUGH_MEMORY);
  EXPECT("HeapDestroy", HeapDestroy(h));
  printf("failures: %d\n", failures);
  return failures;
}
