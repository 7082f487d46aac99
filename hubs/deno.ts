/**
 * The Deno host: `performance.now()` for the clock, one `setTimeout` as the
 * wake-up (unref'd with `Deno.unrefTimer`), `setImmediate` for hub turns (a
 * macrotask that lets I/O callbacks run and does not suffer the clamping of
 * nested `setTimeout(0)`), and `Deno.addSignalListener` for signals.
 *
 * @example
 * ```ts
 * import { createDenoHost, isAvailable } from "@evy/evy/hubs/deno";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isAvailable(), true);
 * assert.equal(createDenoHost().name, "deno");
 * ```
 *
 * @module
 */
import { setImmediate as nodeSetImmediate } from "node:timers";
import type { HubHost } from "./hub.ts";

// Captured at load, so that patching the globals later never loops back here.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetImmediate = nodeSetImmediate;

/** Whether this runtime is Deno. */
export function isAvailable(): boolean {
  // deno-lint-ignore no-explicit-any
  return typeof (globalThis as any).Deno?.version?.deno === "string";
}

/** Creates the Deno {@linkcode HubHost}. */
export function createDenoHost(): HubHost {
  return {
    name: "deno",
    now: () => performance.now(),
    setWakeup(ms, cb, ref) {
      const id = realSetTimeout(cb, ms);
      if (!ref) Deno.unrefTimer(id);
      return () => realClearTimeout(id);
    },
    queueMacrotask(cb) {
      realSetImmediate(cb);
    },
    onSignal(signal, cb) {
      Deno.addSignalListener(signal as Deno.Signal, cb);
      return () => Deno.removeSignalListener(signal as Deno.Signal, cb);
    },
    writeError(line) {
      console.error(line);
    },
  };
}
