/**
 * {@linkcode SocketOptions}: the options every ZeroMQ socket type takes
 * (zeromq.js's names, libzmq's defaults, times in ms), and their checks.
 *
 * @module
 */
import type { EngineOptions } from "./_engine.ts";

/** Options of every socket type (zeromq.js's names; times in ms, -1 for none). */
export interface SocketOptions {
  /** Messages queued per peer before `send()` blocks (or PUB drops); 0 for no limit. @default 1000 */
  sendHighWaterMark?: number;
  /** Messages queued per peer before reading from it pauses; 0 for no limit. @default 1000 */
  receiveHighWaterMark?: number;
  /** How long `close()` keeps flushing queued messages to live peers; -1 until done. @default -1 */
  linger?: number;
  /** This socket's Identity, which a ROUTER peer uses as its routing id (at most 255 bytes). @default null */
  routingId?: string | null;
  /** How long `send()` may wait; -1 forever, 0 not at all. @default -1 */
  sendTimeout?: number;
  /** How long `receive()` may wait; -1 forever, 0 not at all. @default -1 */
  receiveTimeout?: number;
  /** The pause between connection attempts to a `connect`ed endpoint. @default 100 */
  reconnectInterval?: number;
  /** The largest message a peer may send (bytes), beyond which it is disconnected; -1 for no limit. @default -1 */
  maxMessageSize?: number;
  /** How long a peer may take for the ZMTP handshake. @default 30000 */
  handshakeInterval?: number;
}

const NUMBER_OPTIONS = [
  ["sendHighWaterMark", 0],
  ["receiveHighWaterMark", 0],
  ["linger", -1],
  ["sendTimeout", -1],
  ["receiveTimeout", -1],
  ["reconnectInterval", 0],
  ["maxMessageSize", -1],
  ["handshakeInterval", 0],
] as const;

/** Checks a numeric option: an integer >= `min`, else a `RangeError` naming it. */
export function checkOption(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`Socket option ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * The machinery's options from `options` (the numeric ones checked; the
 * caller sets `routingId`).
 *
 * @throws {TypeError} When `options` is not an object.
 * @throws {RangeError} When an option is out of range.
 */
export function engineOptions(options: SocketOptions | undefined): EngineOptions {
  const opts: EngineOptions = {
    sendHighWaterMark: 1000,
    receiveHighWaterMark: 1000,
    linger: -1,
    routingId: new Uint8Array(0),
    sendTimeout: -1,
    receiveTimeout: -1,
    reconnectInterval: 100,
    maxMessageSize: -1,
    handshakeInterval: 30000,
  };
  if (options === undefined) return opts;
  if (typeof options !== "object" || options === null) throw new TypeError("Socket: options must be an object");
  for (const [name, min] of NUMBER_OPTIONS) {
    const value = options[name];
    if (value !== undefined) opts[name] = checkOption(name, value, min);
  }
  return opts;
}
