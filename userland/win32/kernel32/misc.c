/*
 * The rest of kernel32 part 1: last error and FormatMessageA (system
 * messages of the common codes), time (FILETIME <-> SYSTEMTIME, tick count,
 * performance counter, Sleep), console modes and console I/O, the computer
 * and user names, and DllMain (the heap functions are in memory.c).
 */
#include "k32.h"

int k32_strnicmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y || !x) return x - y;
  }
  return 0;
}

BOOL k32_error(DWORD code) {
  RtlSetLastWin32Error(code);
  return FALSE;
}

BOOL k32_fail(NTSTATUS_T status) { return k32_error(RtlNtStatusToDosError(status)); }

DWORD WINAPI GetLastError(void) { return RtlGetLastWin32Error(); }

void WINAPI SetLastError(DWORD code) { RtlSetLastWin32Error(code); }

static const struct {
  DWORD id;
  const char *text;
} messages[] = {
    {0, "The operation completed successfully."},
    {1, "Incorrect function."},
    {2, "The system cannot find the file specified."},
    {3, "The system cannot find the path specified."},
    {5, "Access is denied."},
    {6, "The handle is invalid."},
    {8, "Not enough memory resources are available to process this command."},
    {18, "There are no more files."},
    {32, "The process cannot access the file because it is being used by another process."},
    {38, "Reached the end of the file."},
    {80, "The file exists."},
    {87, "The parameter is incorrect."},
    {109, "The pipe has been ended."},
    {122, "The data area passed to a system call is too small."},
    {123, "The filename, directory name, or volume label syntax is incorrect."},
    {126, "The specified module could not be found."},
    {127, "The specified procedure could not be found."},
    {145, "The directory is not empty."},
    {183, "Cannot create a file when that file already exists."},
    {193, "%1 is not a valid Win32 application."},
    {203, "The system could not find the environment option that was entered."},
    {232, "The pipe is being closed."},
    {267, "The directory name is invalid."},
};

HLOCAL WINAPI LocalAlloc(UINT flags, SIZE_T n) {
  return RtlAllocateHeap(0, (flags & 0x40) ? HEAP_ZERO_MEMORY : 0, n);
}

HLOCAL WINAPI LocalFree(HLOCAL mem) {
  if (mem && !RtlFreeHeap(0, 0, mem)) {
    k32_error(ERROR_INVALID_HANDLE);
    return mem;
  }
  return 0;
}

/* Copies `text` with "%1".."%9" replaced by string arguments (unless ignored), "%n" by a
 * newline, "%%" by "%"; a system message gets the "\r\n" Windows ends them with. */
static DWORD expand(const char *text, int ignore, va_list *args, char *out, DWORD cap, int eol) {
  DWORD n = 0;
  const char *argv[9] = {0};
  if (!ignore && args)
    for (int i = 0; i < 9; i++) argv[i] = 0;
  for (const char *p = text; *p; p++) {
    const char *piece = p;
    size_t len = 1;
    if (*p == '%' && p[1] && !ignore) {
      if (p[1] >= '1' && p[1] <= '9') {
        int k = p[1] - '1';
        for (int i = 0; args && i <= k; i++)
          if (!argv[i]) argv[i] = va_arg(*args, const char *);
        piece = argv[k] ? argv[k] : "";
        len = strlen(piece);
        p++;
      } else if (p[1] == 'n') {
        piece = "\r\n";
        len = 2;
        p++;
      } else {
        piece = p + 1;
        p++;
      }
    }
    if (n + len < cap) memcpy(out + n, piece, len);
    n += len;
  }
  if (eol) {
    if (n + 2 < cap) memcpy(out + n, "\r\n", 2);
    n += 2;
  }
  if (n < cap) out[n] = 0;
  return n;
}

