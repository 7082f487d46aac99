/**
 * `GreenPool`: a limit on how many green threads a part of a program runs at
 * once, and the ordered, memory-bounded `imap`/`starmap` over it.
 *
 * `spawn` and `spawnN` wait (greenly: kill and Timeout interrupt the wait, the
 * hub lists it as `GreenPool.spawn()`) while the pool is full, and waiters get
 * slots first come, first served. A thread of the pool spawning into its own
 * full pool would wait for itself, so — Eventlet's rule — it runs the function
 * inline instead; the function's error, if any, is then thrown from `spawn`
 * (it ran in the caller's thread, so the caller's kill and Timeouts reach it).
 *
 * Differences from Eventlet: `spawn`/`spawnN` return Promises (await them to
 * let the wait for a slot happen), `imap` is an async iterable that accepts
 * async iterables, breaking out of it kills the calls still running, and
 * `waitall()` from inside the pool rejects instead of hanging.
 *
 * @example Crawl-style fan-out with a bounded pool
 * ```ts
 * import { GreenPool, sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const pool = new GreenPool(3);
 * const doubled: number[] = [];
 * for await (const n of pool.imap(async (x: number) => (await sleep(1), 2 * x), [1, 2, 3, 4, 5])) {
 *   doubled.push(n);
 * }
 * assert.deepEqual(doubled, [2, 4, 6, 8, 10]);
 * ```
 *
 * @module
 */
import { checkFn, checkSize } from "./_checks.ts";
import { currentCore, ThreadCore } from "./_thread_core.ts";
import { GreenFifo } from "./_wait_list.ts";
import { GreenMap, type MapPool, PoolMember } from "./_green_map.ts";
import type { GreenThread, ThreadFn } from "./green_thread.ts";
import "./green_thread.ts"; // registers how a thread core gets its GreenThread

type AnyFn = (...args: never[]) => unknown;

/** An iterable `imap` accepts: a plain (sync) iterable or an async one. */
export type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;

/**
 * A pool of green threads, at most `size` running at once.
 *
 * @example Waiting for a slot, then for everything
 * ```ts
 * import { GreenPool, sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const pool = new GreenPool(2);
 * const done: number[] = [];
 * for (let i = 0; i < 5; i++) await pool.spawnN(async () => (await sleep(1), done.push(i)));
 * assert.ok(pool.running() <= 2);
 * await pool.waitall();
 * assert.equal(done.length, 5);
 * assert.equal(pool.free(), 2);
 * ```
 */
