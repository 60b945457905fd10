/**
 * Backing stores for simulated disks: a host image file (write-back: writes
 * reach the file on {@link DiskImage.flush} and on {@link DiskImage.close}) or
 * plain memory.
 *
 * @module
 */

/** Bytes per sector of every Strata disk. */
export const SECTOR_SIZE = 512;

/** Raised for a bad image request (bad size, out-of-range sector, write to a read-only image). */
export class DiskImageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DiskImageError";
  }
}

/** A sector-addressed store behind a disk drive. */
export interface DiskImage {
  /** Capacity in 512-byte sectors. */
  readonly sectors: number;
  /** True when writes are refused. */
  readonly readOnly: boolean;
  /** Copies sector `lba` into `dst[offset..offset+512)`. */
  readSector(lba: number, dst: Uint8Array, offset: number): void;
  /** Stores `src[offset..offset+512)` as sector `lba` (may stay cached until flush). */
  writeSector(lba: number, src: Uint8Array, offset: number): void;
  /** Makes every write durable in the backing. */
  flush(): void;
  /** Flushes and releases the backing; later use throws. */
  close(): void;
}

function checkSector(image: DiskImage, lba: number): void {
  if (!Number.isInteger(lba) || lba < 0 || lba >= image.sectors) {
    throw new DiskImageError(`sector ${lba} outside image of ${image.sectors} sectors`);
  }
}

/** A disk image held in memory (lost when the process ends). */
export class MemoryDiskImage implements DiskImage {
  /** Capacity in sectors. */
  readonly sectors: number;
  /** True when writes are refused. */
  readonly readOnly: boolean;
  /** The image bytes. */
  readonly bytes: Uint8Array;

  /** Creates a zeroed image of `sizeBytes` (a multiple of 512), or wraps `data`. */
  constructor(sizeOrData: number | Uint8Array, readOnly = false) {
    if (typeof sizeOrData === "number") {
      if (!Number.isInteger(sizeOrData) || sizeOrData <= 0 || sizeOrData % SECTOR_SIZE !== 0) {
        throw new DiskImageError(`disk size must be a positive multiple of 512, got ${sizeOrData}`);
      }
      this.bytes = new Uint8Array(sizeOrData);
    } else {
      if (sizeOrData.length === 0 || sizeOrData.length % SECTOR_SIZE !== 0) {
        throw new DiskImageError(`disk data must be a positive multiple of 512 bytes`);
      }
      this.bytes = sizeOrData;
    }
    this.sectors = this.bytes.length / SECTOR_SIZE;
    this.readOnly = readOnly;
  }

  /** Copies one sector out. */
  readSector(lba: number, dst: Uint8Array, offset: number): void {
    checkSector(this, lba);
    const at = lba * SECTOR_SIZE;
    dst.set(this.bytes.subarray(at, at + SECTOR_SIZE), offset);
  }

  /** Copies one sector in. */
  writeSector(lba: number, src: Uint8Array, offset: number): void {
    checkSector(this, lba);
    if (this.readOnly) throw new DiskImageError("image is read-only");
    this.bytes.set(src.subarray(offset, offset + SECTOR_SIZE), lba * SECTOR_SIZE);
  }

  /** Nothing to do: memory is the backing. */
  flush(): void {}

  /** Nothing to release. */
  close(): void {}
}

/** Options for {@link FileDiskImage.open}. */
export interface FileDiskImageOptions {
  /** Size to create a missing image with (bytes, multiple of 512). Required to create. */
  sizeBytes?: number;
  /** Open read-only (writes are refused). */
  readOnly?: boolean;
}

/**
 * A disk image in a host file. Writes are kept in a sector cache and reach
 * the file in LBA order on {@link FileDiskImage.flush} (FLUSH CACHE) and on
 * {@link FileDiskImage.close} (clean shutdown). A missing file is created
 * sparse at the requested size; an existing file keeps its own size
 * (rounded down to whole sectors).
 */
export class FileDiskImage implements DiskImage {
  /** Capacity in sectors. */
  readonly sectors: number;
  /** True when writes are refused. */
  readonly readOnly: boolean;
  /** Host path of the image. */
  readonly path: string;
  #file: Deno.FsFile | null;
  #dirty = new Map<number, Uint8Array>();

