/* tar c|x|t [v] [f ARCHIVE] [b BLOCKS] [C DIR] [FILE...]: ustar archives.
 *
 * Options come as one bundle (with or without a leading '-'); f, b and C
 * take the following arguments in the order the letters appear. ARCHIVE
 * is a file, a tape device or '-' (stdin/stdout; the default unless $TAPE
 * is set). `-C DIR` may also come among the FILE operands (it applies to
 * the ones after it, as in GNU tar). The archive is moved in records of BLOCKS * 512 bytes (default
 * 20: 10240 bytes), one write() per record, so on a tape each record is
 * one tape record; the last record is padded with zeros, after the two
 * zero blocks that end the archive.
 *
 * c archives regular files, directories (recursively), symbolic links and
 * hard links (a second name of a file already archived becomes a link
 * entry), with mode, mtime and size; names longer than 100 bytes are split
 * into the ustar prefix and name fields. Leading '/' is removed from names.
 * x extracts them (making missing parent directories, setting modes and
 * mtimes; directory mtimes last); t lists them (v: ls -l style). Reading
 * accepts GNU tar's ustar and gnu formats (its 'L'/'K' long-name entries
 * too); pax extended headers are skipped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: tar c|x|t[v][f ARCHIVE][b BLOCKS][C DIR] [FILE]...\n"
    "Store files in a ustar archive, list one, or extract one.\n"
    "\n"
    "  c   create an archive of the FILEs\n"
    "  x   extract the archive\n"
    "  t   list the archive\n"
    "  v   list the names processed\n"
    "  f   the archive is ARCHIVE (a file, a tape, or - for stdin/stdout)\n"
    "  b   records of BLOCKS x 512 bytes (default 20)\n"
    "  C   change to DIR first\n"
    "      --help     display this help and exit\n";

#define BLOCK 512

static int verbose;
static int afd = -1;
static size_t recsize = 20 * BLOCK;
static unsigned char *rec;
static size_t recpos, reclen;
static int writing;
static FILE *vout;
static int status;

/* ---- records ---------------------------------------------------------- */

static void die(const char *what) {
  fprintf(stderr, "tar: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void flush_record(void) {
  size_t done = 0;
  while (done < recsize) {
    ssize_t w = write(afd, rec + done, recsize - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write error");
    }
    done += (size_t)w;
  }
  recpos = 0;
}

/* The next 512-byte block to fill when writing. */
static unsigned char *out_block(void) {
  if (recpos == recsize) flush_record();
  unsigned char *b = rec + recpos;
  recpos += BLOCK;
  memset(b, 0, BLOCK);
  return b;
}

/* Reads the next record: one read() on a tape returns one record; a pipe or
 * file may need several to fill it. Returns 0 at end of archive. */
static int fill_record(void) {
  reclen = 0;
  recpos = 0;
  while (reclen < recsize) {
    ssize_t r = read(afd, rec + reclen, recsize - reclen);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOMEM) {
        fprintf(stderr, "tar: tape record larger than %zu bytes (use b)\n", recsize);
        exit(2);
      }
      die("read error");
    }
    if (r == 0) break;
    reclen += (size_t)r;
    if (reclen % BLOCK == 0 && reclen < recsize && isatty(afd) == 0) {
      struct stat st;
      if (fstat(afd, &st) == 0 && S_ISCHR(st.st_mode)) break; /* a short tape record */
    }
  }
  if (reclen % BLOCK != 0) {
    fprintf(stderr, "tar: archive ends in a partial block\n");
    exit(2);
  }
  return reclen > 0;
}

/* The next 512-byte block when reading; NULL at end of data. */
static unsigned char *in_block(void) {
  if (recpos >= reclen && !fill_record()) return NULL;
  unsigned char *b = rec + recpos;
  recpos += BLOCK;
  return b;
}

/* ---- header fields ---------------------------------------------------- */

