/* w32testdll.dll: a DLL for the loader tests of test_w32_process. DllMain
 * counts its DLL_PROCESS_ATTACH calls (and, for test_w32_thread, its
 * DLL_THREAD_ATTACH and DLL_THREAD_DETACH calls); w32testdll_name() reads a string
 * through a table of pointers, which only works if the loader applied the
 * base relocations (its preferred base, 0x00400000, is the exe's, so on
 * Strata it is always rebased). */
#include <windows.h>

static int attaches;
static volatile int thread_calls[2];
static const char *const names[] = {"w32testdll", "second"};

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved) {
  (void)self, (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) attaches++;
  if (reason == DLL_THREAD_ATTACH || reason == DLL_THREAD_DETACH)
    __atomic_fetch_add(&thread_calls[reason - DLL_THREAD_ATTACH], 1, __ATOMIC_SEQ_CST);
  return TRUE;
}

int w32testdll_add(int a, int b) { return a + b; }

int w32testdll_attaches(void) { return attaches; }

const char *w32testdll_name(int i) { return names[i & 1]; }

/* DLL_THREAD_ATTACH (detach 0) or DLL_THREAD_DETACH (detach 1) calls so far. */
int w32testdll_thread_calls(int detach) { return thread_calls[detach & 1]; }
