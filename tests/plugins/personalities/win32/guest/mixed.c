/*
 * Win32 and Unix processes side by side, from the Win32 side: a Unix ELF
 * program started with CreateProcessA writes into a Win32 pipe and its exit
 * code comes back through a process handle; this process reads its own
 * /proc status (the personality line), and `ps -P` run by a Unix child
 * lists it as win32; a Win32 child that faults ends with
 * STATUS_ACCESS_VIOLATION. Exit code 3 for the Unix parent.
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static DWORD run_unix(const char *app, char *cmd, char *out, DWORD size) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE r, w;
  if (!CreatePipe(&r, &w, &sa, 0)) return 1000 + GetLastError();
  SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = w;
  si.hStdError = w;
  PROCESS_INFORMATION pi;
  if (!CreateProcessA(app, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) return 2000 + GetLastError();
  CloseHandle(w);
  DWORD n, total = 0;
  while (total + 1 < size && ReadFile(r, out + total, size - 1 - total, &n, NULL) && n) total += n;
  out[total] = 0;
  CloseHandle(r);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  return code;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "fault")) {
    volatile int *null = 0;
    *null = 1;
    return 1;
  }
  char out[1024];
  char echo[] = "echo hello \"from unix\"";
  DWORD code = run_unix("C:\\bin\\echo", echo, out, sizeof out);
  printf("echo: %s", out);
  printf("echo exit: %lu\n", (unsigned long)code);
  char sh[] = "sh -c \"echo $0; ps -P | grep win32; exit 9\" arg0";
  code = run_unix("C:\\bin\\sh", sh, out, sizeof out);
  printf("sh: %s", out);
  printf("sh exit: %lu\n", (unsigned long)code);
  char fault[] = "mixed.exe fault";
  code = run_unix("C:\\bin\\mixed.exe", fault, out, sizeof out);
  printf("fault exit: %lx\n", (unsigned long)code);
  char path[64];
  sprintf(path, "C:\\proc\\%lu\\status", (unsigned long)GetCurrentProcessId());
  HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  char st[2048];
  DWORD n = 0;
  if (h != INVALID_HANDLE_VALUE) {
    ReadFile(h, st, sizeof st - 1, &n, NULL);
    CloseHandle(h);
  }
  st[n] = 0;
  char *p = strstr(st, "Personality:");
  if (p) {
    char *e = strchr(p, '\n');
    if (e) *e = 0;
    printf("%s\n", p);
  } else {
    printf("no personality line (error %lu)\n", (unsigned long)GetLastError());
  }
  return 3;
}
