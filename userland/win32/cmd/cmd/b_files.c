/* File built-ins: dir, cd/chdir, type, copy, del/erase, md/mkdir, rd/rmdir,
 * ren/rename, move. Paths go through kernel32 (so "\" and "/" both work, and
 * device names such as CON and NUL name devices: "type con", "copy con f");
 * messages are cmd's. copy and move overwrite without asking (as with /Y);
 * del asks before "*" or "*.*" and rd /s before removing a tree, unless /q. */
#include "cmd.h"

#define MAX_WORDS 64

static int split_args(const char *a, char **w, char *store, int *quiet, int *sub) {
  char *all[MAX_WORDS];
  int n = split_words(a, all, MAX_WORDS, store), k = 0;
  for (int i = 0; i < n; i++) {
    if (all[i][0] == '/' && all[i][1]) {
      char c = all[i][1] | 0x20;
      if (c == 'q' || c == 'y') *quiet = 1;
      else if (c == 's' && sub) *sub = 1;
      else if (c == 'b' && sub) *sub = 2;
      continue;
    }
    unquote(all[i]);
    w[k++] = all[i];
  }
  return k;
}

static int is_dir(const char *p) {
  DWORD a = GetFileAttributesA(p);
  return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

static int has_wild(const char *s) { return strpbrk(s, "*?") != NULL; }

/* Length of the folder part of a path (through the last separator). */
static size_t dir_part(const char *p) {
  size_t n = 0;
  for (size_t i = 0; p[i]; i++)
    if (p[i] == '\\' || p[i] == '/' || p[i] == ':') n = i + 1;
  return n;
}

static const char *base_name(const char *p) { return p + dir_part(p); }

static int ask_yes(const char *question) {
  char c = 0, d;
  DWORD got;
  outf("%s (Y/N)? ", question);
  if (!ReadFile(g_in, &c, 1, &got, NULL) || got != 1) c = 'n';
  d = c;
  while (d != '\n' && ReadFile(g_in, &d, 1, &got, NULL) && got == 1) {
  }
  if (c == '\n') outf("\n");
  return c == 'y' || c == 'Y';
}

/* ---- dir ---- */
struct entry {
  char name[MAX_PATH];
  DWORD attr;
  unsigned long long size;
  FILETIME mtime;
};

static int cmp_entry(const void *x, const void *y) {
  return _stricmp(((const struct entry *)x)->name, ((const struct entry *)y)->name);
}

static void format_time(const FILETIME *ft, char *out, size_t size) {
  SYSTEMTIME st;
  FileTimeToSystemTime(ft, &st);
  int h = st.wHour % 12;
  snprintf(out, size, "%02u/%02u/%04u  %02d:%02u %s", st.wMonth, st.wDay, st.wYear, h ? h : 12,
           st.wMinute, st.wHour < 12 ? "AM" : "PM");
}

/* Bytes free on the volume of `dir`, if kernel32 can say. */
static int bytes_free(const char *dir, unsigned long long *v) {
  ULARGE_INTEGER avail, total, free;
  if (!GetDiskFreeSpaceExA(dir, &avail, &total, &free)) return 0;
  *v = avail.QuadPart;
  return 1;
}

static int dir_one(const char *arg, int bare) {
  char pattern[MAX_PATH * 2], folder[MAX_PATH * 2], full[MAX_PATH * 2];
  snprintf(pattern, sizeof pattern, "%s", arg);
  if (is_dir(pattern)) {
    size_t n = strlen(pattern);
    snprintf(pattern + n, sizeof pattern - n, "%s*", n && strchr("\\/:", pattern[n - 1]) ? "" : "\\");
  }
  snprintf(folder, sizeof folder, "%.*s", (int)dir_part(pattern), pattern);
  if (!GetFullPathNameA(*folder ? folder : ".", sizeof full, full, NULL)) strcpy(full, folder);
  size_t fl = strlen(full);
  if (fl > 3 && (full[fl - 1] == '\\' || full[fl - 1] == '/')) full[fl - 1] = 0;
  if (!bare) outf(" Volume in drive %c has no label.\n\n Directory of %s\n\n", full[0], full);
  WIN32_FIND_DATAA fd;
  HANDLE h = FindFirstFileA(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE) {
    errf("File Not Found\n");
    return 1;
  }
  int cap = 64, n = 0;
  struct entry *e = xmalloc(sizeof *e * (size_t)cap);
  do {
    if (fd.dwFileAttributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) continue;
    if (bare && (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0)) continue;
    if (n == cap) {
      cap *= 2;
      struct entry *m = xmalloc(sizeof *e * (size_t)cap);
      memcpy(m, e, sizeof *e * (size_t)n);
      free(e);
      e = m;
    }
    snprintf(e[n].name, sizeof e[n].name, "%s", fd.cFileName);
    e[n].attr = fd.dwFileAttributes;
    e[n].size = ((unsigned long long)fd.nFileSizeHigh << 32) | fd.nFileSizeLow;
    e[n].mtime = fd.ftLastWriteTime;
    n++;
  } while (FindNextFileA(h, &fd));
  FindClose(h);
  qsort(e, (size_t)n, sizeof *e, cmp_entry);
  unsigned files = 0, dirs = 0;
  unsigned long long total = 0, avail;
  for (int i = 0; i < n; i++) {
    char when[40], size[32];
    int isdir = (e[i].attr & FILE_ATTRIBUTE_DIRECTORY) != 0;
    if (isdir) dirs++;
    else files++, total += e[i].size;
    if (bare) {
      outf("%s\n", e[i].name);
      continue;
    }
    format_time(&e[i].mtime, when, sizeof when);
    with_commas(e[i].size, size);
    if (isdir) outf("%s    %-14s %s\n", when, "<DIR>", e[i].name);
    else outf("%s    %14s %s\n", when, size, e[i].name);
  }
  free(e);
  if (!bare) {
    char tb[32], fb[32];
    with_commas(total, tb);
    outf("%16u File(s) %14s bytes\n", files, tb);
    if (bytes_free(full, &avail)) {
      with_commas(avail, fb);
      outf("%16u Dir(s) %15s bytes free\n", dirs, fb);
    } else {
      outf("%16u Dir(s)\n", dirs);
    }
  }
  if (!n) errf("File Not Found\n");
  return n ? 0 : 1;
}

int b_dir(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS];
  int quiet = 0, bare = 0, rc = 0;
  int n = split_args(a, w, store, &quiet, &bare);
  if (!n) return dir_one(".", bare == 2);
  for (int i = 0; i < n; i++) rc |= dir_one(w[i], bare == 2);
  return rc;
}

