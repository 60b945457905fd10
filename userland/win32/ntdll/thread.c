/*
 * ntdll's thread start: every thread the executive creates with
 * NtCreateThreadEx begins at RtlUserThreadStart(start, arg) with tp = its
 * TEB; the start routine's result becomes the thread's exit status through
 * RtlExitUserThread (NtTerminateThread of the calling thread; the last
 * thread of a process ends the process with that status). Around the
 * routine, every DLL the loader has attached gets DllMain(DLL_THREAD_ATTACH)
 * in table order, and DllMain(DLL_THREAD_DETACH) in reverse order when the
 * thread exits (TerminateThread skips it, as on Windows).
 */
#include <strata/ntdll.h>

typedef ULONG_T (*thread_start_fn)(void *arg);
typedef int (*dll_entry_fn)(void *base, unsigned reason, void *reserved);

#define DLL_THREAD_ATTACH 2
#define DLL_THREAD_DETACH 3

NTSTATUS_T NtTerminateThread(HANDLE_T thread, NTSTATUS_T status);

static void notify_dll(STRATA_LDR_MODULE *m, unsigned reason) {
  const ULONG_T want = STRATA_LDRF_DLL | STRATA_LDRF_ATTACHED;
  if ((m->Flags & want) == want && m->EntryPoint)
    ((dll_entry_fn)m->EntryPoint)(m->DllBase, reason, 0);
}

void RtlExitUserThread(NTSTATUS_T status) {
  STRATA_LDR_DATA *ldr = RtlGetCurrentPeb()->Ldr;
  for (unsigned i = ldr->Count; i-- > 1;) notify_dll(&ldr->Modules[i], DLL_THREAD_DETACH);
  NtTerminateThread((HANDLE_T)-2, status);
  for (;;) {
  }
}

void RtlUserThreadStart(thread_start_fn start, void *arg) {
  STRATA_LDR_DATA *ldr = RtlGetCurrentPeb()->Ldr;
  for (unsigned i = 1; i < ldr->Count; i++) notify_dll(&ldr->Modules[i], DLL_THREAD_ATTACH);
  RtlExitUserThread((NTSTATUS_T)start(arg));
}
