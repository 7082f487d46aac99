/**
 * How the engine's requests reach the pool: {@linkcode dispatcher} starts
 * each request's thread at once when a slot is free; otherwise the wait for a
 * slot runs in a thread of the server's own ({@linkcode queueForSlot}).
 * Internal to `web/server.ts`.
 *
 * @module
 */
import type { GreenPool } from "../core/green_pool.ts";
import { getCurrent, type GreenThread, spawnN } from "../core/green_thread.ts";
import { type RequestHost, runRequest } from "./_request.ts";
import type { BackendConn, Dispatch } from "./_server_backend.ts";

const SERVICE_UNAVAILABLE = "Service Unavailable\r\n";

/**
 * Waits for a pool slot in a thread of the server's own, then runs the
 * request: the engine calls in as the main thread, whose Timeouts and kills
 * must not turn queued requests into 503s. Shutdown kills it at `drainMs`.
 */
export async function queueForSlot(
  pool: GreenPool,
  queued: Set<GreenThread>,
  host: RequestHost,
  req: Request,
  conn: BackendConn,
  respond: (res: Response) => void,
  arrivalMs: number,
  arrivalTime: number,
): Promise<void> {
  const self = getCurrent();
  queued.add(self);
  try {
    await pool.spawnN(runRequest, host, req, conn, respond, arrivalMs, arrivalTime);
  } catch {
    respond(new Response(SERVICE_UNAVAILABLE, { status: 503 }));
  } finally {
    queued.delete(self);
  }
}

/** The engine's callback: each request into a pool thread, at once or after queueing for a slot. */
export function dispatcher(pool: GreenPool, queued: Set<GreenThread>, host: RequestHost): Dispatch {
  return (req: Request, conn: BackendConn): Promise<Response> => {
    // Only a log line needs it up front (a posthook takes its own: RequestInfo.posthooks); it costs an op on Deno.
    const arrivalMs = host.logs ? performance.now() : NaN;
    const arrivalTime = Date.now();
    return new Promise<Response>((resolve) => {
      // With a free slot spawnN starts the thread at once and cannot fail.
      if (pool.free() > 0 && pool.waiting() === 0) {
        return void pool.spawnN(runRequest, host, req, conn, resolve, arrivalMs, arrivalTime);
      }
      spawnN(queueForSlot, pool, queued, host, req, conn, resolve, arrivalMs, arrivalTime);
    });
  };
}
