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
import { type Addr, formatAddr, type RawConn, type RawListener } from "./_net_backend.ts";
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
 * with {@linkcode SocketTimeout}. When it is cancelled, `detach()` makes the
 * I/O forget the waiter; the I/O op itself carries on.
 */
export abstract class IoWait<T> extends Wait<T> {
  timer: HubTimer | undefined = undefined;
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
    this.detach();
  }
  /** Makes the I/O forget this wait, which was cancelled. */
  protected abstract detach(): void;
}

/**
 * An I/O wait hooked up by closures of its own: a connect, a DNS query, a
 * promise, an accept, a ZeroMQ condition.
 */
export class CallbackIoWait<T> extends IoWait<T> {
  /** Run when the wait is cancelled. */
  onDetach: (() => void) | undefined = undefined;
  protected override detach(): void {
    this.onDetach?.();
  }
}

/**
 * What a long-lived I/O object (the reader or writer of a socket or a pipe)
 * is to its waits: it hooks each one to the I/O, forgets it when it is
 * cancelled, and names what the waits act on.
 */
export interface IoSource<T> {
  /** What the waits act on, as descriptions show it: `127.0.0.1:5432` in `recv(127.0.0.1:5432)`. */
  readonly ioName: string;
  /** Hooks `wait` to the I/O as it begins; throwing rejects the wait. */
  arm(wait: IoWait<T>): void;
  /** Forgets `wait`, which was cancelled (kill, Timeout, the socket timeout). */
  detach(wait: IoWait<T>): void;
}

/** An {@linkcode IoSource}'s name from its peer: a pipe's name as is, an address formatted. */
export function peerName(peer: string | Addr): string {
  return typeof peer === "string" ? peer : formatAddr(peer);
}

/**
 * An I/O wait on an {@linkcode IoSource}. Trade: the wait points at its
 * source and holds only the op's name (a constant such as `"recv"`), so a
 * blocked reader costs no closure and no description string; the description
 * is formatted each time something reads it (a listing, a timeout's message).
 */
class SourceIoWait<T> extends IoWait<T> {
  constructor(op: string, readonly source: IoSource<T>) {
    super(currentCore(), getHub(), op);
  }
  override get description(): string {
    return `${super.description}(${this.source.ioName})`;
  }
  protected override detach(): void {
    this.source.detach(this);
  }
}

function armSource<T>(wait: SourceIoWait<T>): void {
  wait.source.arm(wait);
}

function armTimer<T>(wait: IoWait<T>, timeoutMs: number): void {
  const description = wait.description;
  wait.timer = wait.hub.scheduleCallGlobal(timeoutMs, () => {
    wait.cancel(new SocketTimeout(`${description} timed out after ${timeoutMs} ms`, timeoutMs));
  }, `${description} timeout`);
}

/**
 * Enters an I/O wait for `op` on `source` (described as `op(source.ioName)`)
 * in the current thread; `source.arm` hooks it to the I/O.
 */
export function ioWaitOn<T>(source: IoSource<T>, op: string, timeoutMs: number | null): Promise<T> {
  const wait = new SourceIoWait<T>(op, source);
  if (timeoutMs === null) return suspendWait(wait, armSource);
  return suspendWait(wait, (w: SourceIoWait<T>) => {
    armTimer(w, timeoutMs);
    armSource(w);
  });
}

/** Enters an I/O wait named `description` in the current thread; `arm` hooks it to the I/O. */
export function ioWait<T>(
  description: string,
  timeoutMs: number | null,
  arm: (wait: CallbackIoWait<T>) => void,
): Promise<T> {
  return suspendWait(new CallbackIoWait<T>(currentCore(), getHub(), description), (wait: CallbackIoWait<T>) => {
    if (timeoutMs !== null) armTimer(wait, timeoutMs);
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
