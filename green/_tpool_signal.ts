/**
 * `tpoolSignal()`: the signal of the tpool call running now, inside a worker.
 * The worker's runner (`_tpool_runner.ts`) keeps it in an
 * `AsyncLocalStorage` under a global key (so it holds across the call's
 * awaits, and any copy of evy loaded in the worker finds it).
 *
 * @module
 */
import type { AsyncLocalStorage } from "node:async_hooks";

const KEY = Symbol.for("evy.tpool.callSignal");
let never: AbortSignal | undefined;

/**
 * Inside a tpool worker, the `AbortSignal` of the call that is running: it
 * aborts when the caller was killed or timed out (or `killall()` ran), so the
 * work can stop cooperatively. Outside a call (the main thread), a signal that
 * never aborts.
 *
 * A function shipped by `execute` cannot import anything, so in a worker
 * `tpoolSignal` is also a global of the same name: import it for the types,
 * and call it as `tpoolSignal()` in the function's body.
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
  const store = (globalThis as unknown as Record<symbol, AsyncLocalStorage<{ signal: AbortSignal }> | undefined>)[KEY];
  return store?.getStore()?.signal ?? (never ??= new AbortController().signal);
}
