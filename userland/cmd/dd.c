/* dd [if=FILE] [of=FILE] [bs=N] [ibs=N] [obs=N] [count=N] [skip=N] [seek=N]:
 * copies blocks. Each read asks for ibs bytes (bs sets both sizes) and each
 * output block is written with one write, so on a tape one read is one
 * record and one write makes one record. skip and seek move by whole
 * blocks with lseek, or by reading blocks when the input cannot seek (a
 * tape, a pipe). With bs= each block read is written at once, a short one
 * as a short block, as GNU dd does. Sizes take the suffixes c (1), w (2), b (512), k, M, G.
 * Prints "a+b records in/out" and the byte count on stderr. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: dd [OPERAND]...\n"
    "Copy a file, converting and formatting according to the operands.\n"
    "\n"
    "  bs=BYTES        read and write up to BYTES bytes at a time\n"
    "  count=N         copy only N input blocks\n"
    "  ibs=BYTES       read up to BYTES bytes at a time (default: 512)\n"
    "  if=FILE         read from FILE instead of stdin\n"
    "  obs=BYTES       write BYTES bytes at a time (default: 512)\n"
    "  of=FILE         write to FILE instead of stdout\n"
    "  seek=N          skip N obs-sized blocks at start of output\n"
    "  skip=N          skip N ibs-sized blocks at start of input\n"
    "      --help     display this help and exit\n";

static long long number(const char *s, const char *what) {
  char *end;
  long long n = strtoll(s, &end, 10);
  switch (*end) {
  case 'c': end++; break;
  case 'w': n *= 2; end++; break;
  case 'b': n *= 512; end++; break;
  case 'k': case 'K': n *= 1024; end++; break;
  case 'M': n *= 1024 * 1024; end++; break;
  case 'G': n *= 1024LL * 1024 * 1024; end++; break;
  }
  if (end == s || *end != '\0' || n < 0) {
    fprintf(stderr, "dd: invalid number for %s: '%s'\n", what, s);
    exit(1);
  }
  return n;
}

static ssize_t write_all(int fd, const char *p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, p + done, n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    done += (size_t)w;
  }
  return (ssize_t)done;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ALONE, usage_text);
  const char *in = NULL, *out = NULL;
  long long ibs = 512, obs = 512, count = -1, skip = 0, seek = 0;
  int direct = 0; /* bs=: each block read is written as it is, short ones too */
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (eq == NULL) {
      fprintf(stderr, "dd: unrecognized operand '%s'\n", argv[i]);
      return 1;
    }
    *eq = '\0';
    const char *k = argv[i], *v = eq + 1;
    if (strcmp(k, "if") == 0) in = v;
    else if (strcmp(k, "of") == 0) out = v;
    else if (strcmp(k, "bs") == 0) ibs = obs = number(v, k), direct = 1;
    else if (strcmp(k, "ibs") == 0) ibs = number(v, k);
    else if (strcmp(k, "obs") == 0) obs = number(v, k);
    else if (strcmp(k, "count") == 0) count = number(v, k);
    else if (strcmp(k, "skip") == 0) skip = number(v, k);
    else if (strcmp(k, "seek") == 0) seek = number(v, k);
    else {
      fprintf(stderr, "dd: unrecognized operand '%s'\n", k);
      return 1;
    }
  }
  if (ibs <= 0 || obs <= 0) {
    fprintf(stderr, "dd: block sizes must be positive\n");
    return 1;
  }
  int ifd = 0, ofd = 1;
  if (in != NULL && (ifd = open(in, O_RDONLY)) < 0) {
    fprintf(stderr, "dd: failed to open '%s': %s\n", in, strerror(errno));
    return 1;
  }
  if (out != NULL && (ofd = open(out, O_WRONLY | O_CREAT | (seek ? 0 : O_TRUNC), 0666)) < 0) {
    fprintf(stderr, "dd: failed to open '%s': %s\n", out, strerror(errno));
    return 1;
  }
  char *buf = malloc((size_t)ibs), *obuf = malloc((size_t)obs);
  if (buf == NULL || obuf == NULL) {
    fprintf(stderr, "dd: out of memory\n");
    return 1;
  }
  if (skip > 0 && lseek(ifd, (off_t)(skip * ibs), SEEK_CUR) < 0) {
    for (long long s = 0; s < skip; s++) {
      ssize_t r = read(ifd, buf, (size_t)ibs);
      if (r < 0) {
        fprintf(stderr, "dd: '%s': cannot skip: %s\n", in ? in : "stdin", strerror(errno));
        return 1;
      }
      if (r == 0) break;
    }
  }
  if (seek > 0 && lseek(ofd, (off_t)(seek * obs), SEEK_CUR) < 0) {
    fprintf(stderr, "dd: '%s': cannot seek: %s\n", out ? out : "stdout", strerror(errno));
    return 1;
  }
  long long fin = 0, pin = 0, fout = 0, pout = 0, bytes = 0;
  size_t held = 0;
  int rc = 0;
  while (count < 0 || fin + pin < count) {
    ssize_t r = read(ifd, buf, (size_t)ibs);
    if (r < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "dd: error reading '%s': %s\n", in ? in : "stdin", strerror(errno));
      rc = 1;
      break;
    }
    if (r == 0) break;
    if (r == ibs) fin++; else pin++;
    if (direct && ibs == obs) {
      if (write_all(ofd, buf, (size_t)r) < 0) goto werr;
      if (r == obs) fout++; else pout++;
      bytes += r;
      continue;
    }
    for (ssize_t off = 0; off < r;) {
      size_t take = (size_t)(r - off);
      if (take > (size_t)obs - held) take = (size_t)obs - held;
      memcpy(obuf + held, buf + off, take);
      held += take;
      off += (ssize_t)take;
      if (held == (size_t)obs) {
        if (write_all(ofd, obuf, held) < 0) goto werr;
        fout++;
        bytes += (long long)held;
        held = 0;
      }
    }
  }
  if (held > 0) {
    if (write_all(ofd, obuf, held) < 0) goto werr;
    pout++;
    bytes += (long long)held;
  }
  goto done;
werr:
  fprintf(stderr, "dd: error writing '%s': %s\n", out ? out : "stdout", strerror(errno));
  rc = 1;
done:
  fprintf(stderr, "%lld+%lld records in\n%lld+%lld records out\n%lld bytes copied\n", fin, pin,
          fout, pout, bytes);
  if (out != NULL && close(ofd) < 0) rc = 1;
  return rc;
}
