/**
 * MBR partition tables: the four primary entries of sector 0 (boot
 * signature 0x55 0xAA at offset 510, entries of 16 bytes from offset 446:
 * status, CHS start, type, CHS end, LBA start (u32 LE), sector count
 * (u32 LE)). CHS fields are ignored, as Linux does for LBA disks. Extended
 * partitions (types 0x05, 0x0f, 0x85) are listed as themselves; their
 * logical partitions are not read.
 *
 * @module
 */

/** One primary partition. */
export interface MbrPartition {
  /** 1..4: the entry number (hda1 is entry 1). */
  readonly index: number;
  /** System id byte (0x83 Linux, 0x05 extended, ...). */
  readonly type: number;
  /** First sector (absolute LBA). */
  readonly start: number;
  /** Length in sectors. */
  readonly sectors: number;
  /** The active (boot) flag is set. */
  readonly bootable: boolean;
}

/** Extended-partition type ids (their chained logical partitions are not supported). */
export const EXTENDED_TYPES: ReadonlySet<number> = new Set([0x05, 0x0f, 0x85]);

/**
 * Parses the partition table in `sector0` (512 bytes) of a disk of
 * `diskSectors` sectors. Returns [] without a boot signature. Empty entries
 * (type 0 or length 0) are skipped; an entry that starts at 0 or runs past
 * the end of the disk is clipped to the disk or dropped (Linux warns and
 * clips as well).
 */
export function parseMbr(sector0: Uint8Array, diskSectors: number): MbrPartition[] {
  if (sector0.length < 512 || sector0[510] !== 0x55 || sector0[511] !== 0xaa) return [];
  const dv = new DataView(sector0.buffer, sector0.byteOffset, 512);
  const out: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const at = 446 + 16 * i;
    const status = sector0[at];
    if (status !== 0 && status !== 0x80) return []; // not a partition table (e.g. a bare FAT/ext boot sector)
    const type = sector0[at + 4];
    const start = dv.getUint32(at + 8, true);
    let sectors = dv.getUint32(at + 12, true);
    if (type === 0 || sectors === 0) continue;
    if (start === 0 || start >= diskSectors) continue;
    if (start + sectors > diskSectors) sectors = diskSectors - start;
    out.push({ index: i + 1, type, start, sectors, bootable: status === 0x80 });
  }
  return out;
}

/** Builds a sector 0 holding `parts` (for tests and image tools); CHS fields are 0xfe 0xff 0xff. */
export function buildMbr(
  parts: readonly { type: number; start: number; sectors: number; bootable?: boolean }[],
): Uint8Array {
  const s = new Uint8Array(512);
  const dv = new DataView(s.buffer);
  parts.slice(0, 4).forEach((p, i) => {
    const at = 446 + 16 * i;
    s[at] = p.bootable ? 0x80 : 0;
    s.set([0xfe, 0xff, 0xff], at + 1);
    s[at + 4] = p.type;
    s.set([0xfe, 0xff, 0xff], at + 5);
    dv.setUint32(at + 8, p.start, true);
    dv.setUint32(at + 12, p.sectors, true);
  });
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}
