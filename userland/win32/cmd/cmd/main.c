/* cmd.exe: the Win32 command interpreter of Strata.
 *   cmd [/q] [/d] [/s] [/c | /k] command
 * /c runs the command and exits with its errorlevel; /k runs it and stays;
 * without either, cmd reads commands from standard input, showing the
 * prompt (PROMPT, default $P$G) when echo is on, until "exit" or the end of
 * the input. On a console the line editing is the console's (line input).
 * The quote rule of /c and /k is Windows': the quotes around the command
 * are kept only when there are exactly two, no /s, no special character
 * between them, whitespace between them, and they name a program; otherwise
 * the first and last quote are removed. Started from the Unix side with a
 * Unix PATH ("/bin:/usr/bin"), cmd rewrites it as a Win32 PATH
 * ("C:\bin;C:\usr\bin") so the PATH search works. */
#include "cmd.h"

int g_errorlevel;
int g_exit;
int g_interactive;
HANDLE g_in, g_out, g_err;
char g_self[MAX_PATH];
volatile int g_ctrl_c, g_at_prompt;
/* Standard input is the console: Ctrl+C cancels its read at the prompt. */
static int g_console_in;

/* Ctrl+C / Ctrl+Break (on the console control thread): cmd survives it, as
 * Windows' cmd does; the program running in the foreground gets its own.
 * At the prompt a new prompt is shown (the terminal dropped the typed line):
 * here when standard input is not the console, else by read_line, whose
 * read the Ctrl+C cancelled (so a Ctrl+C that ended "type con" shows one
 * prompt). A batch file asks whether to stop after its current line. */
static BOOL WINAPI on_ctrl(DWORD event) {
  (void)event;
  g_ctrl_c = 1;
  if (g_at_prompt && g_echo && !g_console_in) {
    char prompt[MAX_PATH * 2];
    prompt_string(prompt, sizeof prompt);
    outf("\n%s", prompt);
  }
  return TRUE;
}

/* The command line after the program name. */
static const char *after_program(const char *cmd) {
  const char *p = cmd;
  if (*p == '"') {
    for (p++; *p && *p != '"'; p++) {
    }
    if (*p) p++;
  } else {
    while (*p && *p != ' ' && *p != '\t') p++;
  }
  return p;
}

static void unix_path_to_win32(void) {
  char path[4096], out[4096];
  DWORD n = GetEnvironmentVariableA("PATH", path, sizeof path);
  if (n == 0 || n >= sizeof path || strchr(path, ';') || strchr(path, '\\') || path[0] != '/')
    return;
  size_t o = 0;
  for (char *d = path, *next; d && o + 4 < sizeof out; d = next) {
    next = strchr(d, ':');
    if (next) *next++ = 0;
    if (!*d) continue;
    if (o) out[o++] = ';';
    o += (size_t)snprintf(out + o, sizeof out - o, "C:%s", d);
  }
  out[o < sizeof out ? o : sizeof out - 1] = 0;
  for (char *c = out; *c; c++)
    if (*c == '/') *c = '\\';
  SetEnvironmentVariableA("PATH", out);
}

/* Windows' rule for the quotes of "cmd /c ..." (see the top of the file). */
static void strip_command_quotes(char *s, int slash_s) {
  char *first = strchr(s, '"'), *last = strrchr(s, '"');
  int quotes = 0;
  for (char *c = s; *c; c++) quotes += *c == '"';
  if (!slash_s && quotes == 2 && first < last) {
    int special = 0, space = 0;
    for (char *c = first + 1; c < last; c++) {
      if (strchr("&<>()@^|", *c)) special = 1;
      if (*c == ' ' || *c == '\t') space = 1;
    }
    char name[MAX_PATH], image[MAX_PATH];
    snprintf(name, sizeof name, "%.*s", (int)(last - first - 1), first + 1);
    if (!special && space && find_program(name, image, sizeof image)) return;
  }
  if (*skip_ws(s) == '"' && last) {
    char *f = skip_ws(s);
    memmove(last, last + 1, strlen(last + 1) + 1);
    memmove(f, f + 1, strlen(f + 1) + 1);
  }
}

