/**
 * The running thread's side of the core: a new wait for it, the `suspend`
 * primitive, and the signal of its kill and Timeouts. Internal: the public
 * faces are `suspend.ts` and `current_signal.ts`; upper layers reach these
 * through `internal.ts`.
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import { currentCore } from "./_thread_core.ts";
import { CleanupWait, type Register, suspendWait } from "./_wait.ts";

/** A new wait for the current thread, on the current hub. */
export function newWait<T>(description: string): CleanupWait<T> {
  return new CleanupWait<T>(currentCore(), getHub(), description);
}

/**
 * The wait every green primitive is built on; see `suspend.ts` for the public
 * face. Rejects at once with a queued interrupt (kill, Timeout) if there is one.
 */
export function suspend<T>(register: Register<T>, description = "suspend"): Promise<T> {
  return suspendWait(newWait<T>(description), (wait) => {
    // A cleanup only matters for cancellation; a wait settled during register needs none.
    const cleanup = register((value) => wait.resolve(value), (error) => wait.reject(error));
    if (!wait.settled) wait.cleanup = cleanup;
  });
}

/** A signal that never aborts: the main thread's when it has no active Timeout. */
let NEVER: AbortSignal | undefined;

/**
 * The signal green I/O should honour in the running thread: the thread's own
 * (aborted by kill; the main thread cannot be killed, so it has none) merged
 * with those of its active Timeouts — or `undefined` when there is nothing to
 * honour (the main thread with no Timeout), so callers can skip the merge. The
 * one helper for "this thread's kill and Timeouts": green fetch, fs, node:net
 * and the public `currentSignal()` all use it.
 */
export function threadSignal(): AbortSignal | undefined {
  return currentCore().waitSignal();
}

/** {@linkcode threadSignal}, with a signal that never aborts in place of `undefined`. */
export function currentSignal(): AbortSignal {
  return threadSignal() ?? (NEVER ??= new AbortController().signal);
}
