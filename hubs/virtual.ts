/**
 * A virtual-time hub: the clock only moves when you say so, so code full of
 * sleeps, Timeouts and retries runs deterministically and without real waiting.
 * Install it with {@linkcode useHub}, drive it with {@linkcode VirtualHub.tick}
 * or {@linkcode VirtualHub.runUntilIdle}, and dispose the handle to go back.
 *
 * Ready callbacks and promise continuations still run on the real event loop
 * (the virtual hub waits for them between steps); only timers are virtual, so
 * real I/O started under it completes in real time.
 *
 * @example Testing a retry loop with a Timeout, in no real time
 * ```ts
 * import { sleep, spawn, withTimeout } from "@evy/evy";
 * import { useHub, VirtualHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = new VirtualHub();
 * using _ = useHub(hub);
 * let tries = 0;
 * const gt = spawn(() =>
 *   withTimeout(10_000, async () => {
 *     for (;;) {
 *       tries++;
 *       await sleep(3_000); // back off, try again
 *     }
 *   }, { timeoutValue: "gave up" })
 * );
 * await hub.runUntilIdle();
 * assert.equal(await gt.wait(), "gave up");
 * assert.equal(tries, 4);
 * assert.equal(hub.now(), 10_000);
 * ```
 *
 * @module
 */
import { setImmediate as realSetImmediate } from "node:timers";
import { BaseHub } from "./base_hub.ts";
import type { HubHost } from "./hub.ts";

/** Options for {@linkcode VirtualHub}. */
export interface VirtualHubOptions {
  /** The clock's starting value, in ms. @default 0 */
  start?: number;
  /** Where diagnostics go. @default `console.error` */
  writeError?: (line: string) => void;
}

function flushEventLoop(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * A hub whose clock advances only through `tick()` and `runUntilIdle()`.
 *
 * @example
 * ```ts
 * import { useHub, VirtualHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = new VirtualHub();
 * using _ = useHub(hub);
 * const fired: number[] = [];
 * hub.scheduleCallGlobal(500, () => fired.push(hub.now()));
 * await hub.tick(499);
 * assert.deepEqual(fired, []);
 * await hub.tick(1);
 * assert.deepEqual(fired, [500]);
 * ```
 */
export class VirtualHub extends BaseHub {
  #clock: { now: number };

  /** Creates a virtual hub whose clock starts at `options.start` (0). */
  constructor(options: VirtualHubOptions = {}) {
    const clock = { now: options.start ?? 0 };
    const writeError = options.writeError ?? ((line: string) => console.error(line));
    const host: HubHost = {
      name: "virtual",
      now: () => clock.now,
      setWakeup: () => () => {},
      queueMacrotask: (cb) => realSetImmediate(cb),
      onSignal: () => () => {},
      writeError,
    };
    super(host);
    this.#clock = clock;
  }

  /** The number of timers still scheduled. */
  get pendingTimers(): number {
    return this.listTimers().length;
  }

  /**
   * Advances the clock by `ms`, firing every timer that falls due on the way in
   * deadline order, and letting the threads they wake run before the next one.
   */
  async tick(ms = 0): Promise<void> {
    if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`Cannot tick: ms must be a finite number >= 0, got ${String(ms)}`);
    }
    const end = this.#clock.now + ms;
    await this.#settle();
    while (this.nextDeadline <= end) {
      this.#clock.now = Math.max(this.#clock.now, this.nextDeadline);
      this.turn();
      await this.#settle();
    }
    this.#clock.now = end;
    this.turn();
    await this.#settle();
  }

  /**
   * Runs until no timer is left and no thread is ready, jumping the clock from
   * deadline to deadline. Throws a `RangeError` after `maxSteps` timer firings
   * (an endless `setInterval`, say).
   */
  async runUntilIdle(maxSteps = 100_000): Promise<void> {
    await this.#settle();
    for (let steps = 0; this.nextDeadline < Infinity; steps++) {
      if (steps >= maxSteps) {
        throw new RangeError(`Cannot run until idle: timers still pending after ${maxSteps} steps`);
      }
      this.#clock.now = Math.max(this.#clock.now, this.nextDeadline);
      this.turn();
      await this.#settle();
    }
  }

  // Lets microtasks and ready callbacks run until the ready queue stays empty.
  async #settle(): Promise<void> {
    for (let quiet = 0; quiet < 2;) {
      await flushEventLoop();
      quiet = this.hasReady ? 0 : quiet + 1;
    }
  }
}
