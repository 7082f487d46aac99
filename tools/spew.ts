/**
 * `spew`: a trace of green switches (exported by `@evy/evy/tools/debug`).
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import type { WaitInfo } from "../hubs/hub.ts";
import { setSettleHook, threadStorage } from "../core/internal.ts";

/** Where {@linkcode spew} writes: a function given one line at a time. */
export type SpewWriter = (line: string) => void;

function describeSwitch(wait: WaitInfo, rejected: boolean, error: unknown): string {
  const waker = threadStorage.getStore()?.name;
  const how = rejected ? ` with ${error instanceof Error ? error.name : String(error)}` : "";
  return `spew: ${wait.threadName} resumes from ${wait.description}${how}${waker ? ` (woken by ${waker})` : ""}`;
}

/**
 * Traces green switches: one line each time a green wait ends and its thread
 * resumes, saying which thread, from which wait, whether it was rejected, and
 * which green thread woke it (nothing is said when the main thread, a timer or
 * I/O did). Eventlet's `spew` traces
 * every Python line; a trace of switches is what shows the green schedule.
 *
 * @param on `true` for stderr, a function to receive the lines, `false` to stop.
 * @throws {TypeError} When `on` is neither a boolean nor a function.
 *
 * @example Two threads ping-ponging
 * ```ts
 * import { Queue, spawn } from "@evy/evy";
 * import { spew } from "@evy/evy/tools/debug";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const toPong = new Queue<number>();
 * const toPing = new Queue<number>();
 * spew((line) => lines.push(line));
 * const pong = spawn(async function pong() {
 *   for (let i = 0; i < 2; i++) toPing.putNowait((await toPong.get()) + 1);
 * });
 * const ping = spawn(async function ping() {
 *   let n = 0;
 *   for (let i = 0; i < 2; i++) {
 *     toPong.putNowait(n);
 *     n = await toPing.get();
 *   }
 *   return n;
 * });
 * assert.equal(await ping.wait(), 2);
 * await pong.wait();
 * spew(false);
 * assert.deepEqual(lines.slice(0, 2), [
 *   "spew: pong resumes from Queue.get() (woken by ping)",
 *   "spew: ping resumes from Queue.get() (woken by pong)",
 * ]);
 * ```
 */
export function spew(on: boolean | SpewWriter): void {
  if (typeof on !== "boolean" && typeof on !== "function") {
    throw new TypeError(`spew: on must be a boolean or a function, got ${typeof on}`);
  }
  if (on === false) {
    setSettleHook(undefined);
    return;
  }
  const hub = getHub();
  const write: SpewWriter = on === true ? (line) => hub.host.writeError(line) : on;
  setSettleHook((wait, rejected, error) => {
    try {
      write(describeSwitch(wait, rejected, error));
    } catch (writeError) {
      setSettleHook(undefined); // a failing writer must not break every wait
      hub.reportError({ error: writeError, context: "spew writer", spawnStack: undefined });
    }
  });
}
