/**
 * `Semaphore` and `BoundedSemaphore`: counting semaphores for green threads,
 * as Eventlet's `eventlet.semaphore` (see `capped_semaphore.ts` for
 * `CappedSemaphore`).
 *
 * `acquire()` is a green wait (kill and Timeout interrupt it; the hub lists it
 * as `Semaphore.acquire()`); waiters are served first come, first served, and
 * a released permit goes straight to the oldest waiter, so a later `acquire()`
 * can never overtake it. `acquire({ timeoutMs })` resolves `false` when the
 * time passes, as Eventlet's returns `False`. `using _ = await sem.hold()`
 * holds a permit for a scope.
 *
 * @example At most two at a time
 * ```ts
 * import { Semaphore, sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const sem = new Semaphore(2);
 * let inside = 0, most = 0;
 * const workers = Array.from({ length: 5 }, () =>
 *   spawn(async () => {
 *     using _ = await sem.hold();
 *     most = Math.max(most, ++inside);
 *     await sleep(1);
 *     inside--;
 *   }));
 * for (const w of workers) await w.wait();
 * assert.equal(most, 2);
 * ```
 *
 * @module
 */
import { checkAcquireOptions, checkCount } from "./_checks.ts";
import { type ListWait, pendingInterrupt, type Waiter, WaitList, waitOn } from "./_wait_list.ts";

/** Options for `acquire()`. */
export interface SemaphoreAcquireOptions {
  /** `false`: resolve `false` at once instead of waiting. @default true */
  blocking?: boolean;
  /** Resolve `false` if no permit came within this many ms. @default undefined (forever) */
  timeoutMs?: number;
}

function expireAcquire(wait: Waiter): void {
  (wait as ListWait<boolean>).resolve(false);
}

let setDescription: (sem: Semaphore, description: string) => void;

/**
 * A counting semaphore; see the module doc.
 *
 * @example
 * ```ts
 * import { Semaphore } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const sem = new Semaphore(2);
 * {
 *   using _permit = await sem.hold();
 *   assert.equal(sem.balance, 1);
 * }
 * assert.equal(await sem.acquire({ blocking: false }), true);
 * sem.release();
 * ```
 */
export class Semaphore {
  #counter: number;
  #waiters = new WaitList(expireAcquire);
  #acquireDesc: string;

  static {
    setDescription = (sem, description) => void (sem.#acquireDesc = description);
  }

  /**
   * Creates a semaphore with `n` permits.
   *
   * @throws {RangeError} When `n` is negative or not an integer.
   */
  constructor(n = 1) {
    this.#counter = checkCount(new.target.name, "n", n, 0);
    this.#acquireDesc = `${new.target.name}.acquire()`;
  }

  /** The permits available now. */
  get counter(): number {
    return this.#counter;
  }

  /**
   * Permits available minus threads blocked in `acquire()`: positive, how many
   * acquires would not block; negative, how many releases the waiters need.
   */
  get balance(): number {
    return this.#counter - this.#waiters.length;
  }

  /** `true` when an `acquire()` would block. */
  locked(): boolean {
    return this.#counter <= 0;
  }

  /**
   * Takes a permit, waiting (a green wait) for one if none is free. Resolves
   * `true` once it has one, or `false` with `blocking: false` when none is
   * free, or when `timeoutMs` passed first.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const sem = new Semaphore(1);
   * assert.equal(await sem.acquire(), true);
   * assert.equal(await sem.acquire({ blocking: false }), false);
   * assert.equal(await sem.acquire({ timeoutMs: 5 }), false);
   * sem.release();
   * ```
   *
   * @throws {RangeError} When `timeoutMs` is negative or not a number.
   * @throws {TypeError} When `timeoutMs` is given with `blocking: false`.
   */
  acquire(options?: SemaphoreAcquireOptions): Promise<boolean> {
    const timeoutMs = checkAcquireOptions(this.#acquireDesc, options);
    const interrupted = pendingInterrupt();
    if (interrupted !== undefined) return interrupted;
    if (this.#counter > 0) {
      this.#counter--;
      return Promise.resolve(true);
    }
    if (options?.blocking === false) return Promise.resolve(false);
    return waitOn<boolean>(this.#waiters, this.#acquireDesc, timeoutMs);
  }

  /**
   * Gives back `n` permits; each goes to the oldest waiter, if any.
   *
   * @throws {RangeError} When `n` is not an integer >= 1.
   */
  release(n = 1): void {
    checkCount(`${this.constructor.name}.release`, "n", n, 1);
    this.#release(n);
  }

  /**
   * Waits for a permit and returns a disposable that gives it back:
   * `using _ = await sem.hold();`.
   */
  async hold(): Promise<Disposable> {
    await this.acquire();
    let held = true;
    return {
      [Symbol.dispose]: () => {
        if (held) {
          held = false;
          this.release();
        }
      },
    };
  }

  #release(n: number): void {
    for (; n > 0; n--) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) {
        this.#counter += n;
        return;
      }
      (waiter as ListWait<boolean>).resolve(true);
    }
  }
}

/** Names the waits of a semaphore used inside another primitive. @internal */
export function describeWaits(sem: Semaphore, description: string): void {
  setDescription(sem, description);
}

/**
 * A semaphore that refuses to be released above its initial count: an
 * over-release throws instead of silently adding permits (a bug detector).
 *
 * @example
 * ```ts
 * import { BoundedSemaphore } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const sem = new BoundedSemaphore(1);
 * await sem.acquire();
 * sem.release();
 * assert.throws(() => sem.release(), RangeError);
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  readonly #limit: number;

  /**
   * Creates a bounded semaphore with `n` permits, which is also its maximum.
   *
   * @throws {RangeError} When `n` is negative or not an integer.
   */
  constructor(n = 1) {
    super(n);
    this.#limit = n;
  }

  /**
   * Gives back `n` permits.
   *
   * @throws {RangeError} When that would take the count above the initial one
   *   (nothing is released then), or `n` is not an integer >= 1.
   */
  override release(n = 1): void {
    checkCount(`${this.constructor.name}.release`, "n", n, 1);
    const waiting = this.counter - this.balance;
    if (this.counter + Math.max(0, n - waiting) > this.#limit) {
      throw new RangeError(`Cannot release BoundedSemaphore: released too many times (limit ${this.#limit})`);
    }
    super.release(n);
  }
}
