/*
 * Synchronisation: events, mutexes, semaphores and waitable timers (named
 * in \BaseNamedObjects or unnamed), the waits (WaitForMultipleObjects,
 * SignalObjectAndWait, SleepEx), critical sections and the interlocked
 * functions.
 *
 * Map of the file:
 * - named_oa: the OBJECT_ATTRIBUTES of an object name;
 * - create/open helpers shared by the four object types; Create* sets the
 *   last error to ERROR_ALREADY_EXISTS when it opened an existing object
 *   and to 0 otherwise, as Windows does;
 * - waits: a millisecond timeout as NT's relative 100 ns interval;
 * - critical sections, NT's classic protocol: LockCount (-1 free) is
 *   incremented by every Enter; the thread that takes it from -1 owns the
 *   section, others sleep on the keyed event (handle NULL, the section's
 *   address as the key), and Leave hands the section to one sleeper
 *   (NtReleaseKeyedEvent) when LockCount stays >= 0. The uncontended paths
 *   make no system call;
 * - interlocked functions: RISC-V A-extension atomics (amoadd.w, amoswap.w,
 *   lr.w/sc.w through the compiler's __atomic builtins).
 */
#include "k32.h"

#define OBJ_OPENIF 0x80
#define NOTIFICATION 0
#define SYNCHRONIZATION 1

NTSTATUS_T NtCreateEvent(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, ULONG_T type,
                         ULONG_T initial);
NTSTATUS_T NtOpenEvent(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa);
NTSTATUS_T NtSetEvent(HANDLE_T h, LONG *previous);
NTSTATUS_T NtResetEvent(HANDLE_T h, LONG *previous);
NTSTATUS_T NtPulseEvent(HANDLE_T h, LONG *previous);
NTSTATUS_T NtCreateMutant(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, ULONG_T owner);
NTSTATUS_T NtOpenMutant(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa);
NTSTATUS_T NtReleaseMutant(HANDLE_T h, LONG *previous);
NTSTATUS_T NtCreateSemaphore(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, LONG initial,
                             LONG maximum);
NTSTATUS_T NtOpenSemaphore(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa);
NTSTATUS_T NtReleaseSemaphore(HANDLE_T h, LONG count, LONG *previous);
NTSTATUS_T NtCreateTimer(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, ULONG_T type);
NTSTATUS_T NtOpenTimer(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa);
NTSTATUS_T NtSetTimer(HANDLE_T h, const STRATA_LARGE_INTEGER *due, void *apc, void *ctx,
                      ULONG_T resume, LONG period, unsigned char *previous);
NTSTATUS_T NtCancelTimer(HANDLE_T h, unsigned char *state);
NTSTATUS_T NtWaitForMultipleObjects(ULONG_T count, const HANDLE_T *handles, ULONG_T type,
                                    ULONG_T alertable, STRATA_LARGE_INTEGER *timeout);
NTSTATUS_T NtSignalAndWaitForSingleObject(HANDLE_T signal, HANDLE_T wait, ULONG_T alertable,
                                          STRATA_LARGE_INTEGER *timeout);
NTSTATUS_T NtWaitForKeyedEvent(HANDLE_T h, void *key, ULONG_T alertable,
                               STRATA_LARGE_INTEGER *timeout);
NTSTATUS_T NtReleaseKeyedEvent(HANDLE_T h, void *key, ULONG_T alertable,
                               STRATA_LARGE_INTEGER *timeout);

/* ---- names ---- */

struct named_oa {
  UNICODE_STRING us;
  OBJECT_ATTRIBUTES oa;
  unsigned short w[MAX_PATH + 20];
};

/* Fills `p` for `name` (NULL or "": unnamed, oa NULL). FALSE (last error set) if too long. */
static BOOL named_oa(struct named_oa *p, const char *name, BOOL inherit, OBJECT_ATTRIBUTES **oa) {
  static const char dir[] = "\\BaseNamedObjects\\";
  *oa = 0;
  if (!name || !*name) {
    if (!inherit) return TRUE;
    p->us.Length = 0;
  } else {
    size_t n = strlen(name), d = sizeof dir - 1;
    if (n > MAX_PATH) return k32_error(ERROR_FILENAME_EXCED_RANGE);
    for (size_t i = 0; i < d; i++) p->w[i] = dir[i];
    for (size_t i = 0; i < n; i++) p->w[d + i] = (unsigned char)name[i];
    p->us.Length = (unsigned short)((d + n) * 2);
  }
  p->us.MaximumLength = p->us.Length;
  p->us.Buffer = p->w;
  p->oa.Length = sizeof p->oa;
  p->oa.RootDirectory = 0;
  p->oa.ObjectName = p->us.Length ? &p->us : 0;
  p->oa.Attributes = OBJ_OPENIF | (inherit ? OBJ_INHERIT : 0); /* names are case sensitive */
  p->oa.SecurityDescriptor = 0;
  p->oa.SecurityQualityOfService = 0;
  *oa = &p->oa;
  return TRUE;
}

