/*
 * ntdll's thread start: every thread the executive creates with
 * NtCreateThreadEx begins at RtlUserThreadStart(start, arg) with tp = its
 * TEB; the start routine's result becomes the thread's exit status through
 * RtlExitUserThread (NtTerminateThread of the calling thread; the last
 * thread of a process ends the process with that status).
 */
#include <strata/ntdll.h>

typedef ULONG_T (*thread_start_fn)(void *arg);

NTSTATUS_T NtTerminateThread(HANDLE_T thread, NTSTATUS_T status);

void RtlExitUserThread(NTSTATUS_T status) {
  NtTerminateThread((HANDLE_T)-2, status);
  for (;;) {
  }
}

void RtlUserThreadStart(thread_start_fn start, void *arg) {
  RtlExitUserThread((NTSTATUS_T)start(arg));
}
