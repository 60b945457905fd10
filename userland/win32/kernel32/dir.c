/*
 * Names in the file system: delete, create and remove directories,
 * attributes, move, copy, and FindFirstFileA/FindNextFileA (the directory is
 * read with NtQueryDirectoryFile; the wildcard match of "*" and "?" is done
 * here, so the listing comes back in the order the directory gives it).
 */
#include "k32.h"

static NTSTATUS_T open_path(LPCSTR name, DWORD access, DWORD options, HANDLE *h) {
  struct nt_path p;
  IO_STATUS_BLOCK iosb;
  if (!k32_nt_path(name, &p, 0)) return -1;
  return NtOpenFile(h, access | SYNCHRONIZE, &p.oa, &iosb,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    options | FILE_SYNCHRONOUS_IO_NONALERT);
}

static BOOL delete_with(LPCSTR name, DWORD options) {
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  NTSTATUS_T s = open_path(name, DELETE, options, &h);
  if (s == -1) return FALSE;
  if (!NT_SUCCESS(s)) return k32_fail(s);
  unsigned char yes = 1;
  s = NtSetInformationFile(h, &iosb, &yes, 1, FileDispositionInformation);
  NtClose(h);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI DeleteFileA(LPCSTR name) { return delete_with(name, FILE_NON_DIRECTORY_FILE); }

BOOL WINAPI RemoveDirectoryA(LPCSTR name) { return delete_with(name, FILE_DIRECTORY_FILE); }

BOOL WINAPI CreateDirectoryA(LPCSTR name, LPSECURITY_ATTRIBUTES sa) {
  (void)sa;
  struct nt_path p;
  IO_STATUS_BLOCK iosb;
  HANDLE h;
  if (!k32_nt_path(name, &p, 0)) return FALSE;
  NTSTATUS_T s = NtCreateFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &p.oa, &iosb, 0,
                              FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ | FILE_SHARE_WRITE,
                              FILE_CREATE, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  NtClose(h);
  return TRUE;
}

DWORD WINAPI GetFileAttributesA(LPCSTR name) {
  struct nt_path p;
  FILE_BASIC_INFO_NT info;
  if (!k32_nt_path(name, &p, 0)) return INVALID_FILE_ATTRIBUTES;
  NTSTATUS_T s = NtQueryAttributesFile(&p.oa, &info);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return INVALID_FILE_ATTRIBUTES;
  }
  return info.FileAttributes;
}

static FILETIME ft(STRATA_LARGE_INTEGER v) {
  FILETIME f = {v.LowPart, (DWORD)v.HighPart};
  return f;
}

BOOL WINAPI GetFileAttributesExA(LPCSTR name, GET_FILEEX_INFO_LEVELS level, LPVOID out) {
  struct nt_path p;
  FILE_NETWORK_OPEN_INFO_NT info;
  if (level != GetFileExInfoStandard) return k32_error(ERROR_INVALID_PARAMETER);
  if (!k32_nt_path(name, &p, 0)) return FALSE;
  NTSTATUS_T s = NtQueryFullAttributesFile(&p.oa, &info);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  WIN32_FILE_ATTRIBUTE_DATA *d = out;
  d->dwFileAttributes = info.FileAttributes;
  d->ftCreationTime = ft(info.CreationTime);
  d->ftLastAccessTime = ft(info.LastAccessTime);
  d->ftLastWriteTime = ft(info.LastWriteTime);
  d->nFileSizeHigh = (DWORD)info.EndOfFile.HighPart;
  d->nFileSizeLow = info.EndOfFile.LowPart;
  return TRUE;
}

#define FILE_WRITE_ATTRIBUTES 0x100

BOOL WINAPI SetFileAttributesA(LPCSTR name, DWORD attributes) {
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  NTSTATUS_T s = open_path(name, FILE_WRITE_ATTRIBUTES, FILE_OPEN_FOR_BACKUP_INTENT, &h);
  if (s == -1) return FALSE;
  if (!NT_SUCCESS(s)) return k32_fail(s);
  FILE_BASIC_INFO_NT info;
  memset(&info, 0, sizeof info);
  info.FileAttributes = attributes ? attributes : FILE_ATTRIBUTE_NORMAL;
  s = NtSetInformationFile(h, &iosb, &info, sizeof info, FileBasicInformation);
  NtClose(h);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI MoveFileExA(LPCSTR from, LPCSTR to, DWORD flags) {
  struct nt_path target;
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  if (!k32_nt_path(to, &target, 0)) return FALSE;
  NTSTATUS_T s = open_path(from, DELETE, FILE_OPEN_FOR_BACKUP_INTENT, &h);
  if (s == -1) return FALSE;
  if (!NT_SUCCESS(s)) return k32_fail(s);
  /* FILE_RENAME_INFORMATION: ReplaceIfExists, RootDirectory, FileNameLength, FileName[]. */
  struct {
    unsigned char replace, pad[3];
    HANDLE root;
    ULONG_T length;
    unsigned short name[MAX_PATH + 8];
  } info;
  info.replace = (flags & MOVEFILE_REPLACE_EXISTING) != 0;
  info.root = 0;
  info.length = target.us.Length;
  memcpy(info.name, target.w, target.us.Length);
  s = NtSetInformationFile(h, &iosb, &info, 12 + target.us.Length, FileRenameInformation);
  NtClose(h);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI MoveFileA(LPCSTR from, LPCSTR to) { return MoveFileExA(from, to, 0); }

BOOL WINAPI CopyFileA(LPCSTR from, LPCSTR to, BOOL failIfExists) {
  HANDLE in = CreateFileA(from, GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, 0, 0);
  if (in == INVALID_HANDLE_VALUE) return FALSE;
  DWORD attributes = GetFileAttributesA(from);
  HANDLE out = CreateFileA(to, GENERIC_WRITE, 0, 0, failIfExists ? CREATE_NEW : CREATE_ALWAYS,
                           attributes & ~FILE_ATTRIBUTE_DIRECTORY, 0);
  if (out == INVALID_HANDLE_VALUE) {
    DWORD e = GetLastError();
    CloseHandle(in);
    return k32_error(e);
  }
  char buf[4096];
  DWORD n, w;
  BOOL ok = TRUE;
  while ((ok = ReadFile(in, buf, sizeof buf, &n, 0)) && n) {
    if (!(ok = WriteFile(out, buf, n, &w, 0))) break;
  }
  DWORD e = GetLastError();
  CloseHandle(in);
  CloseHandle(out);
  if (!ok) return k32_error(e);
  SetLastError(0);
  return TRUE;
}
