/**
 * The types {@linkcode serve} takes and gives: its options, the handler and
 * its `info`, posthooks, and the option checks.
 *
 * @module
 */
import type { GreenThread } from "../core/green_thread.ts";
import type { LogEntry } from "./access_log.ts";
import type { RemoteAddr, ServerAddr } from "./_server_backend.ts";
import { checkMs, checkType, shown } from "./_checks.ts";

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
  /**
   * The server's output — access log, listen line, errors of its own and of
   * handlers (unless `onError` takes them) — as lines; `false` silences it all.
   * @default {batched lines on stderr}
   */
  log?: false | ((line: string) => void);
  /** Formats the access-log line. @default {formatLogEntry} */
  logFormat?: (entry: LogEntry) => string;
  /**
   * Called with each handler error instead of logging it; may return the
   * response to send instead of the 500. Without it, the error's stack goes to
   * the log (stderr by default; nowhere with `log: false`).
   */
  onError?: (error: unknown, req: Request) => Response | void | Promise<Response | void>;
  /** Called once listening. @default {logs "(pid) evy serving on http://host:port/"} */
  onListen?: (addr: ServerAddr) => void;
  /**
   * Behind a reverse proxy (nginx): take the client's address from the last
   * hop of `X-Forwarded-For` (the address the proxy saw; earlier hops are the
   * client's own claims) when the header is set and is an IP address. The
   * handler's `info.remoteAddr` is then `{ transport: "tcp", hostname: <that
   * address>, port: 0 }` (the proxy does not say the port), and so is the
   * access log's `clientIp`. Only turn it on when every connection comes
   * through the proxy: anyone else can write the header. @default {false}
   */
  trustProxy?: boolean;
  /**
   * Whether this server takes websocket upgrades. With `false` an upgrade
   * request gets 501 (on both runtimes), and on Deno a TCP server (no `cert`,
   * no `path`) shuts down losing no request a client has sent: evy then runs
   * the accept loop and hands each connection to Deno's HTTP engine, whose
   * per-connection mode cannot upgrade (Deno 2.9.6). With `true` on Deno,
   * `Deno.serve` listens, and its shutdown closes a connection that has not
   * yet delivered its request — under steady traffic, now and then one a
   * client had just opened. `evy serve` uses `false` unless given
   * `--websockets`, so its reloads lose nothing. On Node both work the same.
   * @default {true}
   */
  websockets?: boolean;
}

/** Options for {@linkcode Server.shutdown}. */
export interface ShutdownOptions {
  /** How long in-flight requests may take before their threads are killed. @default {Infinity} */
  drainMs?: number;
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number") {
    throw new TypeError(`serve: ${name} must be an integer from ${min} to ${max}, got ${shown(value)}`);
  }
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`serve: ${name} must be an integer from ${min} to ${max}, got ${shown(value)}`);
  }
}

/** Checks every option of `serve` at the call; throws `TypeError`/`RangeError` naming the bad one. */
export function checkServeOptions(options: ServeOptions): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`serve: options must be an object, got ${shown(options)}`);
  }
  checkInteger("port", options.port, 0, 65535);
  checkType("serve", "hostname", options.hostname, "string");
  checkType("serve", "path", options.path, "string");
  if (options.path === "") throw new TypeError('serve: path must be a non-empty string, got ""');
  checkType("serve", "reusePort", options.reusePort, "boolean");
  checkType("serve", "cert", options.cert, "string");
  checkType("serve", "key", options.key, "string");
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw new TypeError("serve: cert and key must be given together");
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(`serve: signal must be an AbortSignal, got ${shown(options.signal)}`);
  }
  checkInteger("maxSize", options.maxSize, 1, Number.MAX_SAFE_INTEGER);
  checkMs("serve", "requestTimeoutMs", options.requestTimeoutMs);
  checkMs("serve", "maxBodyBytes", options.maxBodyBytes);
  if (options.log !== undefined && options.log !== false && typeof options.log !== "function") {
    throw new TypeError(`serve: log must be false or a function (line) => void, got ${shown(options.log)}`);
  }
  checkType("serve", "logFormat", options.logFormat, "function");
  checkType("serve", "onError", options.onError, "function");
  checkType("serve", "onListen", options.onListen, "function");
  checkType("serve", "trustProxy", options.trustProxy, "boolean");
  checkType("serve", "websockets", options.websockets, "boolean");
}
