/* kill [-SIGNAL | -s SIGNAL] PID... ; kill -l: send a signal (default TERM) to
 * processes, or list signal names. A negative PID names a process group. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: kill [-s SIGNAL | -SIGNAL] PID...\n"
    "  or:  kill -l [SIGNAL]...\n"
    "Send signals to processes, or list signals.\n"
    "\n"
    "  -s, --signal=SIGNAL, -SIGNAL\n"
    "                   specify the name or number of the signal to be sent\n"
    "  -l, --list       list signal names, or convert signal names to/from numbers\n"
    "      --help     display this help and exit\n"
    "\n"
    "SIGNAL may be a signal name like 'HUP', or a signal number like '1',\n"
    "or the exit status of a process terminated by a signal.\n"
    "PID is an integer; if negative it identifies a process group.\n";


static const char *const names[32] = {
    0,      "HUP",  "INT",    "QUIT", "ILL",  "TRAP", "ABRT", "BUS",  "FPE",  "KILL",   "USR1",
    "SEGV", "USR2", "PIPE",   "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU",   "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

/* "9", "KILL" or "SIGKILL" (any case) -> 9; -1 if unknown. */
static int parse_signal(const char *s) {
  if (isdigit((unsigned char)*s)) {
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 0 || v > 64 ? -1 : (int)v;
  }
  if (strncasecmp(s, "SIG", 3) == 0) s += 3;
  for (int i = 1; i < 32; i++)
    if (strcasecmp(s, names[i]) == 0) return i;
  return -1;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int sig = SIGTERM, i = 1;
  if (i < argc && strcmp(argv[i], "-l") == 0) {
    if (i + 1 < argc) {
      /* kill -l N: name of signal N (or of the signal that caused exit status N). */
      int n = atoi(argv[i + 1]);
      if (n > 128) n -= 128;
      if (n <= 0 || n >= 32) {
        fprintf(stderr, "kill: unknown signal: %s\n", argv[i + 1]);
        return 1;
      }
      puts(names[n]);
      return 0;
    }
    for (int s = 1; s < 32; s++) printf("%2d) SIG%s%c", s, names[s], s % 8 == 0 ? '\n' : '\t');
    putchar('\n');
    return 0;
  }
  if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
    sig = parse_signal(argv[i + 1]);
    if (sig < 0) {
      fprintf(stderr, "kill: unknown signal: %s\n", argv[i + 1]);
      return 1;
    }
    i += 2;
  } else if (i < argc && argv[i][0] == '-' && argv[i][1] && !isdigit((unsigned char)argv[i][1])) {
    sig = parse_signal(argv[i] + 1);
    if (sig < 0) {
      fprintf(stderr, "kill: unknown signal: %s\n", argv[i] + 1);
      return 1;
    }
    i++;
  } else if (i < argc && argv[i][0] == '-' && isdigit((unsigned char)argv[i][1]) && i + 1 < argc) {
    /* "-9 PID": a signal number (a lone "-5" would be a process group). */
    sig = parse_signal(argv[i] + 1);
    if (sig < 0) {
      fprintf(stderr, "kill: unknown signal: %s\n", argv[i] + 1);
      return 1;
    }
    i++;
  }
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i == argc) {
    fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID... | kill -l [N]\n");
    return 1;
  }
  int status = 0;
  for (; i < argc; i++) {
    char *end;
    long pid = strtol(argv[i], &end, 10);
    if (*end || end == argv[i]) {
      fprintf(stderr, "kill: %s: arguments must be process IDs\n", argv[i]);
      status = 1;
      continue;
    }
    if (kill((pid_t)pid, sig) < 0) {
      fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
      status = 1;
    }
  }
  return status;
}
