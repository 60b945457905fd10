/* Console functions: GetConsoleScreenBufferInfo, SetConsoleCursorPosition,
 * FillConsoleOutputCharacterA, FlushConsoleInputBuffer, SetConsoleTitleA
 * and GetConsoleTitleA. Handles that are not consoles (a pipe, a file,
 * INVALID_HANDLE_VALUE) fail with ERROR_INVALID_HANDLE. Where a standard
 * handle is a console (which differs between runs: under the interop test
 * standard output is a file or pipe, and standard input a console on Strata
 * but a pipe under Wine), the calls on it are checked without printing, so
 * the printed lines are the same either way. The console devices CONIN$,
 * CONOUT$ and CON (also with a folder or an extension) open the console's
 * input and output with one, and fail with ERROR_INVALID_HANDLE without one;
 * a device name in a folder that does not exist is ERROR_PATH_NOT_FOUND
 * either way. Prints its results; exits with the number of failed
 * expectations.
 *
 *   test_w32_console        the checks
 *   test_w32_console read   reads the console's input through CONIN$ and
 *                           then CON until each ends (a line that begins
 *                           with Ctrl+Z), printing what each read returned,
 *                           then writes a line through CONOUT$ and one
 *                           through fopen("CON", "w") */
#include "w32check.h"

/* Checks on a console output handle; prints nothing unless one fails. */
static void console_output(HANDLE con) {
  CONSOLE_SCREEN_BUFFER_INFO info;
  COORD home = {0, 0}, bad = {-1, 0};
  DWORD n = 99;
  int ok = GetConsoleScreenBufferInfo(con, &info) && info.dwSize.X > 0 && info.dwSize.Y > 0 &&
           info.srWindow.Right < info.dwSize.X && info.srWindow.Bottom < info.dwSize.Y &&
           info.dwCursorPosition.X < info.dwSize.X && info.dwCursorPosition.Y < info.dwSize.Y;
  if (!ok) {
    printf("console: GetConsoleScreenBufferInfo FAILED\n");
    failures++;
  }
  COORD cur = info.dwCursorPosition;
  if (!SetConsoleCursorPosition(con, cur)) {
    printf("console: SetConsoleCursorPosition FAILED\n");
    failures++;
  }
  SetLastError(0);
  if (SetConsoleCursorPosition(con, bad) || GetLastError() != ERROR_INVALID_PARAMETER) {
    printf("console: SetConsoleCursorPosition(-1, 0) FAILED\n");
    failures++;
  }
  if (!FillConsoleOutputCharacterA(con, ' ', 0, home, &n) || n != 0) {
    printf("console: FillConsoleOutputCharacterA(0 cells) FAILED\n");
    failures++;
  }
}

static void not_a_console(const char *what, HANDLE h) {
  CONSOLE_SCREEN_BUFFER_INFO info;
  COORD home = {0, 0};
  DWORD n = 0;
  char line[96];
  SetLastError(0);
  snprintf(line, sizeof line, "%s: GetConsoleScreenBufferInfo", what);
  CHECK(line, GetConsoleScreenBufferInfo(h, &info), 0, ERROR_INVALID_HANDLE);
  SetLastError(0);
  snprintf(line, sizeof line, "%s: SetConsoleCursorPosition", what);
  CHECK(line, SetConsoleCursorPosition(h, home), 0, ERROR_INVALID_HANDLE);
  SetLastError(0);
  snprintf(line, sizeof line, "%s: FillConsoleOutputCharacterA", what);
  CHECK(line, FillConsoleOutputCharacterA(h, ' ', 10, home, &n), 0, ERROR_INVALID_HANDLE);
  SetLastError(0);
  snprintf(line, sizeof line, "%s: FlushConsoleInputBuffer", what);
  CHECK(line, FlushConsoleInputBuffer(h), 0, ERROR_INVALID_HANDLE);
}

static int is_console(HANDLE h) {
  DWORD mode;
  return GetConsoleMode(h, &mode);
}

#define QUIET_CHECK(what, cond)               \
  do {                                        \
    if (!(cond)) {                            \
      printf("titles: %s FAILED\n", what);    \
      failures++;                             \
    }                                         \
  } while (0)

/* The title belongs to the console: with one, it reads back what was set;
 * without one, both calls fail. Either way only
 * failures are printed. */
