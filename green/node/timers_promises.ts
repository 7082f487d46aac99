/**
 * Drop-in for `node:timers/promises`: `setTimeout`, `setImmediate`,
 * `setInterval` and `scheduler` as green waits on evy's hub (kill and Timeout
 * interrupt them, the hub lists them; `signal` works as in Node). The
 * import-map generator and the preload's module hooks substitute this module
 * for `node:timers/promises`, so an npm package awaiting
 * `setTimeout(ms)` from it becomes interruptible.
 *
 * @example
 * ```ts
 * import { Timeout } from "@evy/evy";
 * import { setTimeout } from "@evy/evy/green/node/timers-promises";
 * import assert from "node:assert/strict";
 *
 * using t = new Timeout(5);
 * await assert.rejects(setTimeout(60_000), (e) => e === t);
 * ```
 *
 * @module
 */
import { scheduler, setImmediate, setInterval, setTimeout } from "../timers_promises.ts";

export {
  AbortError,
  scheduler,
  setImmediate,
  setInterval,
  setTimeout,
  type TimerPromiseOptions,
} from "../timers_promises.ts";

/** The module as a default export, as `import timers from "node:timers/promises"` expects. */
const timersPromises: {
  setTimeout: typeof setTimeout;
  setImmediate: typeof setImmediate;
  setInterval: typeof setInterval;
  scheduler: typeof scheduler;
} = { setTimeout, setImmediate, setInterval, scheduler };
export default timersPromises;
