/**
 * `Pool<T>`: a generic pool of reusable resources (Eventlet's `pools.Pool`),
 * the base of the DB connection pool.
 *
 * Items are made on demand by `create` up to `maxSize`; `get()` hands out a
 * free item, makes a new one, or waits greenly (kill and Timeout interrupt
 * the wait; waiters are served first come, first served) until one is `put`
 * back. A `create` that fails frees its place, so failures never shrink the
 * pool for good. An item whose `get()` was interrupted while `create` ran is
 * put in the pool when it arrives, never lost.
 *
 * Differences from Eventlet: `create` may be async, `item()` returns a
 * disposable (`using it = await pool.item()`) instead of a context manager,
 * and a `create` failure wakes the next waiter so it can try again.
 *
 * @example
 * ```ts
 * import { Pool } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * let made = 0;
 * const pool = new Pool({ create: () => ({ id: ++made }), maxSize: 2 });
 * {
 *   using a = await pool.item();
 *   using b = await pool.item();
 *   assert.deepEqual([a.value.id, b.value.id], [1, 2]);
 *   assert.equal(pool.free(), 0);
 * } // both go back here (b first: `using` disposes in reverse)
 * assert.equal(pool.free(), 2);
 * assert.equal((await pool.get()).id, 2); // reused, not made again
 * assert.equal(made, 2);
 * ```
 *
 * @module
 */
import { checkBoolean, checkFn, checkSize, describe, isThenable } from "./_checks.ts";
import { GreenFifo } from "./_wait_list.ts";
import { suspend } from "./_current.ts";

import { getHub } from "../hubs/mod.ts";

/** Options for {@linkcode Pool}. */
export interface PoolOptions<T> {
  /** Makes a new item (may be async). Its failure is thrown from `get()`. */
  create: () => T | PromiseLike<T>;
  /** Items made up front, at construction. @default 0 */
  minSize?: number;
  /** The most items that exist at once. @default 4 */
  maxSize?: number;
  /** Hand out the most recently returned item first (LIFO) instead of the oldest. @default false */
  orderAsStack?: boolean;
}

/**
 * A pool item held for a scope: `using it = await pool.item()`, then use
 * `it.value`; it goes back to the pool when the scope ends.
 *
 * @typeParam T The pooled item's type.
 */
export interface PoolItem<T> extends Disposable {
  /** The item. */
  readonly value: T;
}

/** What a waiter is handed: an item, or the right to make one. */
type Grant<T> = { item: T } | undefined;

/**
 * A pool of reusable items of type `T`, at most `maxSize` of them.
 *
 * @typeParam T The pooled item's type.
 *
 * @example
 * ```ts
 * import { Pool } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * let made = 0;
 * const pool = new Pool({ create: () => ({ id: ++made }), maxSize: 2 });
 * {
 *   using conn = await pool.item();
 *   assert.equal(conn.value.id, 1);
 *   assert.equal(pool.free(), 1); // one more may be handed out
 * }
 * assert.equal(pool.free(), 2);
 * using again = await pool.item();
 * assert.equal(again.value.id, 1); // the idle item is reused
 * ```
 */
export class Pool<T> {
  readonly #create: () => T | PromiseLike<T>;
  readonly #stack: boolean;
  #maxSize: number;
  #minSize: number;
  /** Items that exist or are being made (Eventlet's `current_size`). */
  #size = 0;
  #free: T[] = [];
  #waiters = new GreenFifo<Grant<T>>();