static BOOL inherits(LPSECURITY_ATTRIBUTES sa) { return sa && sa->bInheritHandle; }

/* The end of every Create*: the handle, with the last error Windows leaves. */
static HANDLE created(NTSTATUS_T s, HANDLE h) {
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return 0;
  }
  RtlSetLastWin32Error(s == 0x40000000 /* STATUS_OBJECT_NAME_EXISTS */ ? ERROR_ALREADY_EXISTS : 0);
  return h;
}

typedef NTSTATUS_T (*open_fn)(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa);

/* Open*A: a name is required. */
static HANDLE open_named(open_fn fn, DWORD access, BOOL inherit, const char *name) {
  struct named_oa p;
  OBJECT_ATTRIBUTES *oa;
  HANDLE h = 0;
  if (!name) {
    k32_error(ERROR_INVALID_PARAMETER);
    return 0;
  }
  if (!named_oa(&p, name, inherit, &oa)) return 0;
  NTSTATUS_T s = fn(&h, access, oa);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return 0;
  }
  return h;
}

/* ---- events ---- */

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manualReset, BOOL initialState,
                           LPCSTR name) {
  struct named_oa p;
  OBJECT_ATTRIBUTES *oa;
  HANDLE h = 0;
  if (!named_oa(&p, name, inherits(sa), &oa)) return 0;
  ULONG_T type = manualReset ? NOTIFICATION : SYNCHRONIZATION;
  return created(NtCreateEvent(&h, EVENT_ALL_ACCESS, oa, type, initialState ? 1 : 0), h);
}

HANDLE WINAPI OpenEventA(DWORD access, BOOL inherit, LPCSTR name) {
  return open_named(NtOpenEvent, access, inherit, name);
}

