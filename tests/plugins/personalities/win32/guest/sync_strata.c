/* Synchronisation cases checked on Strata only: Windows' documented results
 * where Wine answers otherwise (release counts, timer periods, wait-all on
 * one object twice), NT's keyed events, the classic critical-section
 * counts, and hand-offs whose order Windows defines but a second
 * implementation on a real host cannot show deterministically. One line a
 * check; the exit status counts failures. */
#include "../../../../../userland/win32/tests/w32check.h"
#include <strata/ntdll.h>

NTSTATUS_T NtCreateEvent(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, ULONG_T type,
                         ULONG_T initial);
NTSTATUS_T NtCreateKeyedEvent(HANDLE_T *h, ULONG_T access, void *oa, ULONG_T flags);
NTSTATUS_T NtWaitForKeyedEvent(HANDLE_T h, void *key, ULONG_T alertable, STRATA_LARGE_INTEGER *t);
NTSTATUS_T NtReleaseKeyedEvent(HANDLE_T h, void *key, ULONG_T alertable, STRATA_LARGE_INTEGER *t);

static HANDLE keyed, autoEv, mutex;
static CRITICAL_SECTION cs;
static STRATA_LARGE_INTEGER zero;

static DWORD WINAPI keyed_waiter(LPVOID key) { return (DWORD)NtWaitForKeyedEvent(keyed, key, 0, 0); }
static DWORD WINAPI keyed_releaser(LPVOID key) { return (DWORD)NtReleaseKeyedEvent(keyed, key, 0, 0); }
static DWORD WINAPI auto_waiter(LPVOID arg) { (void)arg; return WaitForSingleObject(autoEv, 500); }
static DWORD WINAPI mutex_waiter(LPVOID arg) {
  (void)arg;
  DWORD r = WaitForSingleObject(mutex, INFINITE);
  Sleep(20);
  ReleaseMutex(mutex);
  return r;
}
static DWORD WINAPI cs_enter(LPVOID arg) {
  (void)arg;
  EnterCriticalSection(&cs);
  DWORD r = cs.RecursionCount;
  LeaveCriticalSection(&cs);
  return r;
}

static DWORD code_of(HANDLE t) {
  DWORD c = 999;
  WaitForSingleObject(t, INFINITE);
  GetExitCodeThread(t, &c);
  CloseHandle(t);
  return c;
}

static void windows_codes(void) {
  HANDLE s = CreateSemaphoreA(NULL, 0, 2, NULL);
  CHECK("ReleaseSemaphore 0", ReleaseSemaphore(s, 0, NULL), 0, ERROR_INVALID_PARAMETER);
  CHECK("ReleaseSemaphore -1", ReleaseSemaphore(s, -1, NULL), 0, ERROR_INVALID_PARAMETER);
  HANDLE t = CreateWaitableTimerA(NULL, TRUE, NULL);
  LARGE_INTEGER due;
  due.QuadPart = -10000;
  CHECK("SetWaitableTimer negative period", SetWaitableTimer(t, &due, -1, NULL, NULL, FALSE), 0, ERROR_INVALID_PARAMETER);
  CHECK("SetWaitableTimer with a completion routine", SetWaitableTimer(t, &due, 0, (PTIMERAPCROUTINE)windows_codes, NULL, FALSE), 0, ERROR_NOT_SUPPORTED);
  HANDLE e = CreateEventA(NULL, TRUE, TRUE, NULL);
  HANDLE twice[2] = {e, e};
  CHECK("wait all on one object twice", WaitForMultipleObjects(2, twice, TRUE, 0), WAIT_FAILED, ERROR_INVALID_PARAMETER);
  CHECK("NtCreateKeyedEvent", NtCreateKeyedEvent(&keyed, 0xf0003, 0, 0), 0, -1);
  CHECK("wait without SYNCHRONIZE access", WaitForSingleObject(keyed, 0), WAIT_FAILED, ERROR_ACCESS_DENIED);
  HANDLE k2 = 0;
  CHECK("NtCreateKeyedEvent with SYNCHRONIZE", NtCreateKeyedEvent(&k2, 0x1f0003, 0, 0), 0, -1);
  CHECK("wait on a keyed event (not waitable)", WaitForSingleObject(k2, 0), WAIT_FAILED, ERROR_INVALID_HANDLE);
  CloseHandle(k2);
  HANDLE m = CreateMutexA(NULL, FALSE, NULL);
  CloseHandle(CreateThread(NULL, 0, (LPTHREAD_START_ROUTINE)mutex_waiter, NULL, 0, NULL));
  mutex = m;
  CloseHandle(s);
  CloseHandle(t);
  CloseHandle(e);
}

/* NtCreateEvent on a name that exists: opened with OBJ_OPENIF, a collision without it. */
static void create_disposition(void) {
  static const char name[] = "\\BaseNamedObjects\\strata_openif";
  unsigned short w[64];
  UNICODE_STRING us;
  OBJECT_ATTRIBUTES oa;
  HANDLE_T h1 = 0, h2 = 0, h3 = 0;
  size_t n = strlen(name);
  for (size_t i = 0; i < n; i++) w[i] = (unsigned char)name[i];
  us.Length = us.MaximumLength = (unsigned short)(n * 2);
  us.Buffer = w;
  memset(&oa, 0, sizeof oa);
  oa.Length = sizeof oa;
  oa.ObjectName = &us;
  CHECK("NtCreateEvent new name", NtCreateEvent(&h1, 0x1f0003, &oa, 0, 0), 0, -1);
  CHECK("NtCreateEvent same name", NtCreateEvent(&h2, 0x1f0003, &oa, 0, 0), STATUS_OBJECT_NAME_COLLISION, -1);
  oa.Attributes = 0x80; /* OBJ_OPENIF */
  CHECK("NtCreateEvent same name, OBJ_OPENIF", NtCreateEvent(&h3, 0x1f0003, &oa, 0, 0), 0x40000000, -1);
  CloseHandle(h3);
  CloseHandle(h1);
}

