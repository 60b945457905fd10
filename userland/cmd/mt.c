/* mt [-f DEVICE] COMMAND [COUNT]: tape control through MTIOCTOP, MTIOCGET
 * and MTIOCPOS. DEVICE defaults to $TAPE, else /dev/nst0. Commands: status,
 * rewind, fsf, bsf, fsr, bsr, weof (eof), eod (eom, seod), offline
 * (rewoffl), load, erase, setblk N, compression 0|1, tell. status prints
 * mt-st's layout plus the drive's compression ratio. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: mt [-f DEVICE] COMMAND [COUNT]\n"
    "Control a magnetic tape drive (default $TAPE, else /dev/nst0).\n"
    "\n"
    "Commands: status, tell, rewind, fsf, bsf, fsr, bsr, weof (eof), eod (eom, seod),\n"
    "offline (rewoffl), load, erase, setblk N, compression 0|1.\n"
    "      --help     display this help and exit\n";

struct cmd {
  const char *name;
  int op;
  int writes; /* needs the device open for writing */
  int def;    /* default count */
};

static const struct cmd cmds[] = {
    {"rewind", MTREW, 0, 1},     {"fsf", MTFSF, 0, 1},       {"bsf", MTBSF, 0, 1},
    {"fsr", MTFSR, 0, 1},        {"bsr", MTBSR, 0, 1},       {"weof", MTWEOF, 1, 1},
    {"eof", MTWEOF, 1, 1},       {"eod", MTEOM, 0, 1},       {"eom", MTEOM, 0, 1},
    {"seod", MTEOM, 0, 1},       {"offline", MTOFFL, 0, 1},  {"rewoffl", MTOFFL, 0, 1},
    {"load", MTLOAD, 0, 1},      {"erase", MTERASE, 1, 1},   {"setblk", MTSETBLK, 0, 0},
    {"compression", MTCOMPRESSION, 0, 1},
};

static void status_bits(long g) {
  static const struct {
    unsigned long bit;
    const char *name;
  } bits[] = {{0x80000000u, "EOF"},    {0x40000000, "BOT"},     {0x20000000, "EOT"},
              {0x10000000, "SM"},      {0x08000000, "EOD"},     {0x04000000, "WR_PROT"},
              {0x01000000, "ONLINE"},  {0x00040000, "DR_OPEN"}, {0x00010000, "IM_REP_EN"},
              {0x00008000, "CLN"}};
  printf("General status bits on (%lx):\n", (unsigned long)g);
  for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
    if ((unsigned long)g & bits[i].bit) printf(" %s", bits[i].name);
  printf("\n");
}

static int status(int fd, const char *dev) {
  struct mtget g;
  if (ioctl(fd, MTIOCGET, &g) < 0) {
    fprintf(stderr, "mt: %s: %s\n", dev, strerror(errno));
    return 2;
  }
  printf("%s tape drive:\n", g.mt_type == MT_ISSCSI2 ? "SCSI 2" : "Unknown");
  printf("File number=%d, block number=%d, partition=0.\n", g.mt_fileno, g.mt_blkno);
  printf("Tape block size %ld bytes. Density code 0x%lx (default).\n",
         (g.mt_dsreg & MT_ST_BLKSIZE_MASK) >> MT_ST_BLKSIZE_SHIFT,
         ((unsigned long)g.mt_dsreg & MT_ST_DENSITY_MASK) >> MT_ST_DENSITY_SHIFT);
  printf("Soft error count since last status=%ld\n", g.mt_erreg & 0xffff);
  status_bits(g.mt_gstat);
  struct st_stats s;
  if (ioctl(fd, STIOCGSTATS, &s) == 0) {
    printf("Compression %s, ratio %u.%02u:1 since load.\n", s.compression ? "on" : "off",
           s.ratio_x100 / 100, s.ratio_x100 % 100);
  }
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  const char *dev = getenv("TAPE");
  if (dev == NULL) dev = "/dev/nst0";
  int i = 1;
  if (i + 1 < argc && strcmp(argv[i], "-f") == 0) {
    dev = argv[i + 1];
    i += 2;
  }
  if (i >= argc) {
    fprintf(stderr, "usage: mt [-f DEVICE] COMMAND [COUNT]\n");
    return 1;
  }
  const char *name = argv[i];
  if (strcmp(name, "status") == 0 || strcmp(name, "tell") == 0) {
    int fd = open(dev, O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "mt: %s: %s\n", dev, strerror(errno));
      return 1;
    }
    int rc = 0;
    if (name[0] == 's') {
      rc = status(fd, dev);
    } else {
      struct mtpos p;
      if (ioctl(fd, MTIOCPOS, &p) < 0) {
        fprintf(stderr, "mt: %s: %s\n", dev, strerror(errno));
        rc = 2;
      } else {
        printf("At block %ld.\n", p.mt_blkno);
      }
    }
    close(fd);
    return rc;
  }
  for (unsigned k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
    if (strcmp(name, cmds[k].name) != 0) continue;
    struct mtop op = {(short)cmds[k].op, cmds[k].def};
    if (i + 1 < argc) {
      char *end;
      op.mt_count = (int)strtol(argv[i + 1], &end, 0);
      if (*end != '\0') {
        fprintf(stderr, "mt: bad count '%s'\n", argv[i + 1]);
        return 1;
      }
    } else if (cmds[k].op == MTSETBLK || cmds[k].op == MTCOMPRESSION) {
      fprintf(stderr, "mt: %s needs an argument\n", name);
      return 1;
    }
    int fd = open(dev, cmds[k].writes ? O_WRONLY : O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "mt: %s: %s\n", dev, strerror(errno));
      return 1;
    }
    if (ioctl(fd, MTIOCTOP, &op) < 0) {
      fprintf(stderr, "mt: %s: %s: %s\n", dev, name, strerror(errno));
      close(fd);
      return 2;
    }
    close(fd);
    return 0;
  }
  fprintf(stderr, "mt: unknown command '%s'\n", name);
  return 1;
}
