/* Synchronisation through kernel32: events, mutexes (recursion, not-owner,
 * abandonment), semaphores, waitable timers, single and multiple waits,
 * SignalObjectAndWait, sleeps, critical sections, interlocked functions, and
 * named objects shared with a second process (this program started as
 * "child MODE"). One line per call; the exit status counts failures. */
#include "w32check.h"

static char self[MAX_PATH];

/* Milliseconds of the performance counter. */
static LONGLONG now_ms(void) {
  LARGE_INTEGER c, f;
  QueryPerformanceCounter(&c);
  QueryPerformanceFrequency(&f);
  return c.QuadPart * 1000 / f.QuadPart;
}

static int child(char **argv) {
  const char *mode = argv[2];
  if (!strcmp(mode, "signal")) { /* sets the named event argv[3] */
    HANDLE e = OpenEventA(EVENT_MODIFY_STATE, FALSE, argv[3]);
    return e && SetEvent(e) ? 0 : 1;
  }
  if (!strcmp(mode, "abandon")) { /* takes the named mutex argv[3] and exits holding it */
    HANDLE m = OpenMutexA(SYNCHRONIZE, FALSE, argv[3]);
    return m && WaitForSingleObject(m, INFINITE) == WAIT_OBJECT_0 ? 0 : 1;
  }
  if (!strcmp(mode, "post")) { /* releases the named semaphore argv[3] twice */
    HANDLE s = OpenSemaphoreA(SEMAPHORE_MODIFY_STATE, FALSE, argv[3]);
    LONG prev = -1;
    return s && ReleaseSemaphore(s, 2, &prev) ? (int)prev : 100;
  }
  return 100;
}

/* Runs this program as "child MODE NAME" and returns its exit code. */
static DWORD run_child(const char *mode, const char *name) {
  char cmd[MAX_PATH + 64];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD code = 999;
  snprintf(cmd, sizeof cmd, "\"%s\" child %s %s", self, mode, name);
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 998;
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return code;
}

static void events(void) {
  SetLastError(1234);
  HANDLE m = CreateEventA(NULL, TRUE, FALSE, NULL);
  CHECK("CreateEventA manual", m != NULL, 1, 0);
  CHECK("wait unset", WaitForSingleObject(m, 0), WAIT_TIMEOUT, -1);
  CHECK("SetEvent", SetEvent(m), 1, -1);
  CHECK("wait set", WaitForSingleObject(m, 0), WAIT_OBJECT_0, -1);
  CHECK("wait set again (manual)", WaitForSingleObject(m, 0), WAIT_OBJECT_0, -1);
  CHECK("ResetEvent", ResetEvent(m), 1, -1);
  CHECK("wait after reset", WaitForSingleObject(m, 0), WAIT_TIMEOUT, -1);
  CHECK("PulseEvent with no waiter", PulseEvent(m), 1, -1);
  CHECK("wait after pulse", WaitForSingleObject(m, 0), WAIT_TIMEOUT, -1);
  HANDLE a = CreateEventA(NULL, FALSE, TRUE, NULL);
  CHECK("wait auto (initially set)", WaitForSingleObject(a, 0), WAIT_OBJECT_0, -1);
  CHECK("wait auto again", WaitForSingleObject(a, 0), WAIT_TIMEOUT, -1);
  SetLastError(1234);
  HANDLE n1 = CreateEventA(NULL, TRUE, FALSE, "strata_sync_event");
  CHECK("CreateEventA named", n1 != NULL, 1, 0);
  HANDLE n2 = CreateEventA(NULL, FALSE, TRUE, "strata_sync_event");
  CHECK("CreateEventA existing name", n2 != NULL, 1, ERROR_ALREADY_EXISTS);
  CHECK("existing kept its state", WaitForSingleObject(n1, 0), WAIT_TIMEOUT, -1);
  SetEvent(n2);
  CHECK("one event behind both names", WaitForSingleObject(n1, 0), WAIT_OBJECT_0, -1);
  HANDLE o = OpenEventA(EVENT_ALL_ACCESS, FALSE, "strata_sync_event");
  CHECK("OpenEventA", o != NULL, 1, -1);
  CHECK("OpenEventA: names are case sensitive", OpenEventA(EVENT_ALL_ACCESS, FALSE, "STRATA_SYNC_EVENT") == NULL, 1, ERROR_FILE_NOT_FOUND);
  CHECK("OpenEventA missing", OpenEventA(EVENT_ALL_ACCESS, FALSE, "strata_no_such") == NULL, 1, ERROR_FILE_NOT_FOUND);
  CHECK("CreateMutexA on an event's name", CreateMutexA(NULL, FALSE, "strata_sync_event") == NULL, 1, ERROR_INVALID_HANDLE);
  HANDLE ro = OpenEventA(SYNCHRONIZE, FALSE, "strata_sync_event");
  CHECK("SetEvent without EVENT_MODIFY_STATE", SetEvent(ro), 0, ERROR_ACCESS_DENIED);
  CHECK("SetEvent(NULL)", SetEvent(NULL), 0, ERROR_INVALID_HANDLE);
  HANDLE mx = CreateMutexA(NULL, FALSE, NULL);
  CHECK("SetEvent on a mutex", SetEvent(mx), 0, ERROR_INVALID_HANDLE);
  CloseHandle(mx);
  CloseHandle(ro);
  CloseHandle(o);
  CloseHandle(n2);
  CloseHandle(n1);
  CloseHandle(a);
  CloseHandle(m);
}

