/* mkfs.ext2 [-q] [-b SIZE] [-N INODES] [-L LABEL] DEVICE [BLOCKS]: write an
 * empty ext2 file system (revision 1, features filetype, sparse_super and
 * large_file, 128-byte inodes) with a root directory and lost+found.
 *
 * Layout per group: in groups 0, 1 and powers of 3, 5 and 7 a superblock
 * copy and the group descriptor table, then the block bitmap, the inode
 * bitmap and the inode table; data blocks after. Bits past the end of a
 * group's blocks or inodes are set, as e2fsck expects. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: mkfs.ext2 [-q] [-b BLOCK-SIZE] [-N INODES] [-L LABEL] DEVICE [BLOCKS]\n"
    "Write an empty ext2 file system on DEVICE (a block device or an image\n"
    "file), using all of it or BLOCKS blocks.\n"
    "\n"
    "  -b SIZE    block size: 1024, 2048 or 4096 (default 1024 below 512 MiB, else 4096)\n"
    "  -N COUNT   number of inodes (default one per 8 KiB)\n"
    "  -L LABEL   volume label (up to 16 bytes)\n"
    "  -q         no report\n"
    "      --help display this help and exit\n";

#define INODE_SIZE 128
#define LF_BLOCKS 4

static int fd;
static unsigned bs, blocks, groups, bpg, ipg, itb, gdtb, fdb;
static unsigned char *buf;

static void put16(unsigned char *p, unsigned v) { p[0] = v; p[1] = v >> 8; }
static void put32(unsigned char *p, unsigned v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }

static void write_block(unsigned b, const unsigned char *data) {
  if (lseek(fd, (off_t)b * bs, SEEK_SET) < 0 || write(fd, data, bs) != (ssize_t)bs) {
    fprintf(stderr, "mkfs.ext2: write of block %u: %s\n", b, strerror(errno));
    exit(1);
  }
}

static int is_power(unsigned n, unsigned base) {
  while (n > 1 && n % base == 0) n /= base;
  return n == 1;
}
static int has_super(unsigned g) { return g <= 1 || is_power(g, 3) || is_power(g, 5) || is_power(g, 7); }
static unsigned group_start(unsigned g) { return fdb + g * bpg; }
static unsigned group_blocks(unsigned g) {
  unsigned left = blocks - group_start(g);
  return left < bpg ? left : bpg;
}
static unsigned meta_blocks(unsigned g) { return (has_super(g) ? 1 + gdtb : 0) + 2 + itb; }

static void set_bit(unsigned char *map, unsigned i) { map[i >> 3] |= 1 << (i & 7); }

/* Writes a directory block: ".", "..", and optionally one more entry covering the rest. */
static void dir_block(unsigned char *d, unsigned self, unsigned parent, const char *name, unsigned ino) {
  memset(d, 0, bs);
  put32(d, self); put16(d + 4, 12); d[6] = 1; d[7] = 2; d[8] = '.';
  put32(d + 12, parent); d[18] = 2; d[19] = 2; d[20] = '.'; d[21] = '.';
  if (!name) {
    put16(d + 16, bs - 12);
    return;
  }
  put16(d + 16, 12);
  unsigned n = strlen(name);
  put32(d + 24, ino); put16(d + 28, bs - 24); d[30] = n; d[31] = 2; memcpy(d + 32, name, n);
}

static void inode_at(unsigned char *table, unsigned ino, unsigned mode, unsigned links,
                     unsigned size, unsigned first, unsigned count, unsigned now) {
  unsigned char *p = table + (ino - 1) * INODE_SIZE;
  put16(p, mode); put32(p + 4, size);
  put32(p + 8, now); put32(p + 12, now); put32(p + 16, now);
  put16(p + 26, links); put32(p + 28, count * (bs / 512));
  for (unsigned i = 0; i < count; i++) put32(p + 40 + 4 * i, first + i);
}

