/* Processes, pipes, handles, environment, modules, errors, time and console
 * through kernel32. The program starts copies of itself ("child MODE") for
 * the process cases; it prints one line per call and exits with the number
 * of failed expectations. */
#include "w32check.h"

static char self[MAX_PATH];

static int child(int argc, char **argv) {
  const char *mode = argv[2];
  if (!strcmp(mode, "args")) {
    printf("command line after the program: %s\n", strstr(GetCommandLineA(), " child "));
    for (int i = 3; i < argc; i++) printf("arg %d: [%s]\n", i - 3, argv[i]);
    return argc - 3;
  }
  if (!strcmp(mode, "exit")) return atoi(argv[3]);
  if (!strcmp(mode, "upper")) {
    int c;
    while ((c = getchar()) != EOF) putchar(c >= 'a' && c <= 'z' ? c - 32 : c);
    return 0;
  }
  if (!strcmp(mode, "env")) {
    char v[64];
    DWORD n = GetEnvironmentVariableA("W32TEST", v, sizeof v);
    printf("W32TEST %s\n", n ? v : "(unset)");
    n = GetEnvironmentVariableA("FOO", v, sizeof v);
    printf("FOO %s\n", n ? v : "(unset)");
    return 0;
  }
  if (!strcmp(mode, "cwd")) {
    char d[MAX_PATH];
    GetCurrentDirectoryA(sizeof d, d);
    char *last = strrchr(d, '\\');
    printf("cwd ends in %s\n", last ? last + 1 : d);
    return 0;
  }
  return 100;
}

/* Runs `args` as a child with stdout to a pipe; prints its output and returns its exit code. */
static DWORD run_with(const char *args, void *env, const char *cwd, const char *input) {
  char cmd[1024];
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE r, w;
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD code = 999, n;
  char buf[512];
  snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, args);
  CreatePipe(&r, &w, &sa, 0);
  SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  HANDLE ir = NULL, iw = NULL;
  if (input) {
    CreatePipe(&ir, &iw, &sa, 0);
    SetHandleInformation(iw, HANDLE_FLAG_INHERIT, 0);
  }
  si.hStdInput = input ? ir : GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = w;
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, env, cwd, &si, &pi)) {
    printf("CreateProcessA failed: %lu\n", (unsigned long)GetLastError());
    failures++;
    return code;
  }
  CloseHandle(w);
  if (input) {
    CloseHandle(ir);
    WriteFile(iw, input, (DWORD)strlen(input), &n, NULL);
    CloseHandle(iw);
  }
  fflush(stdout);
  while (ReadFile(r, buf, sizeof buf, &n, NULL) && n) {
    for (DWORD i = 0; i < n; i++)
      if (buf[i] != '\r') putchar(buf[i]);
  }
  CloseHandle(r);
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  return code;
}

static DWORD run(const char *args, void *env, const char *cwd) { return run_with(args, env, cwd, NULL); }

static void processes(void) {
  CHECK("child args", run("args plain \"two words\" back\\slash \"quo\\\"te\" 4\\\\\"tail\" a\"\"b \"\"", NULL, NULL), 7, -1);
  CHECK("child exit 7", run("exit 7", NULL, NULL), 7, -1);
  CHECK("child reading a pipe", run_with("upper", NULL, NULL, "piped text\nline 2\n"), 0, -1);
  SetEnvironmentVariableA("W32TEST", "inherited");
  CHECK("child env", run("env", NULL, NULL), 0, -1);
  static char block[] = "FOO=bar\0Z=1\0";
  CHECK("child env block", run("env", block, NULL), 0, -1);
  CreateDirectoryA("w32sub", NULL);
  CHECK("child cwd", run("cwd", NULL, "w32sub"), 0, -1);
  RemoveDirectoryA("w32sub");

  char cmd[MAX_PATH + 32];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD code = 0;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  snprintf(cmd, sizeof cmd, "\"%s\" child exit 3", self);
  CHECK("CreateProcessA suspended", CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi), 1, -1);
  CHECK("GetExitCodeProcess running", GetExitCodeProcess(pi.hProcess, &code), 1, -1);
  CHECK("STILL_ACTIVE", code, STILL_ACTIVE, -1);
  CHECK("WaitForSingleObject timeout", WaitForSingleObject(pi.hProcess, 20), WAIT_TIMEOUT, -1);
  CHECK("TerminateProcess", TerminateProcess(pi.hProcess, 42), 1, -1);
  CHECK("WaitForSingleObject after terminate", WaitForSingleObject(pi.hProcess, INFINITE), WAIT_OBJECT_0, -1);
  GetExitCodeProcess(pi.hProcess, &code);
  CHECK("exit code of terminated", code, 42, -1);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  CHECK("GetExitCodeProcess closed handle", GetExitCodeProcess(pi.hProcess, &code), 0, ERROR_INVALID_HANDLE);
  CHECK("CreateProcessA missing program", CreateProcessA(NULL, (char[]){"no_such_program_x.exe"}, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi), 0, ERROR_FILE_NOT_FOUND);
  CHECK("GetCurrentProcessId", GetCurrentProcessId() != 0, 1, -1);
  CHECK("GetCurrentProcess pseudo handle", (LONG_PTR)GetCurrentProcess(), -1, -1);
}

