/**
 * One request's green thread, as a few named steps (see {@linkcode runRequest}):
 *
 * 1. **answer** — call the handler (the one place it is called:
 *    `callHandler` in `_call_handler.ts`) under the request timeout, and turn whatever
 *    it throws into a response (413, 499, 500, 503);
 * 2. **send** — hand the response to the engine, and feed a streamed body
 *    from this thread;
 * 3. **after** — run the after-response work (websocket sessions) and wait
 *    until the response is fully sent;
 * 4. **finish** — run the posthooks and write the access-log line.
 *
 * Its state is one {@linkcode Stage} plus whether the client went away.
 * Internal to `web/server.ts`.
 *
 * @module
 */
import { getCurrent, GreenletExit, type GreenThread } from "../core/green_thread.ts";
import { getHub } from "../hubs/mod.ts";
import { interruptible } from "../core/suspend.ts";
import type { LogEntry } from "./access_log.ts";
import { RequestInfo } from "./_request_info.ts";
import { isUpgradeResponse } from "./_upgrade_registry.ts";
import { DrivenBody, limitBody, PayloadTooLargeError } from "./_body.ts";
import type { BackendConn, ServerBackend } from "./_server_backend.ts";
import type { Handler, Posthook, RequestDone } from "./serve_options.ts";
import { killAside } from "./_kill_aside.ts";
import { callHandler, checkResponse, plain } from "./_call_handler.ts";
import { bodyUnused } from "./_static_body.ts";

/** How long a handler runs before the engine is asked to report a disconnect. */
const WATCH_AFTER_MS = 20;

/** The server state a request thread needs. */
export interface RequestHost {
  readonly handler: Handler;
  readonly backend: ServerBackend;
  readonly requestTimeoutMs: number | undefined;
  readonly maxBodyBytes: number | undefined;
  readonly trustProxy: boolean;
  /** `false`: `websocket()` answers upgrade requests 501. */
  readonly websockets: boolean;
  readonly onError: ((error: unknown, req: Request) => Response | void | Promise<Response | void>) | undefined;
  readonly inflight: Set<GreenThread>;
  /** `false` when the access log is off (entries are then only built for posthooks). */
  readonly logs: boolean;
  logRequest(entry: LogEntry): void;
  /** Reports an error of the server's own (a posthook, a failed send); silent with `log: false`. */
  logError(context: string, error: unknown): void;
}

const NOTHING = (): void => {};

/** Why a request's thread was killed: the client left, or the server stopped waiting for it. */
export class ClientGone extends GreenletExit {
  constructor() {
    super("client went away");
  }
}

/**
 * Where a request is: its handler is running; its response was handed to the
 * engine and its body is being sent; or it is done (sent, or abandoned).
 */
type Stage = "handling" | "sending" | "done";

/** One request's run; its steps are named in the module doc. */
class RequestRun {
  readonly #host: RequestHost;
  readonly #conn: BackendConn;
  readonly #respond: (res: Response) => void;
  readonly #thread: GreenThread;
  readonly info: RequestInfo;
  req: Request;
  #stage: Stage = "handling";
  /** The client went away before the response was fully sent. */
  #gone = false;
  #unwatch: () => void = NOTHING;
  /** What the access log reports. */
  status = 0;
  bodyLength = 0;

  constructor(
    host: RequestHost,
    req: Request,
    conn: BackendConn,
    respond: (res: Response) => void,
    thread: GreenThread,
  ) {
    this.#host = host;
    this.req = req;
    this.#conn = conn;
    this.#respond = respond;
    this.#thread = thread;
    this.info = new RequestInfo(conn, req, this.#thread, host.trustProxy, host.websockets);
  }

  get gone(): boolean {
    return this.#gone;
  }

  /**
   * Starts watching for a disconnect, once the handler has run for
   * WATCH_AFTER_MS: on Deno, watching (req.signal) halves the server's
   * throughput. A disconnect that came earlier is reported once watching
   * starts (the engines check for one when subscribing).
   */
  watch(): void {
    const timer = getHub().scheduleCallGlobal(WATCH_AFTER_MS, () => {
      if (this.#stage !== "handling") return;
      this.#unwatch = this.#conn.onDisconnect(() => {
        if (this.#stage === "handling" && !this.info.upgrading) this.#leave();
      });
    }, "serve: watch for a disconnect");
    this.#unwatch = () => timer.cancel();
  }

  /** The client left: the thread is killed (from outside it) and the request ends as a disconnect. */
  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    killAside(this.#thread, new ClientGone());
  }

  /** Step 1: the handler's response, or the one its failure calls for. */
  answer(): Response | Promise<Response> {
    try {
      this.#limitBody();
      const result = callHandler(this.#host, this.req, this.info, this);
      if (result instanceof Response && result.status !== 0 && bodyUnused(result)) return result;
      return this.#settle(result);
    } catch (error) {
      return this.#failure(error);
    }
  }

  async #settle(result: Response | Promise<Response>): Promise<Response> {
    try {
      const res = await result;
      checkResponse(res);
      return res;
    } catch (error) {
      return this.#failure(error);
    }
  }

  #limitBody(): void {
    const max = this.#host.maxBodyBytes;
    const req = this.req;
    if (max === undefined || req.body === null) return;
    const declared = Number(req.headers.get("content-length") ?? NaN);
    if (declared > max) throw new PayloadTooLargeError(max);
    if (!(declared >= 0)) {
      this.req = new Request(req, { body: limitBody(req.body, max), duplex: "half" } as RequestInit);
    }
  }

