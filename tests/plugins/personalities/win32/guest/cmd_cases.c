/* The case runner of the cmd.exe tests: reads a spec file and, in the
 * current folder, writes its files ("#file NAME" ... "#end", lines stored
 * with CRLF) and runs each case ("#case" then one command line) as
 * "cmd.exe /c LINE" with CreateProcessA, standard output and error both on
 * this program's standard output, printing "=== LINE" before and "rc=N"
 * after. The same source builds with MinGW-w64 for the run under Wine.
 *   cmd_cases CMD_EXE_PATH SPEC_FILE */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HANDLE inheritable(HANDLE h) {
  HANDLE d = NULL;
  DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, TRUE, DUPLICATE_SAME_ACCESS);
  return d;
}

static void run_case(const char *cmd, const char *line) {
  static char cl[8192];
  snprintf(cl, sizeof cl, "cmd.exe /c %s", line);
  printf("=== %s\n", line);
  fflush(stdout);
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = inheritable(GetStdHandle(STD_INPUT_HANDLE));
  si.hStdOutput = inheritable(GetStdHandle(STD_OUTPUT_HANDLE));
  si.hStdError = inheritable(GetStdHandle(STD_OUTPUT_HANDLE));
  if (!CreateProcessA(cmd, cl, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    printf("CreateProcessA failed: %lu\n", (unsigned long)GetLastError());
  } else {
    DWORD code = 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    printf("rc=%lu\n", (unsigned long)code);
  }
  if (si.hStdInput) CloseHandle(si.hStdInput);
  CloseHandle(si.hStdOutput);
  CloseHandle(si.hStdError);
}

int main(int argc, char **argv) {
  static char line[8192];
  char cwd[MAX_PATH];
  if (argc != 3) return 2;
  FILE *spec = fopen(argv[2], "r");
  if (!spec) return 3;
  GetCurrentDirectoryA(sizeof cwd, cwd);
  printf("cwd=%s\n", cwd);
  FILE *out = NULL;
  int want_case = 0;
  while (fgets(line, sizeof line, spec)) {
    line[strcspn(line, "\r\n")] = 0;
    if (out) {
      if (strcmp(line, "#end") == 0) {
        fclose(out);
        out = NULL;
      } else {
        fprintf(out, "%s\n", line);
      }
    } else if (strncmp(line, "#file ", 6) == 0) {
      out = fopen(line + 6, "w");
      if (!out) return 4;
    } else if (strcmp(line, "#case") == 0) {
      want_case = 1;
    } else if (want_case) {
      run_case(argv[1], line);
      want_case = 0;
    }
  }
  fclose(spec);
  return 0;
}
