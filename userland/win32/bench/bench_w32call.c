/* bench_w32call N [yield]: N null native calls. The default call is
 * NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation), the
 * native call behind NT's GetCurrentProcessId (Strata's kernel32 reads the
 * id from the TEB instead), which answers the process id as getpid does;
 * `yield` makes it NtYieldExecution (with nothing else to run, a return
 * without a switch). Prints "ok N", as the Unix bench programs do. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

LONG WINAPI NtQueryInformationProcess(HANDLE h, ULONG cls, PVOID buf, ULONG len, PULONG ret);
LONG WINAPI NtYieldExecution(void);

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  if (n <= 0) {
    fprintf(stderr, "bench_w32call: N must be a positive integer\n");
    return 2;
  }
  int yield = argc > 2 && argv[2][0] == 'y';
  DWORD pid = GetCurrentProcessId();
  ULONG basic[6];
  for (long i = 0; i < n; i++) {
    if (yield) {
      if (NtYieldExecution() < 0) {
        fprintf(stderr, "bench_w32call: NtYieldExecution failed\n");
        return 1;
      }
    } else if (NtQueryInformationProcess((HANDLE)-1, 0, basic, sizeof basic, NULL) < 0 ||
               basic[4] != pid) {
      fprintf(stderr, "bench_w32call: NtQueryInformationProcess failed\n");
      return 1;
    }
  }
  printf("ok %ld\n", n);
  return 0;
}
