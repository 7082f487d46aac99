/**
 * Drop-in for `node:timers`: `setTimeout`/`setInterval` return Node-shaped
 * `Timeout` objects (`ref`, `unref`, `hasRef`, `refresh`, `close`,
 * `Symbol.toPrimitive`, `using`) running on evy's hub timer heap, so they are
 * listed by the hub and die with a killed green thread (see
 * `@evy/evy/green/timers`). `setImmediate`/`clearImmediate` are the
 * runtime's (an immediate is never pending long enough to matter).
 * `promises` is `@evy/evy/green/node/timers-promises`.
 *
 * The import-map generator and the preload's module hooks substitute this
 * module for `node:timers`.
 *
 * @example
 * ```ts
 * import { clearTimeout, setTimeout } from "@evy/evy/green/node/timers";
 * import assert from "node:assert/strict";
 *
 * let fired = 0;
 * const t = setTimeout(() => fired++, 1);
 * assert.equal(t.hasRef(), true);
 * clearTimeout(t);
 * await new Promise((r) => setTimeout(r, 5));
 * assert.equal(fired, 0);
 * ```
 *
 * @module
 */
import * as real from "node:timers";
import { clearGreen, GreenTimer } from "../_green_timer.ts";
import * as promises from "./timers_promises.ts";

export { promises };
export { GreenTimer };
export type { GreenTimer as Timeout };

/**
 * `node:timers` `setTimeout`: calls `callback(...args)` after `delay` ms.
 *
 * @returns A `Timeout` object (Node's shape).
 * @throws {TypeError} When `callback` is not a function.
 *
 * @example
 * ```ts
 * import { setTimeout } from "@evy/evy/green/node/timers";
 * import assert from "node:assert/strict";
 *
 * const value = await new Promise((resolve) => setTimeout(resolve, 1, "done"));
 * assert.equal(value, "done");
 * ```
 */
// deno-lint-ignore no-explicit-any
export function setTimeout(callback: (...args: any[]) => void, delay?: number, ...args: any[]): GreenTimer {
  return new GreenTimer("setTimeout", callback, delay, args, false);
}

/**
 * `node:timers` `setInterval`: calls `callback(...args)` every `delay` ms.
 *
 * @returns A `Timeout` object (Node's shape).
 * @throws {TypeError} When `callback` is not a function.
 *
 * @example
 * ```ts
 * import { clearInterval, setInterval } from "@evy/evy/green/node/timers";
 * import assert from "node:assert/strict";
 *
 * let n = 0;
 * await new Promise<void>((resolve) => {
 *   const t = setInterval(() => ++n === 3 && (clearInterval(t), resolve()), 1);
 * });
 * assert.equal(n, 3);
 * ```
 */
// deno-lint-ignore no-explicit-any
export function setInterval(callback: (...args: any[]) => void, delay?: number, ...args: any[]): GreenTimer {
  return new GreenTimer("setInterval", callback, delay, args, true);
}

/**
 * `node:timers` `clearTimeout`: accepts a green `Timeout`, its numeric id, or
 * a runtime timer (passed to the runtime).
 *
 * @example
 * ```ts
 * import { clearTimeout, setTimeout } from "@evy/evy/green/node/timers";
 *
 * clearTimeout(setTimeout(() => {}, 1_000));
 * ```
 */
export function clearTimeout(timer?: unknown): void {
  if (timer == null || clearGreen(timer)) return;
  real.clearTimeout(timer as Parameters<typeof real.clearTimeout>[0]);
}

/**
 * `node:timers` `clearInterval`: the same as {@linkcode clearTimeout}.
 *
 * @example
 * ```ts
 * import { clearInterval, setInterval } from "@evy/evy/green/node/timers";
 *
 * clearInterval(setInterval(() => {}, 1_000));
 * ```
 */
export function clearInterval(timer?: unknown): void {
  if (timer == null || clearGreen(timer)) return;
  real.clearInterval(timer as Parameters<typeof real.clearInterval>[0]);
}

/** `node:timers` `setImmediate` (the runtime's). */
export const setImmediate: typeof real.setImmediate = real.setImmediate;
/** `node:timers` `clearImmediate` (the runtime's). */
export const clearImmediate: typeof real.clearImmediate = real.clearImmediate;

/** The module as a default export, as `import timers from "node:timers"` expects. */
const timers: {
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  clearTimeout: typeof clearTimeout;
  clearInterval: typeof clearInterval;
  setImmediate: typeof setImmediate;
  clearImmediate: typeof clearImmediate;
  promises: typeof promises;
} = { setTimeout, setInterval, clearTimeout, clearInterval, setImmediate, clearImmediate, promises };
export default timers;
