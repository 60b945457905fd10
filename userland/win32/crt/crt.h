/* The C runtime's private declarations (crt/ is linked statically into every exe). */
#ifndef _CRT_H
#define _CRT_H
#include <windows.h>
#include <stdio.h>

struct _iobuf {
  HANDLE h;
  int text;       /* "\n" <-> "\r\n" */
  int readable, writable, append;
  int eof, err;
  int buffered;   /* -1: not decided yet (decided on the first write), 0 no, 1 yes */
  int unget;      /* pushed-back character or EOF */
  int pendingCr;  /* text read: a "\r" held back to see what follows */
  char *buf;
  size_t len;     /* bytes waiting in buf (writes) */
  size_t rpos, rlen; /* read buffer window */
  char rbuf[512];
  char wbuf[4096];
};

void __crt_flush_all(void);
int __crt_split_args(const char *cmd, char **argv, char *store);
#endif