  /** Maps what the handler threw to a response: 499 (client gone), 503 (killed), 413, or 500. */
  #failure(error: unknown): Response | Promise<Response> {
    if (!this.#gone && this.req.bodyUsed && this.#conn.lostClient(error)) this.#gone = true;
    if (this.#gone) return plain(499, "Client Closed Request");
    if (error instanceof GreenletExit) return plain(503, "Service Unavailable");
    if (error instanceof PayloadTooLargeError) return plain(413, "Payload Too Large");
    return this.#errorResponse(error);
  }

  async #errorResponse(error: unknown): Promise<Response> {
    const onError = this.#host.onError;
    if (onError === undefined) {
      this.#host.logError(`handler for ${this.req.method} ${this.info.path}`, error);
      return plain(500, "Internal Server Error");
    }
    try {
      const custom = await onError(error, this.req);
      if (custom instanceof Response) return custom;
    } catch (onErrorError) {
      this.#host.logError("onError", onErrorError);
    }
    return plain(500, "Internal Server Error");
  }

  /**
   * Step 2: hands `res` to the engine. A static body is sent once the engine
   * has it (one write); a streamed one comes back as the {@linkcode DrivenBody}
   * this thread must feed ({@linkcode pump}). Not async: the common case costs
   * no promise.
   */
  send(res: Response): DrivenBody | undefined {
    this.#unwatch();
    this.#stage = "sending";
    this.status = this.#gone ? 499 : isUpgradeResponse(res) ? 101 : res.status;
    // Only a log line or a posthook reads the byte count: otherwise a string body is not counted.
    const reported = this.#host.logs || this.info.hooks !== undefined || this.info.after !== undefined;
    const length = this.#host.backend.staticBodyLength(res, reported);
    const streamed = length === undefined && res.body !== null;
    if (reported || streamed) this.info.pin();
    if (!streamed) {
      this.#respond(res);
      this.bodyLength = length ?? 0;
      return undefined;
    }
    const driven = new DrivenBody(() => this.#leave());
    this.#respond(
      new Response(driven.stream, { status: res.status, statusText: res.statusText, headers: res.headers }),
    );
    return driven;
  }

  /** Step 2, streamed: feeds the handler's body into the engine's stream from this thread. */
  async pump(driven: DrivenBody, body: ReadableStream<Uint8Array>): Promise<void> {
    try {
      await driven.pump(body);
    } finally {
      this.bodyLength = driven.bytes;
    }
  }

  /** Whether step 3 has anything to do: after-response work, a stream, or posthooks that wait for the bytes. */
  hasAfter(streamed: boolean): boolean {
    return streamed || this.info.after !== undefined || this.info.hooks !== undefined;
  }

  /**
   * Step 3: after-response work, then (for a stream, or when a posthook wants
   * to run after the bytes went out) waits until the response is fully sent.
   */
  async after(streamed: boolean): Promise<void> {
    const after = this.info.after;
    if (after !== undefined) { for (const fn of after) await fn(); }
    if (streamed || this.info.hooks !== undefined) await interruptible(this.#conn.completed, "send response");
  }

  /** Ends a run that failed in steps 2 or 3 (or was killed): a 500 if nothing was sent yet. */
  failed(error: unknown): void {
    if (this.#stage === "handling") {
      this.#stage = "sending";
      this.#respond(plain(500, "Internal Server Error"));
    }
    if (error instanceof ClientGone) this.#gone = true;
    else if (!(error instanceof GreenletExit)) {
      this.#host.logError(`request ${this.req.method} ${this.info.path}`, error);
    }
  }

  /** Step 4: the access-log line, after the posthooks (a promise only when there are posthooks to run). */
  finish(arrivalTime: number): Promise<void> | undefined {
    this.#stage = "done";
    this.#unwatch();
    const host = this.#host;
    host.inflight.delete(this.#thread);
    const hooks = this.info.hooks;
    if (!host.logs && (hooks === undefined || hooks.length === 0)) return undefined;
    const { req, info } = this;
    const path = info.path;
    const done: RequestDone = {
      clientIp: info.remoteAddr.hostname || "-",
      date: new Date(arrivalTime),
      requestLine: `${req.method} ${path} ${this.#conn.httpVersion}`,
      method: req.method,
      path,
      status: this.status,
      bodyLength: this.bodyLength,
      wallSeconds: (performance.now() - info.arrivalMs) / 1000,
      request: req,
      disconnected: this.#gone,
    };
    if (hooks === undefined || hooks.length === 0) return void host.logRequest(done);
    return this.#runHooks(hooks, done);
  }

  async #runHooks(hooks: Posthook[], done: RequestDone): Promise<void> {
    for (const hook of hooks) {
      try {
        await hook(done);
      } catch (error) {
        this.#host.logError("posthook", error);
      }
    }
    this.#host.logRequest(done);
  }
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
  const run = new RequestRun(host, req, conn, respond, thread);
  run.info.arrivalMs = arrivalMs;
  try {
    const answered = run.answer();
    const res = answered instanceof Response ? answered : await answered;
    const driven = run.send(res);
    if (driven !== undefined) await run.pump(driven, res.body!);
    if (run.hasAfter(driven !== undefined)) await run.after(driven !== undefined);
  } catch (error) {
    run.failed(error);
  } finally {
    const hooks = run.finish(arrivalTime);
    if (hooks !== undefined) await hooks;
  }
}
