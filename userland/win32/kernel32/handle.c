/*
 * Handles and pipes: DuplicateHandle, Get/SetHandleInformation over the
 * object calls; CreatePipe as Windows builds it (a uniquely named pipe under
 * \Device\NamedPipe created by NtCreateNamedPipeFile, its client end opened
 * with NtOpenFile) and PeekNamedPipe (FSCTL_PIPE_PEEK).
 */
#include "k32.h"

#define FSCTL_PIPE_PEEK 0x0011400c
#define GENERIC_RW_PIPE_READ (GENERIC_READ | 0x100 /* FILE_WRITE_ATTRIBUTES */ | SYNCHRONIZE)

NTSTATUS_T NtCreateNamedPipeFile(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa,
                                 IO_STATUS_BLOCK *iosb, ULONG_T share, ULONG_T disposition,
                                 ULONG_T options, ULONG_T type, ULONG_T readMode,
                                 ULONG_T completion, ULONG_T maxInstances, ULONG_T inQuota,
                                 ULONG_T outQuota, STRATA_LARGE_INTEGER *timeout);
NTSTATUS_T NtFsControlFile(HANDLE_T h, HANDLE_T event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb,
                           ULONG_T code, void *in, ULONG_T inLen, void *out, ULONG_T outLen);

BOOL WINAPI DuplicateHandle(HANDLE srcProcess, HANDLE src, HANDLE dstProcess, LPHANDLE dst,
                            DWORD access, BOOL inherit, DWORD options) {
  NTSTATUS_T s = NtDuplicateObject(srcProcess, src, dstProcess, dst, access,
                                   inherit ? OBJ_INHERIT : 0, options);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

BOOL WINAPI GetHandleInformation(HANDLE h, LPDWORD flags) {
  unsigned char info[2];
  NTSTATUS_T s = NtQueryObject(h, ObjectHandleFlagInformation, info, sizeof info, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  *flags = (info[0] ? HANDLE_FLAG_INHERIT : 0) | (info[1] ? HANDLE_FLAG_PROTECT_FROM_CLOSE : 0);
  return TRUE;
}

BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags) {
  unsigned char info[2];
  NTSTATUS_T s = NtQueryObject(h, ObjectHandleFlagInformation, info, sizeof info, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (mask & HANDLE_FLAG_INHERIT) info[0] = (flags & HANDLE_FLAG_INHERIT) != 0;
  if (mask & HANDLE_FLAG_PROTECT_FROM_CLOSE) info[1] = (flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0;
  s = NtSetInformationObject(h, ObjectHandleFlagInformation, info, sizeof info);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

static void pipe_name(struct nt_path *p, unsigned serial) {
  static const char prefix[] = "\\Device\\NamedPipe\\Win32Pipes.";
  static const char hex[] = "0123456789abcdef";
  unsigned n = 0, pid = GetCurrentProcessId();
  for (; prefix[n]; n++) p->w[n] = prefix[n];
  for (int i = 28; i >= 0; i -= 4) p->w[n++] = hex[(pid >> i) & 15];
  p->w[n++] = '.';
  for (int i = 28; i >= 0; i -= 4) p->w[n++] = hex[(serial >> i) & 15];
  p->us.Length = p->us.MaximumLength = (unsigned short)(n * 2);
  p->us.Buffer = p->w;
  p->oa.Length = sizeof p->oa;
  p->oa.RootDirectory = 0;
  p->oa.ObjectName = &p->us;
  p->oa.SecurityDescriptor = p->oa.SecurityQualityOfService = 0;
}

BOOL WINAPI CreatePipe(PHANDLE readEnd, PHANDLE writeEnd, LPSECURITY_ATTRIBUTES sa, DWORD size) {
  static unsigned serial;
  struct nt_path p;
  IO_STATUS_BLOCK iosb;
  STRATA_LARGE_INTEGER timeout = {(ULONG_T)-1200000000, -1}; /* 120 s, relative */
  HANDLE r, w;
  pipe_name(&p, ++serial);
  p.oa.Attributes = OBJ_CASE_INSENSITIVE | (sa && sa->bInheritHandle ? OBJ_INHERIT : 0);
  if (!size) size = 4096;
  NTSTATUS_T s = NtCreateNamedPipeFile(&r, GENERIC_RW_PIPE_READ, &p.oa, &iosb,
                                       FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
                                       FILE_SYNCHRONOUS_IO_NONALERT, 0, 0, 0, 1, size, size, &timeout);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  s = NtOpenFile(&w, GENERIC_WRITE | FILE_READ_ATTRIBUTES | SYNCHRONIZE, &p.oa, &iosb, FILE_SHARE_READ,
                 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
  if (!NT_SUCCESS(s)) {
    NtClose(r);
    return k32_fail(s);
  }
  *readEnd = r;
  *writeEnd = w;
  return TRUE;
}

BOOL WINAPI PeekNamedPipe(HANDLE h, LPVOID buf, DWORD size, LPDWORD read, LPDWORD avail,
                          LPDWORD leftInMessage) {
  struct {
    ULONG_T state, available, messages, messageLength;
    char data[512];
  } peek;
  IO_STATUS_BLOCK iosb = {0, 0};
  DWORD want = size < sizeof peek.data ? size : sizeof peek.data;
  NTSTATUS_T s = NtFsControlFile(h, 0, 0, 0, &iosb, FSCTL_PIPE_PEEK, 0, 0, &peek, 16 + want);
  if (!NT_SUCCESS(s) && s != (NTSTATUS_T)STATUS_BUFFER_OVERFLOW) return k32_fail(s);
  DWORD got = iosb.Information > 16 ? iosb.Information - 16 : 0;
  if (buf && got) memcpy(buf, peek.data, got);
  if (read) *read = got;
  if (avail) *avail = peek.available;
  if (leftInMessage) *leftInMessage = peek.messageLength > got ? peek.messageLength - got : 0;
  return TRUE;
}
