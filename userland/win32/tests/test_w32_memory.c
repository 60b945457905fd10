/* Virtual memory, system information, heaps, the C runtime's malloc and
 * access violations through kernel32. VirtualQuery results are printed
 * relative to the allocation base (addresses differ between systems); the
 * faults run in copies of the program ("child MODE") whose exit codes and
 * output the parent prints. Exits with the number of failed expectations. */
#include "w32check.h"

static char self[MAX_PATH];

/* Prints what VirtualQuery reports for `addr`, addresses relative to `base`. */
static void show(const char *what, const void *base, const void *addr) {
  MEMORY_BASIC_INFORMATION m;
  SIZE_T n = VirtualQuery(addr, &m, sizeof m);
  if (n != sizeof m) {
    printf("%s: VirtualQuery failed %lu\n", what, (unsigned long)GetLastError());
    failures++;
    return;
  }
  if (m.State == MEM_FREE) {
    printf("%s: base=+%lx free prot=%lx type=%lx\n", what,
           (unsigned long)((const char *)m.BaseAddress - (const char *)base), (unsigned long)m.Protect,
           (unsigned long)m.Type);
    return;
  }
  printf("%s: base=+%lx alloc=+%lx aprot=%lx size=%lx state=%lx prot=%lx type=%lx\n", what,
         (unsigned long)((const char *)m.BaseAddress - (const char *)base),
         (unsigned long)((const char *)m.AllocationBase - (const char *)base), (unsigned long)m.AllocationProtect,
         (unsigned long)m.RegionSize, (unsigned long)m.State, (unsigned long)m.Protect, (unsigned long)m.Type);
}

static volatile int *target;

static LONG WINAPI report_filter(EXCEPTION_POINTERS *ep) {
  EXCEPTION_RECORD *r = ep->ExceptionRecord;
  printf("> filter: code=%lx params=%lu write=%lu at target=%d address set=%d\n", (unsigned long)r->ExceptionCode,
         (unsigned long)r->NumberParameters, (unsigned long)r->ExceptionInformation[0],
         r->ExceptionInformation[1] == (ULONG_PTR)target, r->ExceptionAddress != NULL);
  fflush(stdout);
  return EXCEPTION_EXECUTE_HANDLER;
}

static LONG WINAPI fixing_filter(EXCEPTION_POINTERS *ep) {
  DWORD old;
  printf("> fixing filter: code=%lx\n", (unsigned long)ep->ExceptionRecord->ExceptionCode);
  fflush(stdout);
  if (!VirtualProtect((void *)target, 4096, PAGE_READWRITE, &old)) return EXCEPTION_CONTINUE_SEARCH;
  return EXCEPTION_CONTINUE_EXECUTION;
}

static LONG WINAPI heap_filter(EXCEPTION_POINTERS *ep) {
  printf("> heap filter: code=%lx noncontinuable=%lu\n", (unsigned long)ep->ExceptionRecord->ExceptionCode,
         (unsigned long)(ep->ExceptionRecord->ExceptionFlags & 1));
  fflush(stdout);
  return EXCEPTION_EXECUTE_HANDLER;
}

static LONG WINAPI other_filter(EXCEPTION_POINTERS *ep) { (void)ep; return EXCEPTION_CONTINUE_SEARCH; }

/* A page of fresh memory with protection `protect` (committed) or only reserved (0). */
static volatile int *page(DWORD protect) {
  if (!protect) return VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_READWRITE);
  return VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, protect);
}