static void titles(void) {
  char buf[64];
  int console = is_console(GetStdHandle(STD_INPUT_HANDLE)) ||
                is_console(GetStdHandle(STD_OUTPUT_HANDLE)) ||
                is_console(GetStdHandle(STD_ERROR_HANDLE));
  if (!console) {
    /* The error code differs (Windows: ERROR_INVALID_HANDLE; Wine: ERROR_INVALID_ACCESS). */
    QUIET_CHECK("SetConsoleTitleA without a console", !SetConsoleTitleA("x"));
    QUIET_CHECK("GetConsoleTitleA without a console", GetConsoleTitleA(buf, sizeof buf) == 0);
    printf("titles: checked\n");
    return;
  }
  QUIET_CHECK("SetConsoleTitleA", SetConsoleTitleA("Strata console test"));
  memset(buf, 'x', sizeof buf);
  QUIET_CHECK("GetConsoleTitleA length", GetConsoleTitleA(buf, sizeof buf) == 19);
  QUIET_CHECK("GetConsoleTitleA text", strcmp(buf, "Strata console test") == 0);
  QUIET_CHECK("SetConsoleTitleA empty", SetConsoleTitleA(""));
  /* The buffer is not checked: Strata writes "", Wine leaves it as it was. */
  QUIET_CHECK("GetConsoleTitleA empty", GetConsoleTitleA(buf, sizeof buf) == 0);
  printf("titles: checked\n");
}

static HANDLE open_dev(const char *name, DWORD access) {
  return CreateFileA(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                     NULL);
}

/* The open of `name` with `access` gives a console handle on the console's input (`input`) or
 * output: GetConsoleMode (with read access) gives that side's mode, a read of an output or a
 * write to an input fails with ERROR_INVALID_HANDLE, a 0-byte write to an output works. Prints
 * nothing unless it fails. */
static void console_device(const char *name, DWORD access, int input) {
  DWORD m = 0, done = 1;
  char c;
  HANDLE h = open_dev(name, access);
  int ok = h != INVALID_HANDLE_VALUE && GetFileType(h) == FILE_TYPE_CHAR;
  if (ok && (access & GENERIC_READ)) ok = GetConsoleMode(h, &m) && m == (input ? 0x1f7 : 0x3);
  SetLastError(0);
  if (ok && input && (access & GENERIC_WRITE))
    ok = !WriteFile(h, "", 0, &done, NULL) && GetLastError() == ERROR_INVALID_HANDLE;
  if (ok && !input && (access & GENERIC_READ))
    ok = !ReadFile(h, &c, 0, &done, NULL) && GetLastError() == ERROR_INVALID_HANDLE;
  if (ok && !input) ok = WriteFile(h, "", 0, &done, NULL) && done == 0;
  if (ok && !input) ok = WriteConsoleA(h, "", 0, &done, NULL) && done == 0;
  SetLastError(0);
  if (ok && !(access & GENERIC_READ))
    ok = !GetConsoleMode(h, &m) && GetLastError() == ERROR_INVALID_HANDLE;
  CONSOLE_SCREEN_BUFFER_INFO info;
  SetLastError(0);
  if (ok && input)
    ok = !GetConsoleScreenBufferInfo(h, &info) && GetLastError() == ERROR_INVALID_HANDLE;
  if (ok && !input && (access & GENERIC_READ)) ok = GetConsoleScreenBufferInfo(h, &info);
  /* Wine answers ERROR_BAD_DEV_TYPE for the attributes of "\\.\" names: not checked. */
  if (ok && name[0] != '\\') ok = GetFileAttributesA(name) == FILE_ATTRIBUTE_ARCHIVE;
  if (!ok) {
    printf("devices: %s (access %lx) FAILED: error %lu, mode %lx\n", name, (unsigned long)access,
           (unsigned long)GetLastError(), (unsigned long)m);
    failures++;
  }
  if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
}

/* The open of `name` with `access` fails with `error`; prints nothing unless it does not. */
static void device_fails(const char *name, DWORD access, DWORD error) {
  SetLastError(0);
  HANDLE h = open_dev(name, access);
  if (h != INVALID_HANDLE_VALUE || GetLastError() != error) {
    printf("devices: %s (access %lx) FAILED: error %lu, wanted %lu\n", name,
           (unsigned long)access, (unsigned long)GetLastError(), (unsigned long)error);
    failures++;
    if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
  }
}

