/**
 * One request's green thread: run the handler (under the request timeout),
 * hand the response to the engine, feed a streamed body, run after-response
 * work (websocket sessions), wait until the response is fully sent, then run
 * the posthooks and write the access-log line. Internal to `web/server.ts`.
 *
 * @module
 */
import { getCurrent, GreenletExit, type GreenThread } from "../core/green_thread.ts";
import { getHub } from "../hubs/mod.ts";
import { interruptible } from "../core/suspend.ts";
import { Timeout } from "../core/timeout.ts";
import type { LogEntry } from "./access_log.ts";
import { RequestInfo } from "./_request_info.ts";
import { isUpgradeResponse } from "./_upgrade_registry.ts";
import { DrivenBody, limitBody, PayloadTooLargeError } from "./_body.ts";
import type { BackendConn, ServerBackend } from "./_server_backend.ts";
import type { Handler, RequestDone } from "./serve_options.ts";

/** How long a handler runs before the engine is asked to report a disconnect. */
const WATCH_AFTER_MS = 20;

/** The server state a request thread needs. */
export interface RequestHost {
  readonly handler: Handler;
  readonly backend: ServerBackend;
  readonly requestTimeoutMs: number | undefined;
  readonly maxBodyBytes: number | undefined;
  readonly onError: ((error: unknown, req: Request) => Response | void | Promise<Response | void>) | undefined;
  readonly inflight: Set<GreenThread>;
  /** `false` when the access log is off (entries are then only built for posthooks). */
  readonly logs: boolean;
  logRequest(entry: LogEntry): void;
  logError(context: string, error: unknown): void;
}

/**
 * Kills `thread` with `ClientGone`. Engine callbacks may run in the thread's
 * async context (Deno sets up `req.signal` lazily, from inside it), where a
 * kill would count as the thread killing itself: go through the hub then.
 */
function killGone(thread: GreenThread): void {
  if (thread.dead) return;
  if (getCurrent() === thread) getHub().schedule(() => void thread.kill(new ClientGone()));
  else void thread.kill(new ClientGone());
}