static void mutexes(void) {
  HANDLE m = CreateMutexA(NULL, TRUE, NULL);
  CHECK("CreateMutexA owned", m != NULL, 1, 0);
  CHECK("wait on own mutex", WaitForSingleObject(m, 0), WAIT_OBJECT_0, -1);
  CHECK("ReleaseMutex 1", ReleaseMutex(m), 1, -1);
  CHECK("ReleaseMutex 2", ReleaseMutex(m), 1, -1);
  CHECK("ReleaseMutex 3 (not owner)", ReleaseMutex(m), 0, ERROR_NOT_OWNER);
  HANDLE f = CreateMutexA(NULL, FALSE, NULL);
  CHECK("ReleaseMutex never taken", ReleaseMutex(f), 0, ERROR_NOT_OWNER);
  CHECK("wait free mutex", WaitForSingleObject(f, 0), WAIT_OBJECT_0, -1);
  CHECK("ReleaseMutex after wait", ReleaseMutex(f), 1, -1);
  HANDLE n = CreateMutexA(NULL, FALSE, "strata_sync_mutex");
  CHECK("OpenMutexA", OpenMutexA(SYNCHRONIZE, FALSE, "strata_sync_mutex") != NULL, 1, -1);
  CHECK("OpenMutexA(NULL name)", OpenMutexA(SYNCHRONIZE, FALSE, NULL) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("child takes the mutex and exits", run_child("abandon", "strata_sync_mutex"), 0, -1);
  CHECK("wait on abandoned mutex", WaitForSingleObject(n, 0), WAIT_ABANDONED, -1);
  CHECK("wait again (owned now)", WaitForSingleObject(n, 0), WAIT_OBJECT_0, -1);
  CHECK("ReleaseMutex after abandon 1", ReleaseMutex(n), 1, -1);
  CHECK("ReleaseMutex after abandon 2", ReleaseMutex(n), 1, -1);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  CHECK("child abandons again", run_child("abandon", "strata_sync_mutex"), 0, -1);
  HANDLE both[2] = {ev, n};
  CHECK("wait any: abandoned index 1", WaitForMultipleObjects(2, both, FALSE, 0), WAIT_ABANDONED_0 + 1, -1);
  CHECK("ReleaseMutex", ReleaseMutex(n), 1, -1);
  CloseHandle(ev);
  CloseHandle(n);
  CloseHandle(f);
  CloseHandle(m);
}

static void semaphores(void) {
  LONG prev = -1;
  HANDLE s = CreateSemaphoreA(NULL, 1, 2, NULL);
  CHECK("CreateSemaphoreA", s != NULL, 1, 0);
  CHECK("wait count 1", WaitForSingleObject(s, 0), WAIT_OBJECT_0, -1);
  CHECK("wait count 0", WaitForSingleObject(s, 0), WAIT_TIMEOUT, -1);
  CHECK("ReleaseSemaphore 2", ReleaseSemaphore(s, 2, &prev), 1, -1);
  CHECK("previous count", prev, 0, -1);
  CHECK("ReleaseSemaphore past maximum", ReleaseSemaphore(s, 1, &prev), 0, ERROR_TOO_MANY_POSTS);
  CHECK("CreateSemaphoreA initial > maximum", CreateSemaphoreA(NULL, 3, 2, NULL) == NULL, 1, ERROR_INVALID_PARAMETER);
  CHECK("CreateSemaphoreA maximum 0", CreateSemaphoreA(NULL, 0, 0, NULL) == NULL, 1, ERROR_INVALID_PARAMETER);
  HANDLE n = CreateSemaphoreA(NULL, 0, 5, "strata_sync_sem");
  CHECK("OpenSemaphoreA", OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "strata_sync_sem") != NULL, 1, -1);
  CHECK("child posts 2 (previous count)", run_child("post", "strata_sync_sem"), 0, -1);
  CHECK("take 1", WaitForSingleObject(n, 0), WAIT_OBJECT_0, -1);
  CHECK("take 2", WaitForSingleObject(n, 0), WAIT_OBJECT_0, -1);
  CHECK("none left", WaitForSingleObject(n, 0), WAIT_TIMEOUT, -1);
  CloseHandle(n);
  CloseHandle(s);
}