static void octal(unsigned char *f, size_t width, unsigned long long v) {
  f[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0;) {
    f[i] = (unsigned char)('0' + (v & 7));
    v >>= 3;
  }
}

static unsigned long long parse_octal(const unsigned char *f, size_t width) {
  unsigned long long v = 0;
  size_t i = 0;
  while (i < width && (f[i] == ' ' || f[i] == '\0')) i++;
  for (; i < width && f[i] >= '0' && f[i] <= '7'; i++) v = v * 8 + (unsigned)(f[i] - '0');
  return v;
}

static unsigned checksum(const unsigned char *h) {
  unsigned sum = 0;
  for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum;
}

/* Splits a long name into prefix/name; 0 if it cannot fit. */
static int put_name(unsigned char *h, const char *name) {
  size_t n = strlen(name);
  if (n <= 100) {
    memcpy(h, name, n);
    return 1;
  }
  for (size_t i = n; i-- > 0;) {
    if (name[i] != '/') continue;
    if (i <= 155 && n - i - 1 <= 100 && n - i - 1 > 0) {
      memcpy(h + 345, name, i);
      memcpy(h, name + i + 1, n - i - 1);
      return 1;
    }
  }
  return 0;
}

/* ---- create ----------------------------------------------------------- */

struct seen {
  dev_t dev;
  ino_t ino;
  char *name;
};
static struct seen *seen;
static size_t nseen, capseen;

static const char *first_name(const struct stat *st, const char *name) {
  for (size_t i = 0; i < nseen; i++)
    if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino) return seen[i].name;
  if (nseen == capseen) {
    capseen = capseen ? capseen * 2 : 16;
    seen = realloc(seen, capseen * sizeof *seen);
    if (seen == NULL) die("out of memory");
  }
  seen[nseen].dev = st->st_dev;
  seen[nseen].ino = st->st_ino;
  seen[nseen].name = strdup(name);
  nseen++;
  return NULL;
}

static int header(const char *name, const struct stat *st, char type, const char *link,
                  unsigned long long size) {
  unsigned char *h = out_block();
  if (!put_name(h, name)) {
    fprintf(stderr, "tar: %s: file name is too long\n", name);
    recpos -= BLOCK;
    return 0;
  }
  if (link != NULL && strlen(link) > 100) {
    fprintf(stderr, "tar: %s: link name is too long\n", name);
    recpos -= BLOCK;
    return 0;
  }
  octal(h + 100, 8, st->st_mode & 07777);
  octal(h + 108, 8, st->st_uid);
  octal(h + 116, 8, st->st_gid);
  octal(h + 124, 12, size);
  octal(h + 136, 12, (unsigned long long)st->st_mtime);
  h[156] = (unsigned char)type;
  if (link != NULL) memcpy(h + 157, link, strlen(link));
  memcpy(h + 257, "ustar", 6);
  memcpy(h + 263, "00", 2);
  strcpy((char *)h + 265, st->st_uid == 0 ? "root" : "");
  strcpy((char *)h + 297, st->st_gid == 0 ? "root" : "");
  octal(h + 329, 8, 0);
  octal(h + 337, 8, 0);
  octal(h + 148, 7, checksum(h));
  h[155] = ' ';
  if (verbose) fprintf(vout, "%s\n", name);
  return 1;
}

static void add(const char *path, const char *name);

