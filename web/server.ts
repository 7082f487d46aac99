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
 * throws gives a 500 with no internals in the body and its stack in the log;
 * `requestTimeoutMs` gives 503; `maxBodyBytes` gives 413. Each request is
 * logged in Eventlet's format (see {@linkcode formatLogEntry}).
 *
 * Differences from Eventlet: the application is a Fetch handler, not WSGI;
 * posthooks are functions `(done) => void` on `info.posthooks`; durations are
 * milliseconds.
 *
 * Disconnects: a client that leaves while a streamed body is being sent is
 * seen at once; one that leaves while the handler is still working is seen
 * once the handler has run for 20 ms (watching costs Deno half its
 * throughput, so fast handlers are not watched). On Deno that watch reads
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
import { GreenPool } from "../green_pool.ts";
import type { GreenThread } from "../green_thread.ts";
import { threadStorage } from "../hubs/_context.ts";
import { getHub } from "../hubs/mod.ts";
import { interruptible } from "../suspend.ts";
import { formatLogEntry, type LogEntry, stderrLog } from "./access_log.ts";
import { type RequestHost, runRequest } from "./_request.ts";
import type { BackendServer, NetAddr, RemoteAddr, ServerAddr, ServerBackend, UnixAddr } from "./_server_backend.ts";
import { backends } from "./_backends.ts";

export type { NetAddr, RemoteAddr, ServerAddr, UnixAddr };
export { PayloadTooLargeError } from "./_body.ts";

/** What a request's posthooks receive: its log entry, the request, and whether the client left early. */
export interface RequestDone extends LogEntry {
  /** The request (its body may have been read). */
  request: Request;
  /** `true` when the client went away before the response was fully sent. */
  disconnected: boolean;
}

/** Runs after the response was fully sent or the client went away, in the request's thread. */
export type Posthook = (done: RequestDone) => unknown;

/** The second argument of a handler: the info Deno's `serve` gives, plus evy's. */
export interface ServeInfo {
  /** The client's address. */
  readonly remoteAddr: RemoteAddr;
  /** Settles once the response has been fully sent or the client went away. */
  readonly completed: Promise<unknown>;
  /** Functions run after the response (Eventlet's `evy.posthooks`); push to it. */
  readonly posthooks: Posthook[];
  /** The request's green thread. */
  readonly thread: GreenThread;
  /** The request's path with its query string. */
  readonly path: string;
}

/** A Fetch handler, shaped like Deno's `serve` handlers. */
export type Handler = (req: Request, info: ServeInfo) => Response | Promise<Response>;

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one. @default {8000} */
  port?: number;
  /** Interface to bind. @default {"0.0.0.0"} */
  hostname?: string;
  /** A Unix socket path to listen on instead of TCP. */
  path?: string;
  /** Let several processes share the port (`SO_REUSEPORT`). @default {false} */
  reusePort?: boolean;
  /** PEM certificate chain: with `key`, serves HTTPS. */
  cert?: string;
  /** PEM private key for `cert`. */
  key?: string;
  /** Aborting it shuts the server down (as `shutdown()` with no drain limit). */
  signal?: AbortSignal;
  /** Requests (and open websockets) handled at once; more wait for a slot. @default {1024} */
  maxSize?: number;
  /** A `Timeout` in each request's thread; on expiry the client gets 503. */
  requestTimeoutMs?: number;
  /** Request bodies over this many bytes get 413. */
  maxBodyBytes?: number;
  /** Access-log sink, `false` for none. @default {batched lines on stderr} */
  log?: false | ((line: string) => void);
  /** Formats the access-log line. @default {formatLogEntry} */
  logFormat?: (entry: LogEntry) => string;
  /** Called with a handler's error; may return the response to send instead of the 500. */
  onError?: (error: unknown, req: Request) => Response | void | Promise<Response | void>;
  /** Called once listening. @default {logs "(pid) evy serving on http://host:port/"} */
  onListen?: (addr: ServerAddr) => void;
}

/** Options for {@linkcode Server.shutdown}. */
export interface ShutdownOptions {
  /** How long in-flight requests may take before their threads are killed. @default {Infinity} */
  drainMs?: number;
}