/* ---- cd ---- */
int b_cd(const char *a) {
  char path[MAX_PATH * 2];
  const char *p = skip_ws(a);
  if (_strnicmp(p, "/d", 2) == 0 && (!p[2] || p[2] == ' ')) p = skip_ws(p + 2);
  snprintf(path, sizeof path, "%s", p);
  rtrim(path);
  unquote(path);
  if (!*path) {
    char cwd[MAX_PATH];
    if (GetCurrentDirectoryA(sizeof cwd, cwd)) outf("%s\n", cwd);
    return 0;
  }
  if (!SetCurrentDirectoryA(path)) {
    DWORD attr = GetFileAttributesA(path);
    print_win32_error(attr != INVALID_FILE_ATTRIBUTES ? ERROR_DIRECTORY : ERROR_PATH_NOT_FOUND);
    return 1;
  }
  return 0;
}

/* ---- type ---- */
static int type_file(const char *name, int header) {
  HANDLE h = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD e = GetLastError();
    print_win32_error(e == ERROR_PATH_NOT_FOUND ? ERROR_FILE_NOT_FOUND : e);
    if (header) errf("Error occurred while processing: %s.\n", name);
    return 1;
  }
  if (header) errf("\n%s\n\n\n", name);
  char buf[4096];
  DWORD got, done;
  while (ReadFile(h, buf, sizeof buf, &got, NULL) && got) WriteFile(g_out, buf, got, &done, NULL);
  CloseHandle(h);
  return 0;
}

int b_type(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS], path[MAX_PATH * 2];
  int quiet = 0, rc = 0;
  int n = split_args(a, w, store, &quiet, NULL);
  if (!n) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    if (!has_wild(w[i])) {
      rc |= type_file(w[i], n > 1);
      continue;
    }
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(w[i], &fd);
    if (h == INVALID_HANDLE_VALUE) {
      print_win32_error(ERROR_FILE_NOT_FOUND);
      rc = 1;
      continue;
    }
    do {
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
      snprintf(path, sizeof path, "%.*s%s", (int)dir_part(w[i]), w[i], fd.cFileName);
      rc |= type_file(path, 1);
    } while (FindNextFileA(h, &fd));
    FindClose(h);
  }
  return rc;
}

/* ---- copy ---- */
static int append_file(HANDLE out, const char *name) {
  HANDLE in = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (in == INVALID_HANDLE_VALUE) return 0;
  char buf[4096];
  DWORD got, done;
  while (ReadFile(in, buf, sizeof buf, &got, NULL) && got) WriteFile(out, buf, got, &done, NULL);
  CloseHandle(in);
  return 1;
}

