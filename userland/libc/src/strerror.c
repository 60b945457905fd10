/* strerror and strsignal with the Linux (glibc) message texts. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char *const errors[] = {
    [0] = "Success",
    [1] = "Operation not permitted",
    [2] = "No such file or directory",
    [3] = "No such process",
    [4] = "Interrupted system call",
    [5] = "Input/output error",
    [6] = "No such device or address",
    [7] = "Argument list too long",
    [8] = "Exec format error",
    [9] = "Bad file descriptor",
    [10] = "No child processes",
    [11] = "Resource temporarily unavailable",
    [12] = "Cannot allocate memory",
    [13] = "Permission denied",
    [14] = "Bad address",
    [15] = "Block device required",
    [16] = "Device or resource busy",
    [17] = "File exists",
    [18] = "Invalid cross-device link",
    [19] = "No such device",
    [20] = "Not a directory",
    [21] = "Is a directory",
    [22] = "Invalid argument",
    [23] = "Too many open files in system",
    [24] = "Too many open files",
    [25] = "Inappropriate ioctl for device",
    [26] = "Text file busy",
    [27] = "File too large",
    [28] = "No space left on device",
    [29] = "Illegal seek",
    [30] = "Read-only file system",
    [31] = "Too many links",
    [32] = "Broken pipe",
    [33] = "Numerical argument out of domain",
    [34] = "Numerical result out of range",
    [35] = "Resource deadlock avoided",
    [36] = "File name too long",
    [37] = "No locks available",
    [38] = "Function not implemented",
    [39] = "Directory not empty",
    [40] = "Too many levels of symbolic links",
    [42] = "No message of desired type",
    [43] = "Identifier removed",
    [60] = "Device not a stream",
    [61] = "No data available",
    [62] = "Timer expired",
    [63] = "Out of streams resources",
    [67] = "Link has been severed",
    [71] = "Protocol error",
    [74] = "Bad message",
    [75] = "Value too large for defined data type",
    [84] = "Invalid or incomplete multibyte or wide character",
    [88] = "Socket operation on non-socket",
    [90] = "Message too long",
    [95] = "Operation not supported",
    [98] = "Address already in use",
    [105] = "No buffer space available",
    [110] = "Connection timed out",
    [111] = "Connection refused",
    [114] = "Operation already in progress",
    [115] = "Operation now in progress",
    [125] = "Operation canceled",
};

char *strerror(int e) {
  static char unknown[32];
  if (e >= 0 && (unsigned)e < sizeof errors / sizeof errors[0] && errors[e])
    return (char *)errors[e];
  snprintf(unknown, sizeof unknown, "Unknown error %d", e);
  return unknown;
}

static const char *const signals[] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Interrupt",
    [SIGQUIT] = "Quit",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace/breakpoint trap",
    [SIGABRT] = "Aborted",
    [SIGBUS] = "Bus error",
    [SIGFPE] = "Floating point exception",
    [SIGKILL] = "Killed",
    [SIGUSR1] = "User defined signal 1",
    [SIGSEGV] = "Segmentation fault",
    [SIGUSR2] = "User defined signal 2",
    [SIGPIPE] = "Broken pipe",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Terminated",
    [SIGSTKFLT] = "Stack fault",
    [SIGCHLD] = "Child exited",
    [SIGCONT] = "Continued",
    [SIGSTOP] = "Stopped (signal)",
    [SIGTSTP] = "Stopped",
    [SIGTTIN] = "Stopped (tty input)",
    [SIGTTOU] = "Stopped (tty output)",
    [SIGURG] = "Urgent I/O condition",
    [SIGXCPU] = "CPU time limit exceeded",
    [SIGXFSZ] = "File size limit exceeded",
    [SIGVTALRM] = "Virtual timer expired",
    [SIGPROF] = "Profiling timer expired",
    [SIGWINCH] = "Window changed",
    [SIGIO] = "I/O possible",
    [SIGPWR] = "Power failure",
    [SIGSYS] = "Bad system call",
};

char *strsignal(int sig) {
  static char unknown[32];
  if (sig > 0 && (unsigned)sig < sizeof signals / sizeof signals[0] && signals[sig])
    return (char *)signals[sig];
  if (sig >= 34 && sig <= 64) snprintf(unknown, sizeof unknown, "Real-time signal %d", sig - 34);
  else snprintf(unknown, sizeof unknown, "Unknown signal %d", sig);
  return unknown;
}