static void pipes(void) {
  HANDLE r, w, dup;
  DWORD n = 0, avail = 0, flags = 9;
  char buf[16];
  CHECK("CreatePipe", CreatePipe(&r, &w, NULL, 0), 1, -1);
  CHECK("GetFileType pipe", GetFileType(r), FILE_TYPE_PIPE, -1);
  CHECK("WriteFile pipe", WriteFile(w, "hello", 5, &n, NULL), 1, -1);
  CHECK("PeekNamedPipe", PeekNamedPipe(r, buf, 2, &n, &avail, NULL), 1, -1);
  CHECK("peeked", n, 2, -1);
  CHECK("available", avail, 5, -1);
  CHECK("ReadFile pipe", ReadFile(r, buf, sizeof buf, &n, NULL), 1, -1);
  CHECK("read from pipe", n, 5, -1);
  CHECK("DuplicateHandle", DuplicateHandle(GetCurrentProcess(), w, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS), 1, -1);
  CHECK("GetHandleInformation", GetHandleInformation(dup, &flags), 1, -1);
  CHECK("not inheritable", flags, 0, -1);
  CHECK("SetHandleInformation", SetHandleInformation(dup, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT), 1, -1);
  GetHandleInformation(dup, &flags);
  CHECK("inheritable now", flags, HANDLE_FLAG_INHERIT, -1);
  CHECK("GetHandleInformation invalid", GetHandleInformation((HANDLE)(ULONG_PTR)0x4560, &flags), 0, ERROR_INVALID_HANDLE);
  CloseHandle(w);
  CHECK("writer still open through the duplicate", PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL), 1, -1);
  CloseHandle(dup);
  CHECK("ReadFile after the writers closed", ReadFile(r, buf, sizeof buf, &n, NULL), 0, ERROR_BROKEN_PIPE);
  CHECK("PeekNamedPipe after the writers closed", PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL), 0, ERROR_BROKEN_PIPE);
  CloseHandle(r);
  CreatePipe(&r, &w, NULL, 0);
  CloseHandle(r);
  CHECK("WriteFile without a reader", WriteFile(w, "x", 1, &n, NULL), 0, ERROR_NO_DATA);
  CloseHandle(w);

  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  CHECK("GetStdHandle invalid", GetStdHandle(5) == INVALID_HANDLE_VALUE, 1, ERROR_INVALID_HANDLE);
  CHECK("SetStdHandle", SetStdHandle(STD_OUTPUT_HANDLE, (HANDLE)(ULONG_PTR)0x1234), 1, -1);
  CHECK("GetStdHandle after SetStdHandle", (ULONG_PTR)GetStdHandle(STD_OUTPUT_HANDLE), 0x1234, -1);
  SetStdHandle(STD_OUTPUT_HANDLE, out);
  DWORD mode;
  CHECK("GetConsoleMode on redirected stdout", GetConsoleMode(out, &mode), 0, ERROR_INVALID_HANDLE);
  CHECK("SetConsoleMode on redirected stdout", SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT), 0, ERROR_INVALID_HANDLE);
  CHECK("WriteConsoleA on redirected stdout", WriteConsoleA(out, "x", 1, &n, NULL), 0, ERROR_INVALID_HANDLE);
  CHECK("ReadConsoleA on redirected stdout", ReadConsoleA(out, buf, 1, &n, NULL), 0, ERROR_INVALID_HANDLE);
}

