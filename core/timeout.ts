/**
 * `Timeout`: a deadline on whatever the current green thread waits for, and
 * {@linkcode withTimeout}, its scoped form.
 *
 * A Timeout starts on construction and is bound to the thread that made it.
 * When it expires it rejects that thread's current green wait(s) with itself
 * (or the error it was given) and aborts `timeout.signal`. If the thread is
 * then awaiting a plain promise, the error arrives at its next green wait —
 * unless the Timeout is cancelled first. It never fires into another thread.
 * Unlike Eventlet, `ms` is in milliseconds; `using t = new Timeout(ms)` scopes it.
 *
 * @example Catching your own Timeout
 * ```ts
 * import { sleep, Timeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * let timedOut = false;
 * {
 *   using t = new Timeout(10);
 *   try {
 *     await sleep(1_000);
 *   } catch (e) {
 *     if (e !== t) throw e; // not ours: let it through
 *     timedOut = true;
 *   }
 * }
 * assert.ok(timedOut);
 * ```
 *
 * @module
 */
import { currentCore, type ThreadCore } from "./_thread_core.ts";
import { waitClock } from "./_wait.ts";
import { getHub } from "../hubs/mod.ts";
import type { HubTimer } from "../hubs/hub.ts";
import { checkFn, checkMs } from "./_checks.ts";

/**
 * A deadline on the current green thread's waits; see the module doc.
 *
 * @example
 * ```ts
 * import { sleep, Timeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * using t = new Timeout(10);
 * await assert.rejects(sleep(1_000), (e) => e === t);
 * assert.equal(t.expired, true);
 * ```
 */
export class Timeout extends Error {
  readonly #core: ThreadCore;
  readonly #error: unknown;
  #timer: HubTimer | undefined;
  #cancelled = false;
  #expired = false;
  #abort: AbortController | undefined;
  /** What the thread's interrupt sees: the waits begun after this Timeout are its to reject. */
  readonly #source: { since: number; cancelled: boolean } = { since: waitClock(), cancelled: false };
  /** The duration in ms, or `null` for a Timeout that never fires. */
  readonly ms: number | null;

  /**
   * Starts a Timeout of `ms` milliseconds on the current thread. `ms` `null` or
   * `undefined` makes one that never fires (handy for optional deadlines).
   * `error`, when given, is thrown instead of the Timeout itself.
   *
   * @throws {RangeError} When `ms` is negative or not a number.
   */
  constructor(ms?: number | null, error?: unknown) {
    checkMs("Timeout", ms, true);
    super(ms == null ? "timed out" : `timed out after ${ms} ms`);
    this.name = "Timeout";
    this.ms = ms ?? null;
    this.#core = currentCore();
    this.#error = error;
    if (ms != null) {
      this.#timer = getHub().scheduleCallLocal(ms, this.#fire, `Timeout(${ms}) in ${this.#core.name}`);
      this.#core.addTimeout(this);
    }
  }

  /** `true` while scheduled: not yet expired nor cancelled. */
  get pending(): boolean {
    return this.#timer?.pending === true;
  }

  /** `true` once the Timeout has fired. */
  get expired(): boolean {
    return this.#expired;
  }

  /** `true` once `cancel()` was called. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Aborted (with the Timeout's error) when it expires. */
  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.#expired) this.#abort.abort(this.#error ?? this);
    }
    return this.#abort.signal;
  }

  /** Stops the Timeout; if it already expired, an undelivered error is dropped. */
  cancel(): void {
    this.#cancelled = true;
    this.#source.cancelled = true;
    this.#timer?.cancel();
    this.#core.removeTimeout(this);
  }

  /** Cancels the Timeout at the end of a `using` scope. */
  [Symbol.dispose](): void {
    this.cancel();
  }

  #fire = (): void => {
    this.#expired = true;
    const error = this.#error ?? this;
    this.#abort?.abort(error);
    this.#core.removeTimeout(this);
    this.#core.interrupt(error, this.#source);
  };
}

/** Options for {@linkcode withTimeout}. */
export interface WithTimeoutOptions<V> {
  /** Returned instead of throwing when the Timeout expires (the key's presence counts). */
  timeoutValue?: V;
}

/**
 * Runs `fn()` in the current thread under a Timeout of `ms`. Returns its value;
 * on expiry returns `options.timeoutValue` if that key is given, else throws the
 * Timeout.
 *
 * @example
 * ```ts
 * import { sleep, withTimeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const fast = await withTimeout(100, async () => "done");
 * const slow = await withTimeout(10, () => sleep(1_000), { timeoutValue: "late" });
 * assert.deepEqual([fast, slow], ["done", "late"]);
 * ```
 *
 * @throws {Timeout} On expiry, without `timeoutValue`.
 * @throws {TypeError} When `fn` is not a function.
 * @throws {RangeError} When `ms` is negative or not a number (`withTimeout` names itself).
 */
export async function withTimeout<T, V = never>(
  ms: number | null | undefined,
  fn: () => T | PromiseLike<T>,
  options?: WithTimeoutOptions<V>,
): Promise<T | V> {
  checkMs("withTimeout", ms, true);
  checkFn("withTimeout", fn);
  const timeout = new Timeout(ms);
  try {
    return await fn();
  } catch (error) {
    if (error === timeout && options !== undefined && "timeoutValue" in options) return options.timeoutValue as V;
    throw error;
  } finally {
    timeout.cancel();
  }
}
