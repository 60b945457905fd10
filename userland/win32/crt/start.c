/*
 * Program start: mainCRTStartup splits GetCommandLineA into argc/argv by the
 * Microsoft rules and calls main; its return value goes to exit().
 *
 * The rules (as the C runtime documents them): arguments are separated by
 * spaces or tabs; "..." groups, and the quotes are removed; 2n backslashes
 * before a quote give n backslashes and the quote delimits; 2n+1 give n and a
 * literal quote; other backslashes are literal; inside quotes "" gives a
 * literal quote. argv[0] is taken up to the first space, or between its
 * quotes, with no backslash rule.
 */
#include <stdlib.h>
#include <string.h>
#include "crt.h"

int main(int argc, char **argv);

/* Splits cmd; when argv/store are given fills them. Returns argc. */
int __crt_split_args(const char *cmd, char **argv, char *store) {
  int argc = 0;
  const char *p = cmd;
  char *out = store;
  if (*p == '"') {
    if (argv) argv[argc] = out;
    for (p++; *p && *p != '"'; p++)
      if (out) *out++ = *p;
    if (*p == '"') p++;
  } else {
    if (argv) argv[argc] = out;
    for (; *p && *p != ' ' && *p != '\t'; p++)
      if (out) *out++ = *p;
  }
  if (out) *out++ = 0;
  argc++;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) break;
    if (argv) argv[argc] = out;
    int quoted = 0;
    for (; *p && (quoted || (*p != ' ' && *p != '\t'));) {
      if (*p == '\\') {
        size_t n = 0;
        while (p[n] == '\\') n++;
        if (p[n] == '"') {
          for (size_t i = 0; i < n / 2; i++)
            if (out) *out++ = '\\';
          p += n;
          if (n & 1) {
            if (out) *out++ = '"';
            p++;
          }
        } else {
          for (size_t i = 0; i < n; i++)
            if (out) *out++ = '\\';
          p += n;
        }
      } else if (*p == '"') {
        if (quoted && p[1] == '"') {
          if (out) *out++ = '"';
          p += 2;
        } else {
          quoted = !quoted;
          p++;
        }
      } else {
        if (out) *out++ = *p;
        p++;
      }
    }
    if (out) *out++ = 0;
    argc++;
  }
  if (argv) argv[argc] = 0;
  return argc;
}

void mainCRTStartup(void) {
  const char *cmd = GetCommandLineA();
  if (!cmd) cmd = "";
  int argc = __crt_split_args(cmd, 0, 0);
  char **argv = malloc((argc + 1) * sizeof *argv);
  char *store = malloc(strlen(cmd) + argc + 1);
  if (!argv || !store) ExitProcess(255);
  __crt_split_args(cmd, argv, store);
  exit(main(argc, argv));
}
