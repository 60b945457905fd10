/* taskkill: ends processes by process id or image name, with Windows'
 * messages.
 *   taskkill [/f] [/pid N]... [/im NAME]...
 * Only /f (forceful) termination exists: the processes have no windows to
 * ask to close, so without /f each match gets Windows' answer for a console
 * process ("can only be terminated forcefully"). A terminated process exits
 * with code 1. /im matches the image name without case and may end in "*".
 * Exit code 0 when every target ended, 128 when one was not found, 1 when
 * one could not be ended. Processes of both personalities are listed
 * (NtQuerySystemInformation) and opened with NtOpenProcess. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

LONG WINAPI NtQuerySystemInformation(ULONG cls, PVOID buf, ULONG len, PULONG needed);
LONG WINAPI NtOpenProcess(HANDLE *h, DWORD access, void *attributes, void *client);

#define SPI_NEXT 0x00
#define SPI_NAME_LENGTH 0x38
#define SPI_NAME_BUFFER 0x3c
#define SPI_PID 0x44
#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)
#define PROCESS_TERMINATE 0x1

static int force;

struct proc {
  DWORD pid;
  char name[64];
};

static int list(struct proc *out, int max) {
  ULONG size = 8192, needed = 0;
  unsigned char *buf = NULL;
  LONG s;
  do {
    free(buf);
    buf = malloc(size);
    if (!buf) return 0;
    s = NtQuerySystemInformation(5, buf, size, &needed);
    if (s == STATUS_INFO_LENGTH_MISMATCH) size = needed > size ? needed + 1024 : size * 2;
  } while (s == STATUS_INFO_LENGTH_MISMATCH);
  int n = 0;
  for (unsigned char *p = buf; s >= 0 && n < max; p += *(DWORD *)(p + SPI_NEXT)) {
    unsigned len = *(unsigned short *)(p + SPI_NAME_LENGTH) / 2, i = 0;
    const unsigned short *w = *(const unsigned short *const *)(p + SPI_NAME_BUFFER);
    for (; w && i < len && i + 1 < sizeof out[n].name; i++)
      out[n].name[i] = w[i] < 0x80 ? (char)w[i] : '?';
    out[n].name[i] = 0;
    out[n].pid = (DWORD)(ULONG_PTR) * (HANDLE *)(p + SPI_PID);
    n++;
    if (!*(DWORD *)(p + SPI_NEXT)) break;
  }
  free(buf);
  return n;
}

static int matches(const char *pattern, const char *name) {
  size_t n = strlen(pattern);
  if (n && pattern[n - 1] == '*') return _strnicmp(pattern, name, n - 1) == 0;
  return _stricmp(pattern, name) == 0;
}

/* Ends one process; `label` is how the message names it. Returns 0 or 1. */
static int kill_one(DWORD pid, const char *image) {
  char who[96];
  if (image) snprintf(who, sizeof who, "\"%s\" with PID %lu", image, (unsigned long)pid);
  else snprintf(who, sizeof who, "with PID %lu", (unsigned long)pid);
  if (!force) {
    fprintf(stderr, "ERROR: The process %s could not be terminated.\n"
                    "Reason: This process can only be terminated forcefully (with /F option).\n",
            who);
    return 1;
  }
  HANDLE h = NULL;
  DWORD cid[2] = {pid, 0};
  if (NtOpenProcess(&h, PROCESS_TERMINATE, NULL, cid) < 0 || !TerminateProcess(h, 1)) {
    fprintf(stderr, "ERROR: The process %s could not be terminated.\nReason: Access is denied.\n",
            who);
    if (h) CloseHandle(h);
    return 1;
  }
  CloseHandle(h);
  printf("SUCCESS: The process %s has been terminated.\n", who);
  return 0;
}

int main(int argc, char **argv) {
  static struct proc procs[512];
  const char *pids[32], *images[32];
  int npid = 0, nim = 0, rc = 0;
  for (int i = 1; i < argc; i++) {
    if (_stricmp(argv[i], "/f") == 0) force = 1;
    else if (_stricmp(argv[i], "/pid") == 0 && i + 1 < argc && npid < 32) pids[npid++] = argv[++i];
    else if (_stricmp(argv[i], "/im") == 0 && i + 1 < argc && nim < 32) images[nim++] = argv[++i];
    else {
      fprintf(stderr, "ERROR: Invalid argument/option - '%s'.\nType \"TASKKILL /?\" for usage.\n",
              argv[i]);
      return 1;
    }
  }
  if (!npid && !nim) {
    fprintf(stderr, "ERROR: Invalid syntax. Neither /FI nor /PID nor /IM were specified.\n"
                    "Type \"TASKKILL /?\" for usage.\n");
    return 1;
  }
  int n = list(procs, 512);
  DWORD self = GetCurrentProcessId();
  for (int k = 0; k < npid; k++) {
    char *end;
    unsigned long pid = strtoul(pids[k], &end, 10);
    int found = 0;
    for (int i = 0; i < n && *end == 0; i++)
      if (procs[i].pid == pid && pid != 0) found = 1;
    if (!found) {
      fprintf(stderr, "ERROR: The process \"%s\" not found.\n", pids[k]);
      rc = rc ? rc : 128;
      continue;
    }
    if (kill_one((DWORD)pid, NULL)) rc = 1;
  }
  for (int k = 0; k < nim; k++) {
    int found = 0;
    for (int i = 0; i < n; i++) {
      if (procs[i].pid == 0 || procs[i].pid == self || !matches(images[k], procs[i].name)) continue;
      found = 1;
      if (kill_one(procs[i].pid, procs[i].name)) rc = 1;
    }
    if (!found) {
      fprintf(stderr, "ERROR: The process \"%s\" not found.\n", images[k]);
      rc = rc ? rc : 128;
    }
  }
  return rc;
}
