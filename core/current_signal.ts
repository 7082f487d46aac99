/**
 * `currentSignal()`: the running thread's kill and Timeouts as one
 * `AbortSignal`, for APIs that take a signal but know nothing of green threads.
 *
 * @module
 */
import { currentSignal as signalOfCurrent } from "./_current.ts";

/**
 * Returns the `AbortSignal` that aborts when the current green thread is killed
 * or one of its active Timeouts fires (the Timeouts active at the call: take a
 * fresh one inside each `Timeout` scope). Pass it to any API that takes a
 * signal — an npm HTTP client's `signal` option, `fetch`, `AbortSignal.any` —
 * so that a Timeout or kill stops that work at once instead of at the thread's
 * next green wait. Its `reason` is the kill's error or the Timeout.
 *
 * The main thread cannot be killed: there it aborts only with a Timeout, and
 * with no Timeout active it is a signal that never aborts.
 *
 * @returns The signal of this thread's kill and its active Timeouts.
 *
 * @example Cut a signal-taking API short with a Timeout
 * ```ts
 * import { currentSignal, Timeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const t = new Timeout(20);
 * const signal = currentSignal();
 * const aborted = new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));
 * assert.equal(await aborted, t);
 * t.cancel();
 * ```
 */
export function currentSignal(): AbortSignal {
  return signalOfCurrent();
}
