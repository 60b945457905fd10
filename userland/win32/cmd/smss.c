/* smss: the first process of a Win32 session (`--personality win32`), as
 * NT's session manager starts the session before anyone logs on. It sets the
 * session's environment (each variable only where the boot environment does
 * not already give it: SystemRoot, windir, SystemDrive, COMSPEC, PATH,
 * PATHEXT, PROMPT, OS, COMPUTERNAME, USERNAME, USERPROFILE, HOMEDRIVE,
 * HOMEPATH, TEMP, TMP), makes C:\ the current directory, starts the command
 * interpreter (%COMSPEC%) on the console with its standard handles, waits
 * for it and exits with its exit code, which ends the session. A Ctrl+C on
 * the console is handled (ignored) by smss itself, so only the session's
 * programs see it. The console (CONIN$) gets no suspend key: Ctrl+Z is a
 * character on a Windows console (a line that begins with it ends the
 * input of "type con" or "copy con"), not the terminal's job-control stop.
 *
 *   smss.exe              an interactive %COMSPEC%
 *   smss.exe /c COMMAND   %COMSPEC% /c COMMAND (COMMAND is passed on as given)
 *
 * Exit codes of its own: 2 for a wrong command line, 127 when %COMSPEC%
 * does not exist, 126 when it cannot be started otherwise. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sets NAME to VALUE unless the environment already has NAME. */
static void set_default(const char *name, const char *value) {
  char probe[4];
  if (GetEnvironmentVariableA(name, probe, sizeof probe) == 0 &&
      GetLastError() == ERROR_ENVVAR_NOT_FOUND)
    SetEnvironmentVariableA(name, value);
}

static void session_environment(void) {
  char name[256];
  DWORD n = sizeof name;
  set_default("SystemRoot", "C:\\Windows");
  set_default("windir", "C:\\Windows");
  set_default("SystemDrive", "C:");
  set_default("COMSPEC", "C:\\bin\\cmd.exe");
  set_default("PATH", "C:\\bin;C:\\Windows\\System32;C:\\Windows");
  /* The final "." finds a program without an extension (the Unix ones in C:\bin): "ls." is
   * the file "ls", as Win32 names drop a trailing period. */
  set_default("PATHEXT", ".COM;.EXE;.BAT;.CMD;.");
  set_default("PROMPT", "$P$G");
  set_default("OS", "Windows_NT");
  if (GetComputerNameA(name, &n)) set_default("COMPUTERNAME", name);
  n = sizeof name;
  if (GetUserNameA(name, &n)) set_default("USERNAME", name);
  set_default("USERPROFILE", "C:\\");
  set_default("HOMEDRIVE", "C:");
  set_default("HOMEPATH", "\\");
  set_default("TEMP", "C:\\tmp");
  set_default("TMP", "C:\\tmp");
}

/* The session manager is no console program: a Ctrl+C on the console is for the programs of the
 * session, so smss's own handler says it was handled. Handler routines are not inherited. */
static BOOL WINAPI ignore_ctrl(DWORD event) {
  (void)event;
  return TRUE;
}

typedef BOOL(WINAPI *ctrl_handler_fn)(BOOL(WINAPI *)(DWORD), BOOL);

/* Installs ignore_ctrl through SetConsoleCtrlHandler where kernel32 has it. */
static void survive_ctrl_c(void) {
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  ctrl_handler_fn set = k32 ? (ctrl_handler_fn)GetProcAddress(k32, "SetConsoleCtrlHandler") : NULL;
  if (set) set(ignore_ctrl, TRUE);
}

typedef LONG(WINAPI *console_control_fn)(HANDLE, ULONG, void *, ULONG, ULONG *);

/* Turns the console terminal's suspend character off (NtStrataConsoleControl's NO_SUSPEND, 4). */
static void windows_keys(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  console_control_fn control =
      ntdll ? (console_control_fn)GetProcAddress(ntdll, "NtStrataConsoleControl") : NULL;
  HANDLE in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE,
                          FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  if (in == INVALID_HANDLE_VALUE) return;
  if (control) control(in, 4, NULL, 0, NULL);
  CloseHandle(in);
}

/* The interpreter's command line: "COMSPEC" or "COMSPEC /c COMMAND"; NULL if out of memory. */
static char *interpreter_line(const char *comspec, const char *command) {
  size_t n = strlen(comspec) + 3 + (command ? strlen(command) + 4 : 0);
  char *line = malloc(n);
  if (!line) return NULL;
  if (command)
    sprintf(line, "\"%s\" /c %s", comspec, command);
  else
    sprintf(line, "\"%s\"", comspec);
  return line;
}

int main(int argc, char **argv) {
  const char *command = NULL;
  if (argc == 3 && (strcmp(argv[1], "/c") == 0 || strcmp(argv[1], "/C") == 0)) {
    command = argv[2];
  } else if (argc != 1) {
    fprintf(stderr, "smss: usage: smss.exe [/c COMMAND]\n");
    return 2;
  }
  survive_ctrl_c();
  windows_keys();
  session_environment();
  if (!SetCurrentDirectoryA("C:\\"))
    fprintf(stderr, "smss: cannot enter C:\\, error %lu\n", (unsigned long)GetLastError());
  char comspec[MAX_PATH];
  DWORD n = GetEnvironmentVariableA("COMSPEC", comspec, sizeof comspec);
  if (n == 0 || n >= sizeof comspec) {
    fprintf(stderr, "smss: COMSPEC is not set\n");
    return 126;
  }
  char *line = interpreter_line(comspec, command);
  if (!line) {
    fprintf(stderr, "smss: out of memory\n");
    return 126;
  }
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessA(comspec, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
    DWORD err = GetLastError();
    fprintf(stderr, "smss: cannot start %s, error %lu\n", comspec, (unsigned long)err);
    return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ? 127 : 126;
  }
  free(line);
  CloseHandle(pi.hThread);
  DWORD code = 1;
  if (WaitForSingleObject(pi.hProcess, INFINITE) != WAIT_OBJECT_0 ||
      !GetExitCodeProcess(pi.hProcess, &code)) {
    fprintf(stderr, "smss: cannot wait for %s, error %lu\n", comspec,
            (unsigned long)GetLastError());
    return 126;
  }
  CloseHandle(pi.hProcess);
  return (int)code;
}