static void add_dir(const char *path, const char *name) {
  DIR *d = opendir(path);
  if (d == NULL) {
    fprintf(stderr, "tar: %s: cannot open: %s\n", path, strerror(errno));
    status = 2;
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    size_t pl = strlen(path), nl = strlen(name), el = strlen(e->d_name);
    char *p = malloc(pl + el + 2), *n = malloc(nl + el + 2);
    if (p == NULL || n == NULL) die("out of memory");
    sprintf(p, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", e->d_name);
    sprintf(n, "%s%s", name, e->d_name);
    add(p, n);
    free(p);
    free(n);
  }
  closedir(d);
}

static void add_file(const char *path, const char *name, const struct stat *st) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "tar: %s: cannot open: %s\n", path, strerror(errno));
    status = 2;
    return;
  }
  if (!header(name, st, '0', NULL, (unsigned long long)st->st_size)) {
    status = 2;
    close(fd);
    return;
  }
  unsigned long long left = (unsigned long long)st->st_size;
  while (left > 0) {
    unsigned char *b = out_block();
    size_t want = left < BLOCK ? (size_t)left : BLOCK, got = 0;
    while (got < want) {
      ssize_t r = read(fd, b + got, want - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        fprintf(stderr, "tar: %s: file shrank or cannot be read\n", path);
        status = 2;
        break;
      }
      got += (size_t)r;
    }
    left -= want;
  }
  close(fd);
}

static void add(const char *path, const char *name) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    fprintf(stderr, "tar: %s: cannot stat: %s\n", path, strerror(errno));
    status = 2;
    return;
  }
  while (name[0] == '/') name++;
  if (name[0] == '\0') name = ".";
  if (S_ISDIR(st.st_mode)) {
    size_t n = strlen(name);
    char *dn = malloc(n + 2);
    if (dn == NULL) die("out of memory");
    sprintf(dn, "%s%s", name, name[n - 1] == '/' ? "" : "/");
    if (strcmp(dn, "./") == 0) dn[0] = '\0';
    if (dn[0] != '\0') header(dn, &st, '5', NULL, 0);
    add_dir(path, dn);
    free(dn);
  } else if (S_ISLNK(st.st_mode)) {
    char target[256];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
      fprintf(stderr, "tar: %s: cannot readlink: %s\n", path, strerror(errno));
      status = 2;
      return;
    }
    target[n] = '\0';
    if (!header(name, &st, '2', target, 0)) status = 2;
  } else if (S_ISREG(st.st_mode)) {
    const char *first = st.st_nlink > 1 ? first_name(&st, name) : NULL;
    if (first != NULL) {
      if (!header(name, &st, '1', first, 0)) status = 2;
    } else {
      add_file(path, name, &st);
    }
  } else {
    fprintf(stderr, "tar: %s: file type not archived\n", path);
  }
}

static void create(char **files, int n) {
  writing = 1;
  if (n == 0) {
    fprintf(stderr, "tar: refusing to create an empty archive\n");
    exit(2);
  }
  for (int i = 0; i < n; i++) {
    if (strcmp(files[i], "-C") == 0 && i + 1 < n) {
      if (chdir(files[++i]) < 0) die(files[i]);
      continue;
    }
    add(files[i], files[i]);
  }
  out_block();
  out_block();
  while (recpos < recsize) out_block();
  flush_record();
}

/* ---- extract and list ------------------------------------------------- */

struct dirtime {
  char *name;
  time_t mtime;
  mode_t mode;
};
static struct dirtime *dirs;
static size_t ndirs, capdirs;

static void make_parents(const char *name) {
  char *p = strdup(name);
  if (p == NULL) die("out of memory");
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    mkdir(p, 0755);
    *s = '/';
  }
  free(p);
}

