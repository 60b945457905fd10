/* w32testdll.dll: a DLL for the loader tests of test_w32_process. DllMain
 * counts its DLL_PROCESS_ATTACH calls; w32testdll_name() reads a string
 * through a table of pointers, which only works if the loader applied the
 * base relocations (its preferred base, 0x00400000, is the exe's, so on
 * Strata it is always rebased). */
#include <windows.h>

static int attaches;
static const char *const names[] = {"w32testdll", "second"};

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved) {
  (void)self, (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) attaches++;
  return TRUE;
}

int w32testdll_add(int a, int b) { return a + b; }

int w32testdll_attaches(void) { return attaches; }

const char *w32testdll_name(int i) { return names[i & 1]; }
