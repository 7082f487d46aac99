/**
 * `LightQueue`: the green queue without task tracking, and the errors every
 * queue throws. {@linkcode Queue} adds `taskDone()`/`join()`; `PriorityQueue`
 * and `LifoQueue` change the order.
 *
 * `maxsize` `undefined` is unbounded; `0` makes a rendezvous channel, where
 * `put` returns only once a getter took the item. Blocked getters and putters
 * are served first come, first served; an item is handed to a waiting getter at
 * once, so a getter interrupted by kill or Timeout is never handed anything and
 * an item handed over is never lost (a kill arriving after the hand-off is
 * delivered at the thread's next wait). Waits are listed by the hub as
 * `LightQueue.get()`, `Queue.put()` and so on.
 *
 * @example Producer and consumer
 * ```ts
 * import { LightQueue, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new LightQueue<number>(2);
 * const consumer = spawn(async () => {
 *   let sum = 0;
 *   for await (const n of q) {
 *     if (n < 0) return sum;
 *     sum += n;
 *   }
 * });
 * for (const n of [1, 2, 3, 4, -1]) await q.put(n); // blocks while 2 are queued
 * assert.equal(await consumer.wait(), 10);
 * ```
 *
 * @module
 */
import { checkBoolean, checkMaxsize, checkOptions, checkTimeout } from "./_checks.ts";
import { RingBuffer } from "./_ring_buffer.ts";
import { currentCore } from "./_thread_core.ts";
import { type ListWait, pendingInterrupt, type TimedListWait, type Waiter, WaitList, waitOn } from "./_wait_list.ts";

/**
 * Thrown by `getNowait()`, by `get({ block: false })` on an empty queue, and by
 * `get({ timeoutMs })` when nothing came in time.
 *
 * @example
 * ```ts
 * import { LightQueue, QueueEmpty } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new LightQueue<number>();
 * assert.throws(() => q.getNowait(), QueueEmpty);
 * await assert.rejects(q.get({ timeoutMs: 5 }), QueueEmpty);
 * ```
 */
export class QueueEmpty extends Error {
  /** Creates the error. */
  constructor(message = "Cannot get from queue: queue is empty", options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueEmpty";
  }
}

/**
 * Thrown by `putNowait()`, by `put(x, { block: false })` on a full queue, and by
 * `put(x, { timeoutMs })` when no room came in time.
 *
 * @example
 * ```ts
 * import { Queue, QueueFull } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new Queue<number>(1);
 * await q.put(1);
 * await assert.rejects(q.put(2, { timeoutMs: 5 }), QueueFull);
 * ```
 */
export class QueueFull extends Error {
  /** Creates the error. */
  constructor(message = "Cannot put to queue: queue is full", options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueFull";
  }
}

/** Options for `get()`. */
export interface QueueGetOptions {
  /** `false`: reject with `QueueEmpty` at once instead of waiting. @default true */
  block?: boolean;
  /** Reject with `QueueEmpty` if no item came within this many ms. @default undefined (forever) */
  timeoutMs?: number;
}

/** Options for `put()`. */
export interface QueuePutOptions {
  /** `false`: reject with `QueueFull` at once instead of waiting. @default true */
  block?: boolean;
  /** Reject with `QueueFull` if no room came within this many ms. @default undefined (forever) */
  timeoutMs?: number;
}

function expireGet(wait: Waiter): void {
  wait.reject(
    new QueueEmpty(`Cannot get from queue: nothing came within ${(wait as TimedListWait<never>).timeoutMs} ms`),
  );
}