static void keyed_events(void) {
  CHECK("wait, no releaser, zero timeout", NtWaitForKeyedEvent(keyed, (void *)4, 0, &zero), STATUS_TIMEOUT, -1);
  CHECK("release, no waiter, zero timeout", NtReleaseKeyedEvent(keyed, (void *)4, 0, &zero), STATUS_TIMEOUT, -1);
  CHECK("odd key", NtWaitForKeyedEvent(keyed, (void *)5, 0, &zero), 0xC00000EF, -1);
  HANDLE w = CreateThread(NULL, 0, keyed_waiter, (void *)8, 0, NULL);
  Sleep(20);
  CHECK("waiter still asleep", WaitForSingleObject(w, 0), WAIT_TIMEOUT, -1);
  CHECK("release wakes it", NtReleaseKeyedEvent(keyed, (void *)8, 0, 0), 0, -1);
  CHECK("the waiter's status", code_of(w), 0, -1);
  HANDLE r = CreateThread(NULL, 0, keyed_releaser, (void *)12, 0, NULL);
  Sleep(20);
  CHECK("releaser waits for a waiter", WaitForSingleObject(r, 0), WAIT_TIMEOUT, -1);
  CHECK("another key does not meet it", NtWaitForKeyedEvent(keyed, (void *)16, 0, &zero), STATUS_TIMEOUT, -1);
  CHECK("the waiter meets it", NtWaitForKeyedEvent(keyed, (void *)12, 0, 0), 0, -1);
  CHECK("the releaser's status", code_of(r), 0, -1);
  CHECK("NtWaitForKeyedEvent(bad handle)", NtWaitForKeyedEvent((HANDLE)0x1234, (void *)4, 0, &zero), STATUS_INVALID_HANDLE, -1);
}

static void handoffs(void) {
  autoEv = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE a = CreateThread(NULL, 0, auto_waiter, NULL, 0, NULL);
  HANDLE b = CreateThread(NULL, 0, auto_waiter, NULL, 0, NULL);
  Sleep(20);
  CHECK("PulseEvent on an auto event with two waiters", PulseEvent(autoEv), 1, -1);
  DWORD ra = code_of(a), rb = code_of(b);
  EXPECT("exactly one waiter released", (ra == 0) + (rb == 0) == 1 && (ra == WAIT_TIMEOUT || rb == WAIT_TIMEOUT));
  a = CreateThread(NULL, 0, auto_waiter, NULL, 0, NULL);
  Sleep(20);
  SetEvent(autoEv);
  CHECK("set auto event went to the waiter", WaitForSingleObject(autoEv, 0), WAIT_TIMEOUT, -1);
  CHECK("the waiter's result", code_of(a), WAIT_OBJECT_0, -1);
  WaitForSingleObject(mutex, INFINITE); /* taken from the thread started earlier, or free */
  ReleaseMutex(mutex);
  CHECK("take the mutex", WaitForSingleObject(mutex, 0), WAIT_OBJECT_0, -1);
  HANDLE w = CreateThread(NULL, 0, mutex_waiter, NULL, 0, NULL);
  Sleep(20);
  ReleaseMutex(mutex);
  CHECK("released mutex went to the waiter", WaitForSingleObject(mutex, 0), WAIT_TIMEOUT, -1);
  CHECK("the mutex waiter's result", code_of(w), WAIT_OBJECT_0, -1);
  CHECK("free again", WaitForSingleObject(mutex, 0), WAIT_OBJECT_0, -1);
  ReleaseMutex(mutex);
  HANDLE ev = CreateEventA(NULL, TRUE, TRUE, NULL);
  CloseHandle(CreateThread(NULL, 0, (LPTHREAD_START_ROUTINE)WaitForSingleObject, mutex, 0, NULL));
  Sleep(20); /* that thread took the mutex and ended holding it */
  HANDLE all[2] = {ev, mutex};
  CHECK("wait all with an abandoned mutex", WaitForMultipleObjects(2, all, TRUE, 0), WAIT_ABANDONED_0, -1);
  ReleaseMutex(mutex);
  CloseHandle(ev);
}

static void critical_section_counts(void) {
  InitializeCriticalSection(&cs);
  EnterCriticalSection(&cs);
  CHECK("LockCount held once", cs.LockCount, 0, -1);
  EnterCriticalSection(&cs);
  CHECK("LockCount held twice", cs.LockCount, 1, -1);
  LeaveCriticalSection(&cs);
  HANDLE t = CreateThread(NULL, 0, cs_enter, NULL, 0, NULL);
  Sleep(20);
  CHECK("LockCount with a thread waiting", cs.LockCount, 1, -1);
  CHECK("the waiter sleeps", WaitForSingleObject(t, 0), WAIT_TIMEOUT, -1);
  LeaveCriticalSection(&cs);
  CHECK("the waiter got it once", code_of(t), 1, -1);
  CHECK("free at the end", cs.LockCount, -1, -1);
  CHECK("TryEnter from the owner's view after", TryEnterCriticalSection(&cs), 1, -1);
  LeaveCriticalSection(&cs);
  DeleteCriticalSection(&cs);
}

int main(void) {
  windows_codes();
  create_disposition();
  keyed_events();
  handoffs();
  critical_section_counts();
  printf("failures: %d\n", failures);
  return failures;
}
