/**
 * The `info` a handler gets under evy's `serve` (the {@linkcode ServeInfo}
 * shape), built lazily: the client address, path and posthook list cost
 * nothing until read. It also carries the after-response work that
 * `websocket()` queues to run in the request's thread once its 101 is handed
 * over. Internal.
 *
 * @module
 */
import type { GreenThread } from "../core/green_thread.ts";
import type { BackendConn, RemoteAddr } from "./_server_backend.ts";
import type { Posthook, ServeInfo } from "./serve_options.ts";

/** Work run in the request's thread after its response was handed to the engine. */
export type AfterResponse = () => Promise<void>;

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start < 0 ? "/" : url.slice(start);
}

/** An IPv4 or IPv6 address, as a proxy writes one into `X-Forwarded-For`. */
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

/**
 * The client a trusted proxy names: the last hop of `X-Forwarded-For` (the
 * address the proxy itself saw, appended by it), when it is an IP address.
 */
export function forwardedFor(headers: Headers): string | undefined {
  const value = headers.get("x-forwarded-for");
  if (value === null) return undefined;
  const hop = value.slice(value.lastIndexOf(",") + 1).trim();
  const bare = hop.startsWith("[") && hop.endsWith("]") ? hop.slice(1, -1) : hop;
  return IP.test(bare) ? bare : undefined;
}

/** One request's `info`. */
export class RequestInfo implements ServeInfo {
  readonly thread: GreenThread;
  after: AfterResponse[] | undefined;
  /** Set by `websocket()` before upgrading: Deno then aborts `req.signal`, which is no disconnect. */
  upgrading = false;
  hooks: Posthook[] | undefined;
  readonly #conn: BackendConn;
  readonly #req: Request;
  /** When the request arrived (`performance.now()`), or NaN until something needs it: see {@linkcode pin}. */
  arrivalMs: number;
  readonly #trustProxy: boolean;
  /** `false` when the server was started with `websockets: false`. */
  readonly websockets: boolean;
  #remoteAddr: RemoteAddr | undefined;
  #path: string | undefined;
  constructor(conn: BackendConn, req: Request, thread: GreenThread, trustProxy: boolean, websockets: boolean) {
    this.#conn = conn;
    this.#req = req;
    this.arrivalMs = NaN;
    this.thread = thread;
    this.#trustProxy = trustProxy;
    this.websockets = websockets;
  }
  /** The engine's peer, or with `trustProxy` the client the proxy names (port 0: the proxy does not say). */
  get remoteAddr(): RemoteAddr {
    if (this.#remoteAddr !== undefined) return this.#remoteAddr;
    const peer = this.#conn.remoteAddr;
    const forwarded = this.#trustProxy ? forwardedFor(this.#req.headers) : undefined;
    return this.#remoteAddr = forwarded === undefined ? peer : { transport: "tcp", hostname: forwarded, port: 0 };
  }
  get completed(): Promise<unknown> {
    return this.#conn.completed;
  }
  get posthooks(): Posthook[] {
    if (this.hooks === undefined) {
      if (Number.isNaN(this.arrivalMs)) this.arrivalMs = performance.now(); // a posthook reads wallSeconds
      this.hooks = [];
    }
    return this.hooks;
  }
  /** The request's path and query; read from `req.url` on first use (see {@linkcode pin}). */
  get path(): string {
    if (this.#path === undefined) {
      try {
        this.#path = pathOf(this.#req.url);
      } catch {
        this.#path = "-"; // Deno's throws once the request is answered: pin() comes first where it matters
      }
    }
    return this.#path;
  }
  /**
   * Reads what Deno forgets once the request is answered (the client's
   * address, the URL) while it still can, for a log line, posthooks, or work
   * after the response. Not done for every request: on Deno each costs ops
   * (the URL read also reads the method), about 5% of a hello-world request.
   */
  pin(): void {
    void this.remoteAddr;
    void this.path;
  }
}

/** `true` when `info` is an evy request's on a server started with `websockets: false`. */
export function upgradesRefused(info: unknown): boolean {
  return info instanceof RequestInfo && !info.websockets;
}

/**
 * Readies an evy request's `info` for a websocket upgrade: reads its
 * `completed` promise now (Deno's are gone after an upgrade) and marks the
 * coming `req.signal` abort as no disconnect.
 */
export function beforeUpgrade(info: unknown): void {
  if (!(info instanceof RequestInfo)) return;
  void info.remoteAddr;
  void info.completed;
  info.upgrading = true;
}

/**
 * Queues `fn` to run in the request's thread once the response is handed
 * over; returns `false` when `info` is not an evy request's (plain
 * `Deno.serve`), so the caller must run `fn` some other way.
 */
export function addAfterResponse(info: unknown, fn: AfterResponse): boolean {
  if (!(info instanceof RequestInfo)) return false;
  (info.after ??= []).push(fn);
  return true;
}
