/* cpio -o [-v] [-H newc] [-F ARCHIVE] < NAMES
 * cpio -i [-d] [-u] [-v] [-F ARCHIVE] [< ARCHIVE]
 * cpio -t [-v] [-F ARCHIVE] [< ARCHIVE]
 *
 * SVR4 "newc" archives (magic 070701), the format GNU cpio writes with
 * -H newc. -o reads path names, one per line, and archives regular files,
 * directories and symbolic links (the target is the data) with mode, mtime,
 * uid/gid and inode numbers; files with several links carry their data on
 * the last name seen, as GNU cpio does, the others with size 0. Output goes
 * in 512-byte blocks (one write() per block: on a tape, one record each) and
 * the last block is padded. Input is read in up to 256 KiB at a time (a
 * tape record of any size up to the driver's limit). -i extracts (-d makes missing directories, -u
 * replaces existing files; without -u an existing file is kept, as GNU
 * cpio keeps a newer one), linking the names of a multiply-linked inode
 * together; -t lists (-v: ls -l style). -v on -o/-i prints the names on
 * stderr. Blocks are counted as GNU does ("N blocks" on stderr). */
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
    "Usage: cpio -o [-v] [-H newc] [-F ARCHIVE] < NAME-LIST\n"
    "  or:  cpio -i [-d] [-u] [-v] [-F ARCHIVE]\n"
    "  or:  cpio -t [-v] [-F ARCHIVE]\n"
    "Copy files into or out of an SVR4 newc archive.\n"
    "\n"
    "  -o        create an archive from the names on stdin\n"
    "  -i        extract an archive\n"
    "  -t        list an archive\n"
    "  -d        make parent directories when extracting\n"
    "  -u        replace existing files\n"
    "  -v        list the names processed\n"
    "  -F FILE   read or write FILE instead of stdin or stdout\n"
    "      --help     display this help and exit\n";

static int afd;
static unsigned char blk[512];
static size_t blen;
static unsigned long long total;
static int verbose, makedirs, uncond;

static void die(const char *what) {
  fprintf(stderr, "cpio: %s: %s\n", what, strerror(errno));
  exit(2);
}

/* ---- output ---- */

static void put(const void *p, size_t n) {
  const unsigned char *s = p;
  while (n > 0) {
    size_t c = sizeof blk - blen < n ? sizeof blk - blen : n;
    memcpy(blk + blen, s, c);
    blen += c;
    s += c;
    n -= c;
    total += c;
    if (blen == sizeof blk) {
      if (write(afd, blk, sizeof blk) != (ssize_t)sizeof blk) die("write");
      blen = 0;
    }
  }
}

static void pad4(void) {
  static const unsigned char z[4];
  if (total % 4) put(z, 4 - total % 4);
}

static void header(const struct stat *st, const char *name, unsigned long size, unsigned nlink) {
  char h[111];
  unsigned long mode = st->st_mode;
  snprintf(h, sizeof h, "070701%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08X%08X%08X%08X%08lX%08X",
           (unsigned long)st->st_ino, mode, (unsigned long)st->st_uid,
           (unsigned long)st->st_gid, (unsigned long)nlink, (unsigned long)st->st_mtime, size,
           0u, 0u, 0u, 0u, (unsigned long)strlen(name) + 1, 0u);
  put(h, 110);
  put(name, strlen(name) + 1);
  pad4();
}

struct link {
  ino_t ino;
  dev_t dev;
  unsigned left;
};
static struct link *links;
static size_t nlinks;

/* For a multiply-linked file: 1 when this name is the last one (it carries the data). */
static int last_link(const struct stat *st) {
  for (size_t i = 0; i < nlinks; i++) {
    if (links[i].ino == st->st_ino && links[i].dev == st->st_dev) return --links[i].left == 0;
  }
  links = realloc(links, (nlinks + 1) * sizeof *links);
  if (links == NULL) die("memory");
  links[nlinks].ino = st->st_ino;
  links[nlinks].dev = st->st_dev;
  links[nlinks].left = (unsigned)st->st_nlink - 1;
  nlinks++;
  return st->st_nlink <= 1;
}

static void out_one(const char *name) {
  struct stat st;
  if (lstat(name, &st) < 0) {
    fprintf(stderr, "cpio: %s: %s\n", name, strerror(errno));
    return;
  }
  if (verbose) fprintf(stderr, "%s\n", name);
  if (S_ISLNK(st.st_mode)) {
    char target[1024];
    ssize_t n = readlink(name, target, sizeof target);
    if (n < 0) die(name);
    header(&st, name, (unsigned long)n, 1);
    put(target, (size_t)n);
    pad4();
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    header(&st, name, 0, S_ISDIR(st.st_mode) ? 2 : 1);
    return;
  }
  int data = st.st_nlink <= 1 || last_link(&st);
  header(&st, name, data ? (unsigned long)st.st_size : 0, (unsigned)st.st_nlink);
  if (!data) return;
  int fd = open(name, O_RDONLY);
  if (fd < 0) die(name);
  char buf[4096];
  unsigned long long left = (unsigned long long)st.st_size;
  while (left > 0) {
    ssize_t r = read(fd, buf, left < sizeof buf ? (size_t)left : sizeof buf);
    if (r <= 0) {
      fprintf(stderr, "cpio: %s: file shrank\n", name);
      memset(buf, 0, sizeof buf);
      r = (ssize_t)(left < sizeof buf ? left : sizeof buf);
    }
    put(buf, (size_t)r);
    left -= (unsigned long long)r;
  }
  close(fd);
  pad4();
}

