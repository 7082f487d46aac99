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
import type { HubTimer, TimerEntry } from "../hubs/hub.ts";
import { describe } from "./_checks.ts";

function armYield(wait: Wait<void>): void {
  wait.hub.schedule(wait);
}

/**
 * A sleep's wait, which is also its own hub timer. Trade: the wait carries the
 * timer heap's links (four fields) instead of owning a separate timer object,
 * and its delay instead of an arm closure, so a sleeping thread costs no more
 * than one blocked on an Event; its description is formatted only when
 * something lists it. With the hub's timer stacks on (a debug option), it
 * takes a plain hub timer, which records them, kept aside in a `WeakMap`
 * rather than in a field every sleep would carry.
 */
class SleepWait extends Wait<void> implements TimerEntry {
  due = 0;
  bucket: unknown = undefined;
  prev: unknown = undefined;
  next: unknown = undefined;
  constructor(readonly ms: number) {
    super(currentCore(), getHub(), "sleep");
  }
  override get description(): string {
    return `sleep(${this.ms})`;
  }
  override dispose(): void {
    const timer = stackedTimers.get(this);
    if (timer !== undefined) timer.cancel();
    else this.hub.cancelEntry(this);
  }
}

/** The plain hub timers of sleeps begun while the hub's timer stacks were on. */
const stackedTimers = new WeakMap<SleepWait, HubTimer>();

function armSleep(wait: SleepWait): void {
  const hub = wait.hub;
  if (hub.timerStacks) stackedTimers.set(wait, hub.scheduleCallGlobal(wait.ms, wait));
  else hub.scheduleEntry(wait.ms, wait);
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
