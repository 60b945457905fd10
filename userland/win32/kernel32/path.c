/*
 * Win32 paths: the full-path rules of GetFullPathNameA (drive, root and
 * relative names against the current directory, "." and ".." folded, "/"
 * read as "\", a component's final period and the last component's
 * trailing periods and spaces dropped), the NT form "\??\C:\..." in UTF-16
 * that the native calls take (a DOS device name - NUL, CON, CONIN$,
 * CONOUT$, in any folder that exists and with any extension - becomes
 * "\??\NAME", and its full path name "\\.\NAME"), and the current and
 * temporary directories.
 * The current directory is kept in user memory, in the process parameters,
 * as NT does.
 */
#include "k32.h"

STRATA_PROCESS_PARAMETERS *k32_params(void) { return RtlGetCurrentPeb()->ProcessParameters; }

static char upper(char c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

/* Appends the components of `src` to out (which holds "X:\..." of length *n), folding . and .. */
static int append_components(char *out, size_t *n, const char *src) {
  while (*src) {
    while (*src == '\\' || *src == '/') src++;
    const char *e = src;
    while (*e && *e != '\\' && *e != '/') e++;
    size_t len = e - src;
    int dots = (len == 1 && src[0] == '.') || (len == 2 && src[0] == '.' && src[1] == '.');
    if (!dots && !*e) {
      while (len && (src[len - 1] == '.' || src[len - 1] == ' ')) len--; /* last: all dots, spaces */
    } else if (!dots && src[len - 1] == '.') {
      len--; /* a component ending in one period loses it */
    }
    if (len == 1 && src[0] == '.') {
    } else if (len == 2 && src[0] == '.' && src[1] == '.') {
      if (*n > 3) {
        (*n)--;
        while (*n > 3 && out[*n - 1] != '\\') (*n)--;
      }
    } else if (len) {
      if (*n + len + 2 >= MAX_PATH * 2) return 0;
      if (out[*n - 1] != '\\') out[(*n)++] = '\\';
      memcpy(out + *n, src, len);
      *n += len;
    }
    src = e;
  }
  out[*n] = 0;
  return 1;
}

/* The absolute form of `name` in out (at least 2*MAX_PATH bytes); its length, or 0. */
static size_t full_path(const char *name, char *out) {
  const char *cwd = k32_params()->CurrentDirectory;
  size_t n;
  if (name[0] && name[1] == ':') {
    out[0] = upper(name[0]);
    out[1] = ':';
    out[2] = '\\';
    n = 3;
    name += 2;
    if (*name != '\\' && *name != '/' && upper(cwd[0]) == out[0]) {
      n = strlen(cwd);
      memcpy(out, cwd, n);
    }
  } else if (name[0] == '\\' || name[0] == '/') {
    out[0] = upper(cwd[0]);
    out[1] = ':';
    out[2] = '\\';
    n = 3;
  } else {
    n = strlen(cwd);
    if (n + 1 >= MAX_PATH * 2) return 0;
    memcpy(out, cwd, n);
  }
  out[n] = 0;
  size_t len = strlen(name);
  int trailing = len && (name[len - 1] == '\\' || name[len - 1] == '/');
  if (!append_components(out, &n, name)) return 0;
  if (n > 3 && out[n - 1] == '\\' && !trailing) out[--n] = 0;
  if (trailing && out[n - 1] != '\\') {
    out[n++] = '\\';
    out[n] = 0;
  }
  return n;
}

DWORD k32_full_path(const char *name, char *out, DWORD size) {
  char tmp[MAX_PATH * 2];
  if (!name || !*name) return k32_error(ERROR_INVALID_NAME);
  size_t n = full_path(name, tmp);
  if (!n) return k32_error(ERROR_FILENAME_EXCED_RANGE);
  if (n + 1 > size) return n + 1;
  memcpy(out, tmp, n + 1);
  return n;
}

/* The DOS devices a file name can name, as their "\\??" entries. */
static const char *const dos_devices[] = {"NUL", "CON", "CONIN$", "CONOUT$"};

/* The DOS device `name` names, or NULL: its last component (after "\", "/" or ":", one final ":"
 * ignored) is a device name in any case, then nothing, or spaces then an extension or nothing
 * ("nul", "con.txt", "C:\Windows\conout$", "CON:", "con .log", "\\.\CONIN$"). *dir_len is
 * the length of the folder part ("C:\Windows\"): 0 for none, a drive alone or "\\.\";
 * *base_at where the device name starts in `name`. */
static const char *dos_device(const char *name, size_t *dir_len, size_t *base_at) {
  size_t end = strlen(name);
  if (end > 2 && name[end - 1] == ':') end--;
  size_t base = end;
  while (base && name[base - 1] != '\\' && name[base - 1] != '/' && name[base - 1] != ':') base--;
  for (size_t i = 0; i < sizeof dos_devices / sizeof *dos_devices; i++) {
    size_t n = strlen(dos_devices[i]);
    if (end - base < n || k32_strnicmp(name + base, dos_devices[i], n) != 0) continue;
    size_t k = base + n;
    while (k < end && name[k] == ' ') k++;
    if (k < end && name[k] != '.') continue;
    int bare = base == 0 || (base == 2 && name[1] == ':') ||
               (base == 4 && (name[0] == '\\' || name[0] == '/') && name[2] == '.');
    *dir_len = bare ? 0 : base;
    *base_at = base;
    return dos_devices[i];
  }
  return NULL;
}

/* TRUE if the folder part of a device's name (its first `n` bytes) is an existing folder. */
static BOOL folder_exists(const char *name, size_t n) {
  char dir[MAX_PATH * 2];
  struct nt_path p;
  FILE_BASIC_INFO_NT info;
  if (n >= sizeof dir) return FALSE;
  memcpy(dir, name, n);
  dir[n] = 0;
  if (!k32_nt_path(dir, &p, 0)) return FALSE;
  return NT_SUCCESS(NtQueryAttributesFile(&p.oa, &info)) &&
         (info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
}

BOOL k32_nt_path(const char *name, struct nt_path *p, DWORD attributes) {
  char full[MAX_PATH * 2];
  if (!name || !*name) return k32_error(ERROR_PATH_NOT_FOUND);
  size_t dir_len = 0, base = 0, n;
  const char *device = dos_device(name, &dir_len, &base);
  if (device && dir_len && !folder_exists(name, dir_len)) return k32_error(ERROR_PATH_NOT_FOUND);
  n = device ? (strcpy(full, device), strlen(device)) : full_path(name, full);
  if (!n || n + 4 > MAX_PATH + 4) return k32_error(ERROR_FILENAME_EXCED_RANGE);
  static const char prefix[] = "\\??\\";
  for (int i = 0; i < 4; i++) p->w[i] = prefix[i];
  for (size_t i = 0; i < n; i++) p->w[4 + i] = (unsigned char)full[i];
  p->us.Length = (unsigned short)((n + 4) * 2);
  p->us.MaximumLength = p->us.Length;
  p->us.Buffer = p->w;
  p->oa.Length = sizeof p->oa;
  p->oa.RootDirectory = 0;
  p->oa.ObjectName = &p->us;
  p->oa.Attributes = OBJ_CASE_INSENSITIVE | attributes;
  p->oa.SecurityDescriptor = 0;
  p->oa.SecurityQualityOfService = 0;
  return TRUE;
}

/* A DOS device's full name is "\\.\" and its name as spelled ("C:\x\con.txt" -> "\\.\con"),
 * whatever the folder, with no file part (what Wine answers). */
static DWORD device_full_path(const char *name, size_t base, const char *device, DWORD size,
                              LPSTR buf, LPSTR *filePart) {
  DWORD n = 4 + (DWORD)strlen(device);
  if (filePart) *filePart = 0;
  if (n + 1 > size) return n + 1;
  memcpy(buf, "\\\\.\\", 4);
  memcpy(buf + 4, name + base, n - 4);
  buf[n] = 0;
  return n;
}

DWORD WINAPI GetFullPathNameA(LPCSTR name, DWORD size, LPSTR buf, LPSTR *filePart) {
  size_t dir_len, base;
  const char *device = name ? dos_device(name, &dir_len, &base) : NULL;
  if (device) return device_full_path(name, base, device, size, buf, filePart);
  DWORD n = k32_full_path(name, buf, size);
  if (n && n < size && filePart) {
    char *last = strrchr(buf, '\\');
    *filePart = last && last[1] ? last + 1 : 0;
  }
  return n;
}

DWORD WINAPI GetCurrentDirectoryA(DWORD size, LPSTR buf) {
  const char *cwd = k32_params()->CurrentDirectory;
  size_t n = strlen(cwd);
  if (n > 3 && cwd[n - 1] == '\\') n--;
  if (n + 1 > size) return n + 1;
  memcpy(buf, cwd, n);
  buf[n] = 0;
  return n;
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR name) {
  char full[MAX_PATH * 2];
  struct nt_path p;
  FILE_BASIC_INFO_NT info;
  if (!k32_nt_path(name, &p, 0)) return FALSE;
  NTSTATUS_T s = NtQueryAttributesFile(&p.oa, &info);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (!(info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)) return k32_error(ERROR_DIRECTORY);
  size_t n = full_path(name, full);
  if (full[n - 1] != '\\') full[n++] = '\\';
  if (n + 1 > STRATA_MAX_PATH) return k32_error(ERROR_FILENAME_EXCED_RANGE);
  memcpy(k32_params()->CurrentDirectory, full, n);
  k32_params()->CurrentDirectory[n] = 0;
  return TRUE;
}

/* TMP, then TEMP, then USERPROFILE, then the Windows folder; with a trailing "\". */
DWORD WINAPI GetTempPathA(DWORD size, LPSTR buf) {
  static const char *const vars[] = {"TMP", "TEMP", "USERPROFILE"};
  char value[MAX_PATH], full[MAX_PATH * 2];
  const char *dir = "C:\\Windows\\";
  for (int i = 0; i < 3; i++) {
    DWORD n = GetEnvironmentVariableA(vars[i], value, sizeof value);
    if (n && n < sizeof value) {
      dir = value;
      break;
    }
  }
  size_t n = full_path(dir, full);
  if (!n) return k32_error(ERROR_FILENAME_EXCED_RANGE);
  if (full[n - 1] != '\\') {
    full[n++] = '\\';
    full[n] = 0;
  }
  SetLastError(0);
  if (n + 1 > size) return n + 1;
  memcpy(buf, full, n + 1);
  return n;
}
