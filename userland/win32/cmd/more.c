/* more: shows its input a screen at a time when standard output is a
 * console, and passes it through unchanged otherwise.
 *   more [file ...]        (or: command | more)
 * A page is the console's height less one line, then "-- More --" waits for
 * a line from the console ("q" quits, anything else shows the next page).
 * The keys come from the console's input (CONIN$) even when the text comes
 * from a pipe, or from standard input when there is no console input. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE out, keys;
static int rows, shown, quit;

static void wait_key(void) {
  char c;
  DWORD got, done;
  WriteFile(out, "-- More --", 10, &done, NULL);
  int first = 1;
  while (ReadFile(keys, &c, 1, &got, NULL) && got == 1 && c != '\n') {
    if (first && (c == 'q' || c == 'Q')) quit = 1;
    first = 0;
  }
  if (got != 1) quit = 1;
  WriteFile(out, "\r          \r", 12, &done, NULL);
  shown = 0;
}

/* Writes text, pausing every `rows` lines when paging. */
static void show(const char *text, DWORD n) {
  DWORD done;
  if (!rows) {
    WriteFile(out, text, n, &done, NULL);
    return;
  }
  DWORD start = 0;
  for (DWORD i = 0; i < n && !quit; i++) {
    if (text[i] != '\n') continue;
    WriteFile(out, text + start, i + 1 - start, &done, NULL);
    start = i + 1;
    if (++shown >= rows) wait_key();
  }
  if (start < n && !quit) WriteFile(out, text + start, n - start, &done, NULL);
}

static void pump(HANDLE in) {
  char buf[4096];
  DWORD got;
  while (!quit && ReadFile(in, buf, sizeof buf, &got, NULL) && got) show(buf, got);
}

int main(int argc, char **argv) {
  CONSOLE_SCREEN_BUFFER_INFO info;
  out = GetStdHandle(STD_OUTPUT_HANDLE);
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  if (GetConsoleScreenBufferInfo(out, &info)) {
    rows = info.srWindow.Bottom - info.srWindow.Top;
    if (rows < 1) rows = 1;
    keys = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       NULL, OPEN_EXISTING, 0, NULL);
    if (keys == INVALID_HANDLE_VALUE) keys = in;
  }
  if (argc < 2) {
    pump(in);
    return 0;
  }
  for (int i = 1; i < argc && !quit; i++) {
    HANDLE f = CreateFileA(argv[i], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) {
      fprintf(stderr, "Cannot access file %s\n", argv[i]);
      return 1;
    }
    pump(f);
    CloseHandle(f);
  }
  return 0;
}
