/**
 * A growable byte FIFO with amortised O(1) push and shift, for console
 * back-ends: push host bytes in, shift them out one at a time.
 *
 * @module
 */

/** A growable byte queue (FIFO) with amortised O(1) push and shift. */
export class ByteQueue {
  #buf = new Uint8Array(256);
  #head = 0;
  #tail = 0;

  /** Bytes waiting in the queue. */
  get length(): number {
    return this.#tail - this.#head;
  }

  /** Appends `bytes` at the tail. */
  push(bytes: Uint8Array): void {
    if (this.#tail + bytes.length > this.#buf.length) {
      const live = this.#tail - this.#head;
      let size = this.#buf.length;
      while (live + bytes.length > size) size *= 2;
      if (size === this.#buf.length) {
        this.#buf.copyWithin(0, this.#head, this.#tail);
      } else {
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#head, this.#tail), 0);
        this.#buf = next;
      }
      this.#head = 0;
      this.#tail = live;
    }
    this.#buf.set(bytes, this.#tail);
    this.#tail += bytes.length;
  }

  /** Takes the byte at the head, or -1 when the queue is empty. */
  shift(): number {
    if (this.#head === this.#tail) return -1;
    const b = this.#buf[this.#head++];
    if (this.#head === this.#tail) this.#head = this.#tail = 0;
    return b;
  }
}
