/* Files and directories through kernel32, with the error codes of the
 * failure cases. Runs in an empty current directory; prints one line per
 * call and exits with the number of failed expectations. */
#include "w32check.h"

static HANDLE open_rw(const char *name, DWORD share, DWORD disposition) {
  return CreateFileA(name, GENERIC_READ | GENERIC_WRITE, share, NULL, disposition,
                     FILE_ATTRIBUTE_NORMAL, NULL);
}

static void dispositions(void) {
  HANDLE h;
  SetLastError(0);
  h = open_rw("a.txt", 0, OPEN_EXISTING);
  CHECK("OPEN_EXISTING missing", h == INVALID_HANDLE_VALUE, 1, ERROR_FILE_NOT_FOUND);
  h = open_rw("nodir\\a.txt", 0, CREATE_NEW);
  CHECK("CREATE_NEW in missing folder", h == INVALID_HANDLE_VALUE, 1, ERROR_PATH_NOT_FOUND);
  h = open_rw("a.txt", 0, TRUNCATE_EXISTING);
  CHECK("TRUNCATE_EXISTING missing", h == INVALID_HANDLE_VALUE, 1, ERROR_FILE_NOT_FOUND);
  h = open_rw("a.txt", 0, CREATE_NEW);
  CHECK("CREATE_NEW", h != INVALID_HANDLE_VALUE, 1, -1);
  CloseHandle(h);
  h = open_rw("a.txt", 0, CREATE_NEW);
  CHECK("CREATE_NEW existing", h == INVALID_HANDLE_VALUE, 1, ERROR_FILE_EXISTS);
  h = open_rw("a.txt", 0, CREATE_ALWAYS);
  CHECK("CREATE_ALWAYS existing", h != INVALID_HANDLE_VALUE, 1, ERROR_ALREADY_EXISTS);
  CloseHandle(h);
  h = open_rw("b.txt", 0, OPEN_ALWAYS);
  CHECK("OPEN_ALWAYS new", h != INVALID_HANDLE_VALUE, 1, 0);
  CloseHandle(h);
  h = open_rw("b.txt", 0, OPEN_ALWAYS);
  CHECK("OPEN_ALWAYS existing", h != INVALID_HANDLE_VALUE, 1, ERROR_ALREADY_EXISTS);
  CloseHandle(h);
  h = open_rw("b.txt", 0, 0);
  CHECK("disposition 0", h == INVALID_HANDLE_VALUE, 1, ERROR_INVALID_PARAMETER);
  CHECK("CloseHandle invalid", CloseHandle((HANDLE)(ULONG_PTR)0x1230), 0, ERROR_INVALID_HANDLE);
}

