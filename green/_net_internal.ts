/**
 * Internal plumbing shared by the green net files: symbol-keyed hooks that the
 * public classes implement but do not expose (the symbols are never exported
 * from a public module), and the I/O wait every blocking socket call uses.
 *
 * @module
 */
import { currentCore, suspendWait, Wait } from "../core/internal.ts";
import type { HubTimer } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { SocketTimeout } from "./net_errors.ts";

/** `GreenSocket[wrapRaw](raw)`: the factory behind connect/accept. */
export const wrapRaw: unique symbol = Symbol("evy.net.wrapRaw");
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

/** Checks a byte count argument. */
export function checkSize(value: unknown, name: string, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `${what}: ${name} must be an integer > 0, got ${
        typeof value === "string" ? JSON.stringify(value) : String(value)
      }`,
    );
  }
  return value;
}

/** Checks a timeout argument: a number >= 0 or null. */
export function checkTimeout(value: unknown, name: string, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new RangeError(
      `${what}: ${name} must be a number >= 0 or null, got ${
        typeof value === "string" ? JSON.stringify(value) : String(value)
      }`,
    );
  }
  return value;
}

const encoder = new TextEncoder();

/** Bytes of `data`: strings as UTF-8. */
export function toBytes(data: unknown, what: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return encoder.encode(data);
  throw new TypeError(`${what}: data must be a Uint8Array or a string`);
}
