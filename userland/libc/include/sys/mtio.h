/* Magnetic tape ioctls, with Linux's numbers and structure layouts
 * (<linux/mtio.h>), plus Strata's STIOCGSTATS for the drive's compression
 * ratio. */
#ifndef _SYS_MTIO_H
#define _SYS_MTIO_H

struct mtop {
  short mt_op;
  int mt_count;
};

struct mtget {
  long mt_type;
  long mt_resid;
  long mt_dsreg;
  long mt_gstat;
  long mt_erreg;
  int mt_fileno;
  int mt_blkno;
};

struct mtpos {
  long mt_blkno;
};

/* Strata: compression ratio x100 of the data written since load, whether
 * compression is on, and the records the driver moved. */
struct st_stats {
  unsigned ratio_x100;
  unsigned compression;
  unsigned records_written;
  unsigned records_read;
};

#define MTIOCTOP 0x40086d01
#define MTIOCGET 0x801c6d02
#define MTIOCPOS 0x80046d03
#define STIOCGSTATS 0x80105301

#define MTRESET 0
#define MTFSF 1
#define MTBSF 2
#define MTFSR 3
#define MTBSR 4
#define MTWEOF 5
#define MTREW 6
#define MTOFFL 7
#define MTNOP 8
#define MTRETEN 9
#define MTBSFM 10
#define MTFSFM 11
#define MTEOM 12
#define MTERASE 13
#define MTSETBLK 20
#define MTLOAD 30
#define MTUNLOAD 31
#define MTCOMPRESSION 32
#define MTWEOFI 35

#define MT_ISSCSI2 0x72

#define GMT_EOF(x) ((x) & 0x80000000)
#define GMT_BOT(x) ((x) & 0x40000000)
#define GMT_EOT(x) ((x) & 0x20000000)
#define GMT_SM(x) ((x) & 0x10000000)
#define GMT_EOD(x) ((x) & 0x08000000)
#define GMT_WR_PROT(x) ((x) & 0x04000000)
#define GMT_ONLINE(x) ((x) & 0x01000000)
#define GMT_D_6250(x) ((x) & 0x00800000)
#define GMT_D_1600(x) ((x) & 0x00400000)
#define GMT_D_800(x) ((x) & 0x00200000)
#define GMT_DR_OPEN(x) ((x) & 0x00040000)
#define GMT_IM_REP_EN(x) ((x) & 0x00010000)
#define GMT_CLN(x) ((x) & 0x00008000)

#define MT_ST_BLKSIZE_SHIFT 0
#define MT_ST_BLKSIZE_MASK 0xffffff
#define MT_ST_DENSITY_SHIFT 24
#define MT_ST_DENSITY_MASK 0xff000000

#endif