static void timers(void) {
  LARGE_INTEGER due;
  HANDLE t = CreateWaitableTimerA(NULL, TRUE, NULL);
  CHECK("CreateWaitableTimerA manual", t != NULL, 1, 0);
  CHECK("wait on an unset timer", WaitForSingleObject(t, 0), WAIT_TIMEOUT, -1);
  due.QuadPart = -2000000; /* 200 ms from now */
  LONGLONG t0 = now_ms();
  CHECK("SetWaitableTimer relative", SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE), 1, -1);
  CHECK("not yet expired", WaitForSingleObject(t, 0), WAIT_TIMEOUT, -1);
  CHECK("wait for the timer", WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0, -1);
  EXPECT("timer fired 150 ms or more after it was set", now_ms() - t0 >= 150);
  CHECK("manual timer stays signalled", WaitForSingleObject(t, 0), WAIT_OBJECT_0, -1);
  HANDLE s = CreateWaitableTimerA(NULL, FALSE, "strata_sync_timer");
  CHECK("OpenWaitableTimerA", OpenWaitableTimerA(TIMER_ALL_ACCESS, FALSE, "strata_sync_timer") != NULL, 1, -1);
  due.QuadPart = -10000;
  CHECK("SetWaitableTimer periodic", SetWaitableTimer(s, &due, 5, NULL, NULL, FALSE), 1, -1);
  CHECK("first period", WaitForSingleObject(s, INFINITE), WAIT_OBJECT_0, -1);
  CHECK("second period", WaitForSingleObject(s, INFINITE), WAIT_OBJECT_0, -1);
  CHECK("CancelWaitableTimer", CancelWaitableTimer(s), 1, -1);
  Sleep(20);
  WaitForSingleObject(s, 0); /* a period may have ended before the cancel */
  CHECK("cancelled timer stays quiet", WaitForSingleObject(s, 30), WAIT_TIMEOUT, -1);
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  due.QuadPart = ((LONGLONG)ft.dwHighDateTime << 32 | ft.dwLowDateTime) + 100000;
  CHECK("SetWaitableTimer absolute", SetWaitableTimer(s, &due, 0, NULL, NULL, FALSE), 1, -1);
  CHECK("absolute timer fires", WaitForSingleObject(s, 5000), WAIT_OBJECT_0, -1);
  CHECK("synchronization timer resets", WaitForSingleObject(s, 0), WAIT_TIMEOUT, -1);
  CHECK("CancelWaitableTimer on an event", CancelWaitableTimer(GetCurrentProcess()), 0, ERROR_INVALID_HANDLE);
  CloseHandle(s);
  CloseHandle(t);
}

