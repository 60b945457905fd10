/* tasklist: lists the running processes in the layout of Windows' tasklist
 * (image name, PID, session name and number, memory usage), from
 * NtQuerySystemInformation(SystemProcessInformation) in ntdll. Processes of
 * both personalities are listed. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

LONG WINAPI NtQuerySystemInformation(ULONG cls, PVOID buf, ULONG len, PULONG needed);

/* Offsets in SYSTEM_PROCESS_INFORMATION for a 32-bit process. */
#define SPI_NEXT 0x00
#define SPI_NAME_LENGTH 0x38
#define SPI_NAME_BUFFER 0x3c
#define SPI_PID 0x44
#define SPI_SESSION 0x50
#define SPI_WORKING_SET 0x68
#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)

static DWORD u32(const unsigned char *p) { return *(const DWORD *)p; }

static void with_commas(unsigned long v, char *out) {
  char tmp[32];
  int n = sprintf(tmp, "%lu", v), o = 0;
  for (int i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) out[o++] = ',';
    out[o++] = tmp[i];
  }
  out[o] = 0;
}

int main(void) {
  ULONG size = 4096, needed = 0;
  unsigned char *buf = NULL;
  LONG s;
  do {
    free(buf);
    buf = malloc(size);
    if (!buf) return 1;
    s = NtQuerySystemInformation(5, buf, size, &needed);
    if (s == STATUS_INFO_LENGTH_MISMATCH) size = needed > size ? needed + 1024 : size * 2;
  } while (s == STATUS_INFO_LENGTH_MISMATCH);
  if (s < 0) {
    fprintf(stderr, "ERROR: NtQuerySystemInformation failed (0x%08lx).\n", (unsigned long)s);
    return 1;
  }
  printf("\n%-25s %8s %-16s %11s %12s\n", "Image Name", "PID", "Session Name", "Session#", "Mem Usage");
  printf("========================= ======== ================ =========== ============\n");
  for (unsigned char *p = buf;; p += u32(p + SPI_NEXT)) {
    char name[64] = "System Idle Process", mem[32];
    unsigned len = *(const unsigned short *)(p + SPI_NAME_LENGTH) / 2;
    const unsigned short *w = *(const unsigned short *const *)(p + SPI_NAME_BUFFER);
    if (len && w) {
      unsigned i = 0;
      for (; i < len && i + 1 < sizeof name; i++) name[i] = w[i] < 0x80 ? (char)w[i] : '?';
      name[i] = 0;
    }
    unsigned long session = u32(p + SPI_SESSION);
    with_commas((unsigned long)(*(const SIZE_T *)(p + SPI_WORKING_SET) / 1024), mem);
    strcat(mem, " K");
    printf("%-25.25s %8lu %-16s %11lu %12s\n", name, (unsigned long)(ULONG_PTR)*(HANDLE *)(p + SPI_PID),
           session ? "Console" : "Services", session, mem);
    if (!u32(p + SPI_NEXT)) break;
  }
  free(buf);
  return 0;
}
