/* time [-p] COMMAND [ARG...]: runs COMMAND and reports on standard error the
 * elapsed (CLOCK_MONOTONIC), user and system times of the child (from the
 * rusage of waitid). Default format, as GNU time's first line without the
 * memory and I/O fields Strata does not count:
 *   "%Uuser %Ssystem %Eelapsed %PCPU"; -p gives POSIX's "real/user/sys" lines.
 * A non-zero exit is announced ("Command exited with non-zero status N"), a
 * death by signal too ("Command terminated by signal N"); the status is the
 * command's (128+N after a signal; 127 not found, 126 not runnable). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: time [-p] COMMAND [ARG]...\n"
    "Run COMMAND, then print the elapsed, user and system time it used.\n"
    "\n"
    "  -p, --portability   print the times in the POSIX format\n"
    "      --help          display this help and exit\n";

/* The kernel's rv32 struct rusage: two 32-bit timevals, then 14 longs. */
struct k_rusage {
  long utime_sec, utime_usec, stime_sec, stime_usec;
  long rest[14];
};

/* Microseconds of CLOCK_MONOTONIC. */
static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* "S.CC": seconds and hundredths (truncated, as GNU time). */
static void seconds(char *out, size_t n, long long us) {
  snprintf(out, n, "%lld.%02lld", us / 1000000, us / 10000 % 100);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int posix = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "--portability") == 0) {
      posix = 1;
      continue;
    }
    fprintf(stderr, "time: invalid option -- '%s'\nUsage: time [-p] COMMAND [ARG]...\n", argv[i] + 1);
    return 125;
  }
  if (i >= argc) {
    fprintf(stderr, "Usage: time [-p] COMMAND [ARG]...\n");
    return 125;
  }
  long long start = now_us();
  pid_t pid = fork();
  if (pid < 0) {
    perror("time: fork");
    return 125;
  }
  if (pid == 0) {
    execvp(argv[i], argv + i);
    int e = errno;
    fprintf(stderr, "time: cannot run %s: %s\n", argv[i], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
  }
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  siginfo_t si;
  struct k_rusage ru;
  memset(&ru, 0, sizeof ru);
  while (syscall(SYS_waitid, P_PID, pid, &si, WEXITED, &ru) < 0) {
    if (errno != EINTR) {
      perror("time: wait");
      return 125;
    }
  }
  long long real = now_us() - start;
  long long user = (long long)ru.utime_sec * 1000000 + ru.utime_usec;
  long long sys = (long long)ru.stime_sec * 1000000 + ru.stime_usec;
  int status = si.si_status;
  if (si.si_code == CLD_EXITED) {
    if (status != 0 && !posix) fprintf(stderr, "Command exited with non-zero status %d\n", status);
  } else {
    fprintf(stderr, "Command terminated by signal %d\n", status);
    status += 128;
  }
  char r[32], u[32], s[32];
  seconds(r, sizeof r, real);
  seconds(u, sizeof u, user);
  seconds(s, sizeof s, sys);
  if (posix) {
    fprintf(stderr, "real %s\nuser %s\nsys %s\n", r, u, s);
  } else {
    long long cs = real / 10000;
    long long cpu = real > 0 ? (user + sys) * 100 / real : 0;
    fprintf(stderr, "%suser %ssystem %lld:%02lld.%02lldelapsed %lld%%CPU\n", u, s, cs / 6000,
            cs / 100 % 60, cs % 100, cpu);
  }
  return status;
}
