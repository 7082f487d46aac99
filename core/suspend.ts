/**
 * The primitive under every green wait (Eventlet's `trampoline` / `hub.switch`),
 * and {@linkcode interruptible}, which turns any promise into a green wait.
 *
 * A green wait is listed by the hub while pending (see `tools/debug`), and kill
 * or an expiring `Timeout` rejects it with their error, running its cleanup.
 *
 * @module
 */
import { suspend as suspendCore } from "./_current.ts";
import type { Register } from "./_wait.ts";
import { describe, isThenable } from "./_checks.ts";

export type { Register };

/**
 * Waits, greenly, for `register` to call `resolve` or `reject`. `register` may
 * return a cleanup function, run if the wait is cancelled (kill, Timeout) so
 * the source forgets the waiter. `description` names the wait in hub listings.
 *
 * @example A green wait on a callback API
 * ```ts
 * import { suspend } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const value = await suspend<string>((resolve) => {
 *   const id = setTimeout(() => resolve("tick"), 5);
 *   return () => clearTimeout(id); // runs only if the wait is cancelled
 * }, "tick in 5 ms");
 * assert.equal(value, "tick");
 * ```
 *
 * @throws {TypeError} When `register` is not a function.
 */
export function suspend<T>(register: Register<T>, description?: string): Promise<T> {
  if (typeof register !== "function") throw new TypeError("suspend: register must be a function");
  return suspendCore(register, description);
}

/** What {@linkcode interruptible} awaits: a promise, or a function called once the wait has begun. */
export type Interruptible<T> = PromiseLike<T> | (() => T | PromiseLike<T>);

/**
 * Awaits `work` as a green wait: kill and Timeout can interrupt it. Given a
 * promise, its later result (or rejection) is then dropped; the work it stands
 * for is not cancelled — pass {@linkcode currentSignal} to APIs that take a
 * signal. Given a function, the wait begins first and `work()` is then called
 * inside it, so a Timeout that `work` makes (and catches) is scoped inside the
 * wait and never rejects it: only a kill or a Timeout made before the call
 * does. That is how a server runs a handler under its request timeout.
 *
 * @typeParam T The value awaited.
 * @param work A promise or thenable, or a function returning a value or one.
 * @param description Names the wait in hub listings.
 * @returns What `work` settles with.
 * @throws {TypeError} When `work` is neither a thenable nor a function.
 *
 * @example Timing out a plain promise
 * ```ts
 * import { interruptible, Timeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const never = new Promise<never>(() => {});
 * using t = new Timeout(10);
 * await assert.rejects(interruptible(never), (e) => e === t);
 * ```
 *
 * @example A function that catches its own Timeout inside an outer one
 * ```ts
 * import { interruptible, sleep, Timeout, withTimeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * using outer = new Timeout(60_000);
 * const answer = await interruptible(() => withTimeout(10, () => sleep(1_000), { timeoutValue: "late" }));
 * assert.equal(answer, "late");
 * assert.equal(outer.pending, true);
 * ```
 */
export function interruptible<T>(work: Interruptible<T>, description = "interruptible"): Promise<T> {
  if (typeof work === "function") {
    return suspendCore<T>((resolve, reject) => {
      const result = work();
      if (isThenable(result)) void result.then(resolve, reject);
      else resolve(result);
    }, description);
  }
  if (!isThenable(work)) {
    throw new TypeError(`interruptible: promise must be a Promise or thenable, or a function, got ${describe(work)}`);
  }
  return suspendCore<T>((resolve, reject) => void work.then(resolve, reject), description);
}
