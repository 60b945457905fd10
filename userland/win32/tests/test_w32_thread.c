/* Threads, thread-local storage and console control handlers through
 * kernel32: creation (suspended or not, stack sizes), ids, exit codes,
 * suspend counts, termination, waits on thread handles, OpenThread, TLS
 * slots per thread, SetConsoleCtrlHandler's list, and how ExitProcess and
 * the last ExitThread end a process (children started as "child MODE").
 * Only the main thread prints, and nothing timing-dependent or id-valued
 * is printed. The "ctrl" child modes wait for a Ctrl+C typed at the console
 * (the Strata test types it; Wine cannot be sent one in a test). Exits with
 * the number of failed expectations. */
#include "w32check.h"

static char self[MAX_PATH];
static volatile LONG counter;
static volatile LONG stop;
static volatile DWORD seen_tid;
static volatile LPVOID seen_arg;
static DWORD tls_index;
static volatile LPVOID tls_seen;

static DWORD WINAPI returns_42(LPVOID arg) {
  seen_arg = arg;
  seen_tid = GetCurrentThreadId();
  return 42;
}

static DWORD WINAPI counts_once(LPVOID arg) {
  (void)arg;
  __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
  return 1;
}

static DWORD WINAPI spins(LPVOID arg) {
  (void)arg;
  while (!stop) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
  return 2;
}

static volatile LONG sleepers;

static DWORD WINAPI sleeps_forever(LPVOID arg) {
  __atomic_fetch_add(&sleepers, 1, __ATOMIC_SEQ_CST);
  while (arg == NULL) Sleep(1000);
  return 0;
}

/* Waits until a sleeps_forever thread started after `before` sleepers has
 * entered its loop. A thread terminated while it is still starting may die
 * holding the loader's lock (it runs the DLLs' thread attach first); Wine
 * then hangs the next thread that starts. */
static void await_sleeper(LONG before) {
  while (sleepers == before) Sleep(1);
}

static DWORD WINAPI exits_5(LPVOID arg) {
  (void)arg;
  ExitThread(5);
}

static DWORD WINAPI big_stack(LPVOID arg) {
  volatile char buf[96 * 1024];
  size_t n = (size_t)arg, touched = 0;
  for (size_t i = 0; i < n && i < sizeof buf; i += 512) buf[i] = 1;
  for (size_t i = 0; i < n && i < sizeof buf; i += 512) touched += buf[i];
  return touched == (n + 511) / 512 ? 4 : 5;
}

/* 1 when VirtualQuery describes the thread's own stack as committed private read-write memory. */
static DWORD WINAPI queries_stack(LPVOID arg) {
  volatile int local = 0;
  MEMORY_BASIC_INFORMATION mbi;
  (void)arg;
  if (VirtualQuery((LPCVOID)&local, &mbi, sizeof mbi) != sizeof mbi) return 2;
  return mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE && mbi.Protect == PAGE_READWRITE ? 1 : 3;
}

static DWORD WINAPI tls_worker(LPVOID arg) {
  (void)arg;
  tls_seen = TlsGetValue(tls_index);
  TlsSetValue(tls_index, (LPVOID)77);
  return TlsGetValue(tls_index) == (LPVOID)77 ? 11 : 12;
}

static volatile HANDLE dup_seen;

static DWORD WINAPI duplicates_self(LPVOID arg) {
  (void)arg;
  HANDLE h = NULL;
  seen_tid = GetCurrentThreadId();
  if (DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &h, 0, FALSE,
                      DUPLICATE_SAME_ACCESS))
    dup_seen = h;
  return 0;
}

static DWORD WINAPI adds(LPVOID arg) {
  for (int i = 0; i < 100; i++) __atomic_fetch_add(&counter, (LONG)(size_t)arg, __ATOMIC_SEQ_CST);
  return (DWORD)(size_t)arg;
}

static DWORD exit_code(HANDLE h) {
  DWORD code = 0;
  if (!GetExitCodeThread(h, &code)) return 0xdeadbeef;
  return code;
}

