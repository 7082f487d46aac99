/**
 * {@linkcode killAside}: how `web/` kills a thread it does not wait for.
 * Internal.
 *
 * @module
 */
import type { GreenThread } from "../core/green_thread.ts";
import { getHub } from "../hubs/mod.ts";

/**
 * Kills `thread` with `error` on the hub's own turn, outside every thread's
 * context, and lets nobody wait for it. `kill()` returns a green wait of
 * whichever thread is current: called from an engine event (Deno fires a
 * request's abort inside another request's context) or from a timer, that
 * wait would belong to some other thread and reject, unhandled, when that
 * thread is killed or timed out. Here it is the main thread's, and handled.
 */
export function killAside(thread: GreenThread, error: unknown): void {
  if (thread.dead) return;
  getHub().schedule(() => {
    if (!thread.dead) thread.kill(error).catch(() => {});
  });
}