static int child(const char *mode) {
  DWORD old;
  if (!strcmp(mode, "read-null")) return *(volatile int *)0;
  if (!strcmp(mode, "write-null")) *(volatile int *)0 = 1;
  if (!strcmp(mode, "reserved")) return *page(0);
  if (!strcmp(mode, "write-reserved")) *page(0) = 1;
  if (!strcmp(mode, "readonly")) {
    volatile int *p = page(PAGE_READWRITE);
    *p = 5;
    VirtualProtect((void *)p, 4, PAGE_READONLY, &old);
    printf("> readonly read: %d\n", *p);
    fflush(stdout);
    *p = 6;
  }
  if (!strcmp(mode, "noaccess")) {
    volatile int *p = page(PAGE_READWRITE);
    VirtualProtect((void *)p, 4, PAGE_NOACCESS, &old);
    return *p;
  }
  if (!strcmp(mode, "decommitted")) {
    volatile int *p = page(PAGE_READWRITE);
    *p = 1;
    VirtualFree((void *)p, 4096, MEM_DECOMMIT);
    return *p;
  }
  if (!strcmp(mode, "guard")) {
    volatile int *p = page(PAGE_READWRITE | PAGE_GUARD);
    return *p;
  }
  if (!strcmp(mode, "heap-exceptions")) {
    static volatile SIZE_T huge = (SIZE_T)-0x100;
    HANDLE h = HeapCreate(HEAP_GENERATE_EXCEPTIONS, 0, 0);
    SetUnhandledExceptionFilter(heap_filter);
    HeapAlloc(h, HEAP_GENERATE_EXCEPTIONS, huge);
    return 1;
  }
  if (!strcmp(mode, "filter")) {
    target = page(PAGE_READONLY);
    SetUnhandledExceptionFilter(report_filter);
    *target = 1;
  }
  if (!strcmp(mode, "continue")) {
    target = page(PAGE_READONLY);
    SetUnhandledExceptionFilter(fixing_filter);
    *target = 42;
    printf("> after the fault: %d\n", *target);
    return 0;
  }
  return 100;
}

/* Runs a copy of this program in `mode`; prints its output and returns its exit code. */
static DWORD run(const char *mode) {
  char cmd[MAX_PATH + 64], buf[256];
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE r, w;
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD code = 999, n;
  snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, mode);
  CreatePipe(&r, &w, &sa, 0);
  SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = w;
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    printf("CreateProcessA failed: %lu\n", (unsigned long)GetLastError());
    failures++;
    return code;
  }
  CloseHandle(w);
  fflush(stdout);
  /* Only the child's own lines ("> ..."): Wine's crash reports go to the same stream. */
  int at_start = 1, keep = 0;
  while (ReadFile(r, buf, sizeof buf, &n, NULL) && n)
    for (DWORD i = 0; i < n; i++) {
      if (at_start) keep = buf[i] == '>';
      at_start = buf[i] == '\n';
      if (keep && buf[i] != '\r') putchar(buf[i]);
    }
  CloseHandle(r);
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  printf("child %s: exit code %lx\n", mode, (unsigned long)code);
  return code;
}

static void system_info(void) {
  SYSTEM_INFO si, nsi;
  GetSystemInfo(&si);
  GetNativeSystemInfo(&nsi);
  CHECK("GetSystemInfo page size", si.dwPageSize, 4096, -1);
  CHECK("GetSystemInfo granularity", si.dwAllocationGranularity, 65536, -1);
  EXPECT("GetSystemInfo minimum address 0x10000", si.lpMinimumApplicationAddress == (LPVOID)0x10000);
  EXPECT("GetSystemInfo maximum address above it", si.lpMaximumApplicationAddress > si.lpMinimumApplicationAddress);
  EXPECT("GetSystemInfo processors", si.dwNumberOfProcessors >= 1 && (si.dwActiveProcessorMask & 1));
  EXPECT("GetNativeSystemInfo agrees", nsi.dwPageSize == si.dwPageSize && nsi.dwNumberOfProcessors == si.dwNumberOfProcessors);
}

