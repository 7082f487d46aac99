/**
 * Internal plumbing shared by the green net files: symbol-keyed hooks that the
 * public classes implement but do not expose (the symbols are never exported
 * from a public module), and the I/O wait every blocking socket call uses.
 *
 * @module
 */
import { currentCore, describe, suspendWait, Wait } from "../core/internal.ts";
import type { HubTimer } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { SocketTimeout } from "./net_errors.ts";
import type { RawConn, RawListener } from "./_net_backend.ts";
import type { GreenSocket } from "./socket.ts";
import type { GreenListener } from "./listener.ts";

/**
 * How connect, accept and listen make the public objects from backend ones:
 * set once by the static blocks of `GreenSocket` and `GreenListener`, whose
 * constructors stay private (and out of the docs).
 */
export const wrap: {
  socket: (raw: RawConn) => GreenSocket;
  listener: (raw: RawListener) => GreenListener;
} = {
  socket: () => {
    throw new Error("green/socket.ts is not loaded");
  },
  listener: () => {
    throw new Error("green/listener.ts is not loaded");
  },
};
/** `socket[detachRaw]()`: takes the backend connection out of a socket (startTls). */
export const detachRaw: unique symbol = Symbol("evy.net.detachRaw");
/** `socket[unread](bytes)`: puts bytes back in front of the read buffer (makefile). */
export const unread: unique symbol = Symbol("evy.net.unread");

/**
 * A green wait for socket I/O: listed by the hub, interrupted by kill and
 * Timeout, and (with a socket timeout) by its own hub timer, which rejects it
 * with {@linkcode SocketTimeout}. `detach` runs when it is cancelled so the
 * socket forgets the waiter; the I/O op itself carries on.
 */
export class IoWait<T> extends Wait<T> {
  timer: HubTimer | undefined;
  detach: (() => void) | undefined;
  override resolve(value: T): void {
    this.timer?.cancel();
    super.resolve(value);
  }
  override reject(error: unknown): void {
    this.timer?.cancel();
    super.reject(error);
  }
  override dispose(): void {
    this.timer?.cancel();
    this.detach?.();
  }
}

/** Enters an {@linkcode IoWait} in the current thread; `arm` hooks it to the I/O. */
export function ioWait<T>(
  description: string,
  timeoutMs: number | null,
  arm: (wait: IoWait<T>) => void,
): Promise<T> {
  return suspendWait(new IoWait<T>(currentCore(), getHub(), description), (w) => {
    const wait = w as IoWait<T>;
    if (timeoutMs !== null) {
      wait.timer = wait.hub.scheduleCallGlobal(timeoutMs, () => {
        wait.cancel(new SocketTimeout(`${description} timed out after ${timeoutMs} ms`, timeoutMs));
      }, `${description} timeout`);
    }
    arm(wait);
  });
}

/** Awaits `promise` as an I/O wait (its late result is dropped if the wait is cancelled). */
export function ioPromise<T>(description: string, timeoutMs: number | null, promise: Promise<T>): Promise<T> {
  return ioWait<T>(description, timeoutMs, (wait) => {
    promise.then((value) => wait.resolve(value), (error) => wait.reject(error));
  });
}

const encoder = new TextEncoder();

/** Bytes of `data`: strings as UTF-8. */
export function toBytes(data: unknown, what: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return encoder.encode(data);
  throw new TypeError(`${what}: data must be a Uint8Array or a string, got ${describe(data)}`);
}