BOOL WINAPI SetEvent(HANDLE h) {
  NTSTATUS_T s = NtSetEvent(h, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI ResetEvent(HANDLE h) {
  NTSTATUS_T s = NtResetEvent(h, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI PulseEvent(HANDLE h) {
  NTSTATUS_T s = NtPulseEvent(h, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

/* ---- mutexes ---- */

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES sa, BOOL initialOwner, LPCSTR name) {
  struct named_oa p;
  OBJECT_ATTRIBUTES *oa;
  HANDLE h = 0;
  if (!named_oa(&p, name, inherits(sa), &oa)) return 0;
  return created(NtCreateMutant(&h, MUTEX_ALL_ACCESS, oa, initialOwner ? 1 : 0), h);
}

HANDLE WINAPI OpenMutexA(DWORD access, BOOL inherit, LPCSTR name) {
  return open_named(NtOpenMutant, access, inherit, name);
}

BOOL WINAPI ReleaseMutex(HANDLE h) {
  NTSTATUS_T s = NtReleaseMutant(h, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

/* ---- semaphores ---- */

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum,
                               LPCSTR name) {
  struct named_oa p;
  OBJECT_ATTRIBUTES *oa;
  HANDLE h = 0;
  if (!named_oa(&p, name, inherits(sa), &oa)) return 0;
  return created(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, oa, initial, maximum), h);
}

HANDLE WINAPI OpenSemaphoreA(DWORD access, BOOL inherit, LPCSTR name) {
  return open_named(NtOpenSemaphore, access, inherit, name);
}

BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous) {
  NTSTATUS_T s = NtReleaseSemaphore(h, count, previous);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

/* ---- waitable timers ---- */

HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES sa, BOOL manualReset, LPCSTR name) {
  struct named_oa p;
  OBJECT_ATTRIBUTES *oa;
  HANDLE h = 0;
  if (!named_oa(&p, name, inherits(sa), &oa)) return 0;
  ULONG_T type = manualReset ? NOTIFICATION : SYNCHRONIZATION;
  return created(NtCreateTimer(&h, TIMER_ALL_ACCESS, oa, type), h);
}

HANDLE WINAPI OpenWaitableTimerA(DWORD access, BOOL inherit, LPCSTR name) {
  return open_named(NtOpenTimer, access, inherit, name);
}

BOOL WINAPI SetWaitableTimer(HANDLE h, const LARGE_INTEGER *due, LONG period,
                             PTIMERAPCROUTINE routine, LPVOID arg, BOOL resume) {
  NTSTATUS_T s = NtSetTimer(h, (const STRATA_LARGE_INTEGER *)due, (void *)routine, arg,
                            resume ? 1 : 0, period, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI CancelWaitableTimer(HANDLE h) {
  NTSTATUS_T s = NtCancelTimer(h, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

/* ---- waits ---- */

/* `ms` as a relative NT interval in `t`; NULL for INFINITE. */
static STRATA_LARGE_INTEGER *timeout(DWORD ms, STRATA_LARGE_INTEGER *t) {
  if (ms == INFINITE) return 0;
  LONGLONG rel = -(LONGLONG)ms * 10000;
  t->LowPart = (ULONG_T)rel;
  t->HighPart = (int)(rel >> 32);
  return t;
}

/* A wait's status as the Win32 result (WAIT_FAILED with the last error set). */
static DWORD wait_result(NTSTATUS_T s) {
  if (s < 0) {
    k32_fail(s);
    return WAIT_FAILED;
  }
  return (DWORD)s;
}

DWORD WINAPI WaitForMultipleObjects(DWORD count, const HANDLE *handles, BOOL waitAll, DWORD ms) {
  STRATA_LARGE_INTEGER t;
  if (count == 0 || count > MAXIMUM_WAIT_OBJECTS) {
    k32_error(ERROR_INVALID_PARAMETER);
    return WAIT_FAILED;
  }
  return wait_result(
      NtWaitForMultipleObjects(count, (const HANDLE_T *)handles, waitAll ? 0 : 1, 0, timeout(ms, &t)));
}

DWORD WINAPI SignalObjectAndWait(HANDLE signal, HANDLE wait, DWORD ms, BOOL alertable) {
  STRATA_LARGE_INTEGER t;
  return wait_result(NtSignalAndWaitForSingleObject(signal, wait, alertable ? 1 : 0, timeout(ms, &t)));
}

/* No APCs are queued to a thread, so an alertable sleep always runs to its end (returns 0). */
DWORD WINAPI SleepEx(DWORD ms, BOOL alertable) {
  LONGLONG rel = ms == INFINITE ? -((LONGLONG)1 << 62) : -(LONGLONG)ms * 10000;
  STRATA_LARGE_INTEGER t = {(ULONG_T)rel, (int)(rel >> 32)};
  NtDelayExecution(alertable ? 1 : 0, &t);
  return 0;
}

/* ---- critical sections ---- */

void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION cs) {
  InitializeCriticalSectionAndSpinCount(cs, 0);
}

/* One hart runs the guest, so a spinning waiter could never see the owner leave: the spin
 * count is kept (as Windows keeps it) but a contended Enter sleeps at once. */
BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION cs, DWORD spin) {
  cs->DebugInfo = 0;
  cs->LockCount = -1;
  cs->RecursionCount = 0;
  cs->OwningThread = 0;
  cs->LockSemaphore = 0;
  cs->SpinCount = spin & 0x00ffffff;
  return TRUE;
}

static HANDLE self_id(void) { return (HANDLE)(ULONG_PTR)NtCurrentTeb()->ThreadId; }

void WINAPI EnterCriticalSection(LPCRITICAL_SECTION cs) {
  HANDLE me = self_id();
  if (__atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_ACQUIRE) != 0) {
    if (cs->OwningThread == me) {
      cs->RecursionCount++;
      return;
    }
    NtWaitForKeyedEvent(0, cs, 0, 0); /* Leave hands the section over */
  }
  cs->OwningThread = me;
  cs->RecursionCount = 1;
}

BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION cs) {
  HANDLE me = self_id();
  LONG expected = -1;
  if (__atomic_compare_exchange_n(&cs->LockCount, &expected, 0, 0, __ATOMIC_ACQUIRE,
                                  __ATOMIC_RELAXED)) {
    cs->OwningThread = me;
    cs->RecursionCount = 1;
    return TRUE;
  }
  if (cs->OwningThread != me) return FALSE;
  __atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_ACQUIRE);
  cs->RecursionCount++;
  return TRUE;
}

void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION cs) {
  if (--cs->RecursionCount > 0) {
    __atomic_sub_fetch(&cs->LockCount, 1, __ATOMIC_RELEASE);
    return;
  }
  cs->OwningThread = 0;
  if (__atomic_sub_fetch(&cs->LockCount, 1, __ATOMIC_RELEASE) >= 0)
    NtReleaseKeyedEvent(0, cs, 0, 0); /* a thread is (or is about to be) asleep on it */
}

void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION cs) {
  cs->LockCount = -1;
  cs->RecursionCount = 0;
  cs->OwningThread = 0;
  cs->LockSemaphore = 0;
}

/* ---- interlocked ---- */

LONG WINAPI InterlockedIncrement(LONG volatile *addend) {
  return __atomic_add_fetch(addend, 1, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedDecrement(LONG volatile *addend) {
  return __atomic_sub_fetch(addend, 1, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedExchange(LONG volatile *target, LONG value) {
  return __atomic_exchange_n(target, value, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedCompareExchange(LONG volatile *dest, LONG exchange, LONG comparand) {
  __atomic_compare_exchange_n(dest, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return comparand;
}
