/**
 * {@linkcode drain}: the body of `Server.shutdown()`'s own thread. Internal to
 * `web/server.ts`.
 *
 * @module
 */
import type { GreenPool } from "../core/green_pool.ts";
import { GreenletExit, type GreenThread } from "../core/green_thread.ts";
import { interruptible } from "../core/suspend.ts";
import { withTimeout } from "../core/timeout.ts";
import type { BackendServer } from "./_server_backend.ts";

/** After `drainMs`, how long killed requests get to send their 503 before every connection is closed. */
const KILL_GRACE_MS = 100;

/** What the drain works on. */
export interface DrainParts {
  readonly engine: BackendServer;
  readonly pool: GreenPool;
  /** Request threads running now. */
  readonly inflight: Set<GreenThread>;
  /** Threads waiting for a pool slot. */
  readonly queued: Set<GreenThread>;
}

/** Runs `fn` for at most `ms` (no limit when not finite); `true` if it finished in time. */
async function within(ms: number, fn: () => Promise<unknown>): Promise<boolean> {
  if (!Number.isFinite(ms)) {
    await fn();
    return true;
  }
  return await withTimeout(ms, async () => {
    await fn();
    return true;
  }, { timeoutValue: false });
}

/**
 * Stops accepting and lets in-flight requests finish; at `drainMs`, kills
 * those still running or queued (they answer 503), gives them and the
 * engine KILL_GRACE_MS to send it and close, then closes every connection left (a half-sent
 * request, a websocket whose peer does not answer) and waits for the engine
 * to close. Runs in its own thread, so its Timeouts are its own.
 */
export async function drain(parts: DrainParts, drainMs: number): Promise<void> {
  const { engine, pool } = parts;
  const stopped = engine.shutdown();
  const settled = async (): Promise<void> => {
    await interruptible(stopped, "serve shutdown: engine");
    await pool.waitall();
  };
  if (!await within(drainMs, settled)) {
    const exit = new GreenletExit("server shut down");
    const threads = [...parts.queued, ...parts.inflight];
    // The killed requests answer 503; let the engine write those and close (up to KILL_GRACE_MS) before forcing it.
    await within(KILL_GRACE_MS, async () => {
      await Promise.all(threads.map((thread) => thread.kill(exit)));
      await interruptible(stopped, "serve shutdown: engine");
    });
    engine.closeAll();
    await interruptible(stopped, "serve shutdown: engine");
  }
  await interruptible(engine.finished, "serve shutdown: close");
}