static void set_time(const char *name, time_t t, int nofollow) {
  struct timespec ts[2] = {{t, 0}, {t, 0}};
  utimensat(AT_FDCWD, name, ts, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
}

static void list_line(const char *name, int type, mode_t mode, unsigned long long size,
                      time_t mtime, const char *link, const unsigned char *h) {
  if (!verbose) {
    printf("%s\n", name);
    return;
  }
  char m[11];
  m[0] = type == '5' ? 'd' : type == '2' ? 'l' : type == '1' ? 'h' : '-';
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) m[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
  m[10] = '\0';
  struct tm tm;
  gmtime_r(&mtime, &tm);
  char owner[80];
  snprintf(owner, sizeof owner, "%.32s/%.32s", h[265] ? (const char *)h + 265 : "0",
           h[297] ? (const char *)h + 297 : "0");
  printf("%s %s %8llu %04d-%02d-%02d %02d:%02d %s", m, owner, size, tm.tm_year + 1900,
         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, name);
  if (type == '2') printf(" -> %s", link);
  if (type == '1') printf(" link to %s", link);
  printf("\n");
}

/* Reads `size` bytes of entry data, writing them to fd (or skipping them with fd < 0);
 * with `keep`, the bytes also go to keep (at most cap bytes). */
static void data(int fd, unsigned long long size, char *keep, size_t cap) {
  size_t at = 0;
  while (size > 0) {
    unsigned char *b = in_block();
    if (b == NULL) {
      fprintf(stderr, "tar: unexpected end of archive\n");
      exit(2);
    }
    size_t n = size < BLOCK ? (size_t)size : BLOCK;
    if (fd >= 0 && write(fd, b, n) != (ssize_t)n) die("write error");
    if (keep != NULL && at < cap) {
      size_t c = n < cap - at ? n : cap - at;
      memcpy(keep + at, b, c);
      at += c;
    }
    size -= n;
  }
  if (keep != NULL) keep[at < cap ? at : cap - 1] = '\0';
}

static void extract_one(const char *name, int type, mode_t mode, unsigned long long size,
                        time_t mtime, const char *target) {
  if (verbose) fprintf(vout, "%s\n", name);
  make_parents(name);
  if (type == '5') {
    if (mkdir(name, 0700) < 0 && errno != EEXIST) goto fail;
    if (ndirs == capdirs) {
      capdirs = capdirs ? capdirs * 2 : 16;
      dirs = realloc(dirs, capdirs * sizeof *dirs);
      if (dirs == NULL) die("out of memory");
    }
    dirs[ndirs].name = strdup(name);
    dirs[ndirs].mtime = mtime;
    dirs[ndirs].mode = mode;
    ndirs++;
    return;
  }
  unlink(name);
  if (type == '2') {
    if (symlink(target, name) < 0) goto fail;
    set_time(name, mtime, 1);
    return;
  }
  if (type == '1') {
    if (link(target, name) < 0) goto fail;
    return;
  }
  int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    fprintf(stderr, "tar: %s: cannot open: %s\n", name, strerror(errno));
    status = 2;
    data(-1, size, NULL, 0);
    return;
  }
  data(fd, size, NULL, 0);
  close(fd);
  chmod(name, mode);
  set_time(name, mtime, 0);
  return;
fail:
  fprintf(stderr, "tar: %s: cannot create: %s\n", name, strerror(errno));
  status = 2;
}

