/*
 * Console functions over NtStrataConsoleControl. A console is a terminal,
 * so the screen is the terminal's window (its size from the terminal,
 * 80x25 when it reports none; the buffer is the window, there is no
 * scroll-back), output positioning is done with ANSI/VT sequences, and the
 * title goes to the executive (shared by the processes on that terminal)
 * and to the terminal as an xterm OSC 0 sequence.
 *
 *   GetConsoleScreenBufferInfo  size from the terminal; the cursor is the
 *                               last position this process set (0,0 before)
 *   SetConsoleCursorPosition    ESC [ row ; col H
 *   FillConsoleOutputCharacterA the whole screen from 0,0 with ' ' is
 *                               ESC [ 2J; otherwise the characters are
 *                               written at the position between ESC 7 / ESC 8
 *   SetConsoleTitleA / GetConsoleTitleA, FlushConsoleInputBuffer
 *
 * A process "has a console" when one of its standard handles is a console
 * handle; the title functions use that one.
 */
#include "k32.h"

NTSTATUS_T NtStrataConsoleControl(HANDLE_T h, ULONG_T op, void *buf, ULONG_T len, ULONG_T *ret);

#define OP_SIZE 0
#define OP_FLUSH_INPUT 1
#define OP_SET_TITLE 2
#define OP_GET_TITLE 3

static COORD cursor;

static BOOL console_size(HANDLE h, COORD *size) {
  unsigned short wh[2];
  NTSTATUS_T s = NtStrataConsoleControl(h, OP_SIZE, wh, sizeof wh, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  size->X = (SHORT)wh[0];
  size->Y = (SHORT)wh[1];
  return TRUE;
}

BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE h, PCONSOLE_SCREEN_BUFFER_INFO info) {
  COORD size;
  if (!console_size(h, &size)) return FALSE;
  if (!info) return k32_error(ERROR_INVALID_PARAMETER);
  info->dwSize = size;
  info->dwCursorPosition.X = cursor.X < size.X ? cursor.X : size.X - 1;
  info->dwCursorPosition.Y = cursor.Y < size.Y ? cursor.Y : size.Y - 1;
  info->wAttributes = FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE;
  info->srWindow.Left = 0;
  info->srWindow.Top = 0;
  info->srWindow.Right = (SHORT)(size.X - 1);
  info->srWindow.Bottom = (SHORT)(size.Y - 1);
  info->dwMaximumWindowSize = size;
  return TRUE;
}

static BOOL put(HANDLE h, const char *s, DWORD n) {
  DWORD done;
  return WriteFile(h, s, n, &done, 0);
}

/* "ESC [ row ; col H" (1-based) into buf; its length. */
static DWORD move_seq(char *buf, COORD at) {
  char tmp[24];
  DWORD n = 0;
  unsigned v[2] = {(unsigned)at.Y + 1, (unsigned)at.X + 1};
  buf[n++] = 27;
  buf[n++] = '[';
  for (int i = 0; i < 2; i++) {
    int k = 0;
    do tmp[k++] = (char)('0' + v[i] % 10); while (v[i] /= 10);
    while (k) buf[n++] = tmp[--k];
    buf[n++] = i ? 'H' : ';';
  }
  return n;
}

BOOL WINAPI SetConsoleCursorPosition(HANDLE h, COORD at) {
  COORD size;
  char seq[24];
  if (!console_size(h, &size)) return FALSE;
  if (at.X < 0 || at.Y < 0 || at.X >= size.X || at.Y >= size.Y)
    return k32_error(ERROR_INVALID_PARAMETER);
  if (!put(h, seq, move_seq(seq, at))) return FALSE;
  cursor = at;
  return TRUE;
}

BOOL WINAPI FillConsoleOutputCharacterA(HANDLE h, CHAR c, DWORD n, COORD at, LPDWORD written) {
  COORD size;
  char buf[256];
  if (!console_size(h, &size)) return FALSE;
  if (!written) return k32_error(ERROR_INVALID_PARAMETER);
  *written = 0;
  if (at.X < 0 || at.Y < 0 || at.X >= size.X || at.Y >= size.Y) return TRUE;
  DWORD cells = (DWORD)size.X * (DWORD)size.Y, start = (DWORD)at.Y * (DWORD)size.X + (DWORD)at.X;
  if (n > cells - start) n = cells - start;
  if (start == 0 && n == cells && c == ' ') {
    if (!put(h, "\x1b[2J", 4)) return FALSE;
    *written = n;
    return TRUE;
  }
  DWORD k = 2 + move_seq(buf + 2, at);
  buf[0] = 27;
  buf[1] = '7';
  if (!put(h, buf, k)) return FALSE;
  memset(buf, c, sizeof buf);
  for (DWORD left = n; left;) {
    DWORD m = left < sizeof buf ? left : sizeof buf;
    if (!put(h, buf, m)) return FALSE;
    left -= m;
  }
  put(h, "\x1b" "8", 2);
  *written = n;
  return TRUE;
}

BOOL WINAPI FlushConsoleInputBuffer(HANDLE h) {
  NTSTATUS_T s = NtStrataConsoleControl(h, OP_FLUSH_INPUT, 0, 0, 0);
  return NT_SUCCESS(s) ? TRUE : k32_fail(s);
}

/* The first standard handle that is a console (output ones first); NULL if none. */
static HANDLE console_handle(int *output) {
  static const DWORD which[3] = {STD_OUTPUT_HANDLE, STD_ERROR_HANDLE, STD_INPUT_HANDLE};
  for (int i = 0; i < 3; i++) {
    HANDLE h = GetStdHandle(which[i]);
    ULONG_T m;
    if (h && h != INVALID_HANDLE_VALUE && NT_SUCCESS(NtStrataConsoleMode(h, 0, 0, &m))) {
      *output = i < 2;
      return h;
    }
  }
  return NULL;
}

BOOL WINAPI SetConsoleTitleA(LPCSTR title) {
  int output = 0;
  HANDLE h = console_handle(&output);
  if (!h) return k32_error(ERROR_INVALID_HANDLE);
  if (!title) return k32_error(ERROR_INVALID_PARAMETER);
  size_t n = strlen(title);
  NTSTATUS_T s = NtStrataConsoleControl(h, OP_SET_TITLE, (void *)title, (ULONG_T)n, 0);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (output) {
    put(h, "\x1b]0;", 4);
    put(h, title, (DWORD)n);
    put(h, "\x07", 1);
  }
  return TRUE;
}

DWORD WINAPI GetConsoleTitleA(LPSTR buf, DWORD size) {
  int output;
  char title[1024];
  ULONG_T len = 0;
  HANDLE h = console_handle(&output);
  if (!h) return k32_error(ERROR_INVALID_HANDLE);
  NTSTATUS_T s = NtStrataConsoleControl(h, OP_GET_TITLE, title, sizeof title, &len);
  if (!NT_SUCCESS(s)) return k32_fail(s);
  if (!buf || !size) return 0;
  DWORD n = len < size - 1 ? len : size - 1;
  memcpy(buf, title, n);
  buf[n] = 0;
  return n;
}
