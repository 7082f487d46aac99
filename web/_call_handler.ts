/**
 * The one place the application's handler is called ({@linkcode callHandler}),
 * under the request timeout, and the check of what it returned. Internal to
 * `web/_request.ts`.
 *
 * @module
 */
import { interruptible } from "../core/suspend.ts";
import { Timeout } from "../core/timeout.ts";
import type { RequestHost } from "./_request.ts";
import type { RequestInfo } from "./_request_info.ts";

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** A plain-text response of evy's own (503, 500, 499, 413). */
export function plain(status: number, text: string): Response {
  return new Response(text + "\r\n", { status, headers: TEXT });
}

/** What is told when the handler goes async (`RequestRun`: it starts watching for a disconnect). */
export interface Watcher {
  watch(): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * The one place the application's handler is called: under the request
 * timeout when there is one. `watcher.watch()` is called when the handler goes async:
 * only then can the client leave before the response (and watching costs
 * Deno a `req.signal`). Not async itself, so a handler answering at once
 * costs no extra promise.
 */
export function callHandler(
  host: RequestHost,
  req: Request,
  info: RequestInfo,
  watcher: Watcher,
): Response | Promise<Response> {
  if (host.requestTimeoutMs !== undefined) return callWithTimeout(host, host.requestTimeoutMs, req, info, watcher);
  const result = host.handler(req, info);
  if (isThenable(result)) watcher.watch();
  return result;
}

async function callWithTimeout(
  host: RequestHost,
  ms: number,
  req: Request,
  info: RequestInfo,
  watcher: Watcher,
): Promise<Response> {
  const timeout = new Timeout(ms);
  try {
    // The wait begins before the handler runs, so a Timeout the handler makes
    // (and catches) is scoped inside it (DESIGN's Timeout scope); the
    // request's Timeout, made before, still rejects it, and the 503 goes out
    // on time even while the handler awaits a plain promise.
    return await interruptible(() => {
      const result = host.handler(req, info);
      if (isThenable(result)) watcher.watch();
      return result;
    }, `handler(${req.method} ${info.path})`);
  } catch (error) {
    if (error === timeout) return plain(503, "Service Unavailable: request timed out");
    throw error;
  } finally {
    timeout.cancel();
  }
}

/** Throws unless `res` is a Response the engine can send. */
export function checkResponse(res: unknown): asserts res is Response {
  if (!(res instanceof Response)) {
    throw new TypeError(`serve: the handler must return a Response, got ${res === null ? "null" : typeof res}`);
  }
  if (res.type === "error" || res.status === 0) throw new TypeError("serve: the handler returned Response.error()");
  if (res.bodyUsed) throw new TypeError("serve: the handler returned a Response whose body was already read");
}
