/*
 * kernel32's threads, thread-local storage and console control handlers.
 *
 * - threads: CreateThread over NtCreateThreadEx (the id from
 *   NtQueryInformationThread), ExitThread, TerminateThread, Suspend/Resume
 *   (ResumeThread is in process.c), GetExitCodeThread, GetThreadId,
 *   OpenThread, GetCurrentThread (the pseudo-handle -2), SwitchToThread,
 *   GetCurrentProcessorNumber;
 * - TLS: 64 slots in each TEB (TlsSlots, as NT's first 64); the process's
 *   bitmap of slots in use lives here, changed with atomic operations;
 *   TlsFree clears the slot in every thread (NtSetInformationThread,
 *   ThreadZeroTlsCell) so a new TlsAlloc reads 0 everywhere;
 * - Ctrl+C: SetConsoleCtrlHandler keeps the handler list; the executive
 *   starts a thread at CtrlRoutine(event) for each Ctrl+C / Ctrl+Break of the
 *   console, which calls the handlers last-registered first and ends the
 *   process with STATUS_CONTROL_C_EXIT when none returns TRUE.
 */
#include "k32.h"

#define CURRENT_THREAD ((HANDLE)(LONG_PTR)-2)
#define ThreadBasicInformation 0
#define ThreadZeroTlsCell 10
#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x1
#define TLS_SLOTS 64
#define MAX_CTRL_HANDLERS 128

typedef struct {
  NTSTATUS_T ExitStatus;
  void *TebBaseAddress;
  ULONG_T UniqueProcess, UniqueThread;
  ULONG_T AffinityMask;
  int Priority, BasePriority;
} THREAD_BASIC_INFO_NT; /* 28 bytes */

NTSTATUS_T NtCreateThreadEx(HANDLE_T *thread, ULONG_T access, OBJECT_ATTRIBUTES *oa,
                            HANDLE_T process, void *start, void *arg, ULONG_T flags,
                            ULONG_T zeroBits, ULONG_T stackSize, ULONG_T maxStackSize,
                            void *attributes);
NTSTATUS_T NtTerminateThread(HANDLE_T thread, NTSTATUS_T status);
NTSTATUS_T NtSuspendThread(HANDLE_T thread, ULONG_T *previous);
NTSTATUS_T NtQueryInformationThread(HANDLE_T thread, ULONG_T cls, void *buf, ULONG_T len,
                                    ULONG_T *ret);
NTSTATUS_T NtSetInformationThread(HANDLE_T thread, ULONG_T cls, void *buf, ULONG_T len);
NTSTATUS_T NtOpenThread(HANDLE_T *thread, ULONG_T access, OBJECT_ATTRIBUTES *oa, ULONG_T *cid);
NTSTATUS_T NtYieldExecution(void);
ULONG NtGetCurrentProcessorNumber(void);
void RtlExitUserThread(NTSTATUS_T status) __attribute__((noreturn));

static BOOL basic_info(HANDLE h, THREAD_BASIC_INFO_NT *info) {
  NTSTATUS_T s = NtQueryInformationThread(h, ThreadBasicInformation, info, sizeof *info, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

static void init_oa(OBJECT_ATTRIBUTES *oa, BOOL inherit) {
  memset(oa, 0, sizeof *oa);
  oa->Length = sizeof *oa;
  oa->Attributes = inherit ? OBJ_INHERIT : 0;
}

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack, LPTHREAD_START_ROUTINE start,
                           LPVOID arg, DWORD flags, LPDWORD tid) {
  OBJECT_ATTRIBUTES oa;
  init_oa(&oa, sa && sa->bInheritHandle);
  ULONG_T ntFlags = (flags & CREATE_SUSPENDED) ? THREAD_CREATE_FLAGS_CREATE_SUSPENDED : 0;
  ULONG_T commit = (flags & STACK_SIZE_PARAM_IS_A_RESERVATION) ? 0 : stack;
  ULONG_T reserve = (flags & STACK_SIZE_PARAM_IS_A_RESERVATION) ? stack : 0;
  HANDLE_T h = 0;
  NTSTATUS_T s = NtCreateThreadEx(&h, THREAD_ALL_ACCESS, &oa, CURRENT_PROCESS, (void *)start, arg,
                                  ntFlags, 0, commit, reserve, 0);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return 0;
  }
  if (tid) {
    THREAD_BASIC_INFO_NT info;
    *tid = basic_info(h, &info) ? info.UniqueThread : 0;
  }
  return h;
}

void WINAPI ExitThread(DWORD code) { RtlExitUserThread((NTSTATUS_T)code); }

BOOL WINAPI TerminateThread(HANDLE h, DWORD code) {
  if (!h) return k32_error(ERROR_INVALID_HANDLE);
  NTSTATUS_T s = NtTerminateThread(h, (NTSTATUS_T)code);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

DWORD WINAPI SuspendThread(HANDLE h) {
  ULONG_T prev = 0;
  NTSTATUS_T s = NtSuspendThread(h, &prev);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return (DWORD)-1;
  }
  return prev;
}

BOOL WINAPI GetExitCodeThread(HANDLE h, LPDWORD code) {
  THREAD_BASIC_INFO_NT info;
  if (!basic_info(h, &info)) return FALSE;
  *code = (DWORD)info.ExitStatus;
  return TRUE;
}

