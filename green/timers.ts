/**
 * Green `setTimeout`, `clearTimeout`, `setInterval` and `clearInterval` with
 * the Web globals' signatures (numeric ids, as Deno and browsers return), run
 * on the hub's timer heap: one heap, one runtime timer, listed by
 * `hub.listTimers()`. A timer created inside a green thread is cancelled when
 * that thread is **killed** (not when it returns normally, since libraries set
 * timers from short-lived threads); its callback runs in that thread's context,
 * as the runtime's timers carry `AsyncLocalStorage` context.
 *
 * Differences from the globals: a callback that throws is reported by the hub
 * (to stderr, or the hub's error reporter) instead of crashing the process, as
 * an Eventlet hub reports a failing timer; nested timers are not clamped to
 * 4 ms; a non-function callback is a `TypeError` (no string evaluation).
 * `clearTimeout` also accepts the runtime's own ids, so it can replace the
 * global. `promises` holds the `node:timers/promises` shapes, as green waits.
 * Node's `Timeout`-object flavour lives in `@evy/evy/green/node/timers`.
 *
 * @example A green interval, stopped by killing the thread that made it
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import { setInterval } from "@evy/evy/green/timers";
 * import assert from "node:assert/strict";
 *
 * let ticks = 0;
 * const gt = spawn(async () => {
 *   setInterval(() => ticks++, 1);
 *   await sleep(60_000);
 * });
 * await sleep(20);
 * await gt.kill();
 * const seen = ticks;
 * await sleep(10);
 * assert.ok(seen > 0);
 * assert.equal(ticks, seen); // the interval died with its thread
 * ```
 *
 * @module
 */
import { byId, clearGreen, GreenTimer, ID_BASE } from "./_green_timer.ts";
import { real, realGlobal } from "./_originals.ts";
import { denoNamespace } from "../hubs/runtime.ts";

export * as promises from "./timers_promises.ts";

/**
 * What the clear functions accept: a numeric id, or a runtime timer object
 * that converts to one (Node's `Timeout`), as the globals do.
 */
export type TimerHandle = number | { [Symbol.toPrimitive](): number };

/**
 * Calls `callback(...args)` once after `delay` ms, on the hub's timer heap.
 * Returns the timer's id for {@linkcode clearTimeout}.
 *
 * @param callback The function to call.
 * @param delay Milliseconds; non-numbers, NaN and negatives mean 0. @default 0
 * @param args Passed to `callback`.
 * @returns The timer's id (from 2²⁹ up, so it never collides with the runtime's ids).
 * @throws {TypeError} When `callback` is not a function.
 *
 * @example
 * ```ts
 * import { clearTimeout, setTimeout } from "@evy/evy/green/timers";
 * import assert from "node:assert/strict";
 *
 * const fired: string[] = [];
 * const a = setTimeout((name: string) => fired.push(name), 5, "a");
 * const b = setTimeout(() => fired.push("b"), 5);
 * clearTimeout(b);
 * await new Promise((resolve) => setTimeout(resolve, 20));
 * assert.deepEqual(fired, ["a"]);
 * assert.equal(typeof a, "number");
 * ```
 */
// deno-lint-ignore no-explicit-any
export function setTimeout(callback: (...args: any[]) => void, delay?: number, ...args: any[]): number {
  return new GreenTimer("setTimeout", callback, delay, args, false).id;
}

/**
 * Calls `callback(...args)` every `delay` ms until cleared (or its thread is
 * killed). The next run is scheduled from the moment the previous one fired.
 *
 * @param callback The function to call.
 * @param delay Milliseconds; non-numbers, NaN and negatives mean 0. @default 0
 * @param args Passed to `callback`.
 * @returns The timer's id for {@linkcode clearInterval}.
 * @throws {TypeError} When `callback` is not a function.
 *
 * @example
 * ```ts
 * import { clearInterval, setInterval } from "@evy/evy/green/timers";
 * import { sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * let n = 0;
 * const id = setInterval(() => n++, 1);
 * while (n < 3) await sleep(1);
 * clearInterval(id);
 * assert.equal(n, 3);
 * ```
 */
// deno-lint-ignore no-explicit-any
export function setInterval(callback: (...args: any[]) => void, delay?: number, ...args: any[]): number {
  return new GreenTimer("setInterval", callback, delay, args, true).id;
}

/**
 * Cancels a timer made by {@linkcode setTimeout} or {@linkcode setInterval}; an
 * id from the runtime's own timers is passed to the runtime's `clearTimeout`.
 * Unknown ids and `undefined` are ignored, as the global does.
 *
 * @param id The timer's id.
 *
 * @example
 * ```ts
 * import { clearTimeout, setTimeout } from "@evy/evy/green/timers";
 * import assert from "node:assert/strict";
 *
 * let fired = false;
 * clearTimeout(setTimeout(() => (fired = true), 1));
 * clearTimeout(undefined); // ignored
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * assert.equal(fired, false);
 * ```
 */
export function clearTimeout(id?: TimerHandle | null): void {
  if (id === undefined || id === null) return;
  if (!clearGreen(id)) realGlobal<(id?: unknown) => void>("clearTimeout")(id);
}

/**
 * Cancels a timer; the same as {@linkcode clearTimeout} (the ids share one space).
 *
 * @param id The timer's id.
 *
 * @example
 * ```ts
 * import { clearInterval, setInterval } from "@evy/evy/green/timers";
 * import assert from "node:assert/strict";
 *
 * let n = 0;
 * clearInterval(setInterval(() => n++, 1));
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * assert.equal(n, 0);
 * ```
 */
export function clearInterval(id?: TimerHandle | null): void {
  if (id === undefined || id === null) return;
  if (!clearGreen(id)) realGlobal<(id?: unknown) => void>("clearInterval")(id);
}

function runtimeTimerFn(name: "unrefTimer" | "refTimer"): ((id: number) => void) | undefined {
  return real(`Deno.${name}`, () => {
    return denoNamespace()?.[name] as ((id: number) => void) | undefined;
  });
}

/**
 * Deno's `Deno.unrefTimer(id)` for green ids too: the timer no longer keeps
 * the process alive. Runtime ids go to `Deno.unrefTimer`.
 *
 * @param id The timer's id.
 *
 * @example
 * ```ts
 * import { clearTimeout, setTimeout, unrefTimer } from "@evy/evy/green/timers";
 *
 * const id = setTimeout(() => {}, 60_000);
 * unrefTimer(id); // the process may exit before it fires
 * clearTimeout(id);
 * ```
 */
export function unrefTimer(id: number): void {
  const timer = byId.get(id);
  if (timer !== undefined) timer.unref();
  else if (id < ID_BASE) runtimeTimerFn("unrefTimer")?.(id);
}

/**
 * Deno's `Deno.refTimer(id)` for green ids too: undoes {@linkcode unrefTimer}.
 *
 * @param id The timer's id.
 *
 * @example
 * ```ts
 * import { clearTimeout, refTimer, setTimeout, unrefTimer } from "@evy/evy/green/timers";
 *
 * const id = setTimeout(() => {}, 60_000);
 * unrefTimer(id);
 * refTimer(id);
 * clearTimeout(id);
 * ```
 */
export function refTimer(id: number): void {
  const timer = byId.get(id);
  if (timer !== undefined) timer.ref();
  else if (id < ID_BASE) runtimeTimerFn("refTimer")?.(id);
}