static void waits(void) {
  HANDLE unset = CreateEventA(NULL, TRUE, FALSE, NULL);
  HANDLE set = CreateEventA(NULL, TRUE, TRUE, NULL);
  HANDLE autoEv = CreateEventA(NULL, FALSE, TRUE, NULL);
  HANDLE sem = CreateSemaphoreA(NULL, 1, 1, NULL);
  HANDLE empty = CreateSemaphoreA(NULL, 0, 1, NULL);
  HANDLE any[2] = {unset, sem};
  CHECK("wait any: index 1", WaitForMultipleObjects(2, any, FALSE, 0), WAIT_OBJECT_0 + 1, -1);
  CHECK("wait any: none", WaitForMultipleObjects(2, any, FALSE, 0), WAIT_TIMEOUT, -1);
  HANDLE partial[3] = {set, autoEv, empty};
  CHECK("wait all: one not signalled", WaitForMultipleObjects(3, partial, TRUE, 0), WAIT_TIMEOUT, -1);
  CHECK("wait all took nothing", WaitForSingleObject(autoEv, 0), WAIT_OBJECT_0, -1);
  SetEvent(autoEv);
  ReleaseSemaphore(empty, 1, NULL);
  CHECK("wait all: every one", WaitForMultipleObjects(3, partial, TRUE, 0), WAIT_OBJECT_0, -1);
  CHECK("auto event taken", WaitForSingleObject(autoEv, 0), WAIT_TIMEOUT, -1);
  CHECK("semaphore taken", WaitForSingleObject(empty, 0), WAIT_TIMEOUT, -1);
  HANDLE twice[2] = {set, set};
  CHECK("wait any on one object twice", WaitForMultipleObjects(2, twice, FALSE, 0), WAIT_OBJECT_0, -1);
  CHECK("wait count 0", WaitForMultipleObjects(0, any, FALSE, 0), WAIT_FAILED, ERROR_INVALID_PARAMETER);
  HANDLE many[65];
  for (int i = 0; i < 65; i++) many[i] = set;
  CHECK("wait count 65", WaitForMultipleObjects(65, many, FALSE, 0), WAIT_FAILED, ERROR_INVALID_PARAMETER);
  CHECK("wait on a bad handle", WaitForSingleObject((HANDLE)(ULONG_PTR)0x1234, 0), WAIT_FAILED, ERROR_INVALID_HANDLE);
  HANDLE bad[2] = {set, (HANDLE)(ULONG_PTR)0x1234};
  CHECK("wait any with a bad handle", WaitForMultipleObjects(2, bad, FALSE, 0), WAIT_FAILED, ERROR_INVALID_HANDLE);
  LONGLONG t0 = now_ms();
  CHECK("finite timeout", WaitForSingleObject(unset, 30), WAIT_TIMEOUT, -1);
  EXPECT("timeout waited 25 ms or more", now_ms() - t0 >= 25);
  t0 = now_ms();
  CHECK("finite timeout, wait any", WaitForMultipleObjects(2, any, FALSE, 20), WAIT_TIMEOUT, -1);
  EXPECT("wait any waited 15 ms or more", now_ms() - t0 >= 15);
  /* SignalObjectAndWait */
  HANDLE a2 = CreateEventA(NULL, FALSE, FALSE, NULL);
  CHECK("SignalObjectAndWait event", SignalObjectAndWait(a2, set, INFINITE, FALSE), WAIT_OBJECT_0, -1);
  CHECK("the signalled event is set", WaitForSingleObject(a2, 0), WAIT_OBJECT_0, -1);
  CHECK("SignalObjectAndWait timeout", SignalObjectAndWait(a2, unset, 10, FALSE), WAIT_TIMEOUT, -1);
  CHECK("signalled despite the timeout", WaitForSingleObject(a2, 0), WAIT_OBJECT_0, -1);
  ReleaseSemaphore(empty, 1, NULL);
  CHECK("SignalObjectAndWait full semaphore", SignalObjectAndWait(empty, set, 0, FALSE), WAIT_FAILED, ERROR_TOO_MANY_POSTS);
  HANDLE m = CreateMutexA(NULL, FALSE, NULL);
  CHECK("SignalObjectAndWait unowned mutex", SignalObjectAndWait(m, set, 0, FALSE), WAIT_FAILED, ERROR_NOT_OWNER);
  WaitForSingleObject(m, 0);
  CHECK("SignalObjectAndWait owned mutex", SignalObjectAndWait(m, m, 0, FALSE), WAIT_OBJECT_0, -1);
  CHECK("still owned once", ReleaseMutex(m), 1, -1);
  CHECK("and no more", ReleaseMutex(m), 0, ERROR_NOT_OWNER);
  CHECK("SignalObjectAndWait bad wait handle", SignalObjectAndWait(a2, NULL, 0, FALSE), WAIT_FAILED, ERROR_INVALID_HANDLE);
  /* Sleeps */
  t0 = now_ms();
  Sleep(20);
  EXPECT("Sleep(20) slept 15 ms or more", now_ms() - t0 >= 15);
  CHECK("SleepEx", SleepEx(10, FALSE), 0, -1);
  CHECK("SleepEx alertable", SleepEx(0, TRUE), 0, -1);
  /* Named objects between processes */
  HANDLE named = CreateEventA(NULL, TRUE, FALSE, "strata_sync_cross");
  CHECK("child sets a named event", run_child("signal", "strata_sync_cross"), 0, -1);
  CHECK("the parent sees it", WaitForSingleObject(named, 0), WAIT_OBJECT_0, -1);
  CloseHandle(named);
  CloseHandle(m);
  CloseHandle(a2);
  CloseHandle(empty);
  CloseHandle(sem);
  CloseHandle(autoEv);
  CloseHandle(set);
  CloseHandle(unset);
}