static void copy_out(void) {
  char line[4096];
  while (fgets(line, sizeof line, stdin) != NULL) {
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
    if (n > 0) out_one(line);
  }
  struct stat z;
  memset(&z, 0, sizeof z);
  header(&z, "TRAILER!!!", 0, 1);
  static const unsigned char zero[512];
  if (blen > 0) put(zero, sizeof blk - blen);
  fprintf(stderr, "%llu blocks\n", (total + 511) / 512);
}

/* ---- input ---- */

static unsigned long long consumed;
/* Input buffer: one read() is one tape record, up to 256 KiB. */
static unsigned char ibuf[256 * 1024];
static size_t ipos, ilen;

static int get(void *p, size_t n) {
  unsigned char *d = p;
  size_t got = 0;
  while (got < n) {
    if (ipos == ilen) {
      ssize_t r = read(afd, ibuf, sizeof ibuf);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) die("read");
      if (r == 0) return 0;
      ipos = 0;
      ilen = (size_t)r;
    }
    size_t c = ilen - ipos < n - got ? ilen - ipos : n - got;
    memcpy(d + got, ibuf + ipos, c);
    ipos += c;
    got += c;
  }
  consumed += n;
  return 1;
}

static void skip_pad(void) {
  unsigned char z[4];
  if (consumed % 4 && !get(z, 4 - consumed % 4)) {
    fprintf(stderr, "cpio: premature end of archive\n");
    exit(2);
  }
}

static unsigned long hex(const char *p) {
  char f[9];
  memcpy(f, p, 8);
  f[8] = '\0';
  return strtoul(f, NULL, 16);
}

struct seen {
  unsigned long ino;
  char *name;
  int has_data;
};
static struct seen *seen;
static size_t nseen;

static void make_parents(const char *name) {
  char *p = strdup(name);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    mkdir(p, 0755);
    *s = '/';
  }
  free(p);
}

static void list(const char *name, unsigned long mode, unsigned long size, unsigned long mtime,
                 unsigned long nlink, const char *target) {
  if (!verbose) {
    printf("%s\n", name);
    return;
  }
  char m[11] = "----------";
  if (S_ISDIR(mode)) m[0] = 'd';
  else if (S_ISLNK(mode)) m[0] = 'l';
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++)
    if (mode & (0400u >> i)) m[i + 1] = rwx[i];
  time_t t = (time_t)mtime;
  struct tm tm;
  gmtime_r(&t, &tm);
  static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  printf("%s %3lu %8lu %s %2d %04d %s", m, nlink, size, mon[tm.tm_mon], tm.tm_mday,
         tm.tm_year + 1900, name);
  if (target != NULL) printf(" -> %s", target);
  printf("\n");
}

static int extract_file(const char *name, unsigned long mode, unsigned long size) {
  struct stat st;
  if (lstat(name, &st) == 0) {
    if (!uncond && !S_ISDIR(mode)) {
      fprintf(stderr, "cpio: %s not created: newer or same age version exists\n", name);
      return -1;
    }
    if (!S_ISDIR(st.st_mode)) unlink(name);
  }
  if (makedirs) make_parents(name);
  int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    fprintf(stderr, "cpio: %s: %s\n", name, strerror(errno));
    return -1;
  }
  (void)size;
  (void)mode;
  return fd;
}

