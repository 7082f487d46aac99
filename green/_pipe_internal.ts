/**
 * Plumbing shared by the green subprocess files: the symbol-keyed factories
 * the public classes implement but do not expose, and the guard that ends a
 * child when a wait on it is interrupted. Internal.
 *
 * @module
 */
import { threadSignal } from "../core/internal.ts";

/** `PipeReader[wrapPipe](...)` / `PipeWriter[wrapPipe](...)`: the factories behind a child's pipes. */
export const wrapPipe: unique symbol = Symbol("evy.process.wrapPipe");
/** `ChildProcess[wrapChild](...)`: the factory behind `Command.spawn()`. */
export const wrapChild: unique symbol = Symbol("evy.process.wrapChild");
/** `pipe[collectAll]()`: everything to the end of the stream, by the backend's fast path when nothing was read. */
export const collectAll: unique symbol = Symbol("evy.process.collectAll");
/** `child[ownOutput]()`: `output()` for a caller that owns the child and closes its pipes after (run, Command.output). */
export const ownOutput: unique symbol = Symbol("evy.process.ownOutput");
/** `child[closePipes]()`: closes every pipe of a child at once, without waiting. */
export const closePipes: unique symbol = Symbol("evy.process.closePipes");

/**
 * Runs `start()`, a green wait on a child, so that a kill of the calling
 * thread or the firing of one of its Timeouts active now also calls
 * `onInterrupt` (which ends the child): the thread's signal, not the wait's
 * rejection, tells an interruption from the pipe's own errors.
 */
export function guarded<T>(start: () => Promise<T>, onInterrupt: () => void): Promise<T> {
  const signal = threadSignal();
  if (signal === undefined) return start(); // the main thread with no Timeout: nothing can interrupt
  if (signal.aborted) {
    // A kill not yet delivered makes start() reject at once.
    const promise = start();
    promise.then(undefined, () => onInterrupt());
    return promise;
  }
  // After the kill or Timeout rejected the wait: ending the child may fail the pipe's op
  // synchronously (Node), which must not win over the interrupt's own error.
  const onAbort = (): void => queueMicrotask(onInterrupt);
  signal.addEventListener("abort", onAbort, { once: true });
  const promise = start();
  const off = (): void => signal.removeEventListener("abort", onAbort);
  promise.then(off, off);
  return promise;
}
