/* Native-call fuzzer for the Win32 executive. "ntfuzz ROUNDS CALLS SEED"
 * starts ROUNDS child processes ("ntfuzz child CALLS SEED") one after the
 * other; each makes CALLS native calls (raw ecalls, numbers from
 * strata/ntsyscalls.h, and a few past the table) with random arguments:
 * random numbers, interesting constants, handles of its own objects and
 * pointers into, around and outside its memory. It checks every result is
 * an NTSTATUS (a success, informational, warning or error code, never a
 * kernel status leaking through) and exits 0, or 3 on a bad result. A child
 * may also end by its own calls (an exception after unmapping or
 * protecting its own memory: its exit code is the NT exception code, such
 * as 0xC0000005). NtContinue is left out too: it jumps to random registers. The parent prints
 * "ntfuzz: R rounds, C completed, F faulted, O other" and exits with O.
 *
 * Calls that would end or stop the fuzzing process or reach outside it
 * (terminate, create process or thread, suspend, open other processes and
 * threads) are left out; those that block get a zero timeout, and no object
 * that a read could block on (pipes, the console) is in the handle table. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strata/ntdll.h>
#include <strata/ntsyscalls.h>

static unsigned seed;
static unsigned rnd(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static unsigned char arena[65536] __attribute__((aligned(16)));
static STRATA_LARGE_INTEGER zero;
static HANDLE pool[16];

static unsigned ntcall(unsigned num, const unsigned *a) {
  register unsigned a0 __asm__("a0") = a[0];
  register unsigned a1 __asm__("a1") = a[1];
  register unsigned a2 __asm__("a2") = a[2];
  register unsigned a3 __asm__("a3") = a[3];
  register unsigned a4 __asm__("a4") = a[4];
  register unsigned a5 __asm__("a5") = a[5];
  register unsigned a6 __asm__("a6") = a[6];
  register unsigned t0 __asm__("t0") = a[7];
  register unsigned a7 __asm__("a7") = num;
  __asm__ volatile("ecall"
                   : "+r"(a0)
                   : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7), "r"(t0)
                   : "memory");
  return a0;
}

static int excluded(unsigned n) {
  return n == NTSYS_NtTerminateProcess || n == NTSYS_NtTerminateThread ||
         n == NTSYS_NtCreateUserProcess || n == NTSYS_NtCreateThreadEx ||
         n == NTSYS_NtSuspendThread || n == NTSYS_NtOpenProcess || n == NTSYS_NtOpenThread ||
         n == NTSYS_NtCreateNamedPipeFile || n == NTSYS_NtContinue;
}

/* The argument that holds a timeout pointer for the calls that may block, or -1. */
static int timeout_arg(unsigned n) {
  if (n == NTSYS_NtWaitForSingleObject) return 2;
  if (n == NTSYS_NtWaitForMultipleObjects) return 4;
  if (n == NTSYS_NtDelayExecution) return 1;
  if (n == NTSYS_NtSignalAndWaitForSingleObject || n == NTSYS_NtWaitForKeyedEvent ||
      n == NTSYS_NtReleaseKeyedEvent)
    return 3;
  return -1;
}

static unsigned arg(void) {
  static const unsigned interesting[] = {0, 1, 2, 3, 4, 8, 0x40, 0x80, 0x1000, 0xffff,
                                         0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
                                         0xc0000000, 0x10000};
  unsigned r = rnd();
  switch (r % 6) {
  case 0: return interesting[rnd() % 16];
  case 1: return (unsigned)(ULONG_PTR)arena + rnd() % sizeof arena;              /* inside */
  case 2: return (unsigned)(ULONG_PTR)arena + sizeof arena - 4 + rnd() % 16;     /* across the end */
  case 3: return (unsigned)(ULONG_PTR)pool[rnd() % 16] | (rnd() % 8 == 0 ? rnd() % 4 : 0);
  case 4: return (rnd() % 64) * 4;                                                 /* small handles */
  default: return rnd();
  }
}