/** Why a request's thread was killed: the client left, or the server stopped waiting for it. */
export class ClientGone extends GreenletExit {
  constructor() {
    super("client went away");
  }
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

function plain(status: number, text: string): Response {
  return new Response(text + "\r\n", { status, headers: TEXT });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Runs the handler under the request timeout. `watch` is called when the
 * handler goes async: only then can the client leave before the response
 * (and watching costs Deno a `req.signal`). Not async itself, so a handler
 * answering at once costs no extra promise.
 */
function callHandler(
  host: RequestHost,
  req: Request,
  info: RequestInfo,
  watch: () => void,
): Response | Promise<Response> {
  if (host.requestTimeoutMs !== undefined) return callWithTimeout(host, host.requestTimeoutMs, req, info, watch);
  const result = host.handler(req, info);
  if (isThenable(result)) watch();
  return result;
}

async function callWithTimeout(
  host: RequestHost,
  ms: number,
  req: Request,
  info: RequestInfo,
  watch: () => void,
): Promise<Response> {
  const timeout = new Timeout(ms);
  try {
    const result = host.handler(req, info);
    if (!isThenable(result)) return result;
    watch();
    // A green wait on the handler's promise, so the 503 goes out on time even
    // while the handler awaits a plain promise.
    return await interruptible(result, `handler(${req.method} ${info.path})`);
  } catch (error) {
    if (error === timeout) return plain(503, "Service Unavailable: request timed out");
    throw error;
  } finally {
    timeout.cancel();
  }
}

async function errorResponse(host: RequestHost, req: Request, path: string, error: unknown): Promise<Response> {
  if (error instanceof PayloadTooLargeError) return plain(413, "Payload Too Large");
  host.logError(`handler for ${req.method} ${path}`, error);
  if (host.onError !== undefined) {
    try {
      const custom = await host.onError(error, req);
      if (custom instanceof Response) return custom;
    } catch (onErrorError) {
      host.logError("onError", onErrorError);
    }
  }
  return plain(500, "Internal Server Error");
}

/**
 * The body of a request thread (see the module doc). `respond` settles the
 * engine's promise; it is called exactly once.
 */
export async function runRequest(
  host: RequestHost,
  req: Request,
  conn: BackendConn,
  respond: (res: Response) => void,
  arrivalMs: number,
  arrivalTime: number,
): Promise<void> {
  const thread = getCurrent();
  host.inflight.add(thread);
  const info = new RequestInfo(conn, req.url, thread);
  let responded = false;
  let gone = false;
  let status = 0;
  let bodyLength = 0;
  let unwatch = (): void => {};
  const watch = (): void => {
    // Only a handler still running after WATCH_AFTER_MS is watched: on Deno,
    // watching (req.signal) halves the server's throughput, and a disconnect
    // that came earlier is still reported once watching starts.
    const timer = getHub().scheduleCallGlobal(WATCH_AFTER_MS, () => {
      if (responded) return;
      unwatch = conn.onDisconnect(() => {
        if (responded || gone || info.upgrading) return;
        gone = true;
        killGone(thread);
      });
    }, "serve: watch for a disconnect");
    unwatch = () => timer.cancel();
  };
  try {
    let res: Response;
    try {
      const max = host.maxBodyBytes;
      if (max !== undefined && req.body !== null) {
        const declared = Number(req.headers.get("content-length") ?? NaN);
        if (declared > max) throw new PayloadTooLargeError(max);
        if (!(declared >= 0)) req = new Request(req, { body: limitBody(req.body, max), duplex: "half" } as RequestInit);
      }
      const result = callHandler(host, req, info, watch);
      res = result instanceof Response ? result : await result;
      if (!(res instanceof Response)) {
        throw new TypeError(`serve: the handler must return a Response, got ${res === null ? "null" : typeof res}`);
      }
    } catch (error) {
      res = gone
        ? plain(499, "Client Closed Request")
        : error instanceof GreenletExit
        ? plain(503, "Service Unavailable")
        : await errorResponse(host, req, info.path, error);
    }
    unwatch();
    responded = true;
    status = gone ? 499 : isUpgradeResponse(res) ? 101 : res.status;
    if (host.logs || info.hooks !== undefined) void info.remoteAddr; // Deno's is gone once answered
    const length = host.backend.staticBodyLength(res);
    if (length === undefined && res.body !== null) {
      const driven = new DrivenBody(() => killGone(thread));
      respond(new Response(driven.stream, { status: res.status, statusText: res.statusText, headers: res.headers }));
      try {
        await driven.pump(res.body);
      } finally {
        bodyLength = driven.bytes;
      }
    } else {
      respond(res);
      bodyLength = length ?? 0;
    }
    if (info.after !== undefined) { for (const fn of info.after) await fn(); }
    // A static body is sent once the engine has it (one write), unless a
    // posthook wants to run after the bytes went out: then wait for that.
    if (length === undefined || info.hooks !== undefined) await interruptible(conn.completed, "send response");
  } catch (error) {
    if (!responded) {
      responded = true;
      respond(plain(500, "Internal Server Error"));
    }
    if (!(error instanceof GreenletExit)) host.logError(`request ${req.method} ${info.path}`, error);
    else gone ||= error instanceof ClientGone;
  } finally {
    unwatch();
    host.inflight.delete(thread);
    const hooks = info.hooks;
    if (host.logs || (hooks !== undefined && hooks.length > 0)) {
      const path = info.path;
      const done: RequestDone = {
        clientIp: conn.remoteAddr.hostname || "-",
        date: new Date(arrivalTime),
        requestLine: `${req.method} ${path} ${conn.httpVersion}`,
        method: req.method,
        path,
        status,
        bodyLength,
        wallSeconds: (performance.now() - arrivalMs) / 1000,
        request: req,
        disconnected: gone,
      };
      if (hooks !== undefined) {
        for (const hook of hooks) {
          try {
            await hook(done);
          } catch (error) {
            host.logError("posthook", error);
          }
        }
      }
      host.logRequest(done);
    }
  }
}
