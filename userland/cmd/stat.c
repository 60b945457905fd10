/* stat [-L] [-c FORMAT] FILE...: show file status, in GNU stat's multi-line layout by default.
 * -L: follow symbolic links. -c FORMAT: print FORMAT (and a newline) per file, with
 *   %n name  %N quoted name (with "-> target" for links)  %s size  %b blocks  %B block unit
 *   %o IO block  %a octal mode  %A rwx mode  %F type  %f raw mode in hex  %i inode  %h links
 *   %u/%g uid/gid  %U/%G owner names (UNKNOWN: Strata has no user database)
 *   %d/%D device in decimal/hex  %t/%T major/minor device type in hex
 *   %x %y %z %w access/modify/change/birth time  %X %Y %Z %W the same in seconds  %% a %.
 * Directives take printf-style flags and widths (%-10s). Times are shown in UTC. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: stat [OPTION]... FILE...\n"
    "Display file or file system status.\n"
    "\n"
    "  -L, --dereference     follow links\n"
    "  -c  --format=FORMAT   use the specified FORMAT instead of the default;\n"
    "                          output a newline after each use of FORMAT\n"
    "      --help        display this help and exit\n"
    "\n"
    "The valid format sequences for files:\n"
    "\n"
    "  %a   permission bits in octal     %A   permission bits and file type\n"
    "  %b   number of blocks allocated   %B   the size in bytes of each block\n"
    "  %d   device number in decimal     %D   device number in hex\n"
    "  %f   raw mode in hex              %F   file type\n"
    "  %g   group ID of owner            %G   group name of owner\n"
    "  %h   number of hard links         %i   inode number\n"
    "  %n   file name                    %N   quoted file name with dereference\n"
    "  %o   optimal I/O transfer size    %s   total size, in bytes\n"
    "  %t   major device type in hex     %T   minor device type in hex\n"
    "  %u   user ID of owner             %U   user name of owner\n"
    "  %w %x %y %z  birth, access, modification, change time\n"
    "  %W %X %Y %Z  the same, in seconds since Epoch\n";


#define STATX_BTIME_BIT 0x800u

static const char *default_format =
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-11i Links: %h\n"
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
static const char *device_format =
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n"
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";

static const char *file_type(const struct statx *sx) {
  switch (sx->stx_mode & S_IFMT) {
  case S_IFREG: return sx->stx_size == 0 ? "regular empty file" : "regular file";
  case S_IFDIR: return "directory";
  case S_IFLNK: return "symbolic link";
  case S_IFIFO: return "fifo";
  case S_IFCHR: return "character special file";
  case S_IFBLK: return "block special file";
  case S_IFSOCK: return "socket";
  default: return "weird file";
  }
}

static void mode_string(unsigned m, char *s) {
  const char *types = "?pc?d?b?-?l?s???";
  s[0] = types[(m >> 12) & 15];
  for (int i = 0; i < 9; i++) s[1 + i] = (m & (0400u >> i)) ? "rwxrwxrwx"[i] : '-';
  if (m & S_ISUID) s[3] = (m & S_IXUSR) ? 's' : 'S';
  if (m & S_ISGID) s[6] = (m & S_IXGRP) ? 's' : 'S';
  if (m & S_ISVTX) s[9] = (m & S_IXOTH) ? 't' : 'T';
  s[10] = 0;
}

static int quote_names; /* %N quotes in -c formats, not in the default layout */

/* Appends NAME to OUT, quoted for the shell when quote_names is set: in double quotes when
 * it holds a ' and nothing the shell expands there, otherwise in single quotes. */
static void quote(char *out, size_t size, const char *name) {
  size_t len = strlen(out);
  if (!quote_names) {
    snprintf(out + len, size - len, "%s", name);
    return;
  }
  if (strchr(name, '\'') && !strpbrk(name, "\"$`\\!")) {
    snprintf(out + len, size - len, "\"%s\"", name);
    return;
  }
  if (len + 1 < size) out[len++] = '\'';
  for (const char *p = name; *p && len + 5 < size; p++) {
    if (*p == '\'') {
      memcpy(out + len, "'\\''", 4);
      len += 4;
    } else {
      out[len++] = *p;
    }
  }
  if (len + 1 < size) out[len++] = '\'';
  out[len] = 0;
}

static void human_time(char *out, size_t size, const struct statx_timestamp *ts) {
  time_t t = (time_t)ts->tv_sec;
  struct tm tm;
  char date[64];
  if (!gmtime_r(&t, &tm) || strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
    snprintf(out, size, "%lld", (long long)t);
    return;
  }
  snprintf(out, size, "%s.%09u +0000", date, ts->tv_nsec);
}

static unsigned long long make_dev(unsigned major, unsigned minor) {
  return ((unsigned long long)(major & 0xfffff000u) << 32) |
         ((unsigned long long)(major & 0xfffu) << 8) |
         ((unsigned long long)(minor & 0xffffff00u) << 12) | (minor & 0xffu);
}

