/* bench_w32call N [yield|proc]: N null native calls. The default call is
 * NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation), the
 * native call behind NT's GetCurrentProcessId (Strata's kernel32 reads the
 * id from the TEB instead), which answers the process id as getpid does;
 * `yield` makes it NtYieldExecution (with nothing else to run, a return
 * without a switch), `proc` NtGetCurrentProcessorNumber (NT's cheapest
 * call: no arguments, no memory, the processor number in a0). The calls go through the import address table slot
 * (as __declspec(dllimport) code calls) to ntdll's stub. Prints "ok N", as
 * the Unix bench programs do. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

/* Called through their import address table slots, as code compiled with
 * __declspec(dllimport) calls a DLL (no jump thunk in between). */
extern LONG(WINAPI *__imp_NtQueryInformationProcess)(HANDLE h, ULONG cls, PVOID buf, ULONG len,
                                                      PULONG ret);
extern LONG(WINAPI *__imp_NtYieldExecution)(void);
extern ULONG(WINAPI *__imp_NtGetCurrentProcessorNumber)(void);

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  if (n <= 0) {
    fprintf(stderr, "bench_w32call: N must be a positive integer\n");
    return 2;
  }
  int yield = argc > 2 && argv[2][0] == 'y';
  int cpu = argc > 2 && argv[2][0] == 'p';
  DWORD pid = GetCurrentProcessId();
  ULONG basic[6];
  basic[4] = 0;
  for (long i = 0; i < n; i++) {
    if (cpu) {
      if (__imp_NtGetCurrentProcessorNumber() != 0) {
        fprintf(stderr, "bench_w32call: NtGetCurrentProcessorNumber is not 0\n");
        return 1;
      }
    } else if (yield) {
      if (__imp_NtYieldExecution() < 0) {
        fprintf(stderr, "bench_w32call: NtYieldExecution failed\n");
        return 1;
      }
    } else if (__imp_NtQueryInformationProcess((HANDLE)-1, 0, basic, sizeof basic, NULL) < 0) {
      fprintf(stderr, "bench_w32call: NtQueryInformationProcess failed\n");
      return 1;
    }
  }
  if (!yield && !cpu && basic[4] != pid) {
    fprintf(stderr, "bench_w32call: NtQueryInformationProcess gave pid %lu, not %lu\n",
            (unsigned long)basic[4], (unsigned long)pid);
    return 1;
  }
  printf("ok %ld\n", n);
  return 0;
}
