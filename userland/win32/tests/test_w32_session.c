/* What a Win32 session relies on in path names: GetFullPathNameA drops a
 * component's final period and the last component's trailing periods
 * and spaces, so "ls." names the file "ls" (how cmd.exe finds a program
 * without an extension when PATHEXT lists "."), and every file call that
 * takes a name does the same. Runs in an empty current directory; prints
 * one line per call and exits with the number of failed expectations. */
#include "w32check.h"

static void full(const char *in, const char *want) {
  char out[MAX_PATH], what[160];
  DWORD n = GetFullPathNameA(in, sizeof out, out, NULL);
  snprintf(what, sizeof what, "GetFullPathNameA \"%s\" = \"%s\"", in, n ? out : "");
  EXPECT(what, n == strlen(want) && strcmp(out, want) == 0);
}

static void names(void) {
  full("C:\\dir\\name.", "C:\\dir\\name");
  full("C:\\dir\\name. . .", "C:\\dir\\name");
  full("C:\\dir\\name.txt.", "C:\\dir\\name.txt");
  full("C:\\dir.\\name", "C:\\dir\\name");
  full("C:\\dir..\\name", "C:\\dir.\\name");
  full("C:\\dir\\.\\name", "C:\\dir\\name");
  full("C:\\dir\\..\\name.", "C:\\name");
  full("C:\\dir\\name.\\", "C:\\dir\\name\\");
}

static void files(void) {
  HANDLE h = CreateFileA("prog", GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
  CHECK("CreateFileA prog", h != INVALID_HANDLE_VALUE, 1, 0);
  CloseHandle(h);
  DWORD a = GetFileAttributesA("prog.");
  CHECK("GetFileAttributesA prog.", a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY), 1, -1);
  a = GetFileAttributesA("prog . .");
  CHECK("GetFileAttributesA \"prog . .\"", a != INVALID_FILE_ATTRIBUTES, 1, -1);
  SetLastError(0);
  a = GetFileAttributesA("prog.exe");
  CHECK("GetFileAttributesA prog.exe", a == INVALID_FILE_ATTRIBUTES, 1, ERROR_FILE_NOT_FOUND);
  h = CreateFileA("prog..", GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  CHECK("CreateFileA prog.. OPEN_EXISTING", h != INVALID_HANDLE_VALUE, 1, -1);
  CloseHandle(h);
  CHECK("CreateDirectoryA sub.", CreateDirectoryA("sub.", NULL), 1, -1);
  a = GetFileAttributesA("sub");
  CHECK("GetFileAttributesA sub", a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY), 1, -1);
  CHECK("MoveFileA prog. sub.\\prog", MoveFileA("prog.", "sub.\\prog"), 1, -1);
  CHECK("DeleteFileA \"sub\\prog \"", DeleteFileA("sub\\prog "), 1, -1);
  CHECK("RemoveDirectoryA sub..", RemoveDirectoryA("sub.."), 1, -1);
  SetLastError(0);
  a = GetFileAttributesA("sub");
  CHECK("GetFileAttributesA sub (removed)", a == INVALID_FILE_ATTRIBUTES, 1, ERROR_FILE_NOT_FOUND);
}

int main(void) {
  names();
  files();
  printf("failures: %d\n", failures);
  return failures;
}
