/**
 * The signal of the tpool call running now, inside a worker: what
 * `tpoolSignal()` returns. Set by the worker's runner (`_tpool_runner.ts`) for
 * the length of each call, across its awaits.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The running call's signal, per async context (a worker runs one call at a time, but timers may outlive it). */
export const callSignal: AsyncLocalStorage<AbortSignal> = new AsyncLocalStorage();

let never: AbortSignal | undefined;

/**
 * Inside a tpool worker, the `AbortSignal` of the call that is running: it
 * aborts when the caller was killed or timed out (or `killall()` ran), so the
 * work can stop cooperatively. Outside a call (the main thread), a signal that
 * never aborts.
 *
 * A function shipped by {@linkcode execute} cannot import anything, so in
 * the worker `tpoolSignal` is also a global of the same name: import it for
 * the types and call it as `tpoolSignal()` in the function's body.
 *
 * @returns The call's signal.
 *
 * @example A cancellable CPU loop
 * ```ts
 * import { execute, killall, tpoolSignal } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * const sum = await execute((n: number) => {
 *   const signal = tpoolSignal();
 *   let total = 0;
 *   for (let i = 0; i < n && !signal.aborted; i++) total += i;
 *   return total;
 * }, 1000);
 * assert.equal(sum, 499500);
 * assert.equal(tpoolSignal().aborted, false); // outside a worker
 * await killall();
 * ```
 */
export function tpoolSignal(): AbortSignal {
  return callSignal.getStore() ?? (never ??= new AbortController().signal);
}
