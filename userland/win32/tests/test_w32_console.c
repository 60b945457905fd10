/* Console functions: GetConsoleScreenBufferInfo, SetConsoleCursorPosition,
 * FillConsoleOutputCharacterA, FlushConsoleInputBuffer, SetConsoleTitleA
 * and GetConsoleTitleA. Handles that are not consoles (a pipe, a file,
 * INVALID_HANDLE_VALUE) fail with ERROR_INVALID_HANDLE. Where a standard
 * handle is a console (which differs between runs: under the interop test
 * standard output is a file or pipe, and standard input a console on Strata
 * but a pipe under Wine), the calls on it are checked without printing, so
 * the printed lines are the same either way. Prints its
 * results; exits with the number of failed expectations. */
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
  buf[0] = 'x';
  QUIET_CHECK("GetConsoleTitleA empty", GetConsoleTitleA(buf, sizeof buf) == 0 && buf[0] == 0);
  printf("titles: checked\n");
}

int main(void) {
  HANDLE r, w;
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
  SetStdHandle(STD_ERROR_HANDLE, err);
  CloseHandle(f);
  printf("failures: %d\n", failures);
  return failures;
}