static void basics(void) {
  CHECK("GetCurrentThread is -2", (LONG_PTR)GetCurrentThread(), -2, -1);
  EXPECT("GetCurrentThreadId is not 0", GetCurrentThreadId() != 0);
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  EXPECT("GetCurrentProcessorNumber is below the processor count",
         GetCurrentProcessorNumber() < si.dwNumberOfProcessors);
  EXPECT("GetThreadId(GetCurrentThread()) is the id", GetThreadId(GetCurrentThread()) == GetCurrentThreadId());
  DWORD code = 0;
  CHECK("GetExitCodeThread(self)", GetExitCodeThread(GetCurrentThread(), &code), 1, -1);
  CHECK("own exit code", code, STILL_ACTIVE, -1);

  DWORD tid = 0;
  HANDLE h = CreateThread(NULL, 0, returns_42, (LPVOID)0x1234, 0, &tid);
  EXPECT("CreateThread", h != NULL);
  CHECK("wait for the thread", WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0, -1);
  CHECK("its exit code", exit_code(h), 42, -1);
  EXPECT("it got its argument", seen_arg == (LPVOID)0x1234);
  EXPECT("its id is the one CreateThread gave", tid != 0 && seen_tid == tid);
  HANDLE q = CreateThread(NULL, 0, queries_stack, NULL, 0, NULL);
  CHECK("VirtualQuery of a new thread's stack", WaitForSingleObject(q, INFINITE) == WAIT_OBJECT_0 ? exit_code(q) : 0, 1, -1);
  CloseHandle(q);
  EXPECT("GetThreadId of its handle", GetThreadId(h) == tid);
  EXPECT("not the caller's id", tid != GetCurrentThreadId());
  CHECK("wait again: still signalled", WaitForSingleObject(h, 0), WAIT_OBJECT_0, -1);
  CHECK("CloseHandle", CloseHandle(h), 1, -1);
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  DWORD flags = 99;
  h = CreateThread(&sa, 0, returns_42, NULL, 0, &tid);
  CHECK("an inheritable thread handle", GetHandleInformation(h, &flags) && (flags & HANDLE_FLAG_INHERIT), 1, -1);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);
  h = CreateThread(NULL, 0, returns_42, NULL, 0, &tid);
  CHECK("a plain one is not", GetHandleInformation(h, &flags) && !(flags & HANDLE_FLAG_INHERIT), 1, -1);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);

  h = CreateThread(NULL, 0, exits_5, NULL, 0, NULL);
  WaitForSingleObject(h, INFINITE);
  CHECK("ExitThread(5) code", exit_code(h), 5, -1);
  CloseHandle(h);

  h = CreateThread(NULL, 256 * 1024, big_stack, (LPVOID)(96 * 1024 - 1), 0, NULL);
  WaitForSingleObject(h, INFINITE);
  CHECK("96 KiB of locals on a 256 KiB stack", exit_code(h), 4, -1);
  CloseHandle(h);
  h = CreateThread(NULL, 2 << 20, big_stack, (LPVOID)(64 * 1024), STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
  WaitForSingleObject(h, INFINITE);
  CHECK("a 2 MiB reservation", exit_code(h), 4, -1);
  CloseHandle(h);

  counter = 0;
  HANDLE hs[16];
  for (int i = 0; i < 16; i++) hs[i] = CreateThread(NULL, 0, adds, (LPVOID)(size_t)(i + 1), 0, NULL);
  DWORD sum = 0;
  for (int i = 0; i < 16; i++) {
    WaitForSingleObject(hs[i], INFINITE);
    sum += exit_code(hs[i]);
    CloseHandle(hs[i]);
  }
  CHECK("16 threads: exit codes", sum, 136, -1);
  CHECK("16 threads: atomic sum", counter, 13600, -1);
  SwitchToThread();
}

