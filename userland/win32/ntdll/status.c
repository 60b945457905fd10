/*
 * RtlNtStatusToDosError (NTSTATUS -> Win32 error code, the mapping Windows
 * documents for the statuses the executive returns) and the per-thread last
 * error kept in the TEB.
 */
#include <strata/ntdll.h>

static const unsigned map[][2] = {
    {STATUS_SUCCESS, 0},
    {STATUS_TIMEOUT, 258},
    {STATUS_PENDING, 997},
    {STATUS_BUFFER_OVERFLOW, 234},
    {STATUS_NO_MORE_FILES, 18},
    {STATUS_UNSUCCESSFUL, 31},
    {STATUS_NOT_IMPLEMENTED, 1},
    {STATUS_INVALID_INFO_CLASS, 87},
    {STATUS_INFO_LENGTH_MISMATCH, 24},
    {STATUS_INVALID_HANDLE, 6},
    {STATUS_INVALID_PARAMETER, 87},
    /* virtual memory */
    {0xC0000005u, 998}, /* STATUS_ACCESS_VIOLATION: ERROR_NOACCESS */
    {0xC0000018u, 487}, /* STATUS_CONFLICTING_ADDRESSES: ERROR_INVALID_ADDRESS */
    {0xC000001Au, 87},  /* STATUS_UNABLE_TO_FREE_VM */
    {0xC000002Du, 487}, /* STATUS_NOT_COMMITTED */
    {0xC0000045u, 87},  /* STATUS_INVALID_PAGE_PROTECTION */
    {0xC000009Fu, 487}, /* STATUS_FREE_VM_NOT_AT_BASE */
    {0xC00000A0u, 487}, /* STATUS_MEMORY_NOT_ALLOCATED */
    {STATUS_NO_SUCH_FILE, 2},
    {STATUS_INVALID_DEVICE_REQUEST, 1},
    {STATUS_END_OF_FILE, 38},
    {STATUS_NO_MEMORY, 8},
    {STATUS_ACCESS_DENIED, 5},
    {STATUS_BUFFER_TOO_SMALL, 122},
    {STATUS_OBJECT_TYPE_MISMATCH, 6},
    {STATUS_OBJECT_NAME_INVALID, 123},
    {STATUS_OBJECT_NAME_NOT_FOUND, 2},
    {STATUS_OBJECT_NAME_COLLISION, 183},
    {STATUS_OBJECT_PATH_INVALID, 161},
    {STATUS_OBJECT_PATH_NOT_FOUND, 3},
    {STATUS_OBJECT_PATH_SYNTAX_BAD, 161},
    {STATUS_SHARING_VIOLATION, 32},
    {STATUS_DELETE_PENDING, 5},
    {STATUS_DISK_FULL, 112},
    {STATUS_INVALID_IMAGE_FORMAT, 193},
    {STATUS_INSUFFICIENT_RESOURCES, 1450},
    {STATUS_FILE_IS_A_DIRECTORY, 5},
    {STATUS_NOT_SUPPORTED, 50},
    {STATUS_PIPE_BROKEN, 109},
    {STATUS_PIPE_CLOSING, 232},
    {STATUS_PIPE_EMPTY, 232},
    {STATUS_DIRECTORY_NOT_EMPTY, 145},
    {STATUS_NOT_A_DIRECTORY, 267},
    {STATUS_CANNOT_DELETE, 5},
    {STATUS_FILE_DELETED, 5},
    {STATUS_DLL_NOT_FOUND, 126},
    {STATUS_ORDINAL_NOT_FOUND, 182},
    {STATUS_ENTRYPOINT_NOT_FOUND, 127},
    {STATUS_VARIABLE_NOT_FOUND, 203},
    {STATUS_NAME_TOO_LONG, 206},
    {STATUS_PROCESS_IS_TERMINATING, 5},
};

ULONG_T RtlNtStatusToDosError(NTSTATUS_T status) {
  for (unsigned i = 0; i < sizeof map / sizeof map[0]; i++)
    if (map[i][0] == (unsigned)status) return map[i][1];
  /* Windows: a status of the form 0x8007xxxx / 0xC007xxxx carries a Win32 code. */
  if (((unsigned)status & 0x3fff0000u) == 0x00070000u) return (unsigned)status & 0xffff;
  return 317; /* ERROR_MR_MID_NOT_FOUND, as Windows answers for an unknown status */
}

ULONG_T RtlGetLastWin32Error(void) { return NtCurrentTeb()->LastErrorValue; }

void RtlSetLastWin32Error(ULONG_T code) { NtCurrentTeb()->LastErrorValue = code; }
