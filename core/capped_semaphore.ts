/**
 * `CappedSemaphore`: a semaphore bounded on both sides, as Eventlet's
 * `eventlet.semaphore.CappedSemaphore`. `acquire()` waits while the count is
 * 0; `release()` waits while the count is at `limit` — back-pressure on the
 * releasing side instead of the `RangeError` of a `BoundedSemaphore`. Both are
 * green waits (listed as `CappedSemaphore.acquire()` / `.release()`), served
 * first come, first served.
 *
 * It is built as Eventlet builds it, from two semaphores: one counting what
 * acquirers may take, one counting the room left under `limit`.
 *
 * @example A counter between 0 and 2
 * ```ts
 * import { CappedSemaphore, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const sem = new CappedSemaphore(1, 2);
 * assert.equal(await sem.release(), true); // count 2: at the limit
 * const releaser = spawn(() => sem.release()); // blocks until an acquire
 * assert.equal(await sem.acquire(), true);
 * assert.equal(await releaser.wait(), true);
 * assert.equal(sem.counter, 2);
 * ```
 *
 * @module
 */

import { checkAcquireOptions, checkCount } from "./_checks.ts";
import { describeWaits, Semaphore, type SemaphoreAcquireOptions } from "./semaphore.ts";

/** Options for {@linkcode CappedSemaphore.release}. */
export interface CappedSemaphoreReleaseOptions {
  /** `false`: resolve `false` at once instead of waiting while at the limit. @default true */
  blocking?: boolean;
  /** Resolve `false` if the count did not drop below the limit within this many ms. @default undefined */
  timeoutMs?: number;
}

/** A semaphore whose count stays between 0 and `limit`; see the module doc. */
export class CappedSemaphore {
  #lower: Semaphore;
  #upper: Semaphore;
  readonly #limit: number;

  /**
   * Creates a semaphore with count `n`, which `release()` never takes above `limit`.
   *
   * @throws {RangeError} When `n` or `limit` is negative or not an integer, or `n > limit`.
   */
  constructor(n: number, limit: number) {
    checkCount("CappedSemaphore", "n", n, 0);
    checkCount("CappedSemaphore", "limit", limit, 0);
    if (n > limit) throw new RangeError(`CappedSemaphore: n (${n}) cannot be more than limit (${limit})`);
    this.#limit = limit;
    this.#lower = new Semaphore(n);
    this.#upper = new Semaphore(limit - n);
    describeWaits(this.#lower, "CappedSemaphore.acquire()");
    describeWaits(this.#upper, "CappedSemaphore.release()");
  }

  /** The upper limit of the count. */
  get limit(): number {
    return this.#limit;
  }

  /** The current count. */
  get counter(): number {
    return this.#lower.counter;
  }

  /**
   * How many acquires could happen before one blocks (positive), or minus how
   * many releases the blocked acquirers need (negative): the count, minus
   * blocked acquirers, plus blocked releasers. (Eventlet's formula also
   * subtracts the room left under `limit`, which its own doc does not describe.)
   */
  get balance(): number {
    return this.#lower.balance + Math.max(0, -this.#upper.balance);
  }

  /** `true` when an `acquire()` would block. */
  locked(): boolean {
    return this.#lower.locked();
  }

  /**
   * Takes one from the count, waiting while it is 0. Resolves `false` with
   * `blocking: false` or after `timeoutMs` instead of waiting longer.
   *
   * @throws {RangeError} When `timeoutMs` is negative or not a number.
   * @throws {TypeError} When `timeoutMs` is given with `blocking: false`.
   */
  acquire(options?: SemaphoreAcquireOptions): Promise<boolean> {
    return this.#lower.acquire(options).then((ok) => {
      if (ok) this.#upper.release();
      return ok;
    });
  }

  /**
   * Adds one to the count, waiting while it is at `limit`. Resolves `false`
   * with `blocking: false` or after `timeoutMs` instead of waiting longer.
   *
   * @throws {RangeError} When `timeoutMs` is negative or not a number.
   * @throws {TypeError} When `timeoutMs` is given with `blocking: false`.
   */
  release(options?: CappedSemaphoreReleaseOptions): Promise<boolean> {
    checkAcquireOptions("CappedSemaphore.release", options);
    return this.#upper.acquire(options).then((ok) => {
      if (ok) this.#lower.release();
      return ok;
    });
  }

  /**
   * Waits to take one and returns an async disposable that gives it back
   * (waiting while the count is at `limit`): `await using _ = await sem.hold();`.
   */
  async hold(): Promise<AsyncDisposable> {
    await this.acquire();
    let held = true;
    return {
      [Symbol.asyncDispose]: async () => {
        if (held) {
          held = false;
          await this.release();
        }
      },
    };
  }
}
