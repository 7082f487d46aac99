/**
 * `GreenPile`: a chunk of work you stuff with spawns and then read back in
 * spawn order, the seeds' dispatch pattern (a server that is also a client).
 *
 * Each `spawn` takes a slot of the pile's {@linkcode GreenPool} (waiting
 * greenly while it is full), so piles built on one shared pool share its
 * limit. Iterating with `for await` yields the threads' results in the order
 * of the `spawn` calls; a thread's error is thrown when its turn comes; the
 * iteration ends once every spawned thread has been read and no `spawn` is
 * still waiting for a slot. Breaking out early leaves the remaining threads
 * running (they belong to the pool) and their results in the pile, so a
 * later `for await` continues where the first stopped, as in Eventlet.
 *
 * @example Fetching several things concurrently, results in order
 * ```ts
 * import { GreenPile, GreenPool, sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const pool = new GreenPool(100); // shared by every request
 * const pile = new GreenPile<string>(pool);
 * for (const [name, ms] of [["a", 3], ["b", 1], ["c", 2]] as const) {
 *   await pile.spawn(async () => (await sleep(ms), name.toUpperCase()));
 * }
 * const titles: string[] = [];
 * for await (const title of pile) titles.push(title);
 * assert.deepEqual(titles, ["A", "B", "C"]);
 * ```
 *
 * @module
 */
import { GreenFifo } from "./_wait_list.ts";
import { GreenPool } from "./green_pool.ts";
import type { GreenThread, ThreadFn } from "./green_thread.ts";
import { checkFn, checkSize, describe } from "./_checks.ts";

/** One `spawn` call's place in the pile: its thread once started, or its failure. */
interface Slot<T> {
  thread: GreenThread<T> | undefined;
  failed: boolean;
  next: Slot<T> | undefined;
}

/**
 * An ordered pile of green threads' results.
 *
 * @typeParam T The value the piled functions return.
 *
 * @example
 * ```ts
 * import { GreenPile, sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const pile = new GreenPile<number>(2);
 * for (const ms of [20, 10, 0]) await pile.spawn(async () => (await sleep(ms), ms));
 * const results: number[] = [];
 * for await (const ms of pile) results.push(ms);
 * assert.deepEqual(results, [20, 10, 0]); // spawn order, not finishing order
 * ```
 */
export class GreenPile<T = unknown> implements AsyncIterableIterator<T> {
  readonly #pool: GreenPool;
  #head: Slot<T> | undefined = undefined;
  #tail: Slot<T> | undefined = undefined;
  #arrivals = new GreenFifo<void>();

  /**
   * Creates a pile over `poolOrSize`: a shared {@linkcode GreenPool}, or the
   * size of a new pool of its own (1000 by default).
   *
   * @throws {TypeError} When `poolOrSize` is neither a GreenPool nor an integer.
   * @throws {RangeError} When `poolOrSize` is a negative number.
   */
  constructor(poolOrSize: GreenPool | number = 1000) {
    if (poolOrSize instanceof GreenPool) this.#pool = poolOrSize;
    else if (typeof poolOrSize === "number") {
      this.#pool = new GreenPool(checkSize("GreenPile", "poolOrSize as a size", poolOrSize));
    } else throw new TypeError(`GreenPile: poolOrSize must be a GreenPool or a size, got ${describe(poolOrSize)}`);
  }

  /** The pool the pile's threads run in. */
  get pool(): GreenPool {
    return this.#pool;
  }

  /**
   * Starts `fn(...args)` in the pile's pool, waiting greenly for a slot, and
   * resolves with the thread. Its result (or error) comes out of the pile in
   * the order of `spawn` calls. If the wait for a slot is interrupted (kill,
   * Timeout), the call leaves the pile and the promise rejects.
   *
   * @throws {TypeError} When `fn` is not a function.
   */
  spawn<A extends unknown[]>(fn: ThreadFn<T, A>, ...args: A): Promise<GreenThread<Awaited<T>>> {
    checkFn("GreenPile.spawn", fn);
    const slot: Slot<T> = { thread: undefined, failed: false, next: undefined };
    if (this.#tail === undefined) this.#head = slot;
    else this.#tail.next = slot;
    this.#tail = slot;
    return this.#pool.spawn(fn, ...args).then(
      (thread) => {
        slot.thread = thread as GreenThread<T>;
        this.#arrivals.wakeAll();
        return thread;
      },
      (error) => {
        slot.failed = true;
        this.#arrivals.wakeAll();
        throw error;
      },
    );
  }

  /** Returns the pile itself: a pile is its own async iterator. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The next result in spawn order (a green wait), or `done` when nothing
   * more was spawned. Rejects with the thread's error at its turn.
   */
  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      const slot = this.#head;
      if (slot === undefined) return { done: true, value: undefined };
      if (slot.failed) {
        this.#shift();
        continue;
      }
      const thread = slot.thread;
      if (thread === undefined) {
        await this.#arrivals.wait("GreenPile.next(): waiting for a spawn");
        continue;
      }
      this.#shift();
      return { done: false, value: await thread.wait() };
    }
  }

  #shift(): void {
    const slot = this.#head!;
    this.#head = slot.next;
    if (this.#head === undefined) this.#tail = undefined;
  }
}