static void read_write_seek(void) {
  DWORD n = 0, high = 0;
  char buf[64];
  LARGE_INTEGER li, pos;
  HANDLE h = open_rw("data.bin", 0, CREATE_ALWAYS);
  CHECK("WriteFile", WriteFile(h, "hello, world", 12, &n, NULL), 1, -1);
  CHECK("written", n, 12, -1);
  CHECK("GetFileSize", GetFileSize(h, &high), 12, -1);
  CHECK("GetFileSize high", high, 0, -1);
  CHECK("SetFilePointer begin 7", SetFilePointer(h, 7, NULL, FILE_BEGIN), 7, -1);
  CHECK("ReadFile", ReadFile(h, buf, sizeof buf, &n, NULL), 1, -1);
  buf[n] = 0;
  printf("read %lu: %s\n", (unsigned long)n, buf);
  CHECK("ReadFile at end", ReadFile(h, buf, sizeof buf, &n, NULL), 1, -1);
  CHECK("read at end", n, 0, -1);
  CHECK("SetFilePointer end -5", SetFilePointer(h, -5, NULL, FILE_END), 7, -1);
  CHECK("SetFilePointer current -2", SetFilePointer(h, -2, NULL, FILE_CURRENT), 5, -1);
  SetLastError(0);
  CHECK("SetFilePointer negative", SetFilePointer(h, -100, NULL, FILE_CURRENT), (long)INVALID_SET_FILE_POINTER, ERROR_NEGATIVE_SEEK);
  CHECK("SetEndOfFile at 5", SetEndOfFile(h), 1, -1);
  li.QuadPart = 0;
  CHECK("GetFileSizeEx", GetFileSizeEx(h, &li), 1, -1);
  CHECK("size after SetEndOfFile", (long)li.QuadPart, 5, -1);
  li.QuadPart = 100;
  CHECK("SetFilePointerEx 100", SetFilePointerEx(h, li, &pos, FILE_BEGIN), 1, -1);
  CHECK("SetFilePointerEx pos", (long)pos.QuadPart, 100, -1);
  CHECK("WriteFile past end", WriteFile(h, "!", 1, &n, NULL), 1, -1);
  CHECK("size with the gap", GetFileSize(h, NULL), 101, -1);
  CHECK("FlushFileBuffers", FlushFileBuffers(h), 1, -1);
  CHECK("GetFileType disk", GetFileType(h), FILE_TYPE_DISK, -1);
  CloseHandle(h);
  h = CreateFileA("data.bin", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  CHECK("WriteFile on read-only handle", WriteFile(h, "x", 1, &n, NULL), 0, ERROR_ACCESS_DENIED);
  CloseHandle(h);
}

static void sharing(void) {
  HANDLE a = CreateFileA("share.txt", GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
  HANDLE b = CreateFileA("share.txt", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
  CHECK("second writer, first shares read only", b == INVALID_HANDLE_VALUE, 1, ERROR_SHARING_VIOLATION);
  b = CreateFileA("share.txt", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  CHECK("reader sharing read+write", b != INVALID_HANDLE_VALUE, 1, -1);
  CloseHandle(b);
  b = CreateFileA("share.txt", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  CHECK("reader not sharing write", b == INVALID_HANDLE_VALUE, 1, ERROR_SHARING_VIOLATION);
  CHECK("DeleteFileA while open without share-delete", DeleteFileA("share.txt"), 0, ERROR_SHARING_VIOLATION);
  CloseHandle(a);
  CHECK("DeleteFileA after close", DeleteFileA("share.txt"), 1, -1);
  CHECK("DeleteFileA again", DeleteFileA("share.txt"), 0, ERROR_FILE_NOT_FOUND);
  HANDLE t = CreateFileA("temp.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE, NULL);
  CHECK("delete-on-close create", t != INVALID_HANDLE_VALUE, 1, -1);
  CHECK("exists while open", GetFileAttributesA("temp.txt") != INVALID_FILE_ATTRIBUTES, 1, -1);
  CloseHandle(t);
  CHECK("gone after close", GetFileAttributesA("temp.txt"), (long)INVALID_FILE_ATTRIBUTES, ERROR_FILE_NOT_FOUND);
}

static void directories(void) {
  CHECK("CreateDirectoryA", CreateDirectoryA("dir", NULL), 1, -1);
  CHECK("CreateDirectoryA existing", CreateDirectoryA("dir", NULL), 0, ERROR_ALREADY_EXISTS);
  CHECK("CreateDirectoryA no parent", CreateDirectoryA("none\\sub", NULL), 0, ERROR_PATH_NOT_FOUND);
  CHECK("attributes of a folder", GetFileAttributesA("dir") & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY, -1);
  HANDLE h = CreateFileA("dir/inner.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
  CHECK("create with a forward slash", h != INVALID_HANDLE_VALUE, 1, -1);
  CloseHandle(h);
  CHECK("RemoveDirectoryA not empty", RemoveDirectoryA("dir"), 0, ERROR_DIR_NOT_EMPTY);
  CHECK("RemoveDirectoryA on a file", RemoveDirectoryA("a.txt"), 0, ERROR_DIRECTORY);
  CHECK("DeleteFileA on a folder", DeleteFileA("dir"), 0, ERROR_ACCESS_DENIED);
  CHECK("case-insensitive open", GetFileAttributesA("DIR\\INNER.TXT") != INVALID_FILE_ATTRIBUTES, 1, -1);
  CHECK("DeleteFileA inner", DeleteFileA("dir\\inner.txt"), 1, -1);
  CHECK("RemoveDirectoryA", RemoveDirectoryA("dir"), 1, -1);
  CHECK("RemoveDirectoryA missing", RemoveDirectoryA("dir"), 0, ERROR_FILE_NOT_FOUND);
}

static void attributes_and_names(void) {
  WIN32_FILE_ATTRIBUTE_DATA d;
  CHECK("GetFileAttributesExA", GetFileAttributesExA("data.bin", GetFileExInfoStandard, &d), 1, -1);
  CHECK("size from GetFileAttributesExA", d.nFileSizeLow, 101, -1);
  CHECK("GetFileAttributesExA missing", GetFileAttributesExA("nope", GetFileExInfoStandard, &d), 0, ERROR_FILE_NOT_FOUND);
  CHECK("SetFileAttributesA readonly", SetFileAttributesA("b.txt", FILE_ATTRIBUTE_READONLY), 1, -1);
  CHECK("readonly bit", GetFileAttributesA("b.txt") & FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_READONLY, -1);
  CHECK("DeleteFileA readonly", DeleteFileA("b.txt"), 0, ERROR_ACCESS_DENIED);
  CHECK("SetFileAttributesA normal", SetFileAttributesA("b.txt", FILE_ATTRIBUTE_NORMAL), 1, -1);
  CHECK("MoveFileA", MoveFileA("b.txt", "c.txt"), 1, -1);
  CHECK("old name gone", GetFileAttributesA("b.txt"), (long)INVALID_FILE_ATTRIBUTES, ERROR_FILE_NOT_FOUND);
  CHECK("MoveFileA onto existing", MoveFileA("c.txt", "a.txt"), 0, ERROR_ALREADY_EXISTS);
  CHECK("MoveFileExA replace", MoveFileExA("c.txt", "a.txt", MOVEFILE_REPLACE_EXISTING), 1, -1);
  CHECK("MoveFileA missing", MoveFileA("c.txt", "d.txt"), 0, ERROR_FILE_NOT_FOUND);
  CHECK("CopyFileA", CopyFileA("data.bin", "copy.bin", TRUE), 1, -1);
  CHECK("CopyFileA fail if exists", CopyFileA("data.bin", "copy.bin", TRUE), 0, ERROR_FILE_EXISTS);
  CHECK("CopyFileA overwrite", CopyFileA("data.bin", "copy.bin", FALSE), 1, -1);
  CHECK("CopyFileA missing source", CopyFileA("none.bin", "x.bin", FALSE), 0, ERROR_FILE_NOT_FOUND);
  HANDLE h = CreateFileA("copy.bin", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  CHECK("copy size", GetFileSize(h, NULL), 101, -1);
  CloseHandle(h);
  static const WCHAR wide[] = {'w', 'i', 'd', 'e', '.', 't', 'x', 't', 0};
  h = CreateFileW(wide, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
  CHECK("CreateFileW", h != INVALID_HANDLE_VALUE, 1, -1);
  CloseHandle(h);
  CHECK("wide.txt exists", GetFileAttributesA("wide.txt") != INVALID_FILE_ATTRIBUTES, 1, -1);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void find_files(void) {
  WIN32_FIND_DATAA fd;
  char *names[32];
  int n = 0;
  HANDLE f = FindFirstFileA("*.bin", &fd);
  CHECK("FindFirstFileA *.bin", f != INVALID_HANDLE_VALUE, 1, -1);
  if (f == INVALID_HANDLE_VALUE) return;
  do {
    if (n < 32) names[n++] = _strdup(fd.cFileName);
  } while (FindNextFileA(f, &fd));
  CHECK("FindNextFileA at the end", 0, 0, ERROR_NO_MORE_FILES);
  CHECK("FindClose", FindClose(f), 1, -1);
  qsort(names, n, sizeof names[0], by_name);
  for (int i = 0; i < n; i++) printf("found %s\n", names[i]);
  f = FindFirstFileA("*.none", &fd);
  CHECK("FindFirstFileA no match", f == INVALID_HANDLE_VALUE, 1, ERROR_FILE_NOT_FOUND);
  f = FindFirstFileA("missing\\*", &fd);
  CHECK("FindFirstFileA missing folder", f == INVALID_HANDLE_VALUE, 1, ERROR_PATH_NOT_FOUND);
  f = FindFirstFileA("a.tx?", &fd);
  CHECK("FindFirstFileA with ?", f != INVALID_HANDLE_VALUE, 1, -1);
  if (f != INVALID_HANDLE_VALUE) {
    printf("matched %s\n", fd.cFileName);
    FindClose(f);
  }
}

static void current_directory(void) {
  char start[MAX_PATH], now[MAX_PATH], full[MAX_PATH], *part = NULL;
  DWORD n = GetCurrentDirectoryA(sizeof start, start);
  CHECK("GetCurrentDirectoryA", n == strlen(start), 1, -1);
  CHECK("GetCurrentDirectoryA small buffer", GetCurrentDirectoryA(2, now) == n + 1, 1, -1);
  CreateDirectoryA("sub", NULL);
  CHECK("SetCurrentDirectoryA sub", SetCurrentDirectoryA("sub"), 1, -1);
  GetCurrentDirectoryA(sizeof now, now);
  CHECK("now in start\\sub", strncmp(now, start, n) == 0 && strcmp(now + n, "\\sub") == 0, 1, -1);
  CHECK("SetCurrentDirectoryA missing", SetCurrentDirectoryA("nowhere"), 0, ERROR_FILE_NOT_FOUND);
  CHECK("SetCurrentDirectoryA ..", SetCurrentDirectoryA(".."), 1, -1);
  DWORD m = GetFullPathNameA("x\\.\\y\\..\\z.txt", sizeof full, full, &part);
  CHECK("GetFullPathNameA", m == strlen(full), 1, -1);
  printf("full path tail: %s, file part %s\n", full + n, part ? part : "(null)");
  m = GetFullPathNameA("C:\\a\\b\\..\\c", sizeof full, full, &part);
  printf("absolute: %s (%lu)\n", full, (unsigned long)m);
  m = GetFullPathNameA("C:\\a\\", sizeof full, full, &part);
  printf("trailing: %s (%lu) part %s\n", full, (unsigned long)m, part ? part : "(null)");
  CHECK("GetFullPathNameA small", GetFullPathNameA("abc", 3, full, NULL) == n + 5, 1, -1);
  RemoveDirectoryA("sub");
  char tmp[MAX_PATH];
  DWORD t = GetTempPathA(sizeof tmp, tmp);
  CHECK("GetTempPathA ends with a backslash", t > 0 && tmp[t - 1] == '\\', 1, -1);
}

int main(void) {
  dispositions();
  read_write_seek();
  sharing();
  directories();
  attributes_and_names();
  find_files();
  current_directory();
  printf("failures: %d\n", failures);
  return failures;
}
