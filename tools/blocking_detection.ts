/**
 * `hubBlockingDetection`: the production-safe blocking detector (exported by
 * `@evy/evy/tools/debug`; how it works is in `_blocking_detector.ts`).
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import { checkOn } from "./_checks.ts";
import {
  type BlockingDetectionOptions,
  type BlockReport,
  formatBlockReport,
  startDetector,
  stopDetector,
} from "./_blocking_detector.ts";

export type { BlockingDetectionOptions, BlockReport };

/**
 * Turns the blocking detector on or off. A watchdog thread watches a shared
 * heartbeat that the event loop bumps whenever it gets the loop back; when the
 * loop is held longer than `resolutionMs` by code that does not yield, the
 * detector reports which green thread held it, for how long and (with
 * `spawnStacks`) where it was spawned: `onBlock({ threadName, durationMs,
 * spawnSite, yieldSite })`, by default one line on stderr. It never interrupts
 * anything, so it is safe in production; the watchdog never keeps the process
 * alive and is gone once turned off.
 *
 * @param on `true` to start (or restart with new options), `false` to stop.
 * @param options `resolutionMs` (default 100), `onBlock`, `spawnStacks`.
 * @returns Resolves once the watchdog watches (on) or has exited (off).
 * @throws {TypeError} When `on` is not a boolean or `onBlock` not a function.
 * @throws {RangeError} When `resolutionMs` is not a number > 0.
 *
 * @example Catching a busy-wait
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import { type BlockReport, hubBlockingDetection } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * const reports: BlockReport[] = [];
 * await hubBlockingDetection(true, { resolutionMs: 50, onBlock: (r) => reports.push(r) });
 * await spawn(async function spinner() {
 *   const end = Date.now() + 200;
 *   while (Date.now() < end); // holds the loop
 *   await sleep(0);
 * }).wait();
 * await sleep(0);
 * await hubBlockingDetection(false);
 * assert.equal(reports[0]?.threadName, "spinner");
 * assert.ok(reports[0]!.durationMs >= 50);
 * ```
 */
export function hubBlockingDetection(on: boolean, options: BlockingDetectionOptions = {}): Promise<void> {
  checkOn(on, "hubBlockingDetection");
  if (!on) return stopDetector();
  const { resolutionMs = 100, onBlock, spawnStacks = false } = options;
  if (typeof resolutionMs !== "number" || !(resolutionMs > 0) || resolutionMs === Infinity) {
    throw new RangeError(`hubBlockingDetection: resolutionMs must be a number > 0, got ${String(resolutionMs)}`);
  }
  if (onBlock !== undefined && typeof onBlock !== "function") {
    throw new TypeError(`hubBlockingDetection: onBlock must be a function, got ${typeof onBlock}`);
  }
  const hub = getHub();
  const report = onBlock ?? ((r: BlockReport) => hub.host.writeError(formatBlockReport(r)));
  return startDetector(resolutionMs, report, spawnStacks === true);
}
