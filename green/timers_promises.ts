/**
 * The `node:timers/promises` shapes as green waits on the hub: `setTimeout`,
 * `setImmediate`, `setInterval` (an async iterator) and `scheduler`. Kill and
 * Timeout interrupt them (with their own error), they are listed by the hub,
 * and an aborted `signal` rejects them with an `AbortError` (`code`
 * `"ABORT_ERR"`, the signal's reason as `cause`), as Node's do.
 *
 * @example A Timeout interrupts a green `setTimeout` promise
 * ```ts
 * import { Timeout } from "@evy/evy";
 * import { setTimeout } from "@evy/evy/green/timers-promises";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await setTimeout(1, "value"), "value");
 * using t = new Timeout(5);
 * await assert.rejects(setTimeout(60_000), (e) => e === t);
 * ```
 *
 * @module
 */
import { type CleanupWait, newWait, suspendWait } from "../core/internal.ts";
import { normalizeDelay } from "./_green_timer.ts";

/** Options of the promise timers, as `node:timers/promises` takes them. */
export interface TimerPromiseOptions {
  /** Rejects the wait with an `AbortError` when aborted. */
  signal?: AbortSignal | undefined;
  /** `false` lets the process exit while the timer is pending. @default true */
  ref?: boolean | undefined;
}

/** Node's `AbortError`, thrown when a promise timer's `signal` aborts. */
export class AbortError extends Error {
  /** Always `"ABORT_ERR"`, as Node sets it. */
  readonly code = "ABORT_ERR";
  /** Creates the error; `options.cause` is the signal's reason. */
  constructor(message = "The operation was aborted", options?: ErrorOptions) {
    super(message, options);
    this.name = "AbortError";
  }
}

function checkOptions(options: TimerPromiseOptions | undefined, fn: string): void {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError(`${fn}: options must be an object`);
  }
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${fn}: options.signal must be an AbortSignal`);
  }
}

/** Enters a wait that also rejects when `signal` aborts. */
function waitWith<T>(
  wait: CleanupWait<T>,
  signal: AbortSignal | undefined,
  arm: (wait: CleanupWait<T>) => () => void,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return suspendWait(wait, (w) => {
    const disarm = arm(w);
    if (signal === undefined) {
      w.cleanup = disarm;
      return;
    }
    const onAbort = (): void => {
      disarm();
      w.reject(new AbortError(undefined, { cause: signal.reason }));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = w.res!;
    const fail = w.rej!;
    w.res = (value) => (signal.removeEventListener("abort", onAbort), settle(value));
    w.rej = (error) => (signal.removeEventListener("abort", onAbort), fail(error));
    w.cleanup = disarm;
  });
}

/**
 * Resolves with `value` after `delay` ms (a green wait).
 *
 * @param delay Milliseconds. @default 1
 * @param value What the promise resolves with.
 * @param options `signal` and `ref`.
 * @throws {AbortError} (rejection) When `options.signal` aborts.
 *
 * @example
 * ```ts
 * import { setTimeout } from "@evy/evy/green/timers-promises";
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * const pending = setTimeout(60_000, "never", { signal: controller.signal });
 * controller.abort();
 * await assert.rejects(pending, { name: "AbortError" });
 * assert.equal(await setTimeout(1, 42), 42);
 * ```
 */
export function setTimeout<T = void>(delay?: number, value?: T, options?: TimerPromiseOptions): Promise<T> {
  checkOptions(options, "setTimeout");
  const ms = delay === undefined ? 1 : normalizeDelay(delay);
  const wait = newWait<T>(`timers/promises.setTimeout(${ms})`);
  return waitWith(wait, options?.signal, (w) => {
    const timer = w.hub.scheduleCallGlobal(ms, () => w.resolve(value as T), w.description);
    if (options?.ref === false) timer.unref();
    return () => timer.cancel();
  });
}

/**
 * Resolves with `value` on the next hub turn (a green wait, like `sleep(0)`).
 *
 * @param value What the promise resolves with.
 * @param options `signal` (`ref` is accepted and ignored: the turn is immediate).
 *
 * @example
 * ```ts
 * import { setImmediate } from "@evy/evy/green/timers-promises";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await setImmediate("next turn"), "next turn");
 * ```
 */
export function setImmediate<T = void>(value?: T, options?: TimerPromiseOptions): Promise<T> {
  checkOptions(options, "setImmediate");
  const wait = newWait<T>("timers/promises.setImmediate()");
  return waitWith(wait, options?.signal, (w) => {
    let live = true;
    w.hub.schedule(() => live && w.resolve(value as T));
    return () => void (live = false);
  });
}

/**
 * An async iterator that yields `value` every `delay` ms; ticks missed while
 * the consumer was busy are delivered at once, one per tick, as Node's are.
 * Leaving the loop (`break`, `return()`) stops the interval.
 *
 * @param delay Milliseconds. @default 1
 * @param value What each step yields.
 * @param options `signal` and `ref`.
 *
 * @example
 * ```ts
 * import { setInterval } from "@evy/evy/green/timers-promises";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * for await (const v of setInterval(1, "tick")) {
 *   seen.push(v);
 *   if (seen.length === 3) break;
 * }
 * assert.deepEqual(seen, ["tick", "tick", "tick"]);
 * ```
 */
export function setInterval<T = void>(delay?: number, value?: T, options?: TimerPromiseOptions): AsyncGenerator<T> {
  checkOptions(options, "setInterval");
  const ms = delay === undefined ? 1 : normalizeDelay(delay);
  const signal = options?.signal;
  return (async function* interval(): AsyncGenerator<T> {
    let missed = 0;
    let waiter: CleanupWait<void> | undefined;
    const description = `timers/promises.setInterval(${ms})`;
    const tick = (): void => {
      timer = hub.scheduleCallGlobal(ms, tick, description);
      if (options?.ref === false) timer.unref();
      if (waiter !== undefined) waiter.resolve();
      else missed++;
    };
    const first = newWait<void>(description);
    const hub = first.hub;
    let timer = hub.scheduleCallGlobal(ms, tick, description);
    if (options?.ref === false) timer.unref();
    try {
      for (let wait: CleanupWait<void> | undefined = first;; wait = undefined) {
        if (missed === 0) {
          waiter = wait ?? newWait<void>(description);
          await waitWith(waiter, signal, () => () => {});
          waiter = undefined;
        } else {
          if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
          missed--;
        }
        yield value as T;
      }
    } finally {
      waiter = undefined;
      timer.cancel();
    }
  })();
}

/** Node's `timers/promises` `scheduler`: `wait(delay, options)` and `yield()`, green. */
export const scheduler: {
  /** Waits `delay` ms: `setTimeout(delay, undefined, options)`. */
  wait(delay: number, options?: TimerPromiseOptions): Promise<void>;
  /** Yields for one hub turn: `setImmediate()`. */
  yield(): Promise<void>;
} = {
  wait: (delay, options) => setTimeout(delay, undefined, options),
  yield: () => setImmediate(),
};