/* copy a+b[+...] dest: the sources one after the other. */
static int copy_concat(char *srcs, const char *dest) {
  char out[MAX_PATH * 2];
  snprintf(out, sizeof out, "%s", dest && *dest ? dest : "");
  char *first = srcs, *plus = strchr(srcs, '+');
  if (!*out) snprintf(out, sizeof out, "%.*s", (int)(plus - first), first);
  HANDLE h = CreateFileA(out, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    print_win32_error(GetLastError());
    outf("%9d file(s) copied.\n", 0);
    return 1;
  }
  int ok = 0;
  for (char *s = srcs, *next; s; s = next) {
    next = strchr(s, '+');
    if (next) *next++ = 0;
    if (*s && append_file(h, s)) {
      outf("%s\n", s);
      ok = 1;
    }
  }
  CloseHandle(h);
  outf("%9d file(s) copied.\n", ok);
  return ok ? 0 : 1;
}

/* The file `src` is copied to: `dest`, or `src`'s name in the folder `dest` (or "."). */
static void copy_target(const char *src, const char *dest, char *target, size_t size) {
  if (!dest || is_dir(dest)) {
    const char *d = dest ? dest : ".";
    size_t n = strlen(d);
    snprintf(target, size, "%s%s%s", d, n && strchr("\\/:", d[n - 1]) ? "" : "\\",
             base_name(src));
  } else {
    snprintf(target, size, "%s", dest);
  }
}

/* `name` opened for reading when it is a character device (CON, NUL); NULL otherwise. */
static HANDLE open_device(const char *name) {
  HANDLE h = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) return NULL;
  if (GetFileType(h) == FILE_TYPE_CHAR) return h;
  CloseHandle(h);
  return NULL;
}

/* copy DEVICE dest ("copy con notes.txt"): a device is read in ASCII mode, so the copy is its
 * data up to the end of its input or the first Ctrl+Z. */
static int copy_from_device(HANDLE in, const char *src, const char *dest) {
  char target[MAX_PATH * 2], buf[4096];
  DWORD got, done;
  copy_target(src, dest, target, sizeof target);
  HANDLE out = CreateFileA(target, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                           NULL);
  if (out == INVALID_HANDLE_VALUE) {
    print_win32_error(GetLastError());
    CloseHandle(in);
    outf("%9d file(s) copied.\n", 0);
    return 1;
  }
  SetLastError(0);
  while (ReadFile(in, buf, sizeof buf, &got, NULL) && got) {
    char *z = memchr(buf, 0x1a, got);
    WriteFile(out, buf, z ? (DWORD)(z - buf) : got, &done, NULL);
    if (z) break;
  }
  CloseHandle(out);
  CloseHandle(in);
  if (GetLastError() == ERROR_OPERATION_ABORTED) {
    /* Ctrl+C ended the console read: the copy is abandoned. */
    DeleteFileA(target);
    return 1;
  }
  outf("%9d file(s) copied.\n", 1);
  return 0;
}

static int copy_one(const char *src, const char *dest, int show) {
  char target[MAX_PATH * 2], a[MAX_PATH * 2], b[MAX_PATH * 2];
  copy_target(src, dest, target, sizeof target);
  if (GetFullPathNameA(src, sizeof a, a, NULL) && GetFullPathNameA(target, sizeof b, b, NULL) &&
      _stricmp(a, b) == 0) {
    errf("The file cannot be copied onto itself.\n");
    return 0;
  }
  if (show) outf("%s\n", src);
  if (!CopyFileA(src, target, FALSE)) {
    print_win32_error(GetLastError());
    return 0;
  }
  return 1;
}

int b_copy(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS], path[MAX_PATH * 2];
  int quiet = 0, copied = 0;
  int n = split_args(a, w, store, &quiet, NULL);
  if (n < 1 || n > 2) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  const char *dest = n == 2 ? w[1] : NULL;
  if (strchr(w[0], '+')) return copy_concat(w[0], dest);
  HANDLE device = has_wild(w[0]) ? NULL : open_device(w[0]);
  if (device) return copy_from_device(device, w[0], dest);
  if (!has_wild(w[0]) && !is_dir(w[0])) {
    if (GetFileAttributesA(w[0]) == INVALID_FILE_ATTRIBUTES) {
      print_win32_error(ERROR_FILE_NOT_FOUND);
      outf("%9d file(s) copied.\n", 0);
      return 1;
    }
    copied = copy_one(w[0], dest, 0);
  } else {
    char pattern[MAX_PATH * 2];
    snprintf(pattern, sizeof pattern, "%s%s", w[0], is_dir(w[0]) ? "\\*" : "");
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE) {
      print_win32_error(ERROR_FILE_NOT_FOUND);
      outf("%9d file(s) copied.\n", 0);
      return 1;
    }
    do {
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
      snprintf(path, sizeof path, "%.*s%s", (int)dir_part(pattern), pattern, fd.cFileName);
      copied += copy_one(path, dest, 1);
    } while (FindNextFileA(h, &fd));
    FindClose(h);
  }
  outf("%9d file(s) copied.\n", copied);
  return copied ? 0 : 1;
}

