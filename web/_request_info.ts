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

/** One request's `info`. */
export class RequestInfo implements ServeInfo {
  readonly thread: GreenThread;
  after: AfterResponse[] | undefined;
  /** Set by `websocket()` before upgrading: Deno then aborts `req.signal`, which is no disconnect. */
  upgrading = false;
  hooks: Posthook[] | undefined;
  readonly #conn: BackendConn;
  readonly #url: string;
  #path: string | undefined;
  constructor(conn: BackendConn, url: string, thread: GreenThread) {
    this.#conn = conn;
    this.#url = url;
    this.thread = thread;
  }
  get remoteAddr(): RemoteAddr {
    return this.#conn.remoteAddr;
  }
  get completed(): Promise<unknown> {
    return this.#conn.completed;
  }
  get posthooks(): Posthook[] {
    return this.hooks ??= [];
  }
  get path(): string {
    return this.#path ??= pathOf(this.#url);
  }
}

/**
 * Prepares evy's `info` for an upgrade: reads the client address and the
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