static void suspension(void) {
  counter = 0;
  HANDLE h = CreateThread(NULL, 0, counts_once, NULL, CREATE_SUSPENDED, NULL);
  Sleep(30);
  CHECK("created suspended: not run", counter, 0, -1);
  CHECK("created suspended: STILL_ACTIVE", exit_code(h), STILL_ACTIVE, -1);
  CHECK("wait times out", WaitForSingleObject(h, 0), WAIT_TIMEOUT, -1);
  CHECK("SuspendThread: previous 1", SuspendThread(h), 1, -1);
  CHECK("ResumeThread: previous 2", ResumeThread(h), 2, -1);
  Sleep(30);
  CHECK("count 1: still not run", counter, 0, -1);
  CHECK("ResumeThread: previous 1", ResumeThread(h), 1, -1);
  CHECK("resumed: runs to its end", WaitForSingleObject(h, 5000), WAIT_OBJECT_0, -1);
  CHECK("it ran once", counter, 1, -1);
  CloseHandle(h);

  h = CreateThread(NULL, 0, counts_once, NULL, CREATE_SUSPENDED, NULL);
  DWORD bad = 0;
  for (int i = 1; i < 127; i++)
    if (SuspendThread(h) != (DWORD)i) bad++;
  CHECK("126 more suspends count up", bad, 0, -1);
  SetLastError(0);
  CHECK("the 128th: MAXIMUM_SUSPEND_COUNT", SuspendThread(h), -1 & 0xffffffffUL, ERROR_SIGNAL_REFUSED);
  for (int i = 127; i > 0; i--)
    if (ResumeThread(h) != (DWORD)i) bad++;
  CHECK("127 resumes count down", bad, 0, -1);
  CHECK("ResumeThread of a running thread: 0", ResumeThread(h), 0, -1);
  WaitForSingleObject(h, INFINITE);
  CHECK("then it ran", counter, 2, -1);
  CloseHandle(h);

  stop = 0;
  counter = 0;
  h = CreateThread(NULL, 0, spins, NULL, 0, NULL);
  while (counter == 0) Sleep(1);
  CHECK("SuspendThread of a running thread: previous 0", SuspendThread(h), 0, -1);
  Sleep(20);
  LONG c1 = counter;
  Sleep(50);
  EXPECT("suspended: it does not run", counter == c1);
  CHECK("ResumeThread: previous 1", ResumeThread(h), 1, -1);
  while (counter == c1) Sleep(1);
  stop = 1;
  WaitForSingleObject(h, INFINITE);
  CHECK("the spinner's code", exit_code(h), 2, -1);
  CHECK("SuspendThread(NULL)", SuspendThread(NULL), -1 & 0xffffffffUL, ERROR_INVALID_HANDLE);
  CloseHandle(h);
}