static void extract(int list) {
  char longname[4096] = "", longlink[4096] = "";
  int zeros = 0;
  unsigned char *h;
  while ((h = in_block()) != NULL) {
    int empty = 1;
    for (int i = 0; i < BLOCK && empty; i++) empty = h[i] == 0;
    if (empty) {
      if (++zeros == 2) break;
      continue;
    }
    zeros = 0;
    if (parse_octal(h + 148, 8) != checksum(h)) {
      fprintf(stderr, "tar: bad header checksum\n");
      exit(2);
    }
    char name[512], link[101];
    if (h[345] != '\0' && memcmp(h + 257, "ustar", 5) == 0 && h[262] == '\0') {
      snprintf(name, sizeof name, "%.155s/%.100s", (const char *)h + 345, (const char *)h);
    } else {
      snprintf(name, sizeof name, "%.100s", (const char *)h);
    }
    snprintf(link, sizeof link, "%.100s", (const char *)h + 157);
    int type = h[156] ? h[156] : '0';
    mode_t mode = (mode_t)parse_octal(h + 100, 8) & 07777;
    unsigned long long size = parse_octal(h + 124, 12);
    time_t mtime = (time_t)parse_octal(h + 136, 12);
    if (type == 'L' || type == 'K') {
      data(-1, size, type == 'L' ? longname : longlink, sizeof longname);
      continue;
    }
    if (type == 'x' || type == 'g') {
      data(-1, size, NULL, 0);
      continue;
    }
    const char *nm = longname[0] ? longname : name;
    const char *ln = longlink[0] ? longlink : link;
    while (nm[0] == '/') nm++;
    if (type == '7') type = '0';
    if (list) {
      list_line(nm, type, mode, size, mtime, ln, h);
      data(-1, type == '0' ? size : 0, NULL, 0);
    } else if (type == '0' || type == '1' || type == '2' || type == '5') {
      extract_one(nm, type, mode, size, mtime, ln);
    } else {
      fprintf(stderr, "tar: %s: entry type '%c' not extracted\n", nm, type);
      data(-1, size, NULL, 0);
    }
    longname[0] = longlink[0] = '\0';
  }
  for (size_t i = ndirs; i-- > 0;) {
    chmod(dirs[i].name, dirs[i].mode);
    set_time(dirs[i].name, dirs[i].mtime, 0);
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  if (argc < 2) {
    fprintf(stderr, "usage: tar c|x|t[v][f ARCHIVE][b BLOCKS][C DIR] [FILE...]\n");
    return 2;
  }
  const char *archive = getenv("TAPE"), *dir = NULL;
  if (archive == NULL) archive = "-";
  int mode = 0, ai = 2;
  const char *opts = argv[1][0] == '-' ? argv[1] + 1 : argv[1];
  for (const char *o = opts; *o; o++) {
    switch (*o) {
    case 'c': case 'x': case 't':
      if (mode && mode != *o) {
        fprintf(stderr, "tar: only one of c, x, t\n");
        return 2;
      }
      mode = *o;
      break;
    case 'v': verbose = 1; break;
    case 'f': case 'b': case 'C':
      if (ai >= argc) {
        fprintf(stderr, "tar: option %c needs an argument\n", *o);
        return 2;
      }
      if (*o == 'f') archive = argv[ai++];
      else if (*o == 'C') dir = argv[ai++];
      else {
        long b = strtol(argv[ai++], NULL, 10);
        if (b <= 0 || b > 512) {
          fprintf(stderr, "tar: bad blocking factor\n");
          return 2;
        }
        recsize = (size_t)b * BLOCK;
      }
      break;
    case 'o': case 'p': break; /* GNU's defaults for root: accepted */
    default:
      fprintf(stderr, "tar: unknown option '%c'\n", *o);
      return 2;
    }
  }
  if (!mode) {
    fprintf(stderr, "tar: need one of c, x, t\n");
    return 2;
  }
  rec = malloc(recsize);
  if (rec == NULL) die("out of memory");
  int std = strcmp(archive, "-") == 0;
  if (std) {
    afd = mode == 'c' ? 1 : 0;
  } else {
    afd = mode == 'c' ? open(archive, O_WRONLY | O_CREAT | O_TRUNC, 0666) : open(archive, O_RDONLY);
    if (afd < 0) {
      fprintf(stderr, "tar: %s: cannot open: %s\n", archive, strerror(errno));
      return 2;
    }
  }
  vout = (mode == 'c' && std) ? stderr : stdout;
  if (dir != NULL && chdir(dir) < 0) {
    fprintf(stderr, "tar: %s: cannot change directory: %s\n", dir, strerror(errno));
    return 2;
  }
  if (mode != 'c') {
    for (int i = ai; i + 1 < argc; i++) {
      if (strcmp(argv[i], "-C") == 0 && chdir(argv[i + 1]) < 0) die(argv[i + 1]);
    }
  }
  if (mode == 'c') create(argv + ai, argc - ai);
  else extract(mode == 't');
  fflush(stdout);
  if (!std && close(afd) < 0) die("close");
  return status;
}