DWORD WINAPI GetThreadId(HANDLE h) {
  THREAD_BASIC_INFO_NT info;
  return basic_info(h, &info) ? info.UniqueThread : 0;
}

HANDLE WINAPI OpenThread(DWORD access, BOOL inherit, DWORD tid) {
  OBJECT_ATTRIBUTES oa;
  init_oa(&oa, inherit);
  ULONG_T cid[2] = {0, tid};
  HANDLE_T h = 0;
  NTSTATUS_T s = NtOpenThread(&h, access, &oa, cid);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return 0;
  }
  return h;
}

HANDLE WINAPI GetCurrentThread(void) { return CURRENT_THREAD; }

DWORD WINAPI GetCurrentThreadId(void) { return NtCurrentTeb()->ThreadId; }

BOOL WINAPI SwitchToThread(void) { return NtYieldExecution() != STATUS_NO_YIELD_PERFORMED; }

DWORD WINAPI GetCurrentProcessorNumber(void) { return NtGetCurrentProcessorNumber(); }

/* ---- thread-local storage ---- */

static unsigned tls_bits[TLS_SLOTS / 32];

DWORD WINAPI TlsAlloc(void) {
  for (unsigned i = 0; i < TLS_SLOTS; i++) {
    unsigned bit = 1u << (i & 31);
    if (__atomic_load_n(&tls_bits[i / 32], __ATOMIC_ACQUIRE) & bit) continue;
    if (!(__atomic_fetch_or(&tls_bits[i / 32], bit, __ATOMIC_ACQ_REL) & bit)) return i;
  }
  k32_error(ERROR_NO_MORE_ITEMS);
  return TLS_OUT_OF_INDEXES;
}

LPVOID WINAPI TlsGetValue(DWORD index) {
  if (index >= TLS_SLOTS) {
    k32_error(ERROR_INVALID_PARAMETER);
    return 0;
  }
  NtCurrentTeb()->LastErrorValue = ERROR_SUCCESS;
  return NtCurrentTeb()->TlsSlots[index];
}

BOOL WINAPI TlsSetValue(DWORD index, LPVOID value) {
  if (index >= TLS_SLOTS) return k32_error(ERROR_INVALID_PARAMETER);
  NtCurrentTeb()->TlsSlots[index] = value;
  return TRUE;
}

BOOL WINAPI TlsFree(DWORD index) {
  if (index >= TLS_SLOTS) return k32_error(ERROR_INVALID_PARAMETER);
  unsigned bit = 1u << (index & 31);
  if (!(__atomic_load_n(&tls_bits[index / 32], __ATOMIC_ACQUIRE) & bit)) {
    return k32_error(ERROR_INVALID_PARAMETER);
  }
  ULONG_T i = index;
  NTSTATUS_T s = NtSetInformationThread(CURRENT_THREAD, ThreadZeroTlsCell, &i, sizeof i);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  __atomic_fetch_and(&tls_bits[index / 32], ~bit, __ATOMIC_ACQ_REL);
  return TRUE;
}

/* ---- console control handlers ---- */

static PHANDLER_ROUTINE ctrl_handlers[MAX_CTRL_HANDLERS];
static unsigned ctrl_count;
static int ctrl_ignore;
static int ctrl_lock;

static void lock_ctrl(void) {
  while (__atomic_exchange_n(&ctrl_lock, 1, __ATOMIC_ACQUIRE)) NtYieldExecution();
}

static void unlock_ctrl(void) { __atomic_store_n(&ctrl_lock, 0, __ATOMIC_RELEASE); }

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE handler, BOOL add) {
  if (!handler) {
    __atomic_store_n(&ctrl_ignore, add ? 1 : 0, __ATOMIC_RELEASE);
    return TRUE;
  }
  BOOL ok = FALSE;
  lock_ctrl();
  if (add && ctrl_count < MAX_CTRL_HANDLERS) {
    ctrl_handlers[ctrl_count++] = handler;
    ok = TRUE;
  } else if (!add) {
    for (unsigned i = ctrl_count; i-- > 0;) {
      if (ctrl_handlers[i] != handler) continue;
      for (unsigned j = i + 1; j < ctrl_count; j++) ctrl_handlers[j - 1] = ctrl_handlers[j];
      ctrl_count--;
      ok = TRUE;
      break;
    }
  }
  unlock_ctrl();
  if (!ok) return k32_error(add ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
  return TRUE;
}

/* The console control thread's start (the executive starts it at each Ctrl+C / Ctrl+Break). */
DWORD WINAPI CtrlRoutine(LPVOID param) {
  DWORD event = (DWORD)(ULONG_PTR)param;
  if (event == CTRL_C_EVENT && __atomic_load_n(&ctrl_ignore, __ATOMIC_ACQUIRE)) return 0;
  lock_ctrl();
  unsigned i = ctrl_count;
  unlock_ctrl();
  while (i-- > 0) {
    lock_ctrl();
    PHANDLER_ROUTINE h = i < ctrl_count ? ctrl_handlers[i] : 0;
    unlock_ctrl();
    if (h && h(event)) return 0;
  }
  ExitProcess(STATUS_CONTROL_C_EXIT);
}