  /**
   * Creates the pool and starts making `minSize` items.
   *
   * @throws {TypeError} When `create` is not a function or a size is not an integer.
   * @throws {RangeError} When a size is negative or `minSize` exceeds `maxSize`.
   */
  constructor(options: PoolOptions<T>) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`Pool: options must be an object, got ${describe(options)}`);
    }
    const { create, minSize = 0, maxSize = 4, orderAsStack = false } = options;
    checkFn("Pool", create, "options.create");
    this.#minSize = checkSize("Pool", "options.minSize", minSize);
    this.#maxSize = checkSize("Pool", "options.maxSize", maxSize);
    if (maxSize < 1) throw new RangeError(`Pool: options.maxSize must be >= 1, got ${maxSize}`);
    checkBoolean("Pool", "options.orderAsStack", orderAsStack);
    if (minSize > maxSize) {
      throw new RangeError(`Pool: options.minSize (${minSize}) must not exceed options.maxSize (${maxSize})`);
    }
    this.#create = create;
    this.#stack = orderAsStack;
    for (let i = 0; i < minSize; i++) this.#prefill();
  }

  /** The items made up front at construction. */
  get minSize(): number {
    return this.#minSize;
  }

  /** The most items that may exist at once. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** The items that exist (or are being made) now. */
  get size(): number {
    return this.#size;
  }

  /** How many `get()` calls would not wait now: free items plus room to make new ones. */
  free(): number {
    return Math.max(0, this.#free.length + this.#maxSize - this.#size);
  }

  /** How many callers are waiting in `get()`. */
  waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Changes `maxSize`. Growing lets waiters make new items at once; shrinking
   * discards items as they are put back until the pool fits.
   *
   * @throws {TypeError} When `maxSize` is not an integer.
   * @throws {RangeError} When `maxSize` is negative.
   */
  resize(maxSize: number): void {
    this.#maxSize = checkSize("Pool.resize", "maxSize", maxSize);
    while (this.#free.length > 0 && this.#size > this.#maxSize) {
      this.#free.shift();
      this.#size--;
    }
    this.#grantRoom();
  }

  /**
   * Takes an item: a free one, a new one (while fewer than `maxSize` exist),
   * or — when the pool is exhausted — the next one put back (a green wait).
   *
   * @throws {unknown} What `create` threw; the item's place is freed.
   */
  get(): Promise<T> {
    if (this.#free.length > 0) return Promise.resolve(this.#takeFree());
    if (this.#size < this.#maxSize) {
      this.#size++;
      return this.#make();
    }
    return this.#waiters.wait("Pool.get()").then((grant) => grant === undefined ? this.#make() : grant.item);
  }

  /**
   * Gives an item back: to the oldest waiter, else to the free list (or
   * discards it if the pool shrank below its count).
   */
  put(item: T): void {
    if (this.#size > this.#maxSize) {
      this.#size--;
      return;
    }
    if (this.#waiters.wakeOne({ item })) return;
    if (this.#stack) this.#free.unshift(item);
    else this.#free.push(item);
  }

  /**
   * Takes an item for a `using` scope; it is put back when the scope ends.
   *
   * @example
   * ```ts
   * import { Pool } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const pool = new Pool({ create: () => new Map<string, number>(), maxSize: 1 });
   * {
   *   using conn = await pool.item();
   *   conn.value.set("hits", 1);
   *   assert.equal(pool.free(), 0);
   * }
   * assert.equal(pool.free(), 1);
   * ```
   */
  async item(): Promise<PoolItem<T>> {
    const value = await this.get();
    let held = true;
    return {
      value,
      [Symbol.dispose]: () => {
        if (!held) return;
        held = false;
        this.put(value);
      },
    };
  }

  #takeFree(): T {
    return this.#free.shift()!;
  }

  /** Frees one place (a failed or discarded make) and lets a waiter use it. */
  #drop(): void {
    this.#size--;
    this.#grantRoom();
  }

  /** Lets waiters make new items while there is room. */
  #grantRoom(): void {
    while (this.#size < this.#maxSize && this.#waiters.length > 0) {
      this.#size++;
      if (!this.#waiters.wakeOne(undefined)) this.#size--;
    }
  }

  /** Makes an item on a place already counted in `#size`. */
  #make(): Promise<T> {
    let made: T | PromiseLike<T>;
    try {
      made = this.#create();
    } catch (error) {
      this.#drop();
      return Promise.reject(error);
    }
    if (!isThenable(made)) return Promise.resolve(made);
    // The outcome is handled whatever happens to the wait: if the caller is
    // interrupted (even before the wait began), the item goes to the pool.
    let deliver: ((ok: boolean, value: unknown) => void) | undefined;
    made.then(
      (item) => deliver !== undefined ? deliver(true, item) : this.put(item),
      (error) => {
        this.#drop();
        deliver?.(false, error);
      },
    );
    return suspend<T>((resolve, reject) => {
      deliver = (ok, value) => ok ? resolve(value as T) : reject(value);
      return () => void (deliver = undefined);
    }, "Pool.get(): create()");
  }

  #prefill(): void {
    this.#size++;
    let made: T | PromiseLike<T>;
    try {
      made = this.#create();
    } catch (error) {
      this.#size--;
      throw error;
    }
    if (!isThenable(made)) {
      this.#free.push(made);
      return;
    }
    made.then((item) => this.put(item), (error) => {
      this.#drop();
      getHub().reportError({ error, context: "Pool: making a minSize item", spawnStack: undefined });
    });
  }
}
