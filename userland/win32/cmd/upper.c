/* upper: copies standard input to standard output in upper case (ReadFile and
 * WriteFile on the standard handles, so the bytes pass through unchanged
 * otherwise). Exit code 0, or 1 if writing fails. */
#include <windows.h>

int main(void) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
  char buf[4096];
  DWORD n, done;
  while (ReadFile(in, buf, sizeof buf, &n, NULL) && n) {
    for (DWORD i = 0; i < n; i++)
      if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
    if (!WriteFile(out, buf, n, &done, NULL)) return 1;
  }
  return 0;
}