static void environment(void) {
  char v[8];
  CHECK("SetEnvironmentVariableA", SetEnvironmentVariableA("W32TEST", "value"), 1, -1);
  CHECK("GetEnvironmentVariableA", GetEnvironmentVariableA("w32test", v, sizeof v), 5, -1);
  printf("value %s\n", v);
  CHECK("GetEnvironmentVariableA small", GetEnvironmentVariableA("W32TEST", v, 3), 6, -1);
  char *block = GetEnvironmentStringsA();
  int seen = 0;
  for (char *p = block; *p; p += strlen(p) + 1)
    if (!strcmp(p, "W32TEST=value")) seen = 1;
  CHECK("in GetEnvironmentStringsA", seen, 1, -1);
  CHECK("FreeEnvironmentStringsA", FreeEnvironmentStringsA(block), 1, -1);
  CHECK("SetEnvironmentVariableA delete", SetEnvironmentVariableA("W32TEST", NULL), 1, -1);
  CHECK("GetEnvironmentVariableA deleted", GetEnvironmentVariableA("W32TEST", v, sizeof v), 0, ERROR_ENVVAR_NOT_FOUND);
  CHECK("SetEnvironmentVariableA bad name", SetEnvironmentVariableA("A=B", "x"), 0, ERROR_INVALID_PARAMETER);
}

static void modules(void) {
  char name[MAX_PATH];
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  CHECK("GetModuleHandleA(NULL)", GetModuleHandleA(NULL) != NULL, 1, -1);
  CHECK("GetModuleHandleA kernel32.dll", k32 != NULL, 1, -1);
  CHECK("GetModuleHandleA KERNEL32", GetModuleHandleA("KERNEL32") == k32, 1, -1);
  CHECK("GetModuleHandleA missing", GetModuleHandleA("nosuch.dll") == NULL, 1, ERROR_MOD_NOT_FOUND);
  DWORD (WINAPI *pid)(void) = (DWORD (WINAPI *)(void))GetProcAddress(k32, "GetCurrentProcessId");
  CHECK("GetProcAddress", pid && pid() == GetCurrentProcessId(), 1, -1);
  CHECK("GetProcAddress missing", GetProcAddress(k32, "NoSuchFunction") == NULL, 1, ERROR_PROC_NOT_FOUND);
  CHECK("LoadLibraryA missing", LoadLibraryA("nosuch.dll") == NULL, 1, ERROR_MOD_NOT_FOUND);
  HMODULE again = LoadLibraryA("kernel32.dll");
  CHECK("LoadLibraryA kernel32", again == k32, 1, -1);
  CHECK("FreeLibrary", FreeLibrary(again), 1, -1);
  HMODULE dll = LoadLibraryA("w32testdll.dll");
  CHECK("LoadLibraryA w32testdll.dll", dll != NULL, 1, -1);
  if (dll) {
    int (*add)(int, int) = (int (*)(int, int))GetProcAddress(dll, "w32testdll_add");
    int (*attaches)(void) = (int (*)(void))GetProcAddress(dll, "w32testdll_attaches");
    const char *(*dllname)(int) = (const char *(*)(int))GetProcAddress(dll, "w32testdll_name");
    CHECK("GetProcAddress by ordinal 1", (void *)GetProcAddress(dll, (LPCSTR)1) == (void *)add, 1, -1);
    CHECK("GetProcAddress by ordinal 9", GetProcAddress(dll, (LPCSTR)9) == NULL, 1, ERROR_PROC_NOT_FOUND);
    CHECK("w32testdll_add(2, 3)", add ? add(2, 3) : -1, 5, -1);
    CHECK("DllMain ran once", attaches ? attaches() : -1, 1, -1);
    printf("relocated pointer table: %s %s\n", dllname ? dllname(0) : "?", dllname ? dllname(1) : "?");
    CHECK("GetModuleHandleA w32testdll", GetModuleHandleA("w32testdll") == dll, 1, -1);
    CHECK("LoadLibraryA again", LoadLibraryA("W32TESTDLL.DLL") == dll, 1, -1);
    CHECK("DllMain not run again", attaches ? attaches() : -1, 1, -1);
    CHECK("FreeLibrary once", FreeLibrary(dll), 1, -1);
    CHECK("still loaded", GetModuleHandleA("w32testdll.dll") == dll, 1, -1);
    CHECK("FreeLibrary twice", FreeLibrary(dll), 1, -1);
    CHECK("unloaded", GetModuleHandleA("w32testdll.dll") == NULL, 1, ERROR_MOD_NOT_FOUND);
  }
  DWORD n = GetModuleFileNameA(NULL, name, sizeof name);
  CHECK("GetModuleFileNameA", n == strlen(name) && n > 20 && !_stricmp(name + n - 20, "test_w32_process.exe"), 1, -1);
  CHECK("GetModuleFileNameA small", GetModuleFileNameA(NULL, name, 4), 4, ERROR_INSUFFICIENT_BUFFER);
}