DWORD WINAPI FormatMessageA(DWORD flags, LPCVOID source, DWORD id, DWORD lang, LPSTR buf,
                            DWORD size, va_list *args) {
  (void)lang;
  const char *text = 0;
  if (flags & FORMAT_MESSAGE_FROM_STRING) text = source;
  else if (flags & FORMAT_MESSAGE_FROM_SYSTEM) {
    for (unsigned i = 0; i < sizeof messages / sizeof messages[0]; i++)
      if (messages[i].id == id) text = messages[i].text;
    if (!text) return k32_error(ERROR_MR_MID_NOT_FOUND);
  }
  if (!text) return k32_error(ERROR_INVALID_PARAMETER);
  int ignore = (flags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0;
  int eol = !(flags & FORMAT_MESSAGE_FROM_STRING);
  char tmp[1024];
  DWORD n = expand(text, ignore, args, tmp, sizeof tmp, eol);
  if (n >= sizeof tmp) return k32_error(ERROR_INSUFFICIENT_BUFFER);
  if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
    char *p = LocalAlloc(0, n + 1 > size ? n + 1 : size);
    if (!p) return k32_error(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(p, tmp, n + 1);
    *(char **)buf = p;
    return n;
  }
  if (n + 1 > size) return k32_error(ERROR_INSUFFICIENT_BUFFER);
  memcpy(buf, tmp, n + 1);
  return n;
}

/* ---- time ---- */

void WINAPI GetSystemTimeAsFileTime(LPFILETIME out) {
  STRATA_LARGE_INTEGER t;
  NtQuerySystemTime(&t);
  out->dwLowDateTime = t.LowPart;
  out->dwHighDateTime = (DWORD)t.HighPart;
}

/* Days since 1601-01-01 -> civil date (proleptic Gregorian). */
BOOL WINAPI FileTimeToSystemTime(const FILETIME *ft, LPSYSTEMTIME st) {
  ULONGLONG t = (ULONGLONG)ft->dwHighDateTime << 32 | ft->dwLowDateTime;
  if (t >> 63) return k32_error(ERROR_INVALID_PARAMETER);
  ULONGLONG ms = t / 10000;
  long long days = (long long)(ms / 86400000);
  DWORD rest = (DWORD)(ms % 86400000);
  st->wDayOfWeek = (WORD)((days + 1) % 7); /* 1601-01-01 was a Monday */
  /* Days counted from 0000-03-01 (584694 days before 1601-01-01), in 400-year eras. */
  long long z = days + 584694;
  long long era = z / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  long long y = yoe + era * 400 + (m <= 2);
  st->wYear = (WORD)y;
  st->wMonth = (WORD)m;
  st->wDay = (WORD)d;
  st->wHour = (WORD)(rest / 3600000);
  st->wMinute = (WORD)(rest / 60000 % 60);
  st->wSecond = (WORD)(rest / 1000 % 60);
  st->wMilliseconds = (WORD)(rest % 1000);
  return TRUE;
}

void WINAPI GetSystemTime(LPSYSTEMTIME st) {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  FileTimeToSystemTime(&ft, st);
}

/* Strata keeps no time zone: local time is UTC. */
void WINAPI GetLocalTime(LPSYSTEMTIME st) { GetSystemTime(st); }

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *count) {
  STRATA_LARGE_INTEGER c;
  NTSTATUS_T s = NtQueryPerformanceCounter(&c, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  count->QuadPart = (LONGLONG)c.HighPart << 32 | c.LowPart;
  return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *freq) {
  STRATA_LARGE_INTEGER c, f;
  NTSTATUS_T s = NtQueryPerformanceCounter(&c, &f);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  freq->QuadPart = (LONGLONG)f.HighPart << 32 | f.LowPart;
  return TRUE;
}

ULONGLONG WINAPI GetTickCount64(void) {
  LARGE_INTEGER c, f;
  if (!QueryPerformanceCounter(&c) || !QueryPerformanceFrequency(&f) || !f.QuadPart) return 0;
  return (ULONGLONG)c.QuadPart / ((ULONGLONG)f.QuadPart / 1000);
}

DWORD WINAPI GetTickCount(void) { return (DWORD)GetTickCount64(); }

void WINAPI Sleep(DWORD ms) {
  LONGLONG rel = ms == INFINITE ? -((LONGLONG)1 << 62) : -(LONGLONG)ms * 10000;
  STRATA_LARGE_INTEGER t = {(ULONG_T)rel, (int)(rel >> 32)};
  NtDelayExecution(0, &t);
}

/* ---- console ---- */

BOOL WINAPI GetConsoleMode(HANDLE h, LPDWORD mode) {
  ULONG_T old = 0;
  NTSTATUS_T s = NtStrataConsoleMode(h, 0, 0, &old);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  *mode = old;
  return TRUE;
}

BOOL WINAPI SetConsoleMode(HANDLE h, DWORD mode) {
  ULONG_T old = 0;
  NTSTATUS_T s = NtStrataConsoleMode(h, 1, mode, &old);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

/* A console output handle needs only write access: the mode call just checks it is a console. */
BOOL WINAPI WriteConsoleA(HANDLE h, const void *buf, DWORD n, LPDWORD done, LPVOID reserved) {
  (void)reserved;
  NTSTATUS_T s = NtStrataConsoleMode(h, 0, 0, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  return WriteFile(h, buf, n, done, 0);
}

BOOL WINAPI ReadConsoleA(HANDLE h, LPVOID buf, DWORD n, LPDWORD done, LPVOID control) {
  DWORD mode;
  (void)control;
  if (!GetConsoleMode(h, &mode)) return FALSE;
  return ReadFile(h, buf, n, done, 0);
}

/* ---- names ---- */

static BOOL query_name(ULONG_T which, LPSTR buf, LPDWORD size, DWORD tooSmall, int countNul) {
  ULONG_T needed = 0;
  NTSTATUS_T s = NtStrataQueryName(which, buf, *size, &needed);
  if (s == (NTSTATUS_T)STATUS_BUFFER_TOO_SMALL) {
    *size = needed;
    return k32_error(tooSmall);
  }
  if (!NT_SUCCESS(s)) return k32_fail(s);
  *size = countNul ? needed : needed - 1;
  return TRUE;
}

BOOL WINAPI GetComputerNameA(LPSTR buf, LPDWORD size) {
  return query_name(STRATA_NAME_COMPUTER, buf, size, ERROR_BUFFER_OVERFLOW, 0);
}

/* advapi32's on Windows; kernel32 exports it here. */
BOOL WINAPI GetUserNameA(LPSTR buf, LPDWORD size) {
  return query_name(STRATA_NAME_USER, buf, size, ERROR_INSUFFICIENT_BUFFER, 1);
}

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved) {
  (void)self, (void)reason, (void)reserved;
  return TRUE;
}
