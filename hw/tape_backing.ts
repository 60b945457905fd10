/**
 * Where a tape image's bytes live: the {@link TapeBacking} contract the
 * drive loads and saves whole `.tap` images through, a backing in memory
 * (tests, benchmarks) and one in a host file (`--tape FILE.tap`).
 *
 * @module
 */

/** Where a tape's bytes live. */
export interface TapeBacking {
  /** Name for messages (the host path, or "memory"). */
  readonly name: string;
  /** True when the medium is write-protected. */
  readonly readOnly: boolean;
  /** Reads the whole image. */
  load(): Uint8Array;
  /** Replaces the whole image. */
  save(bytes: Uint8Array): void;
}

/** Raised when a tape backing cannot be read or written. */
export class TapeIoError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TapeIoError";
  }
}

/** A tape image held in memory. */
export class MemoryTapeBacking implements TapeBacking {
  /** Always "memory". */
  readonly name = "memory";
  /** The current image bytes. */
  bytes: Uint8Array;
  /** Write protection. */
  readonly readOnly: boolean;
  /** Creates a backing holding `bytes` (default: a blank tape). */
  constructor(bytes: Uint8Array = new Uint8Array(0), readOnly = false) {
    this.bytes = bytes;
    this.readOnly = readOnly;
  }
  /** Returns the image. */
  load(): Uint8Array {
    return this.bytes;
  }
  /** Stores the image. */
  save(bytes: Uint8Array): void {
    this.bytes = bytes;
  }
}

/** A tape image in a host `.tap` file (created empty when missing and writable). */
export class FileTapeBacking implements TapeBacking {
  /** Host path. */
  readonly name: string;
  /** Write protection (a read-only open). */
  readonly readOnly: boolean;
  /** Creates the backing for `path`. */
  constructor(path: string, readOnly = false) {
    this.name = path;
    this.readOnly = readOnly;
  }
  /** Reads the file (a missing file is a blank tape). */
  load(): Uint8Array {
    try {
      return Deno.readFileSync(this.name);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return new Uint8Array(0);
      throw new TapeIoError(`cannot read ${this.name}: ${(e as Error).message}`);
    }
  }
  /** Rewrites the file. */
  save(bytes: Uint8Array): void {
    if (this.readOnly) throw new TapeIoError(`${this.name} is write-protected`);
    try {
      Deno.writeFileSync(this.name, bytes);
    } catch (e) {
      throw new TapeIoError(`cannot write ${this.name}: ${(e as Error).message}`);
    }
  }
}