function expirePut(wait: Waiter): void {
  wait.reject(new QueueFull(`Cannot put to queue: no room came within ${(wait as TimedListWait<never>).timeoutMs} ms`));
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * A green FIFO queue without task tracking; see the module doc.
 *
 * @typeParam T The items' type.
 *
 * @example
 * ```ts
 * import { LightQueue, QueueFull } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new LightQueue<number>(1);
 * q.putNowait(1);
 * assert.throws(() => q.putNowait(2), QueueFull);
 * assert.equal(await q.get(), 1);
 * ```
 */
export class LightQueue<T> implements AsyncIterable<T> {
  #maxsize: number | undefined;
  #items = new RingBuffer<T>();
  #getters = new WaitList(expireGet);
  #putters = new WaitList(expirePut);
  readonly #getDesc: string;
  readonly #putDesc: string;
  readonly #name: string;

  /**
   * Creates a queue holding at most `maxsize` items (unbounded by default; `0`
   * is a rendezvous channel).
   *
   * @throws {RangeError} When `maxsize` is negative or not an integer.
   */
  constructor(maxsize?: number) {
    this.#maxsize = checkMaxsize(new.target.name, maxsize);
    this.#name = new.target.name;
    this.#getDesc = `${new.target.name}.get()`;
    this.#putDesc = `${new.target.name}.put()`;
  }

  #checkOptions(method: string, options: QueueGetOptions): number | undefined {
    const where = `${this.#name}.${method}`;
    checkOptions(where, options);
    checkBoolean(where, "options.block", options.block);
    return checkTimeout(where, options.timeoutMs);
  }

  /** The size limit, or `undefined` when unbounded. */
  get maxsize(): number | undefined {
    return this.#maxsize;
  }

  /** The number of items in the queue (not counting blocked putters' items). */
  qsize(): number {
    return this.storedCount();
  }

  /** `true` when the queue holds no item. */
  empty(): boolean {
    return this.storedCount() === 0;
  }

  /** `true` when a `put` would block (always, for a rendezvous channel). */
  full(): boolean {
    return this.#maxsize !== undefined && this.storedCount() >= this.#maxsize;
  }

  /** The number of green threads blocked in `get`. */
  getting(): number {
    return this.#getters.length;
  }

  /** The number of green threads blocked in `put`. */
  putting(): number {
    return this.#putters.length;
  }

  /**
   * Changes `maxsize`. Growing lets blocked putters in, oldest first; shrinking
   * keeps the items already queued.
   *
   * @throws {RangeError} When `maxsize` is negative or not an integer.
   */
  resize(maxsize: number | undefined): void {
    this.#maxsize = checkMaxsize(`${this.#name}.resize`, maxsize);
    this.#admitPutters();
  }

  /**
   * Puts `item` in the queue, waiting (a green wait) while it is full. On a
   * rendezvous channel, resolves once a getter took the item.
   *
   * @throws {QueueFull} (rejects) With `block: false` when full, or when `timeoutMs` passed.
   */
  put(item: T, options?: QueuePutOptions): Promise<void> {
    let timeoutMs: number | undefined;
    if (options !== undefined) {
      timeoutMs = this.#checkOptions("put", options);
    }
    const core = currentCore();
    if (core.hasInterrupt()) {
      const interrupted = pendingInterrupt(core);
      if (interrupted !== undefined) return interrupted;
    }
    if (this.#offer(item)) return RESOLVED;
    if (options?.block === false) return Promise.reject(this.#fullError());
    return waitOn<void>(this.#putters, this.#putDesc, timeoutMs, item, core);
  }

  /**
   * Puts `item` without waiting (on a rendezvous channel: hands it to a
   * waiting getter).
   *
   * @throws {QueueFull} When there is no room (no waiting getter on a channel).
   */
  putNowait(item: T): void {
    if (!this.#offer(item)) throw this.#fullError();
  }

  /**
   * Takes the oldest item, waiting (a green wait) while the queue is empty.
   *
   * @throws {QueueEmpty} (rejects) With `block: false` when empty, or when `timeoutMs` passed.
   */
  get(options?: QueueGetOptions): Promise<T> {
    let timeoutMs: number | undefined;
    if (options !== undefined) {
      timeoutMs = this.#checkOptions("get", options);
    }
    const core = currentCore();
    if (core.hasInterrupt()) {
      const interrupted = pendingInterrupt(core);
      if (interrupted !== undefined) return interrupted;
    }
    if (this.storedCount() > 0) return Promise.resolve(this.#take(undefined));
    const putter = this.#putters.shift();
    if (putter !== undefined) return Promise.resolve(this.#take(putter));
    if (options?.block === false) return Promise.reject(new QueueEmpty());
    return waitOn<T>(this.#getters, this.#getDesc, timeoutMs, undefined, core);
  }

  /**
   * Takes the oldest item without waiting (on a rendezvous channel: from a
   * blocked putter).
   *
   * @throws {QueueEmpty} When there is none.
   */
  getNowait(): T {
    if (this.storedCount() > 0) return this.#take(undefined);
    const putter = this.#putters.shift();
    if (putter === undefined) throw new QueueEmpty();
    return this.#take(putter);
  }

  /** Iterates forever, each step a `get()`: `for await (const x of q)`; `break` to stop. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, never, undefined> {
    for (;;) yield await this.get();
  }

  /** Called once for each item the queue accepts (`Queue` counts tasks here). */
  protected accepted(): void {}

  /** Stores an accepted item (override with {@linkcode LightQueue.takeItem} to change the order). */
  protected storeItem(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the next item; called only when `storedCount() > 0`. */
  protected takeItem(): T {
    return this.#items.shift();
  }

  /** The number of stored items. */
  protected storedCount(): number {
    return this.#items.length;
  }

  /** Hands `item` to a waiting getter or stores it if there is room; `false` if full. */
  #offer(item: T): boolean {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      this.accepted();
      (getter as ListWait<T>).resolve(item); // getters wait only while nothing is stored
      return true;
    }
    if (this.#maxsize !== undefined && this.storedCount() >= this.#maxsize) return false;
    this.storeItem(item);
    this.accepted();
    return true;
  }

  /** Takes the next item: the stored one (then lets a putter in), or `putter`'s. */
  #take(putter: Waiter | undefined): T {
    if (putter !== undefined) {
      this.accepted();
      (putter as ListWait<void>).resolve();
      return putter.item as T;
    }
    const item = this.takeItem();
    this.#admitPutters();
    return item;
  }

  /** Moves blocked putters' items into the queue while there is room. */
  #admitPutters(): void {
    const putters = this.#putters;
    while (putters.length > 0 && (this.#maxsize === undefined || this.storedCount() < this.#maxsize)) {
      const putter = putters.shift();
      if (putter === undefined) break;
      this.#offerFrom(putter);
    }
  }

  #offerFrom(putter: Waiter): void {
    const getter = this.#getters.shift();
    this.accepted();
    if (getter !== undefined) (getter as ListWait<T>).resolve(putter.item as T);
    else this.storeItem(putter.item as T);
    (putter as ListWait<void>).resolve();
  }

  #fullError(): QueueFull {
    return new QueueFull(
      this.#maxsize === 0
        ? "Cannot put to queue: no getter is waiting (rendezvous channel)"
        : `Cannot put to queue: queue is full (maxsize ${this.#maxsize})`,
    );
  }
}