/* ---- del ---- */
static void del_pattern(const char *arg, int quiet) {
  char pattern[MAX_PATH * 2], path[MAX_PATH * 2], full[MAX_PATH * 2];
  snprintf(pattern, sizeof pattern, "%s%s", arg, is_dir(arg) ? "\\*" : "");
  const char *base = base_name(pattern);
  if (!quiet && (strcmp(base, "*") == 0 || strcmp(base, "*.*") == 0)) {
    char q[MAX_PATH * 2 + 8];
    if (!GetFullPathNameA(pattern, sizeof full, full, NULL)) strcpy(full, pattern);
    snprintf(q, sizeof q, "%s, Are you sure", full);
    if (!ask_yes(q)) return;
  }
  WIN32_FIND_DATAA fd;
  HANDLE h = FindFirstFileA(pattern, &fd);
  int any = 0;
  if (h != INVALID_HANDLE_VALUE) {
    do {
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
      any = 1;
      snprintf(path, sizeof path, "%.*s%s", (int)dir_part(pattern), pattern, fd.cFileName);
      if (!DeleteFileA(path)) {
        if (!GetFullPathNameA(path, sizeof full, full, NULL)) strcpy(full, path);
        if (GetLastError() == ERROR_ACCESS_DENIED) errf("%s\nAccess is denied.\n", full);
        else print_win32_error(GetLastError());
      }
    } while (FindNextFileA(h, &fd));
    FindClose(h);
  }
  if (!any) {
    if (!GetFullPathNameA(arg, sizeof full, full, NULL)) strcpy(full, arg);
    errf("Could Not Find %s\n", full);
  }
}

int b_del(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS];
  int quiet = 0;
  int n = split_args(a, w, store, &quiet, NULL);
  if (!n) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  for (int i = 0; i < n; i++) del_pattern(w[i], quiet);
  return 0;
}

/* ---- md ---- */
static int make_dirs(const char *path) {
  char p[MAX_PATH * 2];
  snprintf(p, sizeof p, "%s", path);
  size_t n = strlen(p);
  while (n > 1 && (p[n - 1] == '\\' || p[n - 1] == '/')) p[--n] = 0;
  if (is_dir(p) || GetFileAttributesA(p) != INVALID_FILE_ATTRIBUTES) {
    errf("A subdirectory or file %s already exists.\n", path);
    return 1;
  }
  for (size_t i = 1; i < n; i++) {
    if ((p[i] == '\\' || p[i] == '/') && p[i - 1] != ':') {
      p[i] = 0;
      if (!is_dir(p)) CreateDirectoryA(p, NULL);
      p[i] = '\\';
    }
  }
  if (!CreateDirectoryA(p, NULL)) {
    print_win32_error(GetLastError());
    return 1;
  }
  return 0;
}

int b_md(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS];
  int quiet = 0, rc = 0;
  int n = split_args(a, w, store, &quiet, NULL);
  if (!n) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  for (int i = 0; i < n; i++) rc |= make_dirs(w[i]);
  return rc;
}

/* ---- rd ---- */
static int remove_tree(const char *dir) {
  char pattern[MAX_PATH * 2], path[MAX_PATH * 2];
  snprintf(pattern, sizeof pattern, "%s\\*", dir);
  WIN32_FIND_DATAA fd;
  HANDLE h = FindFirstFileA(pattern, &fd);
  int ok = 1;
  if (h != INVALID_HANDLE_VALUE) {
    do {
      if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0) continue;
      snprintf(path, sizeof path, "%s\\%s", dir, fd.cFileName);
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ok &= remove_tree(path);
      else if (!DeleteFileA(path)) ok = 0;
    } while (FindNextFileA(h, &fd));
    FindClose(h);
  }
  return RemoveDirectoryA(dir) && ok;
}