static void reserve_commit(void) {
  DWORD old = 0;
  char *base = VirtualAlloc(NULL, 0x40000, MEM_RESERVE, PAGE_READWRITE);
  EXPECT("VirtualAlloc reserve", base != NULL);
  EXPECT("reservation on 64 KiB granularity", ((ULONG_PTR)base & 0xffff) == 0);
  show("reserved", base, base);
  char *c = VirtualAlloc(base + 0x10000, 0x2000, MEM_COMMIT, PAGE_READWRITE);
  EXPECT("commit inside the reservation", c == base + 0x10000);
  show("before the committed pages", base, base);
  show("committed pages", base, base + 0x10010);
  show("after the committed pages", base, base + 0x12000);
  EXPECT("committed pages read zero", c[0] == 0 && c[0x1fff] == 0);
  c[0] = 7;
  c[0x1fff] = 8;
  EXPECT("committed pages keep data", c[0] == 7 && c[0x1fff] == 8);
  char *u = VirtualAlloc(base + 0x20010, 0x10, MEM_COMMIT, PAGE_READONLY);
  EXPECT("unaligned commit rounds down to the page", u == base + 0x20000);
  show("readonly page", base, base + 0x20000);
  CHECK("VirtualAlloc recommit keeps data", VirtualAlloc(base + 0x10000, 0x1000, MEM_COMMIT, PAGE_READWRITE) == c && c[0] == 7, 1, -1);

  CHECK("VirtualProtect to readonly", VirtualProtect(c, 0x2000, PAGE_READONLY, &old), 1, -1);
  CHECK("old protection", old, PAGE_READWRITE, -1);
  show("after VirtualProtect", base, c);
  CHECK("VirtualProtect first page back", VirtualProtect(c + 0x10, 0x10, PAGE_READWRITE, &old), 1, -1);
  CHECK("old protection of the first page", old, PAGE_READONLY, -1);
  show("mixed protections", base, c);
  CHECK("VirtualProtect across both", VirtualProtect(c, 0x2000, PAGE_EXECUTE_READWRITE, &old), 1, -1);
  CHECK("old protection is the first page's", old, PAGE_READWRITE, -1);
  show("execute-readwrite", base, c + 0x1000);
  SetLastError(0);
  CHECK("VirtualProtect reserved page", VirtualProtect(base, 0x1000, PAGE_READWRITE, &old), 0, ERROR_INVALID_ADDRESS);
  CHECK("VirtualProtect partly reserved", VirtualProtect(c + 0x1000, 0x2000, PAGE_READWRITE, &old), 0, ERROR_INVALID_ADDRESS);
  CHECK("VirtualProtect bad protection", VirtualProtect(c, 0x1000, 0x3, &old), 0, ERROR_INVALID_PARAMETER);

  CHECK("VirtualFree decommit", VirtualFree(c, 0x1000, MEM_DECOMMIT), 1, -1);
  show("decommitted page", base, c);
  show("the page after", base, c + 0x1000);
  CHECK("VirtualFree decommit reserved pages", VirtualFree(base, 0x1000, MEM_DECOMMIT), 1, -1);
  CHECK("recommit", VirtualAlloc(c, 0x1000, MEM_COMMIT, PAGE_READWRITE) == c, 1, -1);
  EXPECT("recommitted page is zero again", c[0] == 0);
  CHECK("VirtualFree release with a size", VirtualFree(base, 0x40000, MEM_RELEASE), 0, ERROR_INVALID_PARAMETER);
  CHECK("VirtualFree release inside", VirtualFree(base + 0x10000, 0, MEM_RELEASE), 0, ERROR_INVALID_ADDRESS);
  CHECK("VirtualFree release|decommit", VirtualFree(base, 0, MEM_RELEASE | MEM_DECOMMIT), 0, ERROR_INVALID_PARAMETER);
  CHECK("VirtualFree bad type", VirtualFree(base, 0, 0), 0, ERROR_INVALID_PARAMETER);
  CHECK("VirtualFree release", VirtualFree(base, 0, MEM_RELEASE), 1, -1);
  show("released", base, base);
  CHECK("VirtualFree release again", VirtualFree(base, 0, MEM_RELEASE), 0, -1);
  CHECK("VirtualAlloc commit outside a reservation", VirtualAlloc(base, 0x1000, MEM_COMMIT, PAGE_READWRITE) == NULL, 1, ERROR_INVALID_ADDRESS);

  char *again = VirtualAlloc(base + 0x1234, 0x2000, MEM_RESERVE, PAGE_NOACCESS);
  EXPECT("reserve at an address rounds down to 64 KiB", again == base);
  show("reserved at an address", base, base);
  CHECK("reserve over a reservation", VirtualAlloc(base + 0x1000, 0x1000, MEM_RESERVE, PAGE_READWRITE) == NULL, 1, ERROR_INVALID_ADDRESS);
  CHECK("commit past the reservation", VirtualAlloc(base + 0x3000, 0x2000, MEM_COMMIT, PAGE_READWRITE) == NULL, 1, ERROR_INVALID_ADDRESS);
  CHECK("release it", VirtualFree(base, 0, MEM_RELEASE), 1, -1);

  char *both = VirtualAlloc(NULL, 0x3000, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY);
  EXPECT("reserve and commit at once", both != NULL && both[0] == 0 && both[0x2fff] == 0);
  show("reserved and committed", both, both + 0x2000);
  CHECK("VirtualFree decommit a range", VirtualFree(both + 0x1000, 0x1000, MEM_DECOMMIT), 1, -1);
  show("after decommit of a range", both, both + 0x1000);
  CHECK("VirtualFree decommit all (size 0 at the base)", VirtualFree(both, 0, MEM_DECOMMIT), 1, -1);
  show("after decommit of all", both, both);
  VirtualFree(both, 0, MEM_RELEASE);
  char *commit_only = VirtualAlloc(NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE);
  EXPECT("MEM_COMMIT without an address reserves too", commit_only != NULL);
  show("commit only", commit_only, commit_only);
  VirtualFree(commit_only, 0, MEM_RELEASE);
  char *guard = VirtualAlloc(NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
  show("guard page", guard, guard);
  VirtualFree(guard, 0, MEM_RELEASE);

  CHECK("VirtualAlloc size 0", VirtualAlloc(NULL, 0, MEM_COMMIT, PAGE_READWRITE) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("VirtualAlloc type 0", VirtualAlloc(NULL, 0x1000, 0, PAGE_READWRITE) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("VirtualAlloc decommit type", VirtualAlloc(NULL, 0x1000, MEM_DECOMMIT, PAGE_READWRITE) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("VirtualAlloc protection 0", VirtualAlloc(NULL, 0x1000, MEM_COMMIT, 0) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("VirtualAlloc two protections", VirtualAlloc(NULL, 0x1000, MEM_COMMIT, PAGE_READONLY | PAGE_READWRITE) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("VirtualAlloc huge", VirtualAlloc(NULL, (SIZE_T)-0x10000, MEM_RESERVE, PAGE_READWRITE) == NULL, 1, -1);
}

static void query(void) {
  MEMORY_BASIC_INFORMATION m;
  HMODULE exe = GetModuleHandleA(NULL), k32 = GetModuleHandleA("kernel32.dll");
  int local = 0;
  CHECK("VirtualQuery image", VirtualQuery(exe, &m, sizeof m) == sizeof m, 1, -1);
  EXPECT("image: allocation base is the module", m.AllocationBase == exe && m.BaseAddress == exe);
  EXPECT("image: committed MEM_IMAGE headers, read-only", m.State == MEM_COMMIT && m.Type == MEM_IMAGE && m.Protect == PAGE_READONLY);
  EXPECT("image: allocation protection", m.AllocationProtect == PAGE_EXECUTE_WRITECOPY);
  VirtualQuery((void *)(ULONG_PTR)GetProcAddress(k32, "VirtualQuery"), &m, sizeof m);
  EXPECT("kernel32 code: MEM_IMAGE, execute-read", m.AllocationBase == k32 && m.Type == MEM_IMAGE && m.Protect == PAGE_EXECUTE_READ);
  VirtualQuery(&local, &m, sizeof m);
  EXPECT("stack: committed private read-write", m.State == MEM_COMMIT && m.Type == MEM_PRIVATE && m.Protect == PAGE_READWRITE && m.AllocationProtect == PAGE_READWRITE);
  VirtualQuery((void *)0x1000, &m, sizeof m);
  EXPECT("page 1: free", m.State == MEM_FREE && m.Protect == PAGE_NOACCESS && m.AllocationBase == NULL && m.BaseAddress == (void *)0x1000);
  CHECK("VirtualQuery short buffer", VirtualQuery(exe, &m, sizeof m - 1), 0, 24);
}

static void other_process(void) {
  char cmd[MAX_PATH + 32];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  MEMORY_BASIC_INFORMATION m;
  DWORD old = 0;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  snprintf(cmd, sizeof cmd, "\"%s\" child none", self);
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi)) {
    printf("CreateProcessA failed: %lu\n", (unsigned long)GetLastError());
    failures++;
    return;
  }
  char *p = VirtualAllocEx(pi.hProcess, NULL, 0x20000, MEM_RESERVE, PAGE_READWRITE);
  EXPECT("VirtualAllocEx reserve in a child", p != NULL);
  EXPECT("VirtualAllocEx commit in a child", VirtualAllocEx(pi.hProcess, p, 0x1000, MEM_COMMIT, PAGE_READWRITE) == p);
  CHECK("VirtualQueryEx", VirtualQueryEx(pi.hProcess, p, &m, sizeof m) == sizeof m, 1, -1);
  EXPECT("VirtualQueryEx: committed in the child", m.State == MEM_COMMIT && m.AllocationBase == p && m.RegionSize == 0x1000);
  CHECK("VirtualProtectEx", VirtualProtectEx(pi.hProcess, p, 0x1000, PAGE_READONLY, &old), 1, -1);
  CHECK("VirtualProtectEx old", old, PAGE_READWRITE, -1);
  CHECK("VirtualFreeEx", VirtualFreeEx(pi.hProcess, p, 0, MEM_RELEASE), 1, -1);
  CHECK("VirtualAllocEx current process", VirtualFreeEx(GetCurrentProcess(), VirtualAllocEx(GetCurrentProcess(), NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE), 0, MEM_RELEASE), 1, -1);
  TerminateProcess(pi.hProcess, 9);
  WaitForSingleObject(pi.hProcess, INFINITE);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
}

static void heaps(void) {
  HANDLE ph = GetProcessHeap();
  EXPECT("GetProcessHeap", ph != NULL && ph == GetProcessHeap());
  unsigned char *p = HeapAlloc(ph, HEAP_ZERO_MEMORY, 100);
  int zero = p != NULL;
  for (int i = 0; p && i < 100; i++) zero &= p[i] == 0;
  EXPECT("HeapAlloc HEAP_ZERO_MEMORY", zero);
  CHECK("HeapSize", HeapSize(ph, 0, p), 100, -1);
  for (int i = 0; i < 100; i++) p[i] = (unsigned char)i;
  p = HeapReAlloc(ph, HEAP_ZERO_MEMORY, p, 5000);
  int kept = p != NULL;
  for (int i = 0; p && i < 5000; i++) kept &= p[i] == (i < 100 ? i : 0);
  EXPECT("HeapReAlloc grows, keeps data, zeroes the rest", kept);
  CHECK("HeapSize after grow", HeapSize(ph, 0, p), 5000, -1);
  unsigned char *q = HeapReAlloc(ph, HEAP_REALLOC_IN_PLACE_ONLY, p, 10);
  EXPECT("HeapReAlloc in place shrinks", q == p && p[9] == 9);
  CHECK("HeapSize after shrink", HeapSize(ph, 0, p), 10, -1);
  CHECK("HeapFree", HeapFree(ph, 0, p), 1, -1);
  void *z = HeapAlloc(ph, 0, 0);
  EXPECT("HeapAlloc 0 bytes", z != NULL);
  CHECK("HeapSize 0", HeapSize(ph, 0, z), 0, -1);
  HeapFree(ph, 0, z);
  CHECK("HeapFree NULL", HeapFree(ph, 0, NULL), 1, -1);
  SetLastError(0);
  CHECK("HeapAlloc huge", HeapAlloc(ph, 0, (SIZE_T)-0x100) == NULL, 1, ERROR_NOT_ENOUGH_MEMORY);

  HANDLE h = HeapCreate(0, 0, 0);
  EXPECT("HeapCreate growable", h != NULL && h != ph);
  static unsigned char *blocks[600];
  int ok = 1;
  for (int i = 0; i < 600; i++) {
    blocks[i] = HeapAlloc(h, 0, 1 + (i * 37) % 3000);
    if (!blocks[i]) ok = 0;
    else memset(blocks[i], i & 0xff, 1 + (i * 37) % 3000);
  }
  for (int i = 0; i < 600; i += 2) HeapFree(h, 0, blocks[i]);
  for (int i = 1; i < 600; i += 2)
    for (int j = 0; j < 1 + (i * 37) % 3000; j++) ok &= blocks[i][j] == (i & 0xff);
  EXPECT("600 blocks keep their data across frees", ok);
  unsigned char *big = HeapAlloc(h, 0, 4 << 20);
  EXPECT("4 MiB block", big != NULL);
  if (big) big[0] = big[(4 << 20) - 1] = 1;
  CHECK("free the big block", HeapFree(h, 0, big), 1, -1);
  for (int i = 1; i < 600; i += 2) HeapFree(h, 0, blocks[i]);
  CHECK("HeapDestroy", HeapDestroy(h), 1, -1);

  HANDLE fixed = HeapCreate(0, 0x1000, 0x10000);
  EXPECT("HeapCreate fixed", fixed != NULL);
  SetLastError(0);
  CHECK("fixed heap: block past its maximum", HeapAlloc(fixed, 0, 0x100000) == NULL, 1, -1);
  int n = 0;
  while (n < 100 && HeapAlloc(fixed, 0, 0x1000)) n++;
  EXPECT("fixed heap fills up", n >= 8 && n < 16);
  CHECK("HeapDestroy fixed", HeapDestroy(fixed), 1, -1);

  int *c = calloc(1000, sizeof *c);
  zero = c != NULL;
  for (int i = 0; c && i < 1000; i++) zero &= c[i] == 0;
  EXPECT("calloc zeroes", zero);
  for (int i = 0; c && i < 1000; i++) c[i] = i;
  c = realloc(c, 100000 * sizeof *c);
  kept = c != NULL;
  for (int i = 0; c && i < 1000; i++) kept &= c[i] == i;
  EXPECT("realloc keeps data", kept);
  free(c);
  static volatile size_t half = (size_t)-1 / 2, huge = (size_t)-0x100;
  EXPECT("calloc overflow", calloc(half, 4) == NULL);
  EXPECT("malloc huge", malloc(huge) == NULL);
  free(NULL);
}

static void faults(void) {
  LPTOP_LEVEL_EXCEPTION_FILTER first = SetUnhandledExceptionFilter(other_filter);
  EXPECT("SetUnhandledExceptionFilter returns the previous filter", SetUnhandledExceptionFilter(first) == other_filter);
  CHECK("read of NULL", run("read-null"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("write of NULL", run("write-null"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("read of a reserved page", run("reserved"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("write of a reserved page", run("write-reserved"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("write of a read-only page", run("readonly"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("read of a no-access page", run("noaccess"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("read of a decommitted page", run("decommitted"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("read of a guard page", run("guard"), STATUS_GUARD_PAGE_VIOLATION, -1);
  CHECK("HEAP_GENERATE_EXCEPTIONS", run("heap-exceptions"), STATUS_NO_MEMORY, -1);
  CHECK("unhandled exception filter", run("filter"), STATUS_ACCESS_VIOLATION, -1);
  CHECK("filter continues execution", run("continue"), 0, -1);
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "child")) return child(argv[2]);
  GetModuleFileNameA(NULL, self, sizeof self);
  system_info();
  reserve_commit();
  query();
  other_process();
  heaps();
  faults();
  printf("failures: %d\n", failures);
  return failures;
}
