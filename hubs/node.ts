/**
 * The Node host: `performance.now()` for the clock, one `node:timers`
 * `setTimeout` as the wake-up (unref'd with `.unref()`), `setImmediate` for hub
 * turns, and `process.on` for signals.
 *
 * @example
 * ```ts
 * import { createNodeHost } from "@evy/evy/hubs/node";
 * import assert from "node:assert/strict";
 *
 * assert.equal(createNodeHost().name, "node");
 * ```
 *
 * @module
 */
import process from "node:process";
import { clearTimeout, setImmediate, setTimeout } from "node:timers";
import type { HubHost } from "./hub.ts";

/** Whether this runtime offers Node's APIs (Node itself, Bun, or Deno's compatibility layer). */
export function isAvailable(): boolean {
  return typeof process?.versions?.node === "string";
}

/** Creates the Node {@linkcode HubHost}. */
export function createNodeHost(): HubHost {
  return {
    name: "node",
    now: () => performance.now(),
    setWakeup(ms, cb, ref) {
      const timer = setTimeout(cb, ms);
      if (!ref) timer.unref();
      return () => clearTimeout(timer);
    },
    queueMacrotask(cb) {
      setImmediate(cb);
    },
    onSignal(signal, cb) {
      process.on(signal, cb);
      return () => void process.off(signal, cb);
    },
    writeError(line) {
      process.stderr.write(line + "\n");
    },
  };
}
