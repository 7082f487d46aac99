/**
 * The primitive under every green wait (Eventlet's `trampoline` / `hub.switch`),
 * and {@linkcode interruptible}, which turns any promise into a green wait.
 *
 * A green wait is listed by the hub while pending (see `tools/debug`), and kill
 * or an expiring `Timeout` rejects it with their error, running its cleanup.
 *
 * @module
 */
import { type Register, suspend as suspendCore } from "./_thread_core.ts";

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

/**
 * Awaits `promise` as a green wait: kill and Timeout can interrupt it. The
 * promise's later result (or rejection) is then dropped; the work it stands
 * for is not cancelled — pass the thread's `signal` to APIs that take one.
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
 * @throws {TypeError} When `promise` is not a thenable.
 */
export function interruptible<T>(promise: PromiseLike<T>, description = "interruptible"): Promise<T> {
  if (promise === null || typeof (promise as { then?: unknown })?.then !== "function") {
    throw new TypeError("interruptible: promise must be a Promise or thenable");
  }
  return suspendCore<T>((resolve, reject) => void promise.then(resolve, reject), description);
}