/* One line from standard input (without the line break); 0 at the end of input. A
 * console read that Ctrl+C cancelled drops the line and reads on (the handler showed
 * a new prompt). */
static int read_line(char *line, size_t size) {
  size_t o = 0;
  DWORD got;
  char c;
  int any = 0;
  for (;;) {
    SetLastError(0);
    if (!ReadFile(g_in, &c, 1, &got, NULL)) break;
    if (got != 1) {
      if (GetLastError() != ERROR_OPERATION_ABORTED) break;
      if (g_at_prompt && g_echo) {
        char prompt[MAX_PATH * 2];
        prompt_string(prompt, sizeof prompt);
        outf("\n%s", prompt);
      }
      o = 0;
      any = 0;
      continue;
    }
    any = 1;
    if (c == '\n') break;
    if (c != '\r' && o + 1 < size) line[o++] = c;
  }
  line[o] = 0;
  return any;
}

static int is_console(HANDLE h) {
  DWORD mode;
  return GetConsoleMode(h, &mode);
}

static void interactive(void) {
  char line[LINE_MAX_LEN], more[LINE_MAX_LEN], prompt[MAX_PATH * 2];
  int console = is_console(g_in), first = 1;
  g_console_in = console;
  g_interactive = 1;
  while (!g_exit) {
    if (g_echo) {
      prompt_string(prompt, sizeof prompt);
      outf("%s%s", first ? "" : "\n", prompt);
    }
    first = 0;
    g_at_prompt = 1;
    int got = read_line(line, sizeof line);
    g_at_prompt = 0;
    g_ctrl_c = 0;
    if (!got) break;
    while (paren_balance(line) > 0) {
      if (g_echo) outf("More? ");
      if (!read_line(more, sizeof more)) break;
      size_t n = strlen(line);
      if (n + strlen(more) + 2 >= sizeof line) break;
      line[n] = '\n';
      strcpy(line + n + 1, more);
    }
    if (g_echo && !console) outf("%s\n", line);
    run_line(line);
  }
  if (g_echo && !g_exit) outf("\n");
}

int main(void) {
  g_in = GetStdHandle(STD_INPUT_HANDLE);
  g_out = GetStdHandle(STD_OUTPUT_HANDLE);
  g_err = GetStdHandle(STD_ERROR_HANDLE);
  if (!GetModuleFileNameA(NULL, g_self, sizeof g_self)) strcpy(g_self, "cmd.exe");
  SetConsoleCtrlHandler(on_ctrl, TRUE);
  unix_path_to_win32();
  char exts[8];
  if (!GetEnvironmentVariableA("PATHEXT", exts, sizeof exts))
    SetEnvironmentVariableA("PATHEXT", ".COM;.EXE;.BAT;.CMD");
  const char *p = after_program(GetCommandLineA());
  int mode = 0, slash_s = 0; /* mode: 'c', 'k' or 0 */
  for (;;) {
    p = skip_ws(p);
    if (p[0] != '/' || !p[1]) break;
    char o = p[1] | 0x20;
    if (o == 'c' || o == 'k') {
      mode = o;
      p += 2;
      break;
    }
    if (o == 'q') g_echo = 0;
    if (o == 's') slash_s = 1;
    p += 2;
    while (*p && *p != ' ' && *p != '\t' && *p != '/') p++;
  }
  if (mode) {
    char *command = xstrdup(skip_ws(p));
    strip_command_quotes(command, slash_s);
    run_line(command);
    free(command);
    if (mode == 'c' || g_exit) return g_errorlevel;
  } else if (g_echo) {
    outf("Strata Windows [Version 10.0.19045]\n\n");
  }
  interactive();
  return g_errorlevel;
}
