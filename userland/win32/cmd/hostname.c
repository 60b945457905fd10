/* hostname: prints the computer's name (GetComputerNameA). */
#include <windows.h>
#include <stdio.h>

int main(void) {
  char name[256];
  DWORD n = sizeof name;
  if (!GetComputerNameA(name, &n)) {
    fprintf(stderr, "hostname: GetComputerNameA failed, error %lu\n", (unsigned long)GetLastError());
    return 1;
  }
  printf("%s\n", name);
  return 0;
}
