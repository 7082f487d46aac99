/**
 * `PriorityQueue`: a green {@linkcode Queue} that hands out the smallest item
 * first, as Eventlet's `eventlet.queue.PriorityQueue`.
 *
 * Without a `compare` function, items compare with {@linkcode naturalCompare}:
 * numbers (and bigints), strings, booleans and Dates by value, and arrays
 * element by element like Python tuples, so `[priority, item]` entries work.
 * Items that compare equal come out in the order they were put (unlike
 * Python's heap), so `[priority, object]` entries with the same priority are
 * served first come, first served. Values of different kinds order by kind
 * instead of throwing as Python does; pass `compare` for anything else.
 *
 * @example Jobs by priority
 * ```ts
 * import { PriorityQueue } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new PriorityQueue<[number, { name: string }]>();
 * await q.put([3, { name: "low" }]);
 * await q.put([1, { name: "urgent" }]);
 * await q.put([2, { name: "normal" }]);
 * await q.put([1, { name: "urgent too" }]); // a tie: served after the earlier one
 * const order = [];
 * while (!q.empty()) order.push((await q.get())[1].name);
 * assert.deepEqual(order, ["urgent", "urgent too", "normal", "low"]);
 * ```
 *
 * @module
 */
import { Queue } from "./queue.ts";
import { describe } from "./_checks.ts";

/** Orders two items: negative if `a` comes first, positive if `b` does, 0 if equal. */
export type Compare<T> = (a: T, b: T) => number;

function kind(x: unknown): number {
  switch (typeof x) {
    case "number":
    case "bigint":
      return 1;
    case "string":
      return 2;
    case "boolean":
      return 3;
    case "object":
      if (Array.isArray(x)) return 4;
      if (x instanceof Date) return 5;
  }
  return 6;
}

/**
 * The default order of {@linkcode PriorityQueue}: numbers and bigints, strings,
 * booleans and Dates by value; arrays element by element, a prefix first.
 * Values of different kinds order by kind (numbers, strings, booleans, arrays,
 * Dates, then anything else); other values (plain objects, `null`, ...)
 * compare equal to each other, so the queue serves them in put order.
 *
 * @example
 * ```ts
 * import { naturalCompare } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * assert.ok(naturalCompare([1, "b"], [1, "c"]) < 0);
 * assert.ok(naturalCompare([2], [1, "z"]) > 0);
 * assert.ok(naturalCompare([1], [1, 0]) < 0);
 * assert.equal(naturalCompare({}, {}), 0);
 * assert.ok(naturalCompare(9, "1") < 0); // numbers before strings
 * ```
 */
export function naturalCompare(a: unknown, b: unknown): number {
  const k = kind(a), kb = kind(b);
  if (k !== kb) return k - kb;
  if (k === 6) return 0;
  if (k === 4) {
    const x = a as unknown[], y = b as unknown[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const c = naturalCompare(x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  const x = k === 5 ? (a as Date).getTime() : a as number, y = k === 5 ? (b as Date).getTime() : b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A green queue that hands out the smallest item first, with task tracking.
 *
 * @typeParam T The items' type.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new PriorityQueue<[number, string]>();
 * await q.put([3, "low"]);
 * await q.put([1, "urgent"]);
 * assert.deepEqual(await q.get(), [1, "urgent"]);
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  #compare: Compare<T>;
  #heap: T[] = [];
  #seqs: number[] = [];
  #seq = 0;

  /**
   * Creates a priority queue holding at most `maxsize` items (unbounded by
   * default), ordered by `compare` (default {@linkcode naturalCompare}).
   *
   * @throws {RangeError} When `maxsize` is negative or not an integer.
   * @throws {TypeError} When `compare` is not a function.
   */
  constructor(maxsize?: number, compare: Compare<T> = naturalCompare) {
    if (typeof compare !== "function") {
      throw new TypeError(`PriorityQueue: compare must be a function, got ${describe(compare)}`);
    }
    super(maxsize);
    this.#compare = compare;
  }

  #before(i: number, j: number): boolean {
    const c = this.#compare(this.#heap[i] as T, this.#heap[j] as T);
    return c < 0 || (c === 0 && (this.#seqs[i] as number) < (this.#seqs[j] as number));
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap, seqs = this.#seqs;
    const item = heap[i] as T, seq = seqs[i] as number;
    heap[i] = heap[j] as T;
    seqs[i] = seqs[j] as number;
    heap[j] = item;
    seqs[j] = seq;
  }

  /** Adds the item to the heap. */
  protected override storeItem(item: T): void {
    let i = this.#heap.length;
    this.#heap.push(item);
    this.#seqs.push(this.#seq++);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** Removes the smallest item (the oldest of equals). */
  protected override takeItem(): T {
    const heap = this.#heap;
    const top = heap[0] as T;
    const last = heap.length - 1;
    this.#swap(0, last);
    heap.pop();
    this.#seqs.pop();
    for (let i = 0;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < last && this.#before(l, m)) m = l;
      if (r < last && this.#before(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
    if (last === 0) this.#seq = 0;
    return top;
  }

  /** The heap's size. */
  protected override storedCount(): number {
    return this.#heap.length;
  }
}