static void termination(void) {
  LONG before = sleepers;
  HANDLE h = CreateThread(NULL, 0, sleeps_forever, NULL, 0, NULL);
  await_sleeper(before);
  CHECK("TerminateThread", TerminateThread(h, 7), 1, -1);
  CHECK("the terminated thread is signalled", WaitForSingleObject(h, 5000), WAIT_OBJECT_0, -1);
  CHECK("its code", exit_code(h), 7, -1);
  CloseHandle(h);
  h = CreateThread(NULL, 0, counts_once, NULL, CREATE_SUSPENDED, NULL);
  CHECK("TerminateThread of a suspended thread", TerminateThread(h, 8), 1, -1);
  CHECK("signalled", WaitForSingleObject(h, 5000), WAIT_OBJECT_0, -1);
  CHECK("its code", exit_code(h), 8, -1);
  CloseHandle(h);
  CHECK("TerminateThread(NULL)", TerminateThread(NULL, 0), 0, ERROR_INVALID_HANDLE);
  CHECK("GetExitCodeThread(NULL)", GetExitCodeThread(NULL, &(DWORD){0}), 0, ERROR_INVALID_HANDLE);

  DWORD tid = 0;
  stop = 0;
  before = sleepers;
  h = CreateThread(NULL, 0, sleeps_forever, NULL, 0, &tid);
  await_sleeper(before);
  HANDLE o = OpenThread(THREAD_QUERY_INFORMATION | SYNCHRONIZE | THREAD_TERMINATE, FALSE, tid);
  EXPECT("OpenThread by id", o != NULL);
  CHECK("its exit code through the new handle", exit_code(o), STILL_ACTIVE, -1);
  HANDLE oi = OpenThread(THREAD_QUERY_INFORMATION, TRUE, tid);
  DWORD oflags = 0;
  CHECK("OpenThread(inherit TRUE)", GetHandleInformation(oi, &oflags) && (oflags & HANDLE_FLAG_INHERIT), 1, -1);
  CloseHandle(oi);
  CHECK("terminate through it", TerminateThread(o, 9), 1, -1);
  WaitForSingleObject(h, INFINITE);
  CHECK("the first handle sees it", exit_code(h), 9, -1);
  CloseHandle(o);
  CloseHandle(h);
  CHECK("OpenThread(0)", (LONG_PTR)OpenThread(THREAD_QUERY_INFORMATION, FALSE, 0), 0, ERROR_INVALID_PARAMETER);

  h = CreateThread(NULL, 0, counts_once, NULL, CREATE_SUSPENDED, &tid);
  o = OpenThread(THREAD_QUERY_INFORMATION, FALSE, tid);
  CHECK("SuspendThread without THREAD_SUSPEND_RESUME", SuspendThread(o), -1 & 0xffffffffUL, ERROR_ACCESS_DENIED);
  CHECK("ResumeThread without it", ResumeThread(o), -1 & 0xffffffffUL, ERROR_ACCESS_DENIED);
  CHECK("TerminateThread without THREAD_TERMINATE", TerminateThread(o, 1), 0, ERROR_ACCESS_DENIED);
  CloseHandle(o);
  CHECK("SuspendThread of a process handle", SuspendThread(GetCurrentProcess()), -1 & 0xffffffffUL, ERROR_INVALID_HANDLE);
  CHECK("GetExitCodeThread of a process handle", GetExitCodeThread(GetCurrentProcess(), &(DWORD){0}), 0, ERROR_INVALID_HANDLE);
  ResumeThread(h);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);
  CHECK("GetExitCodeThread of a closed handle", GetExitCodeThread(h, &(DWORD){0}), 0, ERROR_INVALID_HANDLE);

  h = CreateThread(NULL, 0, duplicates_self, NULL, 0, &tid);
  WaitForSingleObject(h, INFINITE);
  EXPECT("DuplicateHandle of GetCurrentThread() names the calling thread",
         dup_seen != NULL && GetThreadId(dup_seen) == tid);
  CHECK("that handle is signalled too", WaitForSingleObject(dup_seen, 0), WAIT_OBJECT_0, -1);
  CloseHandle(dup_seen);
  CloseHandle(h);
}

static void tls(void) {
  tls_index = TlsAlloc();
  EXPECT("TlsAlloc", tls_index != TLS_OUT_OF_INDEXES);
  SetLastError(1234);
  CHECK("TlsGetValue of a new slot", (LONG_PTR)TlsGetValue(tls_index), 0, 0);
  CHECK("TlsSetValue", TlsSetValue(tls_index, (LPVOID)0x55), 1, -1);
  SetLastError(1234);
  CHECK("TlsGetValue", (LONG_PTR)TlsGetValue(tls_index), 0x55, 0);
  HANDLE h = CreateThread(NULL, 0, tls_worker, NULL, 0, NULL);
  WaitForSingleObject(h, INFINITE);
  CHECK("a new thread's slot starts at 0", (LONG_PTR)tls_seen, 0, -1);
  CHECK("it kept its own value", exit_code(h), 11, -1);
  CloseHandle(h);
  CHECK("the main thread's value is its own", (LONG_PTR)TlsGetValue(tls_index), 0x55, -1);
  DWORD second = TlsAlloc();
  EXPECT("a second slot differs", second != TLS_OUT_OF_INDEXES && second != tls_index);
  CHECK("TlsFree", TlsFree(tls_index), 1, -1);
  CHECK("TlsFree of a second slot", TlsFree(second), 1, -1);
  CHECK("TlsFree again", TlsFree(tls_index), 0, ERROR_INVALID_PARAMETER);
  DWORD again = TlsAlloc();
  EXPECT("TlsAlloc after TlsFree", again != TLS_OUT_OF_INDEXES);
  CHECK("the slot reads 0 again", (LONG_PTR)TlsGetValue(again), 0, 0);
  TlsFree(again);
  CHECK("TlsGetValue(5000)", (LONG_PTR)TlsGetValue(5000), 0, ERROR_INVALID_PARAMETER);
  CHECK("TlsSetValue(5000)", TlsSetValue(5000, NULL), 0, ERROR_INVALID_PARAMETER);
  CHECK("TlsFree(5000)", TlsFree(5000), 0, ERROR_INVALID_PARAMETER);
}