/* Puts well-formed structures in the arena for pointers to land on. */
static void seed_arena(void) {
  static const char *names[] = {"\\BaseNamedObjects\\fz", "\\??\\C:\\tmp\\ntfuzz.dat",
                                "\\BaseNamedObjects", "\\??\\C:\\tmp"};
  for (unsigned i = 0; i < sizeof arena; i++) arena[i] = (unsigned char)rnd();
  for (int k = 0; k < 4; k++) {
    unsigned char *base = arena + 0x100 * (k + 1);
    STRATA_UNICODE_STRING *us = (STRATA_UNICODE_STRING *)base;
    STRATA_OBJECT_ATTRIBUTES *oa = (STRATA_OBJECT_ATTRIBUTES *)(base + 16);
    unsigned short *w = (unsigned short *)(base + 64);
    size_t n = strlen(names[k]);
    for (size_t i = 0; i < n; i++) w[i] = (unsigned char)names[k][i];
    us->Length = us->MaximumLength = (unsigned short)(n * 2);
    us->Buffer = w;
    memset(oa, 0, sizeof *oa);
    oa->Length = sizeof *oa;
    oa->ObjectName = us;
    oa->Attributes = 0x40;
  }
}

static int valid_status(unsigned r) {
  if (r >= 0xfffff001u) return 0; /* a kernel status leaking through */
  return r <= 0x3f || (r >= 0x80 && r <= 0xc0) || r == 0x101 || r == 0x102 || r == 0x103 ||
         r == 0x40000000 || r >= 0x80000000u;
}

static int child(unsigned calls) {
  seed_arena();
  CloseHandle(GetStdHandle(STD_INPUT_HANDLE));
  CloseHandle(GetStdHandle(STD_OUTPUT_HANDLE));
  CloseHandle(GetStdHandle(STD_ERROR_HANDLE));
  pool[0] = CreateEventA(NULL, TRUE, FALSE, NULL);
  pool[1] = CreateEventA(NULL, FALSE, TRUE, "fz_event");
  pool[2] = CreateMutexA(NULL, TRUE, NULL);
  pool[3] = CreateSemaphoreA(NULL, 1, 5, NULL);
  pool[4] = CreateWaitableTimerA(NULL, FALSE, NULL);
  pool[5] = CreateFileA("C:\\tmp\\ntfuzz.dat", GENERIC_READ | GENERIC_WRITE, 7, NULL, OPEN_ALWAYS, 0, NULL);
  pool[6] = CreateFileA("C:\\tmp", GENERIC_READ, 7, NULL, OPEN_EXISTING, 0x02000000, NULL);
  pool[7] = GetCurrentProcess();
  pool[8] = (HANDLE)(LONG_PTR)-2;
  for (int i = 9; i < 16; i++) pool[i] = (HANDLE)(ULONG_PTR)(rnd() % 32 * 4);
  unsigned a[8];
  for (unsigned c = 0; c < calls;) {
    unsigned n = rnd() % (NTSYS_COUNT + 3);
    if (excluded(n)) continue;
    c++;
    for (int i = 0; i < 8; i++) a[i] = arg();
    int ta = timeout_arg(n);
    if (ta >= 0) a[ta] = (unsigned)(ULONG_PTR)&zero;
    zero.LowPart = 0;
    zero.HighPart = 0;
    unsigned r = ntcall(n, a);
    if (!valid_status(r)) return 3;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "child")) {
    seed = (unsigned)atoi(argv[3]) * 2654435761u + 1;
    return child((unsigned)atoi(argv[2]));
  }
  if (argc < 4) {
    fprintf(stderr, "usage: ntfuzz ROUNDS CALLS SEED\n");
    return 2;
  }
  int rounds = atoi(argv[1]), completed = 0, faulted = 0, other = 0;
  char self[MAX_PATH], cmd[MAX_PATH + 64];
  GetModuleFileNameA(NULL, self, sizeof self);
  for (int i = 0; i < rounds; i++) {
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    DWORD code = 999;
    snprintf(cmd, sizeof cmd, "\"%s\" child %s %u", self, argv[2], (unsigned)atoi(argv[3]) * 1000 + i);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
      other++;
      continue;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if (code == 0) completed++;
    else if (code >= 0x80000000u) faulted++; /* an NT exception code: the child faulted */
    else {
      other++;
      printf("round %d: exit code 0x%lx\n", i, (unsigned long)code);
    }
  }
  printf("ntfuzz: %d rounds, %d completed, %d faulted, %d other\n", rounds, completed, faulted, other);
  return other;
}
