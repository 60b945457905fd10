/*
 * Files over the native file calls: CreateFileA/W (dispositions, share
 * modes, FILE_FLAG_DELETE_ON_CLOSE), ReadFile/WriteFile, file pointer and
 * size, type, flush, and the standard handles kept in the process parameters.
 */
#include "k32.h"

#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define FILE_OPENED 1
#define FILE_OVERWRITTEN 3

static const DWORD dispositions[] = {0, FILE_CREATE, FILE_OVERWRITE_IF, FILE_OPEN, FILE_OPEN_IF,
                                     FILE_OVERWRITE};

static HANDLE create_file(struct nt_path *p, DWORD access, DWORD share, DWORD disposition,
                          DWORD flags) {
  if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING) {
    k32_error(ERROR_INVALID_PARAMETER);
    return INVALID_HANDLE_VALUE;
  }
  DWORD options = FILE_SYNCHRONOUS_IO_NONALERT;
  options |= (flags & FILE_FLAG_BACKUP_SEMANTICS) ? FILE_OPEN_FOR_BACKUP_INTENT : FILE_NON_DIRECTORY_FILE;
  if (flags & FILE_FLAG_DELETE_ON_CLOSE) {
    options |= FILE_DELETE_ON_CLOSE;
    access |= DELETE;
  }
  DWORD attributes = flags & 0x7fff;
  if (!attributes) attributes = FILE_ATTRIBUTE_NORMAL;
  HANDLE_T h = 0;
  IO_STATUS_BLOCK iosb = {0, 0};
  NTSTATUS_T s = NtCreateFile(&h, access | SYNCHRONIZE | FILE_READ_ATTRIBUTES, &p->oa, &iosb, 0,
                              attributes, share, dispositions[disposition], options, 0, 0);
  if (!NT_SUCCESS(s)) {
    if (s == (NTSTATUS_T)STATUS_OBJECT_NAME_COLLISION) k32_error(ERROR_FILE_EXISTS);
    else k32_fail(s);
    return INVALID_HANDLE_VALUE;
  }
  int existed = iosb.Information == FILE_OPENED || iosb.Information == FILE_OVERWRITTEN;
  SetLastError((disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS) && existed
                   ? ERROR_ALREADY_EXISTS
                   : 0);
  return h;
}

HANDLE WINAPI CreateFileA(LPCSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE tmpl) {
  (void)tmpl;
  struct nt_path p;
  if (!k32_nt_path(name, &p, sa && sa->bInheritHandle ? OBJ_INHERIT : 0)) {
    return INVALID_HANDLE_VALUE;
  }
  return create_file(&p, access, share, disposition, flags);
}

/* UTF-16 names: characters past U+00FF have no ANSI form here (ERROR_NO_UNICODE_TRANSLATION). */
HANDLE WINAPI CreateFileW(LPCWSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE tmpl) {
  char a[MAX_PATH * 2];
  size_t i = 0;
  if (!name) {
    k32_error(ERROR_PATH_NOT_FOUND);
    return INVALID_HANDLE_VALUE;
  }
  for (; name[i]; i++) {
    if (i + 1 >= sizeof a) {
      k32_error(ERROR_FILENAME_EXCED_RANGE);
      return INVALID_HANDLE_VALUE;
    }
    if (name[i] > 0xff) {
      k32_error(ERROR_NO_UNICODE_TRANSLATION);
      return INVALID_HANDLE_VALUE;
    }
    a[i] = (char)name[i];
  }
  a[i] = 0;
  return CreateFileA(a, access, share, sa, disposition, flags, tmpl);
}

