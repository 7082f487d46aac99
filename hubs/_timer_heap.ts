/**
 * The hub's timers, bucketed by millisecond. A timer is *due* at its deadline
 * rounded up to the whole millisecond; timers due in the same millisecond share
 * a bucket (a linked list, in scheduling order), and only the buckets sit on a
 * binary min-heap. Scheduling is a Map lookup and an append; cancelling is an
 * unlink; firing walks a list. A million timers spread over 50 ms make a heap
 * of 51 buckets instead of a heap of a million entries.
 *
 * Order: by due millisecond, then by scheduling order. A timer never fires
 * before its deadline, and at most 1 ms after it (plus the runtime's latency).
 *
 * @module
 */
import { LinkedList } from "./linked_list.ts";

/** An entry of a {@linkcode TimerHeap}: a timer with its due millisecond. */
export interface HeapEntry {
  /** The deadline rounded up to the millisecond: when the entry fires. */
  due: number;
  /** The bucket the entry is in; `undefined` when not on the heap. */
  bucket: Bucket<this> | undefined;
  prev: this | undefined;
  next: this | undefined;
}

/** The timers due in one millisecond, in scheduling order. */
export class Bucket<T extends HeapEntry> extends LinkedList<T> {
  constructor(
    readonly due: number,
    /** Position on the bucket heap. */
    public index: number,
  ) {
    super();
  }
}

/** A priority queue of {@linkcode HeapEntry} by `(due, scheduling order)`. */
export class TimerHeap<T extends HeapEntry> {
  #buckets: Bucket<T>[] = [];
  #byDue = new Map<number, Bucket<T>>();
  #size = 0;

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The entry that fires next, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#buckets[0]?.head;
  }

  /** Adds `entry`, after every entry due in the same millisecond. */
  push(entry: T): void {
    let bucket = this.#byDue.get(entry.due);
    if (bucket === undefined) {
      bucket = new Bucket<T>(entry.due, this.#buckets.length);
      this.#byDue.set(entry.due, bucket);
      this.#buckets.push(bucket);
      this.#up(bucket.index);
    }
    entry.bucket = bucket as Bucket<typeof entry>;
    bucket.push(entry);
    this.#size++;
  }

  /** Removes and returns the entry that fires next. */
  pop(): T | undefined {
    const top = this.peek();
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `entry` if it is on the heap. */
  remove(entry: T): void {
    const bucket = entry.bucket as Bucket<T> | undefined;
    if (bucket === undefined) return;
    bucket.unlink(entry);
    entry.bucket = undefined;
    this.#size--;
    if (bucket.head === undefined) this.#removeBucket(bucket);
  }

  /** The entries in firing order (a copy). */
  sorted(): T[] {
    const out: T[] = [];
    for (const bucket of [...this.#buckets].sort((a, b) => a.due - b.due)) {
      for (const e of bucket) out.push(e);
    }
    return out;
  }

  #removeBucket(bucket: Bucket<T>): void {
    this.#byDue.delete(bucket.due);
    const buckets = this.#buckets;
    const i = bucket.index;
    const last = buckets.pop()!;
    if (last !== bucket) {
      buckets[i] = last;
      last.index = i;
      this.#down(i);
      this.#up(last.index);
    }
    bucket.index = -1;
  }

  #up(i: number): void {
    const buckets = this.#buckets;
    const bucket = buckets[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = buckets[parent]!;
      if (p.due <= bucket.due) break;
      buckets[i] = p;
      p.index = i;
      i = parent;
    }
    buckets[i] = bucket;
    bucket.index = i;
  }

  #down(i: number): void {
    const buckets = this.#buckets;
    const n = buckets.length;
    const bucket = buckets[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && buckets[right]!.due < buckets[left]!.due ? right : left;
      const c = buckets[child]!;
      if (c.due >= bucket.due) break;
      buckets[i] = c;
      c.index = i;
      i = child;
    }
    buckets[i] = bucket;
    bucket.index = i;
  }
}
