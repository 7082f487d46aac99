/**
 * The types {@linkcode serve} takes and gives: its options, the handler and
 * its `info`, posthooks, and the option checks.
 *
 * @module
 */
import type { GreenThread } from "../core/green_thread.ts";
import type { LogEntry } from "./access_log.ts";
import type { RemoteAddr, ServerAddr } from "./_server_backend.ts";

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

/** Checks `serve`'s options; throws `TypeError`/`RangeError` naming the bad one. */
export function checkServeOptions(options: ServeOptions): void {
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
