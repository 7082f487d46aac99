/**
 * The blocking detector behind `tools/debug`'s `hubBlockingDetection`: a
 * watchdog thread (`_watchdog_node.ts`) and the main thread's side of their
 * shared heartbeat. One detector per process, as in Eventlet.
 *
 * The main thread bumps the heartbeat whenever it gets the loop back: each
 * time a green thread begins a green wait or exits (core's yield hook), and
 * from an unref'd hub timer every `resolutionMs / 2`, which proves an idle
 * loop free. When the watchdog has seen no beat for `resolutionMs` it raises a
 * flag; the next beat finds it, and the thread beating then — the one that
 * just gave the loop back — is the one that held it. Nothing is interrupted:
 * the cost on the main thread is two reads and a write of shared memory per
 * green wait (measured on the shared spawn and HTTP benchmarks: see README).
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import type { Hub, HubTimer } from "../hubs/hub.ts";
import { setYieldHook, type ThreadCore } from "../core/internal.ts";
import { userFrame } from "./_frames.ts";
import { startWatchdog, type Watchdog, WATCHDOG_SLOTS } from "./_watchdog_node.ts";

const { BEAT, FLAG } = WATCHDOG_SLOTS;

/** What the blocking detector reports about one block of the event loop. */
export interface BlockReport {
  /** The green thread that held the loop (`main` at top level; `(no green thread)` for other callbacks). */
  readonly threadName: string;
  /** How long the loop was held, in ms (to the watchdog's poll, a quarter of `resolutionMs` up to 50 ms). */
  readonly durationMs: number;
  /**
   * Where that thread was spawned (its first frame outside evy), when spawn
   * stacks are on (`spawnStacks: true`); `undefined` otherwise.
   */
  readonly spawnSite: string | undefined;
  /** Where the thread's code gave the loop back (its first frame outside evy), when known. */
  readonly yieldSite: string | undefined;
}

/** Options of `hubBlockingDetection`. */
export interface BlockingDetectionOptions {
  /** How long the loop must be held to count as blocked, in ms. @default 100 */
  resolutionMs?: number;
  /** Receives each report, on a later hub turn. @default one line on stderr */
  onBlock?: (report: BlockReport) => void;
  /**
   * Record every thread's spawn site while the detector is on, so reports
   * carry `spawnSite`. Costs a stack capture per spawn (microseconds): off in
   * production. @default false
   */
  spawnStacks?: boolean;
}

/** Formats a report as the default `onBlock` prints it. */
export function formatBlockReport(report: BlockReport): string {
  const where = [
    report.spawnSite === undefined ? undefined : `spawned at ${report.spawnSite}`,
    report.yieldSite === undefined ? undefined : `yielded at ${report.yieldSite}`,
  ].filter((part) => part !== undefined);
  return `evy: green thread ${report.threadName} blocked the event loop for ${report.durationMs} ms` +
    (where.length > 0 ? ` (${where.join("; ")})` : "");
}

interface Running {
  readonly hub: Hub;
  readonly watchdog: Watchdog;
  readonly onBlock: (report: BlockReport) => void;
  readonly previousSpawnStacks: boolean;
  readonly tickMs: number;
  ticker: HubTimer | undefined;
}

let i32: Int32Array | undefined;
let since: Float64Array | undefined;
let running: Running | undefined;

function beat(owner: { readonly name: string } | undefined): void {
  const shared = i32!;
  if (shared[FLAG] !== 0) blocked(owner);
  shared[BEAT] = (shared[BEAT]! + 1) | 0;
}

function blocked(owner: { readonly name: string } | undefined): void {
  Atomics.store(i32!, FLAG, 0);
  const state = running;
  if (state === undefined) return;
  const report: BlockReport = {
    threadName: owner?.name ?? "(no green thread)",
    durationMs: Math.max(0, Math.round(performance.timeOrigin + performance.now() - since![0]!)),
    spawnSite: userFrame((owner as ThreadCore | undefined)?.spawnStack),
    yieldSite: owner === undefined ? undefined : userFrame(new Error("yield").stack),
  };
  // Delivered on a hub turn, not inside the wait that noticed it.
  state.hub.schedule(() => {
    try {
      state.onBlock(report);
    } catch (error) {
      state.hub.reportError({ error, context: "onBlock of hubBlockingDetection", spawnStack: undefined });
    }
  });
}

function tick(): void {
  const state = running;
  if (state === undefined) return;
  beat(undefined);
  state.ticker = state.hub.scheduleCallGlobal(state.tickMs, tick, "blocking detector heartbeat").unref();
}

/** Starts the detector (stopping a running one first); resolves once the watchdog watches. */
export async function startDetector(
  resolutionMs: number,
  onBlock: (report: BlockReport) => void,
  spawnStacks: boolean,
): Promise<void> {
  await stopDetector();
  const buffer = new SharedArrayBuffer(WATCHDOG_SLOTS.BYTES);
  i32 = new Int32Array(buffer, 0, 4);
  since = new Float64Array(buffer, WATCHDOG_SLOTS.SINCE_OFFSET, 1);
  const hub = getHub();
  const watchdog = startWatchdog(buffer, resolutionMs);
  const state: Running = {
    hub,
    watchdog,
    onBlock,
    previousSpawnStacks: hub.spawnStacks,
    tickMs: Math.max(1, resolutionMs / 2),
    ticker: undefined,
  };
  running = state;
  if (spawnStacks) hub.spawnStacks = true;
  setYieldHook(beat);
  tick();
  try {
    await watchdog.ready;
  } catch (error) {
    await stopDetector();
    throw error;
  }
}

/** Stops the detector, if one runs; resolves once the watchdog thread has exited. */
export async function stopDetector(): Promise<void> {
  const state = running;
  if (state === undefined) return;
  running = undefined;
  setYieldHook(undefined);
  state.ticker?.cancel();
  state.hub.spawnStacks = state.previousSpawnStacks;
  await state.watchdog.stop();
}

/** Whether the detector is on. */
export function detectorRunning(): boolean {
  return running !== undefined;
}
