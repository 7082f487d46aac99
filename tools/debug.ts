/**
 * Seeing inside a running process (Eventlet's `debug` module): what every
 * green thread waits for, what is on the hub's timer heap, a trace of green
 * switches, and a blocking detector that is safe in production.
 *
 * Differences from Eventlet: names are camelCase, durations are in ms, the
 * listings name each wait's thread, and the blocking detector is a watchdog
 * thread that only reports — Eventlet's raises `SIGALRM` into the blocking
 * code, so its docs warn never to use it in production. `tpoolExceptions` is
 * `@evy/evy/green/tpool`'s, re-exported here as Eventlet's debug module has it.
 *
 * @example What is everyone waiting for?
 * ```ts
 * import { Queue, sleep, spawn } from "@evy/evy";
 * import { formatHubListeners, formatHubTimers } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * const jobs = new Queue<string>();
 * const worker = spawn(async function worker() {
 *   return await jobs.get();
 * });
 * const napper = spawn(async function napper() {
 *   await sleep(60_000);
 * });
 * await sleep(0);
 * assert.match(formatHubListeners(), /worker: Queue\.get\(\)/);
 * assert.match(formatHubTimers(), /napper: sleep\(60000\), due in \d+ ms/);
 * jobs.put("done");
 * assert.equal(await worker.wait(), "done");
 * await napper.kill();
 * ```
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import { checkOn } from "./_checks.ts";
import { formatTimers, formatWaits } from "./_listings.ts";

export { spew, type SpewWriter } from "./spew.ts";
export { type BlockingDetectionOptions, type BlockReport, hubBlockingDetection } from "./blocking_detection.ts";
export { tpoolExceptions } from "../green/tpool.ts";

/**
 * Turns evy's debug-level log on or off: lines about things it handled
 * quietly, such as a connection that died before a green listener accepted it
 * (`evy debug: accept(127.0.0.1:8080): skipped a connection …`). `true` writes
 * them to stderr, a function receives them, `false` drops them (the default,
 * unless `EVY_DEBUG=1` is in the environment).
 *
 * @param on `true`, `false`, or where the lines go.
 * @throws {TypeError} When `on` is neither a boolean nor a function.
 *
 * @example Collect the debug lines
 * ```ts
 * import { hubDebugLog } from "@evy/evy/tools/debug";
 * import { getHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * hubDebugLog((line) => lines.push(line));
 * getHub().debug("hello");
 * hubDebugLog(false);
 * getHub().debug("dropped");
 * assert.deepEqual(lines, ["evy debug: hello"]);
 * ```
 */
export function hubDebugLog(on: boolean | ((line: string) => void)): void {
  const hub = getHub();
  if (typeof on === "function") hub.debugLog = on;
  else if (typeof on === "boolean") hub.debugLog = on ? (line) => hub.host.writeError(line) : undefined;
  else throw new TypeError(`hubDebugLog: on must be a boolean or a function, got ${typeof on}`);
}

/**
 * Every green wait now pending on the current hub, oldest first: one line each
 * with the waiting thread's name, what it waits for (`recv(127.0.0.1:5432)`,
 * `sleep(50)`, `Queue.get()`) and for how long, and below it the stack where
 * the wait began when {@linkcode hubListenerStacks} is on.
 *
 * @returns The listing; `"no green waits"` when there are none.
 *
 * @example A thread blocked in `recv`
 * ```ts
 * import { spawn, sleep } from "@evy/evy";
 * import { connect, listen } from "@evy/evy/green/net";
 * import { formatHubListeners } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * await using client = await connect(server.addr);
 * await using peer = await server.accept();
 * const reader = spawn(async function reader() {
 *   return await client.recv();
 * });
 * await sleep(0);
 * assert.match(formatHubListeners(), /reader: recv\(127\.0\.0\.1:\d+\), waiting \d+ ms/);
 * await peer.sendall("hi");
 * assert.equal(new TextDecoder().decode(await reader.wait()), "hi");
 * ```
 */
export function formatHubListeners(): string {
  const hub = getHub();
  return formatWaits(hub.listWaits(), hub.now());
}

/**
 * Every timer on the current hub's heap, soonest first: one line each with
 * the thread it belongs to (`-` when not known), its description and when it
 * is due, and below it the stack where it was scheduled when
 * {@linkcode hubTimerStacks} is on (which also names the scheduling thread of
 * every timer).
 *
 * @returns The listing; `"no hub timers"` when there are none.
 *
 * @example A sleeping thread's timer
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import { formatHubTimers } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(async function sleeper() {
 *   await sleep(5_000);
 * });
 * await sleep(0);
 * assert.match(formatHubTimers(), /sleeper: sleep\(5000\), due in \d+ ms/);
 * await gt.kill();
 * ```
 */
