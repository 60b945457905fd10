/* GetDiskFreeSpaceExA: the current folder, NULL (the current drive's
 * root), a sub-folder; the figures are consistent (available and free at
 * most the total, the same volume gives the same total); a missing folder
 * fails. Prints its results (not the sizes, which differ between runs);
 * exits with the number of failed expectations. */
#include "w32check.h"

int main(void) {
  ULARGE_INTEGER avail, total, free, avail2, total2, free2;
  CHECK("GetDiskFreeSpaceExA(.)", GetDiskFreeSpaceExA(".", &avail, &total, &free), 1, -1);
  EXPECT("a total", total.QuadPart > 0);
  EXPECT("available <= total", avail.QuadPart <= total.QuadPart);
  EXPECT("free <= total", free.QuadPart <= total.QuadPart);
  CHECK("GetDiskFreeSpaceExA(NULL)", GetDiskFreeSpaceExA(NULL, &avail2, &total2, &free2), 1, -1);
  EXPECT("NULL: a total", total2.QuadPart > 0);
  CHECK("CreateDirectoryA", CreateDirectoryA("volume_test_dir", NULL), 1, -1);
  CHECK("GetDiskFreeSpaceExA(sub-folder)",
        GetDiskFreeSpaceExA("volume_test_dir", &avail2, &total2, NULL), 1, -1);
  EXPECT("same volume, same total", total2.QuadPart == total.QuadPart);
  CHECK("only the total", GetDiskFreeSpaceExA(".", NULL, &total2, NULL), 1, -1);
  CHECK("RemoveDirectoryA", RemoveDirectoryA("volume_test_dir"), 1, -1);
  SetLastError(0);
  CHECK("GetDiskFreeSpaceExA(missing)",
        GetDiskFreeSpaceExA("no_such_folder\\deeper", &avail, &total, &free), 0, ERROR_PATH_NOT_FOUND);
  printf("failures: %d\n", failures);
  return failures;
}