static BOOL WINAPI handler_a(DWORD event) {
  printf("handler a: event %lu\n", (unsigned long)event);
  fflush(stdout);
  return TRUE;
}

static BOOL WINAPI handler_b(DWORD event) {
  printf("handler b: event %lu, passes it on\n", (unsigned long)event);
  fflush(stdout);
  stop = 1;
  return FALSE;
}

typedef int (*thread_calls_fn)(int detach);

static void dll_notifications(void) {
  HMODULE dll = LoadLibraryA("w32testdll.dll");
  thread_calls_fn calls = dll ? (thread_calls_fn)(void *)GetProcAddress(dll, "w32testdll_thread_calls") : NULL;
  EXPECT("LoadLibraryA(w32testdll.dll)", calls != NULL);
  if (!calls) return;
  int a0 = calls(0), d0 = calls(1);
  HANDLE h = CreateThread(NULL, 0, returns_42, NULL, 0, NULL);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);
  CHECK("a new thread: DLL_THREAD_ATTACH", calls(0) - a0, 1, -1);
  CHECK("its return: DLL_THREAD_DETACH", calls(1) - d0, 1, -1);
  h = CreateThread(NULL, 0, exits_5, NULL, 0, NULL);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);
  CHECK("ExitThread: DLL_THREAD_DETACH", calls(1) - d0, 2, -1);
  h = CreateThread(NULL, 0, counts_once, NULL, CREATE_SUSPENDED, NULL);
  TerminateThread(h, 0);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);
  CHECK("TerminateThread: no DLL_THREAD_DETACH", calls(1) - d0, 2, -1);
  FreeLibrary(dll);
}

static void ctrl_handlers(void) {
  CHECK("SetConsoleCtrlHandler add", SetConsoleCtrlHandler(handler_a, TRUE), 1, -1);
  CHECK("add a second", SetConsoleCtrlHandler(handler_b, TRUE), 1, -1);
  CHECK("remove", SetConsoleCtrlHandler(handler_b, FALSE), 1, -1);
  CHECK("remove again", SetConsoleCtrlHandler(handler_b, FALSE), 0, ERROR_INVALID_PARAMETER);
  CHECK("remove the first", SetConsoleCtrlHandler(handler_a, FALSE), 1, -1);
  CHECK("ignore Ctrl+C", SetConsoleCtrlHandler(NULL, TRUE), 1, -1);
  CHECK("stop ignoring", SetConsoleCtrlHandler(NULL, FALSE), 1, -1);
}

/* Runs "self child MODE" and returns its exit code. */
static DWORD run(const char *mode) {
  char cmd[MAX_PATH + 64];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD code = 999;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, mode);
  fflush(stdout);
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return code;
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  return code;
}

static DWORD WINAPI returns_9_later(LPVOID arg) {
  (void)arg;
  Sleep(30);
  return 9;
}

/* Native calls with bad arguments (run by the Strata test only: NT's own
 * answers differ in places from Wine's, and the test names the statuses). */
typedef LONG(WINAPI *create_fn)(PHANDLE, DWORD, PVOID, HANDLE, PVOID, PVOID, ULONG, SIZE_T,
                                SIZE_T, SIZE_T, PVOID);
