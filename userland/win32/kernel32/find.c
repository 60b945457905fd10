/*
 * FindFirstFileA / FindNextFileA / FindClose. The folder part of the pattern
 * is opened as a directory and read with NtQueryDirectoryFile
 * (FileBothDirectoryInformation, 64 KiB at a time); the last component is
 * matched here, without case, with "*" (any run) and "?" (any one
 * character). A find handle is a heap block, not a kernel handle.
 */
#include "k32.h"

NTSTATUS_T NtQueryDirectoryFile(HANDLE_T h, HANDLE_T event, void *apc, void *ctx,
                                IO_STATUS_BLOCK *iosb, void *buf, ULONG_T len, ULONG_T cls,
                                int single, UNICODE_STRING *name, int restart);

#define FIND_MAGIC 0x46494e44u
#define FIND_BUF 65536

struct find {
  unsigned magic;
  HANDLE dir;
  unsigned pos, len; /* window of unread entries in buf */
  int started;       /* the first query restarts the scan, as Windows' FindFirstFile does */
  char pattern[MAX_PATH];
  unsigned char buf[FIND_BUF];
};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int match(const char *p, const char *s) {
  if (!*p) return !*s;
  if (*p == '*') {
    while (p[1] == '*') p++;
    for (;; s++) {
      if (match(p + 1, s)) return 1;
      if (!*s) return 0;
    }
  }
  if (!*s) return 0;
  if (*p != '?' && lower((unsigned char)*p) != lower((unsigned char)*s)) return 0;
  return match(p + 1, s + 1);
}

static ULONG_T u32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (ULONG_T)p[3] << 24; }

/* FILE_BOTH_DIR_INFORMATION entry -> WIN32_FIND_DATAA; 0 if the name does not fit in ANSI. */
static int fill(const unsigned char *e, WIN32_FIND_DATAA *fd) {
  ULONG_T nameLen = u32(e + 60) / 2;
  if (nameLen >= MAX_PATH) return 0;
  memset(fd, 0, sizeof *fd);
  for (ULONG_T i = 0; i < nameLen; i++) {
    unsigned c = e[94 + 2 * i] | e[95 + 2 * i] << 8;
    if (c > 0xff) return 0;
    fd->cFileName[i] = (char)c;
  }
  fd->dwFileAttributes = u32(e + 56);
  fd->ftCreationTime.dwLowDateTime = u32(e + 8);
  fd->ftCreationTime.dwHighDateTime = u32(e + 12);
  fd->ftLastAccessTime.dwLowDateTime = u32(e + 16);
  fd->ftLastAccessTime.dwHighDateTime = u32(e + 20);
  fd->ftLastWriteTime.dwLowDateTime = u32(e + 24);
  fd->ftLastWriteTime.dwHighDateTime = u32(e + 28);
  fd->nFileSizeLow = u32(e + 40);
  fd->nFileSizeHigh = u32(e + 44);
  return 1;
}

/* The next entry matching the pattern; FALSE with ERROR_NO_MORE_FILES at the end. */
static BOOL next(struct find *f, WIN32_FIND_DATAA *fd) {
  for (;;) {
    if (f->pos >= f->len) {
      IO_STATUS_BLOCK iosb = {0, 0};
      NTSTATUS_T s = NtQueryDirectoryFile(f->dir, 0, 0, 0, &iosb, f->buf, FIND_BUF,
                                          FileBothDirectoryInformation, 0, 0, !f->started);
      f->started = 1;
      if (s == (NTSTATUS_T)STATUS_NO_MORE_FILES) return k32_error(ERROR_NO_MORE_FILES);
      if (!NT_SUCCESS(s)) return k32_fail(s);
      f->pos = 0;
      f->len = iosb.Information;
      if (!f->len) return k32_error(ERROR_NO_MORE_FILES);
    }
    const unsigned char *e = f->buf + f->pos;
    ULONG_T step = u32(e);
    f->pos = step ? f->pos + step : f->len;
    if (fill(e, fd) && match(f->pattern, fd->cFileName)) return TRUE;
  }
}

HANDLE WINAPI FindFirstFileA(LPCSTR pattern, LPWIN32_FIND_DATAA fd) {
  char dir[MAX_PATH];
  const char *slash = 0;
  for (const char *p = pattern; *p; p++)
    if (*p == '\\' || *p == '/' || (*p == ':' && p == pattern + 1)) slash = p;
  size_t dn = slash ? (size_t)(slash - pattern + 1) : 0;
  const char *last = pattern + dn;
  if (!*last || strlen(last) >= MAX_PATH || dn + 2 >= sizeof dir) {
    k32_error(*last ? ERROR_FILENAME_EXCED_RANGE : ERROR_FILE_NOT_FOUND);
    return INVALID_HANDLE_VALUE;
  }
  memcpy(dir, pattern, dn);
  dir[dn] = '.';
  dir[dn + 1] = 0;
  struct nt_path p;
  IO_STATUS_BLOCK iosb;
  HANDLE h;
  if (!k32_nt_path(dir, &p, 0)) return INVALID_HANDLE_VALUE;
  NTSTATUS_T s = NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &p.oa, &iosb,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                            FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
  if (!NT_SUCCESS(s)) {
    k32_error(s == (NTSTATUS_T)STATUS_OBJECT_NAME_NOT_FOUND ? ERROR_PATH_NOT_FOUND : RtlNtStatusToDosError(s));
    return INVALID_HANDLE_VALUE;
  }
  struct find *f = RtlAllocateHeap(0, 0, sizeof *f);
  if (!f) {
    NtClose(h);
    k32_error(ERROR_NOT_ENOUGH_MEMORY);
    return INVALID_HANDLE_VALUE;
  }
  f->magic = FIND_MAGIC;
  f->dir = h;
  f->pos = f->len = 0;
  f->started = 0;
  strcpy(f->pattern, last);
  if (!next(f, fd)) {
    FindClose(f);
    k32_error(ERROR_FILE_NOT_FOUND);
    return INVALID_HANDLE_VALUE;
  }
  return f;
}

BOOL WINAPI FindNextFileA(HANDLE h, LPWIN32_FIND_DATAA fd) {
  struct find *f = h;
  if (!f || h == INVALID_HANDLE_VALUE || f->magic != FIND_MAGIC) return k32_error(ERROR_INVALID_HANDLE);
  return next(f, fd);
}

BOOL WINAPI FindClose(HANDLE h) {
  struct find *f = h;
  if (!f || h == INVALID_HANDLE_VALUE || f->magic != FIND_MAGIC) return k32_error(ERROR_INVALID_HANDLE);
  f->magic = 0;
  NtClose(f->dir);
  RtlFreeHeap(0, 0, f);
  return TRUE;
}