int b_rd(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS];
  int quiet = 0, sub = 0, rc = 0;
  int n = split_args(a, w, store, &quiet, &sub);
  if (!n) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    DWORD attr = GetFileAttributesA(w[i]);
    if (attr == INVALID_FILE_ATTRIBUTES) {
      print_win32_error(ERROR_FILE_NOT_FOUND);
      rc = 2;
      continue;
    }
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
      print_win32_error(ERROR_DIRECTORY);
      rc = 267;
      continue;
    }
    if (sub == 1) {
      char q[MAX_PATH * 2];
      snprintf(q, sizeof q, "%s, Are you sure", w[i]);
      if (!quiet && !ask_yes(q)) continue;
      if (!remove_tree(w[i])) {
        print_win32_error(GetLastError());
        rc = 1;
      }
    } else if (!RemoveDirectoryA(w[i])) {
      print_win32_error(GetLastError());
      rc = 145;
    }
  }
  return rc ? 1 : 0;
}

/* ---- ren, move ---- */

/* The new name of `name` under a rename mask ("*.bak", "?x*"). */
static void apply_mask(const char *name, const char *mask, char *out, size_t size) {
  size_t o = 0;
  const char *s = name;
  for (const char *m = mask; *m && o + 1 < size; m++) {
    if (*m == '*') {
      const char *stop = m[1] ? strrchr(s, m[1]) : NULL;
      if (!stop) stop = s + strlen(s);
      while (s < stop && o + 1 < size) out[o++] = *s++;
    } else if (*m == '?') {
      if (*s && *s != '.') out[o++] = *s++;
    } else {
      out[o++] = *m;
      if (*s == *m || (*m != '.' && *s && *s != '.')) s++;
      if (*m == '.') {
        const char *dot = strchr(s, '.');
        s = dot ? dot + 1 : s;
      }
    }
  }
  out[o] = 0;
}

int b_ren(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS], from[MAX_PATH * 2], to[MAX_PATH * 2], nn[MAX_PATH];
  int quiet = 0, rc = 0;
  int n = split_args(a, w, store, &quiet, NULL);
  if (n != 2 || strpbrk(w[1], "\\/:")) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  WIN32_FIND_DATAA fd;
  HANDLE h = FindFirstFileA(w[0], &fd);
  if (h == INVALID_HANDLE_VALUE) {
    print_win32_error(ERROR_FILE_NOT_FOUND);
    return 1;
  }
  size_t dl = dir_part(w[0]);
  do {
    if (has_wild(w[1])) apply_mask(fd.cFileName, w[1], nn, sizeof nn);
    else snprintf(nn, sizeof nn, "%s", w[1]);
    snprintf(from, sizeof from, "%.*s%s", (int)dl, w[0], fd.cFileName);
    snprintf(to, sizeof to, "%.*s%s", (int)dl, w[0], nn);
    if (!MoveFileA(from, to)) {
      DWORD e = GetLastError();
      if (e == ERROR_ALREADY_EXISTS || e == ERROR_FILE_EXISTS)
        errf("A duplicate file name exists, or the file\ncannot be found.\n");
      else print_win32_error(e);
      rc = 1;
    }
  } while (has_wild(w[0]) && FindNextFileA(h, &fd));
  FindClose(h);
  return rc;
}

int b_move(const char *a) {
  char store[LINE_MAX_LEN], *w[MAX_WORDS], target[MAX_PATH * 2];
  int quiet = 0;
  int n = split_args(a, w, store, &quiet, NULL);
  if (n != 2) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  DWORD attr = GetFileAttributesA(w[0]);
  if (attr == INVALID_FILE_ATTRIBUTES) {
    print_win32_error(ERROR_FILE_NOT_FOUND);
    return 1;
  }
  int isdir = (attr & FILE_ATTRIBUTE_DIRECTORY) != 0;
  if (is_dir(w[1])) {
    size_t k = strlen(w[1]);
    snprintf(target, sizeof target, "%s%s%s", w[1], k && strchr("\\/:", w[1][k - 1]) ? "" : "\\",
             base_name(w[0]));
  } else {
    snprintf(target, sizeof target, "%s", w[1]);
  }
  if (!MoveFileExA(w[0], target, isdir ? 0 : MOVEFILE_REPLACE_EXISTING | MOVEFILE_COPY_ALLOWED)) {
    print_win32_error(GetLastError());
    outf("%9d %s moved.\n", 0, isdir ? "dir(s)" : "file(s)");
    return 1;
  }
  outf("%9d %s moved.\n", 1, isdir ? "dir(s)" : "file(s)");
  return 0;
}
