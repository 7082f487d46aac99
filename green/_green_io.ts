/**
 * The helper under green fetch and green fs: runs a runtime call as a green
 * wait (listed by the hub, interrupted by kill and Timeout) and, for calls
 * that take an `AbortSignal`, hands them one that merges the caller's signal,
 * the thread's kill signal, its active Timeouts' signals and the wait's own
 * cancellation, so interrupting the wait stops the work too.
 *
 * @module
 */
import { suspend, threadSignal } from "../core/internal.ts";

const CANCELLED = "green call cancelled";

/** The signal a green call should pass to the runtime, and how to abort it on cancellation. */
export function greenSignal(extra: (AbortSignal | null | undefined)[]): [AbortSignal, AbortController] {
  const own = new AbortController();
  const signals: AbortSignal[] = [own.signal];
  for (const s of extra) if (s != null) signals.push(s);
  const thread = threadSignal();
  if (thread !== undefined) signals.push(thread);
  return [signals.length === 1 ? own.signal : AbortSignal.any(signals), own];
}

/** Awaits `promise` as a green wait named `description`; `onCancel` runs if kill or Timeout interrupts it. */
export function greenAwait<T>(promise: Promise<T>, description: string, onCancel?: () => void): Promise<T> {
  return suspend<T>((resolve, reject) => {
    promise.then(resolve, reject);
    return onCancel;
  }, description);
}

/** Runs `start(signal)` as a green wait whose interruption aborts `signal`. */
export function greenCall<T>(
  description: string,
  start: (signal: AbortSignal) => Promise<T>,
  ...extra: (AbortSignal | null | undefined)[]
): Promise<T> {
  const [signal, own] = greenSignal(extra);
  let promise: Promise<T>;
  try {
    promise = start(signal);
  } catch (error) {
    return Promise.reject(error);
  }
  return greenAwait(promise, description, () => own.abort(new DOMException(CANCELLED, "AbortError")));
}
