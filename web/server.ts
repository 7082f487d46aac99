/**
 * `serve(options, handler)`: Eventlet's `wsgi.server` for Fetch handlers, on
 * the runtime's own HTTP engine (`Deno.serve`, `node:http` on Node), with
 * **each request in a green thread** from a {@linkcode GreenPool} of
 * `maxSize` (1024). `Timeout`, `kill`, `Local` and the debug tools work per
 * request. The thread lives until the response body has been fully sent or
 * the client went away: a streamed body's producer runs in it, and a client
 * that disconnects kills it (its green waits reject with `GreenletExit`).
 *
 * The handler has `Deno.serve`'s shape, `(req, info) => Response`, so
 * `Deno.serve` handlers and Hono's `app.fetch` run unchanged. A handler that
 * throws (or returns `Response.error()`, or a Response whose body was already
 * read) gives a 500 with no internals in the body; its error goes to
 * `onError` when given, else with its stack to the log. `requestTimeoutMs`
 * gives 503; `maxBodyBytes` gives 413; a client that leaves mid-upload is a
 * 499. Each request is logged in Eventlet's format (see
 * {@linkcode formatLogEntry}); `log: false` silences all of the server's
 * output. Every option is checked at the call (`TypeError`/`RangeError`
 * naming it). Behind a reverse proxy, `trustProxy: true` takes the client's
 * address from `X-Forwarded-For` (see {@linkcode ServeOptions.trustProxy}).
 *
 * The server's own waits — a request queued for a free slot, shutdown's
 * drain — run in threads of the server's own: a Timeout or kill of the
 * thread that called `serve()` never turns queued requests into 503s.
 *
 * Differences from Eventlet: the application is a Fetch handler, not WSGI;
 * posthooks are functions `(done) => void` on `info.posthooks`; durations are
 * milliseconds.
 *
 * Disconnects: a client that leaves while a streamed body is being sent is
 * seen at once; one that leaves while the handler is still working is seen
 * once the handler has run for 20 ms (watching costs Deno half its
 * throughput, so fast handlers are not watched), also when it left earlier. On Deno that watch reads
 * `req.signal`, and Deno then prints a one-time notice about its legacy
 * abort-on-success behaviour: run with `--unstable-no-legacy-abort` to
 * silence it (evy handles both behaviours). A string, bytes or blob body
 * counts as sent once the engine has it; the access log's seconds end there.
 *
 * @example Hello world
 * ```ts
 * import { serve } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, () => new Response("Hello, World!"));
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * assert.equal(await res.text(), "Hello, World!");
 * ```
 *
 * @module
 */
import process from "node:process";
import { GreenPool } from "../core/green_pool.ts";
import { type GreenThread, spawn } from "../core/green_thread.ts";
import { threadStorage } from "../core/internal.ts";
import { formatLogEntry, stderrLog } from "./access_log.ts";
import {
  checkServeOptions,
  type Handler,
  type Posthook,
  type RequestDone,
  type ServeInfo,
  type ServeOptions,
  type ShutdownOptions,
} from "./serve_options.ts";
import type { RequestHost } from "./_request.ts";
import type { BackendServer, Dispatch, NetAddr, RemoteAddr, ServerAddr, UnixAddr } from "./_server_backend.ts";
import { backends } from "./_backends.ts";
import { dispatcher } from "./_dispatch.ts";
import { drain, type DrainParts } from "./_drain.ts";

export type {
  Handler,
  NetAddr,
  Posthook,
  RemoteAddr,
  RequestDone,
  ServeInfo,
  ServeOptions,
  ServerAddr,
  ShutdownOptions,
  UnixAddr,
};
export { PayloadTooLargeError } from "./_body.ts";

/** The server's output sink, from `log`: a function, or `false` for none. */
type LogSink = false | ((line: string) => void);

/** What a request thread needs of the server (step 2 of the constructor). */
function requestHost(options: ServeOptions, handler: Handler, log: LogSink): RequestHost {
  const format = options.logFormat ?? formatLogEntry;
  return {
    handler,
    backend: backends().server,
    requestTimeoutMs: options.requestTimeoutMs,
    maxBodyBytes: options.maxBodyBytes,
    trustProxy: options.trustProxy ?? false,
    websockets: options.websockets ?? true,
    onError: options.onError,
    inflight: new Set(),
    logs: log !== false,
    logRequest: log === false ? () => {} : (entry) => log(format(entry)),
    logError: log === false ? () => {} : (context, error) => {
      const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
      log(`evy serve: ${context} failed: ${text}`);
    },
  };
}

/** Starts the engine (step 4), outside any green thread's context, so its callbacks never run "inside" the caller. */
function startEngine(options: ServeOptions, host: RequestHost, dispatch: Dispatch): BackendServer {
  return threadStorage.exit(() =>
    host.backend.listen({
      port: options.port ?? 8000,
      hostname: options.hostname ?? "0.0.0.0",
      path: options.path,
      reusePort: options.reusePort ?? false,
      websockets: options.websockets ?? true,
      cert: options.cert,
      key: options.key,
    }, dispatch)
  );
}

/** Calls `onListen` once listening (step 5); by default logs where. */
function announce(engine: BackendServer, options: ServeOptions, log: LogSink): void {
  const onListen = options.onListen ?? ((addr: ServerAddr) => {
    if (log === false) return;
    const where = addr.transport === "unix" ? addr.path : `${addr.hostname}:${addr.port}`;
    log(`(${process.pid}) evy serving on ${where}`);
  });
  engine.ready.then(() => onListen(engine.addr), () => {});
}