static void critical_sections(void) {
  CRITICAL_SECTION cs;
  InitializeCriticalSection(&cs);
  CHECK("LockCount when free", cs.LockCount, -1, -1);
  CHECK("RecursionCount when free", cs.RecursionCount, 0, -1);
  EnterCriticalSection(&cs);
  CHECK("RecursionCount after Enter", cs.RecursionCount, 1, -1);
  EXPECT("owned after Enter", cs.OwningThread != 0);
  EnterCriticalSection(&cs);
  CHECK("RecursionCount after a second Enter", cs.RecursionCount, 2, -1);
  CHECK("TryEnterCriticalSection (owner)", TryEnterCriticalSection(&cs), 1, -1);
  CHECK("RecursionCount after TryEnter", cs.RecursionCount, 3, -1);
  LeaveCriticalSection(&cs);
  LeaveCriticalSection(&cs);
  CHECK("RecursionCount after two Leaves", cs.RecursionCount, 1, -1);
  LeaveCriticalSection(&cs);
  CHECK("LockCount after the last Leave", cs.LockCount, -1, -1);
  EXPECT("not owned after the last Leave", cs.OwningThread == 0);
  CHECK("TryEnterCriticalSection (free)", TryEnterCriticalSection(&cs), 1, -1);
  LeaveCriticalSection(&cs);
  DeleteCriticalSection(&cs);
  CHECK("InitializeCriticalSectionAndSpinCount", InitializeCriticalSectionAndSpinCount(&cs, 4000), 1, -1);
  EnterCriticalSection(&cs);
  LeaveCriticalSection(&cs);
  CHECK("LockCount free again", cs.LockCount, -1, -1);
  DeleteCriticalSection(&cs);
}

static void interlocked(void) {
  LONG volatile v = 5;
  CHECK("InterlockedIncrement", InterlockedIncrement(&v), 6, -1);
  CHECK("InterlockedDecrement", InterlockedDecrement(&v), 5, -1);
  CHECK("InterlockedExchange returns the old value", InterlockedExchange(&v, 10), 5, -1);
  CHECK("value after exchange", v, 10, -1);
  CHECK("InterlockedCompareExchange match", InterlockedCompareExchange(&v, 20, 10), 10, -1);
  CHECK("value after a match", v, 20, -1);
  CHECK("InterlockedCompareExchange mismatch", InterlockedCompareExchange(&v, 30, 10), 20, -1);
  CHECK("value after a mismatch", v, 20, -1);
  v = -1;
  CHECK("InterlockedIncrement to 0", InterlockedIncrement(&v), 0, -1);
  CHECK("InterlockedDecrement below 0", InterlockedDecrement(&v), -1, -1);
}

/* ---- with threads ---- */

static CRITICAL_SECTION counterLock;
static LONG counter, atomicCounter;
static HANDLE waitAllEvents[2], pulseEvent, abandonMutex, handoff;

static DWORD WINAPI cs_worker(LPVOID arg) {
  (void)arg;
  for (int i = 0; i < 200; i++) {
    EnterCriticalSection(&counterLock);
    LONG v = counter;
    if (i % 8 == 0) SwitchToThread(); /* let another thread find the section taken */
    counter = v + 1;
    LeaveCriticalSection(&counterLock);
    InterlockedIncrement(&atomicCounter);
  }
  return 0;
}

static DWORD WINAPI wait_all_worker(LPVOID arg) {
  (void)arg;
  return WaitForMultipleObjects(2, waitAllEvents, TRUE, 10000);
}

static DWORD WINAPI pulse_worker(LPVOID arg) {
  (void)arg;
  return WaitForSingleObject(pulseEvent, 10000);
}

static DWORD WINAPI abandon_worker(LPVOID arg) {
  (void)arg;
  return WaitForSingleObject(abandonMutex, INFINITE); /* and ends holding it */
}

static DWORD WINAPI handoff_worker(LPVOID arg) {
  (void)arg;
  DWORD r = WaitForSingleObject(handoff, 10000);
  ReleaseMutex(handoff);
  return r;
}