static void errors(void) {
  static const DWORD codes[] = {2, 3, 5, 6, 18, 32, 80, 87, 109, 145, 183, 203, 232};
  char msg[256];
  SetLastError(1234);
  CHECK("SetLastError/GetLastError", GetLastError(), 1234, -1);
  for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, codes[i],
                             0, msg, sizeof msg, NULL);
    /* The texts differ between Windows and Wine: only their form is compared. */
    int crlf = n >= 3 && msg[n - 2] == '\r' && strchr(msg, '\n') == msg + n - 1;
    printf("message %lu: %s\n", (unsigned long)codes[i], crlf && strlen(msg) == n ? "one line" : "bad");
  }
  char *alloc = NULL;
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_IGNORE_INSERTS,
                           NULL, 5, 0, (LPSTR)&alloc, 0, NULL);
  CHECK("FormatMessageA allocated", n > 2 && alloc && strlen(alloc) == n, 1, -1);
  LocalFree(alloc);
  CHECK("FormatMessageA unknown", FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x2345678, 0, msg, sizeof msg, NULL), 0, ERROR_MR_MID_NOT_FOUND);
}

static void times(void) {
  SYSTEMTIME st;
  FILETIME ft = {0xd1d4e000u, 0x01d56c2eu}; /* a fixed instant */
  CHECK("FileTimeToSystemTime", FileTimeToSystemTime(&ft, &st), 1, -1);
  printf("%04u-%02u-%02u %02u:%02u:%02u.%03u dow %u\n", st.wYear, st.wMonth, st.wDay, st.wHour,
         st.wMinute, st.wSecond, st.wMilliseconds, st.wDayOfWeek);
  GetSystemTime(&st);
  EXPECT("GetSystemTime plausible", st.wYear >= 1970 && st.wMonth >= 1 && st.wMonth <= 12 && st.wDay >= 1 && st.wDay <= 31);
  GetLocalTime(&st);
  EXPECT("GetLocalTime plausible", st.wYear >= 1970 && st.wHour < 24 && st.wMinute < 60);
  GetSystemTimeAsFileTime(&ft);
  EXPECT("GetSystemTimeAsFileTime after 1970", ft.dwHighDateTime >= 0x019db1de);
  LARGE_INTEGER f, c1, c2;
  CHECK("QueryPerformanceFrequency", QueryPerformanceFrequency(&f) && f.QuadPart > 0, 1, -1);
  QueryPerformanceCounter(&c1);
  ULONGLONG t1 = GetTickCount64();
  Sleep(50);
  ULONGLONG t2 = GetTickCount64();
  /* Wine refreshes the tick count from its server now and then: on a busy host
     it can lag; give it up to half a second to catch up (Windows and Strata do not need it). */
  for (int i = 0; i < 50 && t2 - t1 < 40; i++) {
    Sleep(10);
    t2 = GetTickCount64();
  }
  QueryPerformanceCounter(&c2);
  EXPECT("Sleep(50) moved GetTickCount64 by 40 ms or more", t2 - t1 >= 40);
  EXPECT("performance counter moved", (c2.QuadPart - c1.QuadPart) * 1000 / f.QuadPart >= 40);
  EXPECT("GetTickCount matches GetTickCount64", GetTickCount() - (DWORD)GetTickCount64() < 1000);
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "child")) return child(argc, argv);
  GetModuleFileNameA(NULL, self, sizeof self);
  processes();
  pipes();
  environment();
  modules();
  errors();
  times();
  printf("failures: %d\n", failures);
  return failures;
}