export function formatHubTimers(): string {
  const hub = getHub();
  return formatTimers(hub.listTimers(), hub.now());
}

// The limit in force before a stacks switch raised it, while one is on.
let savedStackLimit: number | undefined;

/** Raises `Error.stackTraceLimit` while stacks are recorded, so the caller's frames survive evy's own. */
function deepStacks(on: boolean): void {
  if (on && savedStackLimit === undefined) {
    savedStackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = Math.max(savedStackLimit, 50);
  } else if (!on && savedStackLimit !== undefined) {
    Error.stackTraceLimit = savedStackLimit;
    savedStackLimit = undefined;
  }
}

/**
 * Turns on or off the recording of the stack where each green wait begins,
 * shown by {@linkcode formatHubListeners} (the frames of the caller's code;
 * evy's own and the runtime's are left out). Costs a stack capture per wait;
 * while this or {@linkcode hubTimerStacks} is on, `Error.stackTraceLimit` is
 * raised to at least 50 so that the caller's frames are kept, and put back
 * when both are off.
 *
 * @param on `true` to record stacks of waits begun from now on.
 * @throws {TypeError} When `on` is not a boolean.
 *
 * @example
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import { formatHubListeners, hubListenerStacks } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * hubListenerStacks(true);
 * const gt = spawn(() => sleep(5_000));
 * await sleep(0);
 * hubListenerStacks(false);
 * assert.match(formatHubListeners(), /sleep\(5000\).*\n\s+at /);
 * await gt.kill();
 * ```
 */
export function hubListenerStacks(on: boolean): void {
  checkOn(on, "hubListenerStacks");
  const hub = getHub();
  hub.waitStacks = on;
  deepStacks(hub.waitStacks || hub.timerStacks);
}

/**
 * Turns on or off the recording of where each hub timer is scheduled, and by
 * which thread, shown by {@linkcode formatHubTimers}. Costs a stack capture
 * per timer (and raises `Error.stackTraceLimit` as {@linkcode hubListenerStacks} does).
 *
 * @param on `true` to record timers scheduled from now on.
 * @throws {TypeError} When `on` is not a boolean.
 *
 * @example
 * ```ts
 * import { getHub } from "@evy/evy/hubs";
 * import { formatHubTimers, hubTimerStacks } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * hubTimerStacks(true);
 * const timer = getHub().scheduleCallGlobal(5_000, () => {}, "reminder");
 * hubTimerStacks(false);
 * assert.match(formatHubTimers(), /main: reminder, due in \d+ ms\n\s+at /);
 * timer.cancel();
 * ```
 */
export function hubTimerStacks(on: boolean): void {
  checkOn(on, "hubTimerStacks");
  const hub = getHub();
  hub.timerStacks = on;
  deepStacks(hub.waitStacks || hub.timerStacks);
}

const silenced = new WeakMap<object, Disposable>();

/**
 * Turns on (the default) or off the hub's printing of errors nobody waits
 * for: failed `spawnN` threads, throwing timer and link callbacks. Off, they
 * are dropped; on again, the reporter that was in place comes back.
 *
 * @param on `false` to drop those errors; `true` to print them again.
 * @default true
 * @throws {TypeError} When `on` is not a boolean.
 *
 * @example
 * ```ts
 * import { getHub } from "@evy/evy/hubs";
 * import { sleep, spawnN } from "@evy/evy";
 * import { hubExceptions } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * const seen: unknown[] = [];
 * using _ = getHub().setErrorReporter((report) => seen.push(report.error));
 * hubExceptions(false);
 * spawnN(() => Promise.reject(new Error("quiet")));
 * await sleep(0);
 * hubExceptions(true);
 * spawnN(() => Promise.reject(new Error("loud")));
 * await sleep(0);
 * assert.deepEqual(seen.map((e) => (e as Error).message), ["loud"]);
 * ```
 */
export function hubExceptions(on = true): void {
  checkOn(on, "hubExceptions");
  const hub = getHub();
  const quiet = silenced.get(hub);
  if (on && quiet !== undefined) {
    silenced.delete(hub);
    quiet[Symbol.dispose]();
  } else if (!on && quiet === undefined) {
    silenced.set(hub, hub.setErrorReporter(() => {}));
  }
}
