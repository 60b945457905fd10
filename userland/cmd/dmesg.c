/* dmesg [-C | -c] [-r] [-t] [-s SIZE]: print (or clear) the kernel ring
 * buffer, read with the syslog call (klogctl). Each record of the buffer is
 * `<LEVEL>[SECONDS.MICROS] text`; dmesg prints `[%5lu.%06lu] text` unless
 * -r (the raw records) or -t (no time stamps). Clearing needs root (EPERM
 * otherwise, as Linux). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " dmesg [options]\n"
    "\n"
    "Display or control the kernel ring buffer.\n"
    "\n"
    "Options:\n"
    " -C, --clear                 clear the kernel ring buffer\n"
    " -c, --read-clear            read and clear all messages\n"
    " -r, --raw                   print the raw message buffer\n"
    " -s, --buffer-size <size>    buffer size to query the kernel ring buffer\n"
    " -t, --notime                don't show any timestamp with messages\n"
    "     --help                  display this help\n";

static void die(const char *what) {
  fprintf(stderr, "dmesg: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void bad_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "dmesg: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'dmesg --help' for more information.\n");
  exit(1);
}

/* Prints one record (without its newline) as dmesg does. */
static void print_record(const char *s, size_t n, int notime) {
  const char *end = s + n;
  if (s < end && *s == '<') {
    const char *p = s + 1;
    while (p < end && *p >= '0' && *p <= '9') p++;
    if (p < end && *p == '>') s = p + 1;
  }
  if (s < end && *s == '[') {
    const char *p = s + 1;
    while (p < end && *p == ' ') p++;
    unsigned long sec = 0, usec = 0;
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9') sec = sec * 10 + (unsigned long)(*p++ - '0');
    if (p < end && *p == '.') {
      for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++)
        if (digits < 6) usec = usec * 10 + (unsigned long)(*p - '0');
      for (; digits < 6; digits++) usec *= 10;
    }
    if (p < end && *p == ']') {
      s = p + 1;
      if (s < end && *s == ' ') s++;
      if (!notime) printf("[%5lu.%06lu] ", sec, usec);
    }
  }
  fwrite(s, 1, (size_t)(end - s), stdout);
  putchar('\n');
}

static void print_log(int action, int bufsize, int raw, int notime) {
  if (bufsize <= 0) {
    bufsize = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
    if (bufsize < 0) die("klogctl failed");
    if (bufsize < 4096) bufsize = 4096;
  }
  char *buf = malloc((size_t)bufsize);
  if (buf == NULL) die("cannot allocate buffer");
  int n = klogctl(action, buf, bufsize);
  if (n < 0) die("klogctl failed");
  if (raw) {
    fwrite(buf, 1, (size_t)n, stdout);
    if (n > 0 && buf[n - 1] != '\n') putchar('\n');
  } else {
    for (int i = 0; i < n;) {
      int j = i;
      while (j < n && buf[j] != '\n') j++;
      print_record(buf + i, (size_t)(j - i), notime);
      i = j + 1;
    }
  }
  free(buf);
}

static const char *long_option(const char *name) {
  static const char *const map[][2] = {{"clear", "-C"},  {"read-clear", "-c"},
                                       {"raw", "-r"},    {"notime", "-t"},
                                       {"buffer-size", "-s"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(name, map[i][0]) == 0) return map[i][1];
  return NULL;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int clear = 0, read_clear = 0, raw = 0, notime = 0, bufsize = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) == 0 && a[2]) {
      const char *eq = strchr(a, '=');
      char name[32];
      size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      if (len >= sizeof name) bad_usage("unrecognized option '%s'", a);
      memcpy(name, a + 2, len);
      name[len] = 0;
      const char *s = long_option(name);
      if (s == NULL) bad_usage("unrecognized option '%s'", a);
      if (s[1] == 's') {
        const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (v == NULL) bad_usage("option '%s' requires an argument", a);
        bufsize = atoi(v);
        continue;
      }
      if (eq) bad_usage("option '%s' doesn't allow an argument", a);
      a = s;
    } else if (a[0] != '-' || !a[1]) {
      bad_usage("bad usage: unexpected argument '%s'", a);
    }
    for (const char *p = a + 1; *p; p++) {
      if (*p == 's') { /* takes the rest of the word, or the next argument */
        if (p[1]) bufsize = atoi(p + 1);
        else if (i + 1 < argc) bufsize = atoi(argv[++i]);
        else bad_usage("option requires an argument -- '%s'", "s");
        break;
      }
      switch (*p) {
      case 'C': clear = 1; break;
      case 'c': read_clear = 1; break;
      case 'r': raw = 1; break;
      case 't': notime = 1; break;
      default: {
        char opt[2] = {*p, 0};
        bad_usage("invalid option -- '%s'", opt);
      }
      }
    }
  }
  if (clear) {
    if (klogctl(SYSLOG_ACTION_CLEAR, NULL, 0) < 0) die("clear kernel buffer failed");
    return 0;
  }
  print_log(read_clear ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL, bufsize, raw, notime);
  return 0;
}