function check(options: ServeOptions): void {
  if (options === null || typeof options !== "object") throw new TypeError("serve: options must be an object");
  const { port, maxSize, requestTimeoutMs, maxBodyBytes } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError(`serve: port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (maxSize !== undefined && !(Number.isInteger(maxSize) && maxSize >= 1)) {
    throw new RangeError(`serve: maxSize must be an integer >= 1, got ${String(maxSize)}`);
  }
  for (const [name, value] of [["requestTimeoutMs", requestTimeoutMs], ["maxBodyBytes", maxBodyBytes]] as const) {
    if (value !== undefined && !(typeof value === "number" && value >= 0)) {
      throw new RangeError(`serve: ${name} must be a number >= 0, got ${String(value)}`);
    }
  }
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw new TypeError("serve: cert and key must be given together");
  }
}

/**
 * A running server, as returned by {@linkcode serve}.
 *
 * @typeParam A The address type: {@linkcode NetAddr}, or {@linkcode UnixAddr} with `path`.
 */
export class Server<A extends ServerAddr = NetAddr> implements AsyncDisposable {
  readonly #engine: BackendServer;
  readonly #pool: GreenPool;
  readonly #host: RequestHost;
  readonly #finished: Promise<void>;
  #shutdown: Promise<void> | undefined;

  /** Servers are made by {@linkcode serve}. */
  constructor(options: ServeOptions, handler: Handler) {
    check(options);
    if (typeof handler !== "function") throw new TypeError("serve: handler must be a function");
    const engineBackend: ServerBackend = backends().server;
    const log = options.log === undefined ? stderrLog() : options.log;
    const format = options.logFormat ?? formatLogEntry;
    this.#pool = new GreenPool(options.maxSize ?? 1024);
    this.#host = {
      handler,
      backend: engineBackend,
      requestTimeoutMs: options.requestTimeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      onError: options.onError,
      inflight: new Set(),
      logs: log !== false,
      logRequest: log === false ? () => {} : (entry) => log(format(entry)),
      logError: (context, error) => {
        const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
        if (log === false) getHub().reportError({ error, context: `serve: ${context}`, spawnStack: undefined });
        else log(`evy serve: ${context} failed: ${text}`);
      },
    };
    const pool = this.#pool;
    const host = this.#host;
    const dispatch = (req: Request, conn: Parameters<typeof runRequest>[2]): Promise<Response> => {
      const arrivalMs = performance.now();
      const arrivalTime = Date.now();
      return new Promise<Response>((resolve) => {
        // With a free slot spawnN starts the thread at once and cannot fail.
        if (pool.free() > 0 && pool.waiting() === 0) {
          return void pool.spawnN(runRequest, host, req, conn, resolve, arrivalMs, arrivalTime);
        }
        // Waiting for a slot is a green wait outside any request's thread; a Timeout there rejects it.
        pool.spawnN(runRequest, host, req, conn, resolve, arrivalMs, arrivalTime).catch(() => {
          resolve(new Response("Service Unavailable\r\n", { status: 503 }));
        });
      });
    };
    // Start the engine outside any green thread's context, so its callbacks never run "inside" the caller.
    this.#engine = threadStorage.exit(() =>
      engineBackend.listen({
        port: options.port ?? 8000,
        hostname: options.hostname ?? "0.0.0.0",
        path: options.path,
        reusePort: options.reusePort ?? false,
        cert: options.cert,
        key: options.key,
      }, dispatch)
    );
    this.#finished = this.#engine.finished;
    const onListen = options.onListen ?? ((addr: ServerAddr) => {
      if (log === false) return;
      const where = addr.transport === "unix" ? addr.path : `${addr.hostname}:${addr.port}`;
      log(`(${process.pid}) evy serving on ${where}`);
    });
    this.#engine.ready.then(() => onListen(this.#engine.addr), () => {});
    options.signal?.addEventListener("abort", () => void this.shutdown(), { once: true });
    if (options.signal?.aborted) void this.shutdown();
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
   * responded), then closes. Calling it again returns the same promise.
   *
   * @throws {RangeError} When `drainMs` is negative.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const drainMs = options.drainMs ?? Infinity;
    if (!(drainMs >= 0)) throw new RangeError(`shutdown: drainMs must be a number >= 0, got ${String(drainMs)}`);
    return this.#shutdown ??= this.#stop(drainMs);
  }

  async #stop(drainMs: number): Promise<void> {
    const stopped = this.#engine.shutdown();
    // A hub timer, not a Timeout: the caller may be the main thread, whose other waits a Timeout would reject.
    const late = Number.isFinite(drainMs)
      ? getHub().scheduleCallGlobal(drainMs, () => {
        for (const thread of this.#host.inflight) void thread.kill();
      }, "serve shutdown drainMs")
      : undefined;
    try {
      await interruptible(stopped, "serve shutdown: engine");
      await this.#pool.waitall();
    } finally {
      late?.cancel();
    }
    await this.#finished;
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