  private constructor(path: string, file: Deno.FsFile, sectors: number, readOnly: boolean) {
    this.path = path;
    this.#file = file;
    this.sectors = sectors;
    this.readOnly = readOnly;
  }

  /** Opens (or creates) the image at `path`. Host I/O errors surface as {@link DiskImageError}. */
  static open(path: string, options: FileDiskImageOptions = {}): FileDiskImage {
    const readOnly = options.readOnly ?? false;
    let exists = true;
    try {
      Deno.statSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        throw new DiskImageError(`cannot stat ${path}: ${(e as Error).message}`);
      }
      exists = false;
    }
    try {
      if (!exists) {
        const size = options.sizeBytes;
        if (size === undefined) {
          throw new DiskImageError(`${path} does not exist and no size given`);
        }
        if (!Number.isInteger(size) || size <= 0 || size % SECTOR_SIZE !== 0) {
          throw new DiskImageError(`disk size must be a positive multiple of 512, got ${size}`);
        }
        if (readOnly) throw new DiskImageError(`cannot create read-only image ${path}`);
        const file = Deno.openSync(path, { read: true, write: true, create: true });
        file.truncateSync(size); // sparse: no blocks allocated until written
        return new FileDiskImage(path, file, size / SECTOR_SIZE, false);
      }
      const file = Deno.openSync(path, { read: true, write: !readOnly });
      const size = file.statSync().size;
      const sectors = Math.floor(size / SECTOR_SIZE);
      if (sectors === 0) {
        file.close();
        throw new DiskImageError(`${path} is smaller than one sector`);
      }
      return new FileDiskImage(path, file, sectors, readOnly);
    } catch (e) {
      if (e instanceof DiskImageError) throw e;
      throw new DiskImageError(`cannot open ${path}: ${(e as Error).message}`);
    }
  }

  /** Number of written sectors not yet in the file. */
  get dirtySectors(): number {
    return this.#dirty.size;
  }

  #handle(): Deno.FsFile {
    if (this.#file === null) throw new DiskImageError(`${this.path} is closed`);
    return this.#file;
  }

  /** Reads one sector (from the write cache if it is dirty). */
  readSector(lba: number, dst: Uint8Array, offset: number): void {
    checkSector(this, lba);
    const cached = this.#dirty.get(lba);
    if (cached !== undefined) {
      dst.set(cached, offset);
      return;
    }
    const file = this.#handle();
    const view = dst.subarray(offset, offset + SECTOR_SIZE);
    try {
      file.seekSync(lba * SECTOR_SIZE, Deno.SeekMode.Start);
      let got = 0;
      while (got < SECTOR_SIZE) {
        const n = file.readSync(view.subarray(got));
        if (n === null || n === 0) break;
        got += n;
      }
      view.fill(0, got); // past the end of a short file reads as zeros
    } catch (e) {
      throw new DiskImageError(`read of sector ${lba} failed: ${(e as Error).message}`);
    }
  }

  /** Caches one sector for the next flush. */
  writeSector(lba: number, src: Uint8Array, offset: number): void {
    checkSector(this, lba);
    if (this.readOnly) throw new DiskImageError(`${this.path} is read-only`);
    this.#handle();
    let cached = this.#dirty.get(lba);
    if (cached === undefined) {
      cached = new Uint8Array(SECTOR_SIZE);
      this.#dirty.set(lba, cached);
    }
    cached.set(src.subarray(offset, offset + SECTOR_SIZE));
  }

  /** Writes cached sectors to the file in LBA order and syncs it. */
  flush(): void {
    if (this.#dirty.size === 0) return;
    const file = this.#handle();
    const lbas = [...this.#dirty.keys()].sort((a, b) => a - b);
    try {
      for (const lba of lbas) {
        const data = this.#dirty.get(lba)!;
        file.seekSync(lba * SECTOR_SIZE, Deno.SeekMode.Start);
        let put = 0;
        while (put < SECTOR_SIZE) put += file.writeSync(data.subarray(put));
        this.#dirty.delete(lba);
      }
      file.syncDataSync();
    } catch (e) {
      throw new DiskImageError(`flush of ${this.path} failed: ${(e as Error).message}`);
    }
  }

  /** Flushes and closes the file. */
  close(): void {
    if (this.#file === null) return;
    try {
      this.flush();
    } finally {
      this.#file.close();
      this.#file = null;
    }
  }
}
