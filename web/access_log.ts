/**
 * The server's access log: {@linkcode formatLogEntry} writes Eventlet's
 * default line, `client - - [date] "request line" status bytes seconds`:
 *
 * ```text
 * 127.0.0.1 - - [22/Nov/2026 04:11:47] "GET /hello HTTP/1.1" 200 15 0.000211
 * ```
 *
 * The date is local time, as in Eventlet; `wallSeconds` is the time from the
 * request's arrival until its response was fully sent (or the client left).
 *
 * @example Eventlet's access-log line
 * ```ts
 * import { formatLogEntry } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * const line = formatLogEntry({
 *   clientIp: "127.0.0.1",
 *   date: new Date(2026, 10, 22, 4, 11, 47),
 *   requestLine: "GET /hello HTTP/1.1",
 *   method: "GET",
 *   path: "/hello",
 *   status: 200,
 *   bodyLength: 15,
 *   wallSeconds: 0.000211,
 * });
 * assert.equal(line, '127.0.0.1 - - [22/Nov/2026 04:11:47] "GET /hello HTTP/1.1" 200 15 0.000211');
 * ```
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import { writeStderr } from "../hubs/runtime.ts";
import type { HubTimer } from "../hubs/hub.ts";

/** What the access log knows about one finished request. */
export interface LogEntry {
  /** The client's address (`-` when unknown, e.g. on a Unix socket). */
  clientIp: string;
  /** When the request arrived. */
  date: Date;
  /** `METHOD /path?query HTTP/1.1`. */
  requestLine: string;
  /** The request method. */
  method: string;
  /** The path with its query string. */
  path: string;
  /** The status sent; 499 when the client went away before the response started. */
  status: number;
  /** Body bytes sent. */
  bodyLength: number;
  /** Seconds from arrival until the response was fully sent (or the client left). */
  wallSeconds: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Eventlet's log date, `22/Nov/2026 04:11:47` (local time). */
export function formatLogDate(date: Date): string {
  return `${pad2(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()} ` +
    `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/**
 * Formats `entry` as Eventlet's default access-log line (see the module doc).
 *
 * @param entry The finished request.
 * @returns The line, without a trailing newline.
 */
export function formatLogEntry(entry: LogEntry): string {
  return `${entry.clientIp} - - [${formatLogDate(entry.date)}] "${entry.requestLine}" ${entry.status} ` +
    `${entry.bodyLength} ${entry.wallSeconds.toFixed(6)}`;
}

/**
 * A log sink that writes lines to stderr, batched: lines logged during one hub
 * turn go out in one write on the next macrotask, so logging does not cost a
 * system call per request. `flush()` writes what is pending at once.
 */
export interface StderrLog {
  (line: string): void;
  /** Writes the pending lines now. */
  flush(): void;
}

/** Creates the default, batched stderr log sink ({@linkcode StderrLog}). */
export function stderrLog(): StderrLog {
  let pending = "";
  let timer: HubTimer | undefined;
  const flush = (): void => {
    timer?.cancel();
    timer = undefined;
    if (pending === "") return;
    const text = pending;
    pending = "";
    writeStderr(text);
  };
  const log = (line: string): void => {
    pending += line + "\n";
    timer ??= getHub().scheduleCallGlobal(0, flush, "access log flush");
  };
  return Object.assign(log, { flush });
}
