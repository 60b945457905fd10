/*
 * GetDiskFreeSpaceExA: opens the folder as a directory and asks for
 * FileFsFullSizeInformation (NtQueryVolumeInformationFile), which the
 * executive answers from the file system's statfs. NULL means the root of
 * the current drive. Bytes = allocation units x sectors per unit x bytes per
 * sector; "available" is what the caller may use.
 */
#include "k32.h"

#define FileFsFullSizeInformation 7

typedef struct {
  STRATA_LARGE_INTEGER Total, CallerAvailable, ActualAvailable;
  ULONG_T SectorsPerUnit, BytesPerSector;
} FILE_FS_FULL_SIZE_INFO_NT;

static ULONGLONG units(STRATA_LARGE_INTEGER v) {
  return ((ULONGLONG)(unsigned)v.HighPart << 32) | v.LowPart;
}

BOOL WINAPI GetDiskFreeSpaceExA(LPCSTR dir, PULARGE_INTEGER available, PULARGE_INTEGER total,
                                PULARGE_INTEGER free) {
  struct nt_path p;
  char root[4];
  if (!dir) {
    const char *cwd = k32_params()->CurrentDirectory;
    root[0] = cwd[0];
    root[1] = ':';
    root[2] = '\\';
    root[3] = 0;
    dir = root;
  }
  if (!k32_nt_path(dir, &p, 0)) return FALSE;
  HANDLE_T h;
  IO_STATUS_BLOCK iosb;
  NTSTATUS_T s = NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &p.oa, &iosb,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                            FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  FILE_FS_FULL_SIZE_INFO_NT info;
  s = NtQueryVolumeInformationFile(h, &iosb, &info, sizeof info, FileFsFullSizeInformation);
  NtClose(h);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  ULONGLONG unit = (ULONGLONG)info.SectorsPerUnit * info.BytesPerSector;
  if (available) available->QuadPart = units(info.CallerAvailable) * unit;
  if (total) total->QuadPart = units(info.Total) * unit;
  if (free) free->QuadPart = units(info.ActualAvailable) * unit;
  return TRUE;
}