/**
 * A running server, as returned by {@linkcode serve}.
 *
 * @typeParam A The address type: {@linkcode NetAddr}, or {@linkcode UnixAddr} with `path`.
 *
 * @example Shutting down with a drain limit
 * ```ts
 * import { serve } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * const server = serve({ port: 0, hostname: "127.0.0.1", log: false }, () => new Response("ok"));
 * await server.ready;
 * assert.equal(server.running(), 0);
 * await server.shutdown({ drainMs: 100 });
 * await server.finished;
 * ```
 */
export class Server<A extends ServerAddr = NetAddr> implements AsyncDisposable {
  readonly #engine: BackendServer;
  readonly #pool: GreenPool;
  readonly #queued = new Set<GreenThread>();
  readonly #host: RequestHost;
  readonly #finished: Promise<void>;
  #shutdown: Promise<void> | undefined;

  /** Servers are made by {@linkcode serve} (which calls this). */
  constructor(options: ServeOptions, handler: Handler) {
    checkServeOptions(options); // 1. every option checked at the call
    if (typeof handler !== "function") throw new TypeError("serve: handler must be a function");
    const log: LogSink = options.log === undefined ? stderrLog() : options.log;
    this.#pool = new GreenPool(options.maxSize ?? 1024);
    this.#host = requestHost(options, handler, log); // 2. what request threads need
    const dispatch = dispatcher(this.#pool, this.#queued, this.#host); // 3. requests into pool threads
    this.#engine = startEngine(options, this.#host, dispatch); // 4. the runtime's engine
    this.#finished = this.#engine.finished;
    announce(this.#engine, options, log); // 5. onListen
    this.#stopOn(options.signal); // 6. the signal shuts it down
  }

  #stopOn(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    // shutdown() never rejects: its promise is settled by the server's own thread.
    if (signal.aborted) void this.shutdown();
    else signal.addEventListener("abort", () => void this.shutdown(), { once: true });
  }

  /** Resolves once the server listens: at once on Deno, after binding on Node. */
  get ready(): Promise<void> {
    return this.#engine.ready;
  }

  /**
   * Where the server listens (`addr.port` is the real port when 0 was asked
   * for). On Node, available once `ready` has resolved.
   */
  get addr(): A {
    return this.#engine.addr as A;
  }

  /** Resolves once the server has shut down. */
  get finished(): Promise<void> {
    return this.#finished;
  }

  /** Requests (and websockets) being handled now. */
  running(): number {
    return this.#pool.running();
  }

  /** Requests waiting for a free slot (`maxSize` reached). */
  waiting(): number {
    return this.#pool.waiting();
  }

  /**
   * Stops accepting connections, lets in-flight requests finish (killing
   * those still running after `drainMs`: they get 503 if they had not
   * responded), then closes every connection still open and resolves. The
   * drain runs in a thread of the server's own, so a Timeout or kill of the
   * caller stops only the caller's wait (wrap the call in `interruptible()`
   * for a green wait), never the drain. Calling it again returns the same
   * promise, which never rejects.
   *
   * @throws {RangeError} When `drainMs` is negative.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const drainMs = options.drainMs ?? Infinity;
    if (!(drainMs >= 0)) throw new RangeError(`shutdown: drainMs must be a number >= 0, got ${String(drainMs)}`);
    return this.#shutdown ??= this.#stop(drainMs);
  }

  #stop(drainMs: number): Promise<void> {
    const parts: DrainParts = {
      engine: this.#engine,
      pool: this.#pool,
      inflight: this.#host.inflight,
      queued: this.#queued,
    };
    // The drain is the server's own thread: a Timeout or kill of the caller never cuts it short.
    const stopper = threadStorage.exit(() => spawn(drain, parts, drainMs));
    stopper.name = "serve shutdown";
    return new Promise<void>((resolve) => stopper.link(() => resolve()));
  }

  /** `await using server = serve(...)`: shuts down (no drain limit) at scope end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}

/**
 * Starts an HTTP server on a Unix socket (`path`); see the module doc.
 *
 * @param options Where to listen and how to handle requests.
 * @param handler The application: `(req, info) => Response | Promise<Response>`.
 * @returns The running server.
 * @throws {TypeError} When `handler` is not a function or `cert`/`key` come alone.
 * @throws {RangeError} When a number option is out of range.
 *
 * @example Serving on a Unix socket
 * ```ts
 * import { serve } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, rmSync } from "node:fs";
 * import { request } from "node:http";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = mkdtempSync(join(tmpdir(), "evy-doc-"));
 * const path = join(dir, "http.sock");
 * const server = serve({ path, log: false }, (req) => new Response(`hi ${new URL(req.url).pathname}`));
 * await server.ready;
 * assert.deepEqual(server.addr, { transport: "unix", path });
 * const text = await new Promise<string>((resolve, reject) => {
 *   const req = request({ socketPath: path, path: "/there", agent: false }, (res) => {
 *     let body = "";
 *     res.setEncoding("utf8");
 *     res.on("data", (chunk) => body += chunk);
 *     res.on("end", () => resolve(body));
 *   });
 *   req.on("error", reject);
 *   req.end();
 * });
 * assert.equal(text, "hi /there");
 * await server.shutdown();
 * rmSync(dir, { recursive: true });
 * ```
 */
export function serve(options: ServeOptions & { path: string }, handler: Handler): Server<UnixAddr>;
/**
 * Starts an HTTP server; see the module doc.
 *
 * @param options Where to listen and how to handle requests.
 * @param handler The application: `(req, info) => Response | Promise<Response>`.
 * @returns The running server.
 * @throws {TypeError} When `handler` is not a function or `cert`/`key` come alone.
 * @throws {RangeError} When a number option is out of range.
 */
export function serve(options: ServeOptions, handler: Handler): Server<NetAddr>;
export function serve(options: ServeOptions, handler: Handler): Server<ServerAddr> {
  return new Server(options, handler);
}