typedef LONG(WINAPI *handle_ulong_fn)(HANDLE, PULONG);
typedef LONG(WINAPI *query_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef LONG(WINAPI *open_fn)(PHANDLE, DWORD, PVOID, PVOID);
typedef LONG(WINAPI *set_fn)(HANDLE, ULONG, PVOID, ULONG);
typedef LONG(WINAPI *terminate_fn)(HANDLE, LONG);

static void native_status(const char *what, LONG got, unsigned long want) {
  printf("%s: %08lx\n", what, (unsigned long)got);
  if ((unsigned long)got != want) {
    printf("  FAILED (wanted %08lx)\n", want);
    failures++;
  }
}

static int native_bad_input(void) {
  HMODULE nt = GetModuleHandleA("ntdll.dll");
  create_fn create = (create_fn)(void *)GetProcAddress(nt, "NtCreateThreadEx");
  handle_ulong_fn suspend = (handle_ulong_fn)(void *)GetProcAddress(nt, "NtSuspendThread");
  handle_ulong_fn resume = (handle_ulong_fn)(void *)GetProcAddress(nt, "NtResumeThread");
  query_fn query = (query_fn)(void *)GetProcAddress(nt, "NtQueryInformationThread");
  open_fn open = (open_fn)(void *)GetProcAddress(nt, "NtOpenThread");
  set_fn set = (set_fn)(void *)GetProcAddress(nt, "NtSetInformationThread");
  terminate_fn terminate = (terminate_fn)(void *)GetProcAddress(nt, "NtTerminateThread");
  HANDLE h = NULL, self = GetCurrentProcess();
  ULONG buf[8], cid[2] = {0, 0};
  native_status("create: no start routine", create(&h, THREAD_ALL_ACCESS, NULL, self, NULL, NULL, 0, 0, 0, 0, NULL), 0xc000000d);
  native_status("create: bad handle pointer", create((PHANDLE)16, THREAD_ALL_ACCESS, NULL, self, (PVOID)counts_once, NULL, 0, 0, 0, 0, NULL), 0xc0000005);
  native_status("create: a thread handle as the process", create(&h, THREAD_ALL_ACCESS, NULL, GetCurrentThread(), (PVOID)counts_once, NULL, 0, 0, 0, 0, NULL), 0xc0000024);
  native_status("create: a 1 GiB stack", create(&h, THREAD_ALL_ACCESS, NULL, self, (PVOID)counts_once, NULL, 0, 0, 0, 1u << 30, NULL), 0xc0000017);
  native_status("create: a huge commit", create(&h, THREAD_ALL_ACCESS, NULL, self, (PVOID)counts_once, NULL, 0, 0, 0xfff00000u, 0, NULL), 0xc0000017);
  native_status("suspend: a process handle", suspend(self, NULL), 0xc0000024);
  native_status("suspend: an invalid handle", suspend((HANDLE)0x1234, NULL), 0xc0000008);
  native_status("resume: an invalid handle", resume((HANDLE)0x1234, NULL), 0xc0000008);
  native_status("terminate: an invalid handle", terminate((HANDLE)0x1234, 0), 0xc0000008);
  h = CreateThread(NULL, 0, counts_once, NULL, 0, NULL);
  WaitForSingleObject(h, INFINITE);
  native_status("suspend: an ended thread", suspend(h, NULL), 0xc000004b);
  native_status("terminate: an ended thread", terminate(h, 0), 0xc000004b);
  native_status("suspend: bad count pointer", suspend(GetCurrentThread(), (PULONG)16), 0xc0000005);
  native_status("query: class 1", query(h, 1, buf, 28, NULL), 0xc0000003);
  native_status("query: 20 bytes", query(h, 0, buf, 20, NULL), 0xc0000004);
  native_status("query: bad buffer", query(h, 0, (PVOID)16, 28, NULL), 0xc0000005);
  native_status("query: basic", query(h, 0, buf, 28, NULL), 0);
  printf("exit status %lu, teb set %d\n", (unsigned long)buf[0], buf[1] != 0);
  CloseHandle(h);
  native_status("open: no client id", open(&h, THREAD_ALL_ACCESS, NULL, NULL), 0xc000000d);
  native_status("open: bad client id pointer", open(&h, THREAD_ALL_ACCESS, NULL, (PVOID)16), 0xc0000005);
  cid[1] = 99999;
  native_status("open: unknown thread", open(&h, THREAD_ALL_ACCESS, NULL, cid), 0xc000000b);
  ULONG index = 64;
  native_status("zero TLS cell 64", set(GetCurrentThread(), 10, &index, 4), 0xc000000d);
  native_status("zero TLS cell: 2 bytes", set(GetCurrentThread(), 10, &index, 2), 0xc0000004);
  native_status("set: class 1", set(GetCurrentThread(), 1, &index, 4), 0xc0000003);
  printf("failures: %d\n", failures);
  return failures;
}

static HANDLE main_thread;

/* Suspends the spinning main thread, lets a Ctrl+C arrive, checks the main
 * thread did not run meanwhile, resumes it. */
static DWORD WINAPI suspends_main(LPVOID arg) {
  (void)arg;
  while (counter == 0) Sleep(1);
  SuspendThread(main_thread);
  Sleep(20);
  LONG c1 = counter;
  printf("main thread suspended, waiting for Ctrl+C\n");
  fflush(stdout);
  Sleep(400);
  printf("it stayed suspended: %s\n", counter == c1 ? "yes" : "no");
  fflush(stdout);
  stop = 1;
  ResumeThread(main_thread);
  return 0;
}

static int child(const char *mode) {
  if (!strcmp(mode, "native")) return native_bad_input();
  if (!strcmp(mode, "ctrl-suspended")) {
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &main_thread, 0,
                    FALSE, DUPLICATE_SAME_ACCESS);
    SetConsoleCtrlHandler(handler_a, TRUE);
    HANDLE h = CreateThread(NULL, 0, suspends_main, NULL, 0, NULL);
    while (!stop) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    WaitForSingleObject(h, INFINITE);
    printf("main thread resumed\n");
    return 0;
  }
  if (!strcmp(mode, "exitprocess")) {
    CreateThread(NULL, 0, sleeps_forever, NULL, 0, NULL);
    CreateThread(NULL, 0, sleeps_forever, NULL, 0, NULL);
    ExitProcess(3);
  }
  if (!strcmp(mode, "lastthread")) {
    CreateThread(NULL, 0, returns_9_later, NULL, 0, NULL);
    ExitThread(1);
  }
  if (!strcmp(mode, "ctrl-handled") || !strcmp(mode, "ctrl-passed")) {
    SetConsoleCtrlHandler(handler_a, TRUE);
    if (!strcmp(mode, "ctrl-passed")) SetConsoleCtrlHandler(handler_a, FALSE);
    SetConsoleCtrlHandler(handler_b, TRUE);
    printf("waiting for Ctrl+C\n");
    fflush(stdout);
    while (!stop) Sleep(10);
    Sleep(100);
    printf("still running\n");
    return 0;
  }
  if (!strcmp(mode, "ctrl-ignored")) {
    SetConsoleCtrlHandler(NULL, TRUE);
    printf("ignoring Ctrl+C\n");
    fflush(stdout);
    Sleep(2000);
    printf("still running\n");
    return 0;
  }
  if (!strcmp(mode, "ctrl-default")) {
    printf("waiting for Ctrl+C\n");
    fflush(stdout);
    sleeps_forever(NULL);
  }
  return 100;
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "child")) return child(argv[2]);
  GetModuleFileNameA(NULL, self, sizeof self);
  basics();
  suspension();
  termination();
  tls();
  dll_notifications();
  ctrl_handlers();
  CHECK("ExitProcess ends every thread", run("exitprocess"), 3, -1);
  CHECK("the last ExitThread's code ends the process", run("lastthread"), 9, -1);
  printf("failures: %d\n", failures);
  return failures;
}
