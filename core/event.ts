/**
 * `Event`: a value (or an error) sent once by one green thread and received by
 * any number of others — Eventlet's `eventlet.event.Event`.
 *
 * Every waiter wakes on `send`; a second `send` throws until `reset()`.
 * `wait({ timeoutMs })` resolves `undefined` when the time passes first, as
 * Eventlet's `wait(timeout)` returns a falsy value. Waiting is a green wait:
 * kill and Timeout interrupt it, and the hub lists it as `Event.wait()`.
 *
 * @example One sender, many waiters
 * ```ts
 * import { Event, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const ready = new Event<string>();
 * const waiters = [1, 2, 3].map((n) => spawn(async () => `${n}: ${await ready.wait()}`));
 * ready.send("go");
 * assert.deepEqual(await Promise.all(waiters.map((t) => t.wait())), ["1: go", "2: go", "3: go"]);
 * ```
 *
 * @module
 */
import { checkOptions, checkTimeout } from "./_checks.ts";
import { type ListWait, pendingInterrupt, type Waiter, WaitList, waitOn } from "./_wait_list.ts";

/** Options for {@linkcode Event.wait}. */
export interface EventWaitOptions {
  /** Give up after this many ms and resolve `undefined`. @default undefined (wait forever) */
  timeoutMs?: number;
}

const EMPTY = 0;
const VALUE = 1;
const ERROR = 2;

function expireEventWait(wait: Waiter): void {
  (wait as ListWait<unknown>).resolve(undefined);
}

/**
 * A one-shot, many-waiter result: see the module doc.
 *
 * @typeParam T The value sent.
 *
 * @example
 * ```ts
 * import { Event, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const done = new Event<number>();
 * const waiter = spawn(() => done.wait());
 * done.send(42);
 * assert.equal(await waiter.wait(), 42);
 * assert.equal(done.ready(), true);
 * ```
 */
export class Event<T = void> {
  #state = EMPTY;
  #value: T | undefined = undefined;
  #error: unknown = undefined;
  #waiters = new WaitList(expireEventWait);

  /**
   * Waits until the event is sent and resolves with its value (or rejects with
   * the error given to `sendException`). Resolves at once if it was sent. With
   * `timeoutMs`, resolves `undefined` if the event is not sent by then.
   *
   * @throws {RangeError} When `timeoutMs` is negative or not a number.
   */
  wait(): Promise<T>;
  /** Like `wait()`, but resolves `undefined` if the event is not sent within `options.timeoutMs`. */
  wait(options: EventWaitOptions): Promise<T | undefined>;
  wait(options?: EventWaitOptions): Promise<T | undefined> {
    checkOptions("Event.wait", options);
    const timeoutMs = checkTimeout("Event.wait", options?.timeoutMs);
    if (this.#state !== EMPTY) {
      const interrupted = pendingInterrupt();
      if (interrupted !== undefined) return interrupted;
      return this.#state === VALUE ? Promise.resolve(this.#value) : Promise.reject(this.#error);
    }
    return waitOn<T | undefined>(this.#waiters, "Event.wait()", timeoutMs);
  }

  /**
   * Sends `value`, waking every waiter.
   *
   * @throws {Error} When the event was already sent (call `reset()` first).
   */
  send(value: T): void {
    this.#checkUnsent("send");
    this.#state = VALUE;
    this.#value = value;
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) {
      (w as ListWait<T>).resolve(value);
    }
  }

  /**
   * Sends an error instead of a value: every waiter (and later `wait()` or
   * `poll()`) rejects/throws with it.
   *
   * @example
   * ```ts
   * import { Event } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const done = new Event<number>();
   * done.sendException(new Error("failed"));
   * assert.ok(done.hasException());
   * await assert.rejects(done.wait(), /failed/);
   * ```
   *
   * @throws {Error} When the event was already sent.
   */
  sendException(error: unknown): void {
    this.#checkUnsent("sendException");
    this.#state = ERROR;
    this.#error = error;
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) w.reject(error);
  }

  /** `true` once the event was sent (a value or an error). */
  ready(): boolean {
    return this.#state !== EMPTY;
  }

  /** `true` once a value was sent. */
  hasResult(): boolean {
    return this.#state === VALUE;
  }

  /** `true` once an error was sent. */
  hasException(): boolean {
    return this.#state === ERROR;
  }

  /**
   * Returns the value without waiting, or `notReady` if nothing was sent yet.
   *
   * @example
   * ```ts
   * import { Event } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const e = new Event<number>();
   * assert.equal(e.poll(), undefined);
   * assert.equal(e.poll(-1), -1);
   * e.send(7);
   * assert.equal(e.poll(), 7);
   * ```
   *
   * @throws The error given to `sendException`, if that is what was sent.
   */
  poll<D = undefined>(notReady?: D): T | D {
    if (this.#state === VALUE) return this.#value as T;
    if (this.#state === ERROR) throw this.#error;
    return notReady as D;
  }

  /**
   * Makes a sent event sendable again (waiters then wait for the next send).
   * A no-op on an event that was not sent (Eventlet asserts instead).
   *
   * @example
   * ```ts
   * import { Event } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const e = new Event<string>();
   * e.send("first");
   * e.reset();
   * assert.equal(e.ready(), false);
   * e.send("second");
   * assert.equal(await e.wait(), "second");
   * ```
   */
  reset(): void {
    this.#state = EMPTY;
    this.#value = undefined;
    this.#error = undefined;
  }

  #checkUnsent(what: string): void {
    if (this.#state !== EMPTY) throw new Error(`Cannot ${what} on this Event: it was already sent (reset() it first)`);
  }
}
