/* kernel32's private declarations: the ntdll interface, error helpers, NT
 * information classes and the path conversion shared by the kernel32 files. */
#ifndef _K32_H
#define _K32_H
#include <windows.h>
#include <string.h>
#include <strata/ntdll.h>

#define CURRENT_PROCESS ((HANDLE)(LONG_PTR)-1)

/* Sets the thread's last error from a status; returns FALSE. */
BOOL k32_fail(NTSTATUS_T status);
/* Sets the last error to `code`; returns FALSE. */
BOOL k32_error(DWORD code);
STRATA_PROCESS_PARAMETERS *k32_params(void);
/* Compares at most n characters without case (ASCII). */
int k32_strnicmp(const char *a, const char *b, size_t n);

/* An NT path ("\??\C:\dir\name") for a Win32 path, in UTF-16 inside `buf`. */
struct nt_path {
  UNICODE_STRING us;
  OBJECT_ATTRIBUTES oa;
  unsigned short w[MAX_PATH + 8];
};
/* Fills `p` for `name`; FALSE (last error set) if the name is empty or too long. */
BOOL k32_nt_path(const char *name, struct nt_path *p, DWORD attributes);
/* GetFullPathNameA's core: the absolute Win32 form of `name` in out[size]; length or 0. */
DWORD k32_full_path(const char *name, char *out, DWORD size);

/* NT information classes and structures used by kernel32 (NT layouts). */
#define FileBasicInformation 4
#define FileStandardInformation 5
#define FileRenameInformation 10
#define FileDispositionInformation 13
#define FilePositionInformation 14
#define FileEndOfFileInformation 20
#define FileBothDirectoryInformation 3
#define FileFsDeviceInformation 4
#define ProcessBasicInformation 0
#define ObjectHandleFlagInformation 4

typedef struct {
  STRATA_LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
  ULONG_T FileAttributes;
  ULONG_T Padding; /* NT's size: 40 */
} FILE_BASIC_INFO_NT;
typedef struct {
  STRATA_LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
  STRATA_LARGE_INTEGER AllocationSize, EndOfFile;
  ULONG_T FileAttributes;
  ULONG_T Padding; /* NT's size: 56 */
} FILE_NETWORK_OPEN_INFO_NT;
typedef struct {
  STRATA_LARGE_INTEGER AllocationSize, EndOfFile;
  ULONG_T NumberOfLinks;
  unsigned char DeletePending, Directory;
} FILE_STANDARD_INFO_NT;

/* NtCreateFile options and dispositions. */
#define FILE_SUPERSEDE 0
#define FILE_OPEN 1
#define FILE_CREATE 2
#define FILE_OPEN_IF 3
#define FILE_OVERWRITE 4
#define FILE_OVERWRITE_IF 5
#define FILE_DIRECTORY_FILE 0x1
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define FILE_DELETE_ON_CLOSE 0x1000
#define FILE_OPEN_FOR_BACKUP_INTENT 0x4000
#define SYNCHRONIZE 0x00100000
#define DELETE 0x00010000
#define FILE_READ_ATTRIBUTES 0x80
#define FILE_LIST_DIRECTORY 0x1
#define OBJ_INHERIT 0x2
#define OBJ_CASE_INSENSITIVE 0x40

NTSTATUS_T NtCreateFile(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, IO_STATUS_BLOCK *iosb,
                        STRATA_LARGE_INTEGER *allocation, ULONG_T attributes, ULONG_T share,
                        ULONG_T disposition, ULONG_T options, void *ea, ULONG_T eaLength);
NTSTATUS_T NtOpenFile(HANDLE_T *h, ULONG_T access, OBJECT_ATTRIBUTES *oa, IO_STATUS_BLOCK *iosb,
                      ULONG_T share, ULONG_T options);
NTSTATUS_T NtQueryInformationFile(HANDLE_T h, IO_STATUS_BLOCK *iosb, void *buf, ULONG_T len,
                                  ULONG_T cls);
NTSTATUS_T NtSetInformationFile(HANDLE_T h, IO_STATUS_BLOCK *iosb, void *buf, ULONG_T len,
                                ULONG_T cls);
NTSTATUS_T NtQueryVolumeInformationFile(HANDLE_T h, IO_STATUS_BLOCK *iosb, void *buf,
                                        ULONG_T len, ULONG_T cls);
NTSTATUS_T NtQueryAttributesFile(OBJECT_ATTRIBUTES *oa, FILE_BASIC_INFO_NT *info);
NTSTATUS_T NtQueryFullAttributesFile(OBJECT_ATTRIBUTES *oa, FILE_NETWORK_OPEN_INFO_NT *info);
NTSTATUS_T NtDeleteFile(OBJECT_ATTRIBUTES *oa);
NTSTATUS_T NtFlushBuffersFile(HANDLE_T h, IO_STATUS_BLOCK *iosb);
NTSTATUS_T NtWaitForSingleObject(HANDLE_T h, int alertable, STRATA_LARGE_INTEGER *timeout);
NTSTATUS_T NtQueryInformationProcess(HANDLE_T h, ULONG_T cls, void *buf, ULONG_T len,
                                     ULONG_T *ret);
NTSTATUS_T NtDuplicateObject(HANDLE_T srcProcess, HANDLE_T src, HANDLE_T dstProcess,
                             HANDLE_T *dst, ULONG_T access, ULONG_T attributes, ULONG_T options);
NTSTATUS_T NtQueryObject(HANDLE_T h, ULONG_T cls, void *buf, ULONG_T len, ULONG_T *ret);
NTSTATUS_T NtSetInformationObject(HANDLE_T h, ULONG_T cls, void *buf, ULONG_T len);
#endif
