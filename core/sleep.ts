/**
 * `sleep(ms)`: the green wait on the hub's timer heap, and `sleep(0)`, the
 * cooperative yield.
 *
 * @module
 */
import { newWait } from "./_current.ts";
import { suspendWait, Wait } from "./_wait.ts";
import { currentCore } from "./_thread_core.ts";
import { getHub } from "../hubs/mod.ts";
import { describe } from "./_checks.ts";

function armYield(wait: Wait<void>): void {
  wait.hub.schedule(wait);
}

/**
 * A sleep's wait. Trade: it carries its delay, so arming it needs no closure
 * per call, and its description is formatted only when something lists it
 * (100k sleeps of fractional delays spent measurable time formatting them).
 */
class SleepWait extends Wait<void> {
  constructor(readonly ms: number) {
    super(currentCore(), getHub(), "sleep");
  }
  override get description(): string {
    return `sleep(${this.ms})`;
  }
}

function armSleep(wait: SleepWait): void {
  wait.cleanup = wait.hub.scheduleCallGlobal(wait.ms, wait);
}

/**
 * Suspends the current green thread for `ms` milliseconds (Eventlet's
 * `sleep(seconds)`, in ms). `sleep(0)` yields for one hub turn: every thread
 * that was ready runs, and so do pending I/O callbacks and timers, so a loop
 * with `sleep(0)` never starves sockets. Kill and Timeout interrupt it.
 *
 * @example
 * ```ts
 * import { sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const start = performance.now();
 * await sleep(20);
 * assert.ok(performance.now() - start >= 19);
 * ```
 *
 * @throws {RangeError} When `ms` is negative or not a number.
 */
export function sleep(ms = 0): Promise<void> {
  if (typeof ms !== "number" || !(ms >= 0)) {
    throw new RangeError(`sleep: ms must be a number >= 0, got ${describe(ms)}`);
  }
  if (ms === 0) return suspendWait(newWait<void>("sleep(0)"), armYield);
  return suspendWait(new SleepWait(ms), armSleep);
}
