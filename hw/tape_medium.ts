/**
 * The tape medium and the head's place on it: the SIMH objects loaded from
 * a `.tap` image, and positioning over them.
 *
 * - the head is before object `index`; `block` and `file` count the visible
 *   objects and the filemarks before it; `position` is the physical distance
 *   from BOT in bytes of tape (each object's `.tap` size plus `gapBytes`);
 * - visible objects are records of classes 0 and 8, Strata-compressed
 *   records and marks; the rest (gaps, markers, others' private records) is
 *   passed over without counting, and kept when the image is rewritten;
 * - a load keeps a malformed tail as one bad-data record, so the data
 *   before the damage reads normally;
 * - writing appends at the head and erases everything after it.
 *
 * @module
 */

import {
  isCompressedRecord,
  parseTapPrefix,
  serializeTap,
  TAP_CLASS,
  TAP_MAX_RECORD,
  type TapeFormatError,
  type TapObject,
  tapObjectSize,
} from "./simh_tap.ts";

/** Records of classes 0 and 8, Strata-compressed records and marks; the rest is skipped. */
export function isVisible(o: TapObject): boolean {
  if (o.kind === "mark") return true;
  if (o.kind !== "record") return false;
  return o.cls === TAP_CLASS.GOOD || o.cls === TAP_CLASS.BAD || isCompressedRecord(o);
}

/** The objects on the tape and the head's position among them. */
export class TapeMedium {
  readonly #gapBytes: number;
  #objects: TapObject[] = [];
  #index = 0;
  // Visible objects and filemarks before the head, kept as the head moves.
  #block = 0;
  #file = 0;
  #position = 0;
  #dirty = false;

  /** An empty medium whose objects are separated by `gapBytes` of tape. */
  constructor(gapBytes: number) {
    this.#gapBytes = gapBytes;
  }

  /** The objects (read-only view). */
  get objects(): readonly TapObject[] {
    return this.#objects;
  }
  /** True when the head is at BOT. */
  get atStart(): boolean {
    return this.#index === 0;
  }
  /** Physical distance from BOT in bytes of tape. */
  get position(): number {
    return this.#position;
  }
  /** Visible objects before the head (the block number). */
  get block(): number {
    return this.#block;
  }
  /** Filemarks before the head (the file number). */
  get file(): number {
    return this.#file;
  }
  /** True when the objects changed since the last load or save. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** Visible records between the last filemark before the head (or BOT) and the head. */
  fileBlockNumber(): number {
    let n = 0;
    for (let i = this.#index - 1; i >= 0; i--) {
      const o = this.#objects[i];
      if (o.kind === "mark") break;
      if (isVisible(o)) n++;
    }
    return n;
  }

  /** Bytes of tape `o` takes: its `.tap` size and the inter-record gap. */
  footprint(o: TapObject): number {
    return tapObjectSize(o) + this.#gapBytes;
  }

  /** Puts the head at BOT with nothing unsaved (a new medium is being mounted). */
  resetHead(): void {
    this.#index = this.#block = this.#file = 0;
    this.#position = 0;
    this.#dirty = false;
  }

  /**
   * Loads the objects of a `.tap` image, head at BOT. Returns where the image
   * stopped being well formed (its rest became one bad-data record), or null.
   */
  load(bytes: Uint8Array): TapeFormatError | null {
    this.resetHead();
    const r = parseTapPrefix(bytes);
    this.#objects = r.objects;
    // A malformed tail becomes one bad-data record: the data before it reads normally.
    if (r.error !== null) {
      const rest = bytes.slice(r.error.offset, r.error.offset + TAP_MAX_RECORD);
      this.#objects.push({ kind: "record", cls: TAP_CLASS.BAD, data: rest });
    }
    return r.error;
  }

  /** Empties the medium (after a failed load), head at BOT. */
  clear(): void {
    this.resetHead();
    this.#objects = [];
  }

  /** The `.tap` image of the objects. */
  image(): Uint8Array {
    return serializeTap(this.#objects);
  }

  /** Marks the objects as saved (after the image reached the backing). */
  saved(): void {
    this.#dirty = false;
  }

  /** Moves forward over the next object, returning it (or undefined at end of data). */
  stepForward(): TapObject | undefined {
    while (this.#index < this.#objects.length) {
      const o = this.#objects[this.#index++];
      this.#position += this.footprint(o);
      if (isVisible(o)) {
        this.#block++;
        if (o.kind === "mark") this.#file++;
        return o;
      }
    }
    return undefined;
  }

  /** Moves back over the previous visible object (or to BOT), returning it. */
  stepBack(): TapObject | undefined {
    while (this.#index > 0) {
      const o = this.#objects[--this.#index];
      this.#position -= this.footprint(o);
      if (isVisible(o)) {
        this.#block--;
        if (o.kind === "mark") this.#file--;
        return o;
      }
    }
    return undefined;
  }

  /** Writes `o` (of `footprint` bytes of tape) at the head, erasing everything after it. */
  append(o: TapObject, footprint: number): void {
    this.#objects.length = this.#index;
    this.#objects.push(o);
    this.#index++;
    this.#block++;
    if (o.kind === "mark") this.#file++;
    this.#position += footprint;
    this.#dirty = true;
  }

  /** Erases from the head to the end of the data; returns the bytes of tape erased. */
  eraseRest(): number {
    let rest = 0;
    for (let i = this.#index; i < this.#objects.length; i++) {
      rest += this.footprint(this.#objects[i]);
    }
    if (this.#index < this.#objects.length) this.#dirty = true;
    this.#objects.length = this.#index;
    return rest;
  }

  /** Puts the head back at BOT (unsaved changes stay unsaved). */
  rewind(): void {
    this.#index = this.#block = this.#file = 0;
    this.#position = 0;
  }
}
