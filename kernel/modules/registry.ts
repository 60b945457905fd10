/**
 * Owner-keyed registries: everything a module registers (personalities,
 * character devices, the scheduler, file system types, timers, end-of-input
 * actions) is recorded with the name of the module that registered it, so
 * that unloading or replacing the module drops exactly what it registered.
 *
 * - {@link OwnedList}: a list of values, each tagged with its owner
 *   (`null` for the kernel itself).
 * - {@link OwnedList.dropOwner}: removes and returns one owner's entries.
 *
 * @module
 */

/** One registered value and the module that registered it. */
export interface Owned<T> {
  /** The registered value. */
  readonly value: T;
  /** Name of the owning module, or null when the kernel registered it. */
  readonly owner: string | null;
}

/**
 * An ordered list of owner-tagged values.
 *
 * @example
 * ```ts
 * const l = new OwnedList<string>();
 * l.add("a", "mod1");
 * l.dropOwner("mod1"); // [{ value: "a", owner: "mod1" }]
 * ```
 */
export class OwnedList<T> {
  readonly #items: Owned<T>[] = [];

  /** Adds `value` for `owner`. */
  add(value: T, owner: string | null): void {
    this.#items.push({ value, owner });
  }

  /** Removes the first entry whose value satisfies `match`; returns it, or undefined. */
  remove(match: (value: T) => boolean): Owned<T> | undefined {
    const i = this.#items.findIndex((r) => match(r.value));
    if (i < 0) return undefined;
    return this.#items.splice(i, 1)[0];
  }

  /** The first value that satisfies `match`. */
  find(match: (value: T) => boolean): T | undefined {
    return this.#items.find((r) => match(r.value))?.value;
  }

  /** The owner of `value` (null for the kernel or when absent). */
  ownerOf(value: T): string | null {
    return this.#items.find((r) => r.value === value)?.owner ?? null;
  }

  /** Removes every entry of `owner` and returns them in registration order. */
  dropOwner(owner: string): Owned<T>[] {
    const dropped: Owned<T>[] = [];
    for (let i = 0; i < this.#items.length;) {
      if (this.#items[i].owner === owner) dropped.push(...this.#items.splice(i, 1));
      else i++;
    }
    return dropped;
  }

  /** The values in registration order. */
  values(): T[] {
    return this.#items.map((r) => r.value);
  }

  /** Number of entries. */
  get length(): number {
    return this.#items.length;
  }
}