static void copy_in(int listing) {
  for (;;) {
    char h[110];
    if (!get(h, sizeof h)) {
      fprintf(stderr, "cpio: premature end of archive\n");
      exit(2);
    }
    if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0) {
      fprintf(stderr, "cpio: not a newc archive (bad magic)\n");
      exit(2);
    }
    unsigned long ino = hex(h + 6), mode = hex(h + 14), nlink = hex(h + 38);
    unsigned long mtime = hex(h + 46), size = hex(h + 54), namesize = hex(h + 94);
    if (namesize == 0 || namesize > 4096) {
      fprintf(stderr, "cpio: bad name size %lu\n", namesize);
      exit(2);
    }
    char *name = malloc(namesize), *data = NULL;
    if (name == NULL || !get(name, namesize)) die("archive");
    name[namesize - 1] = '\0';
    skip_pad();
    if (strcmp(name, "TRAILER!!!") == 0) {
      free(name);
      break;
    }
    if (S_ISLNK(mode)) {
      data = malloc(size + 1);
      if (data == NULL || !get(data, size)) die("archive");
      data[size] = '\0';
      skip_pad();
    }
    if (listing) {
      list(name, mode, size, mtime, nlink, data);
    } else {
      if (verbose) fprintf(stderr, "%s\n", name);
      if (makedirs) make_parents(name);
      if (S_ISDIR(mode)) {
        if (mkdir(name, (mode_t)(mode & 07777)) < 0 && errno != EEXIST) perror(name);
      } else if (S_ISLNK(mode)) {
        if (uncond) unlink(name);
        if (symlink(data, name) < 0) fprintf(stderr, "cpio: %s: %s\n", name, strerror(errno));
      } else if (S_ISREG(mode)) {
        int fd = -1;
        const char *first = NULL;
        if (nlink > 1) {
          for (size_t i = 0; i < nseen; i++)
            if (seen[i].ino == ino) first = seen[i].name;
          seen = realloc(seen, (nseen + 1) * sizeof *seen);
          seen[nseen].ino = ino;
          seen[nseen].name = strdup(name);
          seen[nseen].has_data = size > 0;
          nseen++;
        }
        if (first != NULL && size == 0) {
          if (uncond) unlink(name);
          if (link(first, name) < 0) fprintf(stderr, "cpio: %s: %s\n", name, strerror(errno));
        } else {
          fd = extract_file(name, mode, size);
        }
        char buf[4096];
        unsigned long left = size;
        while (left > 0) {
          size_t c = left < sizeof buf ? left : sizeof buf;
          if (!get(buf, c)) {
            fprintf(stderr, "cpio: premature end of archive\n");
            exit(2);
          }
          if (fd >= 0 && write(fd, buf, c) != (ssize_t)c) die(name);
          left -= c;
        }
        skip_pad();
        if (fd >= 0) {
          close(fd);
          chmod(name, (mode_t)(mode & 07777));
          struct timespec ts[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
          utimensat(AT_FDCWD, name, ts, 0);
          /* Names seen before with no data are links to this one. */
          if (nlink > 1 && size > 0) {
            for (size_t i = 0; i + 1 < nseen; i++) {
              if (seen[i].ino != ino || strcmp(seen[i].name, name) == 0) continue;
              unlink(seen[i].name);
              link(name, seen[i].name);
            }
          }
        }
      }
    }
    if (!S_ISLNK(mode) && (listing || !S_ISREG(mode)) && size > 0) {
      char buf[512];
      for (unsigned long left = size; left > 0;) {
        size_t c = left < sizeof buf ? left : sizeof buf;
        if (!get(buf, c)) break;
        left -= c;
      }
      skip_pad();
    }
    free(name);
    free(data);
  }
  fprintf(stderr, "%llu blocks\n", (consumed + 511) / 512);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int mode = 0;
  const char *file = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') {
      fprintf(stderr, "cpio: unexpected operand '%s'\n", a);
      return 2;
    }
    for (const char *o = a + 1; *o; o++) {
      switch (*o) {
      case 'o': case 'i': case 't':
        if (mode != 0 && !(mode == 'i' && *o == 't') && !(mode == 't' && *o == 'i')) {
          fprintf(stderr, "cpio: only one of -o, -i, -t\n");
          return 2;
        }
        mode = (*o == 't' || mode == 't') ? 't' : *o;
        break;
      case 'v': verbose = 1; break;
      case 'd': makedirs = 1; break;
      case 'u': uncond = 1; break;
      case 'm': break; /* mtimes are always kept */
      case 'H':
      case 'F': {
        const char *v = o[1] ? o + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (v == NULL) {
          fprintf(stderr, "cpio: -%c needs an argument\n", *o);
          return 2;
        }
        if (*o == 'F') file = v;
        else if (strcmp(v, "newc") != 0) {
          fprintf(stderr, "cpio: only the newc format is supported\n");
          return 2;
        }
        goto next; /* the value used up the rest of this argument or the next one */
      }
      default:
        fprintf(stderr, "cpio: unknown option '%c'\n", *o);
        return 2;
      }
    }
  next:;
  }
  if (mode == 0) {
    fprintf(stderr, "usage: cpio -o|-i|-t [-vdu] [-H newc] [-F ARCHIVE]\n");
    return 2;
  }
  afd = mode == 'o' ? 1 : 0;
  if (file != NULL) {
    afd = mode == 'o' ? open(file, O_WRONLY | O_CREAT | O_TRUNC, 0666) : open(file, O_RDONLY);
    if (afd < 0) die(file);
  }
  if (mode == 'o') copy_out();
  else copy_in(mode == 't');
  if (file != NULL && close(afd) < 0) die(file);
  return 0;
}