static DWORD exit_code(HANDLE thread) {
  DWORD code = 999;
  WaitForSingleObject(thread, INFINITE);
  GetExitCodeThread(thread, &code);
  CloseHandle(thread);
  return code;
}

static void threads(void) {
  HANDLE t[4];
  InitializeCriticalSection(&counterLock);
  for (int i = 0; i < 4; i++) t[i] = CreateThread(NULL, 0, cs_worker, NULL, 0, NULL);
  CHECK("wait all four workers", WaitForMultipleObjects(4, t, TRUE, INFINITE), WAIT_OBJECT_0, -1);
  for (int i = 0; i < 4; i++) CloseHandle(t[i]);
  CHECK("counter under the critical section", counter, 800, -1);
  CHECK("interlocked counter", atomicCounter, 800, -1);
  CHECK("section free at the end", counterLock.LockCount, -1, -1);
  DeleteCriticalSection(&counterLock);

  waitAllEvents[0] = CreateEventA(NULL, FALSE, FALSE, NULL);
  waitAllEvents[1] = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE w = CreateThread(NULL, 0, wait_all_worker, NULL, 0, NULL);
  SetEvent(waitAllEvents[0]);
  Sleep(100);
  CHECK("wait-all thread still waits with one of two set", WaitForSingleObject(w, 0), WAIT_TIMEOUT, -1);
  CHECK("the set event is not taken", WaitForSingleObject(waitAllEvents[0], 0), WAIT_OBJECT_0, -1);
  SetEvent(waitAllEvents[0]);
  SetEvent(waitAllEvents[1]);
  CHECK("wait-all thread result", exit_code(w), WAIT_OBJECT_0, -1);
  CHECK("wait all took the first", WaitForSingleObject(waitAllEvents[0], 0), WAIT_TIMEOUT, -1);
  CHECK("wait all took the second", WaitForSingleObject(waitAllEvents[1], 0), WAIT_TIMEOUT, -1);

  pulseEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  HANDLE p1 = CreateThread(NULL, 0, pulse_worker, NULL, 0, NULL);
  HANDLE p2 = CreateThread(NULL, 0, pulse_worker, NULL, 0, NULL);
  Sleep(100);
  CHECK("PulseEvent with two waiters", PulseEvent(pulseEvent), 1, -1);
  CHECK("manual event left reset", WaitForSingleObject(pulseEvent, 0), WAIT_TIMEOUT, -1);
  /* On a loaded host a thread may reach its wait only after the pulse: pulse until both left. */
  HANDLE pw[2] = {p1, p2};
  for (int i = 0; i < 100 && WaitForMultipleObjects(2, pw, TRUE, 0) == WAIT_TIMEOUT; i++) {
    PulseEvent(pulseEvent);
    Sleep(50);
  }
  CHECK("first waiter released", exit_code(p1), WAIT_OBJECT_0, -1);
  CHECK("second waiter released", exit_code(p2), WAIT_OBJECT_0, -1);

  abandonMutex = CreateMutexA(NULL, FALSE, NULL);
  CHECK("thread ends holding the mutex", exit_code(CreateThread(NULL, 0, abandon_worker, NULL, 0, NULL)), WAIT_OBJECT_0, -1);
  CHECK("wait on the mutex: abandoned", WaitForSingleObject(abandonMutex, 0), WAIT_ABANDONED, -1);
  CHECK("ReleaseMutex", ReleaseMutex(abandonMutex), 1, -1);

  handoff = CreateMutexA(NULL, TRUE, NULL);
  HANDLE h = CreateThread(NULL, 0, handoff_worker, NULL, 0, NULL);
  Sleep(100);
  ReleaseMutex(handoff);
  CHECK("released mutex goes to the waiter", WaitForSingleObject(handoff, 10000), WAIT_OBJECT_0, -1);
  ReleaseMutex(handoff);
  CHECK("waiter's result", exit_code(h), WAIT_OBJECT_0, -1);
  CloseHandle(handoff);
  CloseHandle(abandonMutex);
  CloseHandle(pulseEvent);
  CloseHandle(waitAllEvents[0]);
  CloseHandle(waitAllEvents[1]);
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "child")) return child(argv);
  GetModuleFileNameA(NULL, self, sizeof self);
  events();
  mutexes();
  semaphores();
  timers();
  waits();
  critical_sections();
  interlocked();
  threads();
  printf("failures: %d\n", failures);
  return failures;
}
