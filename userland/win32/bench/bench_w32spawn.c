/* bench_w32spawn N [PROGRAM]: N times CreateProcessA + WaitForSingleObject +
 * GetExitCodeProcess + CloseHandle of a child that exits at once: by default
 * this program itself with the argument "-" (a Win32 child: the exe, ntdll
 * and kernel32 mapped, the PEB built, DllMain and the CRT run), or PROGRAM
 * (e.g. C:\bin\true, a Unix child). Prints "ok N". */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-") == 0) return 0;
  long n = argc > 1 ? atol(argv[1]) : 100;
  if (n <= 0) {
    fprintf(stderr, "bench_w32spawn: N must be a positive integer\n");
    return 2;
  }
  char self[MAX_PATH], line[MAX_PATH + 8];
  if (argc > 2) {
    snprintf(self, sizeof self, "%s", argv[2]);
    snprintf(line, sizeof line, "\"%s\"", self);
  } else {
    if (!GetModuleFileNameA(NULL, self, sizeof self)) return 1;
    snprintf(line, sizeof line, "\"%s\" -", self);
  }
  for (long i = 0; i < n; i++) {
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(self, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
      fprintf(stderr, "bench_w32spawn: CreateProcessA failed, error %lu\n",
              (unsigned long)GetLastError());
      return 1;
    }
    DWORD code = 1;
    if (WaitForSingleObject(pi.hProcess, INFINITE) != WAIT_OBJECT_0 ||
        !GetExitCodeProcess(pi.hProcess, &code) || code != 0) {
      fprintf(stderr, "bench_w32spawn: child %ld ended with %lu\n", i, (unsigned long)code);
      return 1;
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
  }
  printf("ok %ld\n", n);
  return 0;
}