static unsigned parse(const char *s) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*end || v == 0) {
    fprintf(stderr, "mkfs.ext2: bad number '%s'\n", s);
    exit(1);
  }
  return (unsigned)v;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  unsigned want_bs = 0, want_inodes = 0;
  const char *label = "";
  int quiet = 0, opt;
  while ((opt = getopt(argc, argv, "qb:N:L:")) != -1) {
    if (opt == 'q') quiet = 1;
    else if (opt == 'b') want_bs = parse(optarg);
    else if (opt == 'N') want_inodes = parse(optarg);
    else if (opt == 'L') label = optarg;
    else { fputs(usage_text, stderr); return 1; }
  }
  if (optind >= argc || argc - optind > 2) { fputs(usage_text, stderr); return 1; }
  const char *dev = argv[optind];
  fd = open(dev, O_RDWR);
  if (fd < 0) { fprintf(stderr, "mkfs.ext2: %s: %s\n", dev, strerror(errno)); return 1; }
  off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) { fprintf(stderr, "mkfs.ext2: %s: %s\n", dev, strerror(errno)); return 1; }
  unsigned long long bytes = (unsigned long long)(unsigned long)end;
  bs = want_bs ? want_bs : bytes < 512ULL * 1024 * 1024 ? 1024 : 4096;
  if (bs != 1024 && bs != 2048 && bs != 4096) { fprintf(stderr, "mkfs.ext2: bad block size %u\n", bs); return 1; }
  blocks = argc - optind == 2 ? parse(argv[optind + 1]) : (unsigned)(bytes / bs);
  if ((unsigned long long)blocks * bs > bytes) { fprintf(stderr, "mkfs.ext2: %s: only %llu bytes\n", dev, bytes); return 1; }
  fdb = bs == 1024 ? 1 : 0;
  bpg = 8 * bs;
  groups = (blocks - fdb + bpg - 1) / bpg;
  unsigned inodes = want_inodes ? want_inodes : (unsigned)((unsigned long long)blocks * bs / 8192);
  unsigned per_block = bs / INODE_SIZE;
  ipg = (inodes + groups - 1) / groups;
  ipg = (ipg + per_block - 1) / per_block * per_block;
  if (ipg < 16) ipg = 16;
  if (ipg > 8 * bs) ipg = 8 * bs;
  itb = ipg * INODE_SIZE / bs;
  gdtb = (groups * 32 + bs - 1) / bs;
  /* A last group too small for its own metadata and some data is dropped. */
  if (groups > 1 && group_blocks(groups - 1) < meta_blocks(groups - 1) + 16) {
    groups--;
    blocks = fdb + groups * bpg;
    gdtb = (groups * 32 + bs - 1) / bs;
  }
  if (group_blocks(0) < meta_blocks(0) + 1 + LF_BLOCKS + 8) { fprintf(stderr, "mkfs.ext2: %s: too small\n", dev); return 1; }
  buf = calloc(1, bs);
  unsigned char *gdt = calloc(gdtb, bs);
  unsigned char *sb = calloc(1, 1024);
  if (!buf || !gdt || !sb) return 1;
  unsigned now = (unsigned)time(NULL);
  unsigned free_blocks = 0, free_inodes = 0;
  unsigned root_block = group_start(0) + meta_blocks(0), lf_block = root_block + 1;
  for (unsigned g = 0; g < groups; g++) {
    unsigned start = group_start(g), n = group_blocks(g), meta = meta_blocks(g);
    unsigned bb = start + (has_super(g) ? 1 + gdtb : 0), ib = bb + 1, it = bb + 2;
    unsigned used = meta + (g == 0 ? 1 + LF_BLOCKS : 0);
    memset(buf, 0, bs);
    for (unsigned i = 0; i < used; i++) set_bit(buf, i);
    for (unsigned i = n; i < 8 * bs; i++) set_bit(buf, i);
    write_block(bb, buf);
    unsigned used_inodes = g == 0 ? 11 : 0;
    memset(buf, 0, bs);
    for (unsigned i = 0; i < used_inodes; i++) set_bit(buf, i);
    for (unsigned i = ipg; i < 8 * bs; i++) set_bit(buf, i);
    write_block(ib, buf);
    memset(buf, 0, bs);
    for (unsigned i = 0; i < itb; i++) write_block(it + i, buf);
    unsigned char *d = gdt + g * 32;
    put32(d, bb); put32(d + 4, ib); put32(d + 8, it);
    put16(d + 12, n - used); put16(d + 14, ipg - used_inodes); put16(d + 16, g == 0 ? 2 : 0);
    free_blocks += n - used;
    free_inodes += ipg - used_inodes;
  }
  /* Root (inode 2) and lost+found (inode 11), both in group 0's table. */
  unsigned char *table = calloc(1, 11 * INODE_SIZE);
  if (!table) return 1;
  inode_at(table, 2, 040755, 3, bs, root_block, 1, now);
  inode_at(table, 11, 040700, 2, LF_BLOCKS * bs, lf_block, LF_BLOCKS, now);
  unsigned it0 = group_start(0) + 1 + gdtb + 2;
  for (unsigned off = 0; off < 11 * INODE_SIZE; off += bs) {
    memset(buf, 0, bs);
    unsigned n = 11 * INODE_SIZE - off < bs ? 11 * INODE_SIZE - off : bs;
    memcpy(buf, table + off, n);
    write_block(it0 + off / bs, buf);
  }
  dir_block(buf, 2, 2, "lost+found", 11);
  write_block(root_block, buf);
  dir_block(buf, 11, 2, NULL, 0);
  write_block(lf_block, buf);
  memset(buf, 0, bs);
  put16(buf + 4, bs);
  for (unsigned i = 1; i < LF_BLOCKS; i++) write_block(lf_block + i, buf);
  /* The superblock, and its copies with the group descriptors. */
  put32(sb, ipg * groups); put32(sb + 4, blocks); put32(sb + 8, blocks / 20);
  put32(sb + 12, free_blocks); put32(sb + 16, free_inodes); put32(sb + 20, fdb);
  put32(sb + 24, bs == 1024 ? 0 : bs == 2048 ? 1 : 2); put32(sb + 28, bs == 1024 ? 0 : bs == 2048 ? 1 : 2);
  put32(sb + 32, bpg); put32(sb + 36, bpg); put32(sb + 40, ipg);
  put32(sb + 48, now); put16(sb + 54, 0xffff); put16(sb + 56, 0xef53); put16(sb + 58, 1);
  put16(sb + 60, 1); put32(sb + 64, now); put32(sb + 76, 1); put32(sb + 84, 11); put16(sb + 88, INODE_SIZE);
  put32(sb + 96, 0x0002); put32(sb + 100, 0x0001 | 0x0002);
  unsigned seed = now ^ (blocks * 2654435761u);
  for (int i = 0; i < 16; i++) { seed = seed * 1103515245u + 12345u; sb[104 + i] = seed >> 16; }
  sb[104 + 6] = (sb[104 + 6] & 0x0f) | 0x40;
  sb[104 + 8] = (sb[104 + 8] & 0x3f) | 0x80;
  strncpy((char *)sb + 120, label, 16);
  for (unsigned g = 0; g < groups; g++) {
    if (!has_super(g)) continue;
    put16(sb + 90, g);
    memset(buf, 0, bs);
    unsigned at = group_start(g);
    if (bs == 1024) memcpy(buf, sb, 1024);
    else if (g == 0) {
      if (lseek(fd, 0, SEEK_SET) < 0 || read(fd, buf, 1024) != 1024) memset(buf, 0, 1024);
      memcpy(buf + 1024, sb, 1024);
    } else memcpy(buf, sb, 1024);
    write_block(at, buf);
    for (unsigned i = 0; i < gdtb; i++) write_block(at + 1 + i, gdt + i * bs);
  }
  if (fsync(fd) < 0 && errno != EINVAL) { fprintf(stderr, "mkfs.ext2: fsync: %s\n", strerror(errno)); return 1; }
  close(fd);
  if (!quiet) {
    printf("%s: ext2, %u blocks of %u bytes, %u inodes, %u groups (%u blocks, %u inodes each)\n", dev,
           blocks, bs, ipg * groups, groups, bpg, ipg);
  }
  return 0;
}