/* Prints one directive: SPEC holds "%" plus flags and width; C the conversion. */
static void directive(char *spec, char c, char h, const char *name, const struct statx *sx,
                      int follow) {
  char text[8192];
  unsigned long long num = 0;
  char conv = 'u';
  int is_num = 1;
  text[0] = 0;
  switch (c) {
  case 'n': is_num = 0; snprintf(text, sizeof text, "%s", name); break;
  case 'N':
    is_num = 0;
    quote(text, sizeof text, name);
    if (!follow && S_ISLNK(sx->stx_mode)) {
      char target[4096];
      ssize_t n = readlink(name, target, sizeof target - 1);
      if (n >= 0) {
        target[n] = 0;
        strcat(text, " -> ");
        quote(text, sizeof text, target);
      }
    }
    break;
  case 's': num = sx->stx_size; break;
  case 'b': num = sx->stx_blocks; break;
  case 'B': num = 512; break;
  case 'o': num = sx->stx_blksize; break;
  case 'a': num = sx->stx_mode & 07777; conv = 'o'; break;
  case 'A': is_num = 0; mode_string(sx->stx_mode, text); break;
  case 'F': is_num = 0; strcpy(text, file_type(sx)); break;
  case 'f': num = sx->stx_mode; conv = 'x'; break;
  case 'i': num = sx->stx_ino; break;
  case 'h': num = sx->stx_nlink; break;
  case 'u': num = sx->stx_uid; break;
  case 'g': num = sx->stx_gid; break;
  case 'U': case 'G': is_num = 0; strcpy(text, "UNKNOWN"); break;
  case 'd':
  case 'D':
    if (h == 'H') num = sx->stx_dev_major;
    else if (h == 'L') num = sx->stx_dev_minor;
    else num = make_dev(sx->stx_dev_major, sx->stx_dev_minor);
    if (c == 'D') conv = 'x';
    break;
  case 'r':
    if (h == 'H') num = sx->stx_rdev_major;
    else if (h == 'L') num = sx->stx_rdev_minor;
    else num = make_dev(sx->stx_rdev_major, sx->stx_rdev_minor);
    break;
  case 't': num = sx->stx_rdev_major; conv = 'x'; break;
  case 'T': num = sx->stx_rdev_minor; conv = 'x'; break;
  case 'x': is_num = 0; human_time(text, sizeof text, &sx->stx_atime); break;
  case 'y': is_num = 0; human_time(text, sizeof text, &sx->stx_mtime); break;
  case 'z': is_num = 0; human_time(text, sizeof text, &sx->stx_ctime); break;
  case 'w':
    is_num = 0;
    if (sx->stx_mask & STATX_BTIME_BIT) human_time(text, sizeof text, &sx->stx_btime);
    else strcpy(text, "-");
    break;
  case 'X': num = (unsigned long long)sx->stx_atime.tv_sec; conv = 'd'; break;
  case 'Y': num = (unsigned long long)sx->stx_mtime.tv_sec; conv = 'd'; break;
  case 'Z': num = (unsigned long long)sx->stx_ctime.tv_sec; conv = 'd'; break;
  case 'W':
    num = sx->stx_mask & STATX_BTIME_BIT ? (unsigned long long)sx->stx_btime.tv_sec : 0;
    conv = 'd';
    break;
  default: is_num = 0; strcpy(text, "?"); break;
  }
  size_t len = strlen(spec);
  if (is_num) {
    spec[len++] = 'l';
    spec[len++] = 'l';
    spec[len++] = conv;
    spec[len] = 0;
    if (conv == 'd') printf(spec, (long long)num);
    else printf(spec, num);
  } else {
    spec[len++] = 's';
    spec[len] = 0;
    printf(spec, text);
  }
}

static void print_format(const char *fmt, const char *name, const struct statx *sx, int follow) {
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      putchar(*p);
      continue;
    }
    if (p[1] == '%') {
      putchar('%');
      p++;
      continue;
    }
    if (p[1] == 0) {
      putchar('%');
      break;
    }
    char spec[48] = "%";
    size_t len = 1;
    p++;
    while (*p && strchr("-#0 +'", *p) && len < 8) spec[len++] = *p++;
    while (*p >= '0' && *p <= '9' && len < 20) spec[len++] = *p++;
    if (*p == '.') {
      spec[len++] = *p++;
      while (*p >= '0' && *p <= '9' && len < 32) spec[len++] = *p++;
    }
    spec[len] = 0;
    char h = 0;
    if ((*p == 'H' || *p == 'L') && p[1] && strchr("dDr", p[1])) h = *p++;
    if (*p == 0) break;
    directive(spec, *p, h, name, sx, follow);
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  const char *format = NULL;
  int follow = 0, opt;
  while ((opt = getopt(argc, argv, "c:L")) != -1) {
    if (opt == 'c') {
      format = optarg;
    } else if (opt == 'L') {
      follow = 1;
    } else {
      fprintf(stderr, "usage: stat [-L] [-c FORMAT] FILE...\n");
      return 1;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "stat: missing operand\nTry 'stat --help' for more information.\n");
    return 1;
  }
  int status = 0;
  for (int i = optind; i < argc; i++) {
    struct statx sx;
    memset(&sx, 0, sizeof sx);
    if (statx(AT_FDCWD, argv[i], follow ? 0 : AT_SYMLINK_NOFOLLOW,
              STATX_BASIC_STATS | STATX_BTIME_BIT, &sx) < 0) {
      fprintf(stderr, "stat: cannot statx '%s': %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (format) {
      quote_names = 1;
      print_format(format, argv[i], &sx, follow);
      putchar('\n');
    } else {
      int dev = S_ISCHR(sx.stx_mode) || S_ISBLK(sx.stx_mode);
      print_format(dev ? device_format : default_format, argv[i], &sx, follow);
    }
  }
  return status;
}