BOOL WINAPI CloseHandle(HANDLE h) {
  NTSTATUS_T s = NtClose(h);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI ReadFile(HANDLE h, LPVOID buf, DWORD n, LPDWORD done, LPVOID overlapped) {
  IO_STATUS_BLOCK iosb = {0, 0};
  if (overlapped) return k32_error(ERROR_INVALID_PARAMETER);
  if (done) *done = 0;
  NTSTATUS_T s = NtReadFile(h, 0, 0, 0, &iosb, buf, n, 0, 0);
  if (s == (NTSTATUS_T)STATUS_END_OF_FILE) return TRUE;
  /* A console read that Ctrl+C ended: success with nothing read, as Windows. */
  if (s == (NTSTATUS_T)STATUS_CANCELLED) {
    SetLastError(ERROR_OPERATION_ABORTED);
    return TRUE;
  }
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (done) *done = iosb.Information;
  return TRUE;
}

BOOL WINAPI WriteFile(HANDLE h, LPCVOID buf, DWORD n, LPDWORD done, LPVOID overlapped) {
  IO_STATUS_BLOCK iosb = {0, 0};
  if (overlapped) return k32_error(ERROR_INVALID_PARAMETER);
  if (done) *done = 0;
  NTSTATUS_T s = NtWriteFile(h, 0, 0, 0, &iosb, buf, n, 0, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (done) *done = iosb.Information;
  return TRUE;
}

static BOOL query_standard(HANDLE h, FILE_STANDARD_INFO_NT *info) {
  IO_STATUS_BLOCK iosb;
  NTSTATUS_T s = NtQueryInformationFile(h, &iosb, info, sizeof *info, FileStandardInformation);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

static LONGLONG li(STRATA_LARGE_INTEGER v) { return (LONGLONG)v.HighPart << 32 | v.LowPart; }

BOOL WINAPI GetFileSizeEx(HANDLE h, PLARGE_INTEGER size) {
  FILE_STANDARD_INFO_NT info;
  if (!query_standard(h, &info)) return FALSE;
  size->QuadPart = li(info.EndOfFile);
  return TRUE;
}

DWORD WINAPI GetFileSize(HANDLE h, LPDWORD high) {
  LARGE_INTEGER size;
  if (!GetFileSizeEx(h, &size)) return INVALID_FILE_SIZE;
  if (high) *high = (DWORD)(size.QuadPart >> 32);
  SetLastError(0);
  return (DWORD)size.QuadPart;
}

BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER dist, PLARGE_INTEGER newPos, DWORD method) {
  IO_STATUS_BLOCK iosb;
  STRATA_LARGE_INTEGER pos;
  LONGLONG base = 0;
  if (method == FILE_CURRENT) {
    NTSTATUS_T s = NtQueryInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
    if (!NT_SUCCESS(s)) return k32_fail(s);
    base = li(pos);
  } else if (method == FILE_END) {
    FILE_STANDARD_INFO_NT info;
    if (!query_standard(h, &info)) return FALSE;
    base = li(info.EndOfFile);
  } else if (method != FILE_BEGIN) {
    return k32_error(ERROR_INVALID_PARAMETER);
  }
  LONGLONG to = base + dist.QuadPart;
  if (to < 0) return k32_error(ERROR_NEGATIVE_SEEK);
  pos.LowPart = (ULONG_T)to;
  pos.HighPart = (int)(to >> 32);
  NTSTATUS_T s = NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (newPos) newPos->QuadPart = to;
  return TRUE;
}

DWORD WINAPI SetFilePointer(HANDLE h, LONG dist, PLONG high, DWORD method) {
  LARGE_INTEGER d, to;
  d.QuadPart = high ? ((LONGLONG)*high << 32) | (DWORD)dist : (LONGLONG)dist;
  if (!SetFilePointerEx(h, d, &to, method)) return INVALID_SET_FILE_POINTER;
  if (high) *high = (LONG)(to.QuadPart >> 32);
  else if (to.QuadPart >> 32) {
    k32_error(ERROR_INVALID_PARAMETER);
    return INVALID_SET_FILE_POINTER;
  }
  return (DWORD)to.QuadPart;
}

BOOL WINAPI SetEndOfFile(HANDLE h) {
  IO_STATUS_BLOCK iosb;
  STRATA_LARGE_INTEGER pos;
  NTSTATUS_T s = NtQueryInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
  if (NT_SUCCESS(s)) s = NtSetInformationFile(h, &iosb, &pos, sizeof pos, FileEndOfFileInformation);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI FlushFileBuffers(HANDLE h) {
  IO_STATUS_BLOCK iosb;
  NTSTATUS_T s = NtFlushBuffersFile(h, &iosb);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

#define FILE_DEVICE_DISK 0x7
#define FILE_DEVICE_NAMED_PIPE 0x11
#define FILE_DEVICE_NULL 0x15
#define FILE_DEVICE_CONSOLE 0x50

DWORD WINAPI GetFileType(HANDLE h) {
  IO_STATUS_BLOCK iosb;
  ULONG_T dev[2];
  NTSTATUS_T s = NtQueryVolumeInformationFile(h, &iosb, dev, sizeof dev, FileFsDeviceInformation);
  if (!NT_SUCCESS(s)) {
    k32_fail(s);
    return FILE_TYPE_UNKNOWN;
  }
  SetLastError(0);
  switch (dev[0]) {
  case FILE_DEVICE_DISK: return FILE_TYPE_DISK;
  case FILE_DEVICE_NAMED_PIPE: return FILE_TYPE_PIPE;
  case FILE_DEVICE_NULL:
  case FILE_DEVICE_CONSOLE: return FILE_TYPE_CHAR;
  default: return FILE_TYPE_UNKNOWN;
  }
}

static HANDLE *std_slot(DWORD which) {
  STRATA_PROCESS_PARAMETERS *pp = k32_params();
  if (which == STD_INPUT_HANDLE) return &pp->StandardInput;
  if (which == STD_OUTPUT_HANDLE) return &pp->StandardOutput;
  if (which == STD_ERROR_HANDLE) return &pp->StandardError;
  return 0;
}

HANDLE WINAPI GetStdHandle(DWORD which) {
  HANDLE *slot = std_slot(which);
  if (!slot) {
    k32_error(ERROR_INVALID_HANDLE);
    return INVALID_HANDLE_VALUE;
  }
  return *slot;
}

BOOL WINAPI SetStdHandle(DWORD which, HANDLE h) {
  HANDLE *slot = std_slot(which);
  if (!slot) return k32_error(ERROR_INVALID_HANDLE);
  *slot = h;
  return TRUE;
}