static void devices(void) {
  static const char *const in_names[] = {"CONIN$", "conin$", "\\\\.\\CONIN$",
                                         "C:\\Windows\\conin$"};
  static const char *const out_names[] = {"CONOUT$", "ConOut$", "conout$.txt",
                                          "\\\\.\\CONOUT$"};
  static const char *const con_names[] = {"CON",      "con",      "con.txt",
                                          "CON:",     "c:con",    "con .log",
                                          "C:\\Windows\\con.txt", "\\\\.\\CON"};
  const DWORD rw = GENERIC_READ | GENERIC_WRITE;
  int console = is_console(GetStdHandle(STD_INPUT_HANDLE)) ||
                is_console(GetStdHandle(STD_OUTPUT_HANDLE)) ||
                is_console(GetStdHandle(STD_ERROR_HANDLE));
  for (int i = 0; i < 4; i++) {
    if (console) {
      console_device(in_names[i], GENERIC_READ, 1);
      console_device(in_names[i], rw, 1);
      console_device(out_names[i], GENERIC_WRITE, 0);
      console_device(out_names[i], rw, 0);
    } else {
      device_fails(in_names[i], GENERIC_READ, ERROR_INVALID_HANDLE);
      device_fails(out_names[i], GENERIC_WRITE, ERROR_INVALID_HANDLE);
    }
  }
  for (int i = 0; i < 8; i++) {
    if (console) {
      console_device(con_names[i], GENERIC_READ, 1);
      console_device(con_names[i], GENERIC_WRITE, 0);
    } else {
      device_fails(con_names[i], GENERIC_READ, ERROR_INVALID_HANDLE);
      device_fails(con_names[i], GENERIC_WRITE, ERROR_INVALID_HANDLE);
    }
    /* CON for both reading and writing is refused (Windows documents ERROR_FILE_NOT_FOUND;
     * Wine, whose result is compared here, answers ERROR_INVALID_PARAMETER). */
    device_fails(con_names[i], rw, console ? ERROR_INVALID_PARAMETER : ERROR_INVALID_HANDLE);
  }
  FILE *con = fopen("CON", "w");
  if ((con != NULL) != console) {
    printf("devices: fopen(\"CON\", \"w\") FAILED\n");
    failures++;
  }
  if (con) fclose(con);
  printf("devices: CONIN$, CONOUT$ and CON follow the console\n");
  static const char *const missing[] = {"nodir\\con", "C:\\nodir\\CONOUT$", "nodir\\nul.txt"};
  char line[64];
  for (int i = 0; i < 3; i++) {
    snprintf(line, sizeof line, "devices: %s", missing[i]);
    SetLastError(0);
    CHECK(line, open_dev(missing[i], GENERIC_WRITE) == INVALID_HANDLE_VALUE, 1,
          ERROR_PATH_NOT_FOUND);
  }
  SetLastError(0);
  CHECK("devices: CONOUT$\\", open_dev("CONOUT$\\", GENERIC_WRITE) == INVALID_HANDLE_VALUE, 1,
        ERROR_FILE_NOT_FOUND);
  /* The full path name of a device is "\\.\" and the name, in any folder. */
  static const char *const full[] = {"con", "C:\\Windows\\CONOUT$.txt", "nodir\\nul", "CON:"};
  for (int i = 0; i < 4; i++) {
    char buf[MAX_PATH], *part = buf;
    DWORD n = GetFullPathNameA(full[i], sizeof buf, buf, &part);
    printf("devices: GetFullPathNameA(%s): %lu %s, file part %s\n", full[i], (unsigned long)n,
           n ? buf : "-", part ? part : "NULL");
  }
}

/* Prints one read's bytes, control characters as \xNN. */
static void show_read(const char *name, const char *buf, DWORD n) {
  printf("%s: %lu bytes: ", name, (unsigned long)n);
  for (DWORD i = 0; i < n; i++) {
    unsigned char c = (unsigned char)buf[i];
    if (c >= 32 && c < 127) putchar(c);
    else printf("\\x%02x", c);
  }
  putchar('\n');
}

static int read_console(void) {
  static const char *const names[] = {"CONIN$", "CON"};
  char buf[64];
  DWORD n;
  for (int i = 0; i < 2; i++) {
    HANDLE h = open_dev(names[i], GENERIC_READ);
    if (h == INVALID_HANDLE_VALUE) {
      printf("%s: error %lu\n", names[i], (unsigned long)GetLastError());
      return 1;
    }
    while (ReadFile(h, buf, sizeof buf, &n, NULL) && n) show_read(names[i], buf, n);
    printf("%s: end of input\n", names[i]);
    CloseHandle(h);
  }
  fflush(stdout);
  HANDLE out = open_dev("CONOUT$", GENERIC_WRITE);
  int ok = out != INVALID_HANDLE_VALUE && WriteFile(out, "to CONOUT$\r\n", 12, &n, NULL) && n == 12;
  if (out != INVALID_HANDLE_VALUE) CloseHandle(out);
  FILE *con = fopen("CON", "w");
  ok = ok && con && fputs("to CON\n", con) >= 0;
  if (con) fclose(con);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  HANDLE r, w;
  if (argc == 2 && strcmp(argv[1], "read") == 0) return read_console();
  /* Standard error goes to a file while the checks run: a console there
   * would show the control sequences of the calls in the compared output. */
  HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
  HANDLE f = CreateFileA("console_test.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
  EXPECT("file opened", f != INVALID_HANDLE_VALUE);
  SetStdHandle(STD_ERROR_HANDLE, f);
  CHECK("CreatePipe", CreatePipe(&r, &w, NULL, 0), 1, -1);
  not_a_console("pipe read end", r);
  not_a_console("pipe write end", w);
  CloseHandle(r);
  CloseHandle(w);
  not_a_console("file", f);
  not_a_console("invalid handle", INVALID_HANDLE_VALUE);
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  if (is_console(in) && !FlushConsoleInputBuffer(in)) {
    printf("console: FlushConsoleInputBuffer FAILED\n");
    failures++;
  }
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  if (is_console(out)) console_output(out);
  titles();
  devices();
  SetStdHandle(STD_ERROR_HANDLE, err);
  CloseHandle(f);
  printf("failures: %d\n", failures);
  return failures;
}
