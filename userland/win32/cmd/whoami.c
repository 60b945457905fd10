/* whoami: prints "computer\user" in lower case, as Windows' whoami does for a local account. */
#include <windows.h>
#include <stdio.h>

static void lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z') *s += 32;
}

int main(void) {
  char host[256], user[257];
  DWORD hn = sizeof host, un = sizeof user;
  if (!GetComputerNameA(host, &hn) || !GetUserNameA(user, &un)) {
    fprintf(stderr, "whoami: error %lu\n", (unsigned long)GetLastError());
    return 1;
  }
  lower(host);
  lower(user);
  printf("%s\\%s\n", host, user);
  return 0;
}
