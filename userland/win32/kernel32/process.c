/*
 * Processes and modules: CreateProcessA over NtCreateUserProcess (search of
 * the program, process parameters with the command line, environment,
 * current directory and standard handles), exit, termination, exit codes and
 * waits; GetModuleHandleA, GetModuleFileNameA, GetProcAddress, LoadLibraryA
 * and FreeLibrary over ntdll's loader and the module table in the PEB.
 */
#include "k32.h"

#define PROCESS_ALL_ACCESS 0x1fffff
#define THREAD_ALL_ACCESS 0x1fffff
#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x4
#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x1

NTSTATUS_T NtCreateUserProcess(HANDLE_T *process, HANDLE_T *thread, ULONG_T processAccess,
                               ULONG_T threadAccess, OBJECT_ATTRIBUTES *processOa,
                               OBJECT_ATTRIBUTES *threadOa, ULONG_T processFlags,
                               ULONG_T threadFlags, STRATA_PROCESS_PARAMETERS *params,
                               STRATA_CREATE_INFO *info, void *attributeList);

void WINAPI ExitProcess(UINT code) {
  NtTerminateProcess(CURRENT_PROCESS, (NTSTATUS_T)code);
  for (;;) {
  }
}

BOOL WINAPI TerminateProcess(HANDLE h, UINT code) {
  NTSTATUS_T s = NtTerminateProcess(h, (NTSTATUS_T)code);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

HANDLE WINAPI GetCurrentProcess(void) { return CURRENT_PROCESS; }

DWORD WINAPI GetCurrentProcessId(void) { return NtCurrentTeb()->ProcessId; }

LPSTR WINAPI GetCommandLineA(void) { return k32_params()->CommandLine; }

BOOL WINAPI GetExitCodeProcess(HANDLE h, LPDWORD code) {
  ULONG_T basic[6];
  NTSTATUS_T s = NtQueryInformationProcess(h, ProcessBasicInformation, basic, sizeof basic, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  *code = basic[0];
  return TRUE;
}

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms) {
  STRATA_LARGE_INTEGER t;
  LONGLONG rel = -(LONGLONG)ms * 10000;
  t.LowPart = (ULONG_T)rel;
  t.HighPart = (int)(rel >> 32);
  NTSTATUS_T s = NtWaitForSingleObject(h, 0, ms == INFINITE ? 0 : &t);
  if (s < 0) {
    k32_fail(s);
    return WAIT_FAILED;
  }
  return (DWORD)s;
}

static int exists(const char *path) {
  DWORD a = GetFileAttributesA(path);
  return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

/* Tries dir\name, then dir\name.exe when name has no extension. */
static int try_dir(const char *dir, size_t dirLen, const char *name, char *out) {
  size_t n = strlen(name);
  if (dirLen + n + 6 >= MAX_PATH) return 0;
  memcpy(out, dir, dirLen);
  if (dirLen && out[dirLen - 1] != '\\' && out[dirLen - 1] != '/') out[dirLen++] = '\\';
  memcpy(out + dirLen, name, n + 1);
  const char *base = strrchr(out, '\\');
  if (!strchr(base ? base : out, '.')) {
    memcpy(out + dirLen + n, ".exe", 5);
    if (exists(out)) return 1;
    out[dirLen + n] = 0;
  }
  return exists(out);
}

/* The search of CreateProcess: the exe's folder, the current folder, System32, Windows, PATH.
 * A name without extension is tried with ".exe" first and then as it is (Unix programs). */
static int find_program(const char *name, char *out) {
  if (strchr(name, '\\') || strchr(name, '/') || strchr(name, ':')) return try_dir("", 0, name, out);
  const char *image = k32_params()->ImagePathName;
  const char *slash = strrchr(image, '\\');
  if (slash && try_dir(image, slash - image, name, out)) return 1;
  const char *cwd = k32_params()->CurrentDirectory;
  if (try_dir(cwd, strlen(cwd), name, out)) return 1;
  if (try_dir("C:\\Windows\\System32", 19, name, out)) return 1;
  if (try_dir("C:\\Windows", 10, name, out)) return 1;
  char path[1024];
  DWORD n = GetEnvironmentVariableA("PATH", path, sizeof path);
  if (!n || n >= sizeof path) return 0;
  for (char *p = path; *p;) {
    char *e = strchr(p, ';');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len && try_dir(p, len, name, out)) return 1;
    if (!e) break;
    p = e + 1;
  }
  return 0;
}

/* The program name of a command line: the first argument by the quoting rules. */
static void first_argument(const char *cmd, char *out, size_t size) {
  size_t n = 0;
  while (*cmd == ' ' || *cmd == '\t') cmd++;
  if (*cmd == '"') {
    for (cmd++; *cmd && *cmd != '"' && n + 1 < size; cmd++) out[n++] = *cmd;
  } else {
    for (; *cmd && *cmd != ' ' && *cmd != '\t' && n + 1 < size; cmd++) out[n++] = *cmd;
  }
  out[n] = 0;
}

static size_t env_size(const char *env) {
  const char *p = env;
  while (*p) p += strlen(p) + 1;
  return p - env + 1;
}

BOOL WINAPI CreateProcessA(LPCSTR app, LPSTR cmdline, LPSECURITY_ATTRIBUTES psa,
                           LPSECURITY_ATTRIBUTES tsa, BOOL inherit, DWORD flags, LPVOID env,
                           LPCSTR cwd, LPSTARTUPINFOA si, LPPROCESS_INFORMATION pi) {
  (void)psa, (void)tsa;
  char name[MAX_PATH], image[MAX_PATH];
  if (!app && !cmdline) return k32_error(ERROR_INVALID_PARAMETER);
  first_argument(app ? app : cmdline, name, sizeof name);
  if (app) {
    if (!k32_full_path(app, image, sizeof image) || !exists(image)) return k32_error(ERROR_FILE_NOT_FOUND);
  } else if (!find_program(name, image)) {
    return k32_error(ERROR_FILE_NOT_FOUND);
  }
  STRATA_PROCESS_PARAMETERS pp;
  memset(&pp, 0, sizeof pp);
  pp.Length = pp.MaximumLength = sizeof pp;
  pp.ImagePathName = image;
  pp.CommandLine = cmdline ? cmdline : (char *)app;
  pp.Environment = env;
  pp.EnvironmentSize = env ? env_size(env) : 0;
  if (cwd && !k32_full_path(cwd, pp.CurrentDirectory, sizeof pp.CurrentDirectory - 1)) return FALSE;
  if (si && (si->dwFlags & STARTF_USESTDHANDLES)) {
    pp.Flags |= STRATA_PP_USE_STD_HANDLES;
    pp.StandardInput = si->hStdInput;
    pp.StandardOutput = si->hStdOutput;
    pp.StandardError = si->hStdError;
  }
  STRATA_CREATE_INFO info = {sizeof info, 0, 0, 0};
  HANDLE hp = 0, ht = 0;
  NTSTATUS_T s = NtCreateUserProcess(&hp, &ht, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, 0, 0,
                                     inherit ? PROCESS_CREATE_FLAGS_INHERIT_HANDLES : 0,
                                     (flags & CREATE_SUSPENDED) ? THREAD_CREATE_FLAGS_CREATE_SUSPENDED : 0,
                                     &pp, &info, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  pi->hProcess = hp;
  pi->hThread = ht;
  pi->dwProcessId = info.ProcessId;
  pi->dwThreadId = info.ThreadId;
  return TRUE;
}

NTSTATUS_T NtResumeThread(HANDLE_T thread, ULONG_T *previous);

DWORD WINAPI ResumeThread(HANDLE thread) {
  ULONG_T prev = 0;
  NTSTATUS_T s = NtResumeThread(thread, &prev);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return (DWORD)-1;
  }
  return prev;
}

HMODULE WINAPI GetModuleHandleA(LPCSTR name) {
  if (!name) return RtlGetCurrentPeb()->ImageBaseAddress;
  STRATA_LDR_MODULE *m = LdrFindModule(name, 0);
  if (!m) {
    k32_error(ERROR_MOD_NOT_FOUND);
    return 0;
  }
  return m->DllBase;
}

DWORD WINAPI GetModuleFileNameA(HMODULE h, LPSTR buf, DWORD size) {
  STRATA_LDR_MODULE *m = h ? LdrFindModule(0, h) : &RtlGetCurrentPeb()->Ldr->Modules[0];
  if (!m) return k32_error(ERROR_MOD_NOT_FOUND);
  size_t n = strlen(m->FullName);
  if (!size) return k32_error(ERROR_INSUFFICIENT_BUFFER);
  if (n + 1 > size) {
    memcpy(buf, m->FullName, size - 1);
    buf[size - 1] = 0;
    k32_error(ERROR_INSUFFICIENT_BUFFER);
    return size;
  }
  memcpy(buf, m->FullName, n + 1);
  SetLastError(0);
  return n;
}

FARPROC WINAPI GetProcAddress(HMODULE h, LPCSTR name) {
  void *addr = 0;
  int byOrdinal = ((uintptr_t)name >> 16) == 0;
  if (!h || !LdrFindModule(0, h)) {
    k32_error(ERROR_MOD_NOT_FOUND);
    return 0;
  }
  NTSTATUS_T s = LdrGetProcedureAddress(h, byOrdinal ? 0 : name, byOrdinal ? (uintptr_t)name : 0, &addr);
  if (!NT_SUCCESS(s)) {
    k32_error(ERROR_PROC_NOT_FOUND);
    return 0;
  }
  return (FARPROC)addr;
}

HMODULE WINAPI LoadLibraryA(LPCSTR name) {
  void *base = 0;
  if (!name || !*name) {
    k32_error(ERROR_INVALID_PARAMETER);
    return 0;
  }
  NTSTATUS_T s = LdrLoadDll(name, &base);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return 0;
  }
  return base;
}

BOOL WINAPI FreeLibrary(HMODULE h) {
  NTSTATUS_T s = LdrUnloadDll(h);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}
