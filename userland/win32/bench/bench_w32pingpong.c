/* bench_w32pingpong N: N event ping-pong round trips between two threads of
 * one Win32 process. Two auto-reset (synchronization) events: the main
 * thread sets "ping" and waits on "pong", the partner thread (CreateThread)
 * waits on "ping" and sets "pong". A round trip is two NtSetEvent, two
 * waits and two thread switches, the Win32 counterpart of the Unix futex
 * ping-pong (bench_thread_switch). Prints "ok N", as the Unix bench
 * programs do; the main thread joins the partner through its handle. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

LONG WINAPI NtCreateEvent(PHANDLE h, DWORD access, PVOID oa, DWORD type, BOOL initial);
LONG WINAPI NtSetEvent(HANDLE h, PLONG previous);

#define SYNCHRONIZATION_EVENT 1

static HANDLE ping, pong;
static long rounds;

static DWORD WINAPI partner(LPVOID arg) {
  for (long i = 0; i < rounds; i++) {
    if (WaitForSingleObject(ping, INFINITE) != WAIT_OBJECT_0) return 1;
    if (NtSetEvent(pong, NULL) < 0) return 2;
  }
  return (DWORD)(size_t)arg;
}

static HANDLE event(void) {
  HANDLE h = NULL;
  if (NtCreateEvent(&h, 0x1f0003, NULL, SYNCHRONIZATION_EVENT, FALSE) < 0) return NULL;
  return h;
}

int main(int argc, char **argv) {
  rounds = argc > 1 ? atol(argv[1]) : 1000;
  if (rounds <= 0) {
    fprintf(stderr, "bench_w32pingpong: N must be a positive integer\n");
    return 2;
  }
  ping = event();
  pong = event();
  HANDLE t = ping && pong ? CreateThread(NULL, 0, partner, NULL, 0, NULL) : NULL;
  if (!t) {
    fprintf(stderr, "bench_w32pingpong: setup failed: %lu\n", (unsigned long)GetLastError());
    return 1;
  }
  for (long i = 0; i < rounds; i++) {
    if (NtSetEvent(ping, NULL) < 0 || WaitForSingleObject(pong, INFINITE) != WAIT_OBJECT_0) {
      fprintf(stderr, "bench_w32pingpong: round %ld failed\n", i);
      return 1;
    }
  }
  DWORD code = 99;
  WaitForSingleObject(t, INFINITE);
  GetExitCodeThread(t, &code);
  if (code != 0) {
    fprintf(stderr, "bench_w32pingpong: partner ended with %lu\n", (unsigned long)code);
    return 1;
  }
  printf("ok %ld\n", rounds);
  return 0;
}
