/**
 * The text of `tools/debug`'s listings: one line per green wait or hub timer,
 * with the stack where it was created indented below when one was recorded.
 *
 * @module
 */
import type { HubTimer, WaitInfo } from "../hubs/hub.ts";
import { userFrames } from "./_frames.ts";

/** A recorded stack's frames in the caller's code, indented under its line. */
function indentStack(stack: string | undefined): string {
  const frames = userFrames(stack).map((line) => `    ${line}`);
  return frames.length === 0 ? "" : `\n${frames.join("\n")}`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** Lists `waits` as `formatHubListeners()` prints them, `now` being the hub's clock. */
export function formatWaits(waits: readonly WaitInfo[], now: number): string {
  if (waits.length === 0) return "no green waits";
  const lines = waits.map((w) =>
    `  ${w.threadName}: ${w.description}, waiting ${Math.max(0, Math.round(now - w.since))} ms${indentStack(w.stack)}`
  );
  return `${plural(waits.length, "green wait")}:\n${lines.join("\n")}`;
}

/** Lists `timers` as `formatHubTimers()` prints them, `now` being the hub's clock. */
export function formatTimers(timers: readonly HubTimer[], now: number): string {
  if (timers.length === 0) return "no hub timers";
  const lines = timers.map((t) =>
    `  ${t.threadName ?? "-"}: ${t.description}, due in ${Math.max(0, Math.round(t.deadline - now))} ms${
      indentStack(t.stack)
    }`
  );
  return `${plural(timers.length, "hub timer")}:\n${lines.join("\n")}`;
}