export class GreenPool {
  #size: number;
  #taken = 0;
  #running = 0;
  #slots = new GreenFifo<void>();
  #idle = new GreenFifo<void>();
  #mapPool: MapPool | undefined;
  #release = (): void => {
    this.#running--;
    this.#freeSlot();
  };
  /** The exit link the pool's own threads share (a map's entries are members of their own). */
  #member = new PoolMember(this.#release);

  /**
   * Creates a pool of `size` slots (1000 by default, as in Eventlet).
   *
   * @throws {TypeError} When `size` is not an integer.
   * @throws {RangeError} When `size` is negative.
   */
  constructor(size = 1000) {
    this.#size = checkSize("GreenPool", "size", size);
  }

  /** The number of slots (see {@linkcode GreenPool.resize}). */
  get size(): number {
    return this.#size;
  }

  /** How many of the pool's threads are running now. */
  running(): number {
    return this.#running;
  }

  /** How many threads could be spawned now without waiting. */
  free(): number {
    return Math.max(0, this.#size - this.#taken);
  }

  /** How many callers are waiting for a slot. */
  waiting(): number {
    return this.#slots.length;
  }

  /**
   * Changes the number of slots. Growing wakes waiters at once; shrinking lets
   * running threads finish (no new ones start until the count is below `n`).
   *
   * @throws {TypeError} When `n` is not an integer.
   * @throws {RangeError} When `n` is negative.
   */
  resize(n: number): void {
    this.#size = checkSize("GreenPool.resize", "n", n);
    this.#grant();
  }

  /**
   * Starts `fn(...args)` in a pool thread, waiting greenly for a free slot
   * first; resolves with the thread (await it: a `GreenThread` is not a
   * thenable). A failure of the thread is kept for its `wait()`. A pool
   * thread spawning into its full pool runs `fn` inline and resolves with an
   * already finished thread (or rejects with `fn`'s error).
   *
   * @example
   * ```ts
   * import { GreenPool } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const pool = new GreenPool(1);
   * const gt = await pool.spawn((a: number, b: number) => a * b, 6, 7);
   * assert.equal(await gt.wait(), 42);
   * ```
   *
   * @throws {TypeError} When `fn` is not a function.
   */
  spawn<T, A extends unknown[]>(fn: ThreadFn<T, A>, ...args: A): Promise<GreenThread<Awaited<T>>> {
    checkFn("GreenPool.spawn", fn);
    if (this.#tryAcquire()) return Promise.resolve(this.#start(fn as AnyFn, args, false).facade());
    if (this.#isMember(currentCore())) return this.#inline(fn as ThreadFn<T, unknown[]>, args);
    return this.#acquire().then(() => this.#start(fn as AnyFn, args, false).facade());
  }

  /**
   * Like {@linkcode GreenPool.spawn} but resolves with nothing once the thread
   * is started (after waiting for a slot); its failure is reported by the hub.
   *
   * @throws {TypeError} When `fn` is not a function.
   */
  spawnN<A extends unknown[]>(fn: ThreadFn<unknown, A>, ...args: A): Promise<void> {
    checkFn("GreenPool.spawnN", fn);
    if (this.#tryAcquire()) {
      this.#start(fn as AnyFn, args, true);
      return Promise.resolve();
    }
    if (this.#isMember(currentCore())) return this.#inline(fn as ThreadFn<unknown, unknown[]>, args).then(() => {});
    return this.#acquire().then(() => void this.#start(fn as AnyFn, args, true));
  }

  /**
   * Waits (greenly) until none of the pool's threads is running, counting a
   * spawn that was just handed a slot as running.
   *
   * @throws {RangeError} (as a rejection) When called from one of the pool's
   * own threads: it could never return.
   */
  waitall(): Promise<void> {
    if (this.#isMember(currentCore())) {
      return Promise.reject(
        new RangeError("GreenPool.waitall: called from one of the pool's threads, it would wait forever"),
      );
    }
    if (this.#taken === 0) return Promise.resolve();
    return this.#idle.wait("GreenPool.waitall()");
  }

  /**
   * Calls `fn` on the items of `iterables` taken in step (like Python's `zip`,
   * stopping at the shortest), each call in a pool thread, and yields the
   * results in input order. Inputs may be sync or async iterables. The calls
   * take the pool's slots, so at most `size` run at once (fewer if other
   * threads hold slots), and the calls running plus the results not yet
   * consumed never exceed `2 * size`: a million inputs take bounded memory,
   * and inputs are read only as fast as results are consumed.
   *
   * An error of a call (or of an input) is thrown at its position, which ends
   * the iteration; breaking out of the loop stops feeding new work. Either way
   * the calls still running are killed and the inputs are closed before the
   * loop exits.
   *
   * @example
   * ```ts
   * import { GreenPool } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * async function* letters() {
   *   yield* ["a", "b", "c"];
   * }
   * const pool = new GreenPool(2);
   * const out: string[] = [];
   * for await (const s of pool.imap((c: string, n: number) => c.repeat(n), letters(), [1, 2, 3, 4])) out.push(s);
   * assert.deepEqual(out, ["a", "bb", "ccc"]);
   * ```
   *
   * @throws {TypeError} When `fn` is not a function or an input is not iterable.
   */
  imap<T, A extends unknown[]>(
    fn: (...args: NoInfer<A>) => T | PromiseLike<T>,
    ...iterables: { [K in keyof A]: AnyIterable<A[K]> }
  ): AsyncIterableIterator<Awaited<T>> {
    checkFn("GreenPool.imap", fn);
    if (iterables.length === 0) throw new TypeError("GreenPool.imap: at least one iterable is needed");
    return new GreenMap<Awaited<T>>(this.#host(), fn as AnyFn, iterables as AnyIterable<unknown>[], false, "imap");
  }

  /**
   * Like {@linkcode GreenPool.imap}, but each item of `argsIterable` is the
   * list of arguments of one call.
   *
   * @example
   * ```ts
   * import { GreenPool } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const pool = new GreenPool();
   * const sums: number[] = [];
   * for await (const s of pool.starmap((a: number, b: number) => a + b, [[1, 2], [3, 4]])) sums.push(s);
   * assert.deepEqual(sums, [3, 7]);
   * ```
   *
   * @throws {TypeError} When `fn` is not a function or `argsIterable` is not iterable.
   */
  starmap<T, A extends unknown[]>(
    fn: (...args: A) => T | PromiseLike<T>,
    argsIterable: AnyIterable<A>,
  ): AsyncIterableIterator<Awaited<T>> {
    checkFn("GreenPool.starmap", fn);
    return new GreenMap<Awaited<T>>(this.#host(), fn as AnyFn, [argsIterable], true, "starmap");
  }

  #tryAcquire(): boolean {
    if (this.#taken < this.#size && this.#slots.length === 0) {
      this.#taken++;
      return true;
    }
    return false;
  }

  /** Waits for a slot; the slot is counted as taken when this resolves. */
  #acquire(): Promise<void> {
    return this.#slots.wait("GreenPool.spawn()");
  }

  /** A slot came back: hand it on, or wake `waitall()` once no slot is in use. */
  #freeSlot(): void {
    this.#taken--;
    this.#grant();
    if (this.#taken === 0 && this.#idle.length > 0) this.#idle.wakeAll();
  }

  /** Hands free slots to waiters, oldest first. */
  #grant(): void {
    while (this.#taken < this.#size && this.#slots.length > 0) {
      this.#taken++;
      if (!this.#slots.wakeOne()) this.#taken--;
    }
  }

  /** Starts a member thread on a slot already taken; `member` is its exit link. */
  #start(fn: AnyFn, args: unknown[], reportErrors: boolean, member: PoolMember = this.#member): ThreadCore {
    const core = ThreadCore.start(fn, args, reportErrors, member);
    this.#running++;
    return core;
  }

  /** Whether `core` is one of this pool's running threads (its exit link says so). */
  #isMember(core: ThreadCore): boolean {
    return core.hasLink((link) => link instanceof PoolMember && link.release === this.#release);
  }

  /** Eventlet's rule for a member spawning into its full pool: run `fn` here. */
  async #inline<T>(fn: ThreadFn<T, unknown[]>, args: unknown[]): Promise<GreenThread<Awaited<T>>> {
    const value = await fn(...args);
    return ThreadCore.returned(fn.name || "anonymous", value).facade();
  }

  #host(): MapPool {
    return this.#mapPool ??= {
      size: () => this.#size,
      tryAcquire: () => this.#tryAcquire(),
      acquire: () => this.#acquire(),
      giveBack: () => this.#freeSlot(),
      release: this.#release,
      start: (fn, args, member) => this.#start(fn, args, false, member),
    };
  }
}
