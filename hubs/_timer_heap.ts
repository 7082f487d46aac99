/**
 * An indexed binary min-heap of timers, ordered by deadline and then by the
 * order they were scheduled in. Removal is O(log n), so cancelled timers leave
 * the heap at once and the hub's wake-up never fires for nothing.
 *
 * @module
 */

/** An entry of a {@linkcode TimerHeap}. */
export interface HeapEntry {
  deadline: number;
  seq: number;
  /** Position in the heap array; -1 when not on the heap. */
  index: number;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** A min-heap of {@linkcode HeapEntry} by `(deadline, seq)`. */
export class TimerHeap<T extends HeapEntry> {
  #items: T[] = [];

  /** Number of entries on the heap. */
  get size(): number {
    return this.#items.length;
  }

  /** The soonest entry, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds `entry`. */
  push(entry: T): void {
    entry.index = this.#items.length;
    this.#items.push(entry);
    this.#up(entry.index);
  }

  /** Removes and returns the soonest entry. */
  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `entry` if it is on the heap. */
  remove(entry: T): void {
    const i = entry.index;
    if (i < 0 || this.#items[i] !== entry) return;
    const last = this.#items.pop()!;
    entry.index = -1;
    if (last === entry) return;
    this.#items[i] = last;
    last.index = i;
    this.#down(i);
    this.#up(last.index);
  }

  /** The entries in deadline order (a copy). */
  sorted(): T[] {
    return [...this.#items].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  #up(i: number): void {
    const items = this.#items;
    const entry = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(entry, p)) break;
      items[i] = p;
      p.index = i;
      i = parent;
    }
    items[i] = entry;
    entry.index = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const entry = items[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right]!, items[left]!)) child = right;
      const c = items[child]!;
      if (!before(c, entry)) break;
      items[i] = c;
      c.index = i;
      i = child;
    }
    items[i] = entry;
    entry.index = i;
  }
}
