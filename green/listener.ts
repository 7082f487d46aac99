/**
 * {@linkcode GreenListener}: a listening socket whose `accept()` is a green
 * wait, and a drop-in `Deno.Listener`.
 *
 * The runtime refuses a second concurrent accept, and an accept op cannot be
 * cancelled. So a listener keeps one accept op at a time: when the thread
 * waiting on it is killed or times out, the op stays pending and the
 * connection it brings goes to the next `accept()`; none is lost.
 *
 * @module
 */
import { type Addr, formatAddr, type RawConn, type RawListener } from "./_net_backend.ts";
import { checkTimeout } from "../core/internal.ts";
import { type CallbackIoWait, ioPromise, type IoWait, ioWait, wrap } from "./_net_internal.ts";
import { ConcurrentAccessError, SocketClosedError } from "./net_errors.ts";
import type { GreenSocket } from "./socket.ts";
import "./socket.ts"; // its static block sets wrap.socket

type Accepted = { conn: RawConn } | { error: unknown };

/**
 * A green listener, made by `listen` or `listenTls`. `accept()` resolves to
 * the connection (Eventlet's `(sock, addr)` pair is `sock` and
 * `sock.remoteAddr`); `for await` accepts until the listener is closed.
 *
 * @example Accept in a loop, one green thread per connection
 * ```ts
 * import { connect, listen } from "@evy/evy/green/net";
 * import { spawn, spawnN } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const server = listen({ hostname: "127.0.0.1", port: 0 });
 * const acceptor = spawn(async () => {
 *   for await (const sock of server) {
 *     spawnN(async () => {
 *       await sock.sendall("hi\n");
 *       sock.close();
 *     });
 *   }
 * });
 * await using client = await connect(server.addr);
 * assert.equal(new TextDecoder().decode(await client.makefile().readline()), "hi\n");
 * server.close(); // ends the for await loop
 * await acceptor.wait();
 * ```
 */
export class GreenListener<A extends Addr = Addr> implements AsyncIterable<GreenSocket>, Disposable {
  #raw: RawListener;
  #bound: string | undefined;
  #accepting = false;
  #ready: Accepted[] = [];
  #waiter: IoWait<void> | undefined;
  #busy = false;
  #closed = false;
  #timeoutMs: number | null = null;

  /**
   * Made by `listen`/`listenTls`.
   *
   * @ignore
   */
  private constructor(raw: RawListener) {
    this.#raw = raw;
  }

  static {
    wrap.listener = (raw) => new GreenListener(raw);
  }

  /** The bound address for descriptions; the requested one until bound. */
  get #desc(): string {
    if (this.#bound !== undefined) return this.#bound;
    try {
      return this.#bound = formatAddr(this.#raw.addr);
    } catch {
      return formatAddr(this.#raw.requested);
    }
  }

  /** The address listened on (with the real port when 0 was asked). */
  get addr(): A {
    return this.#raw.addr as A;
  }

  /**
   * Resolves once the listener is bound. Deno binds in `listen()` itself; the
   * Node backend binds asynchronously, and `addr` throws until it has. Rejects
   * with the bind error (`EADDRINUSE`).
   */
  async listening(): Promise<this> {
    const bound = this.#raw.bound;
    if (bound !== undefined) await ioPromise(`listen(${this.#desc})`, this.#timeoutMs, bound);
    return this;
  }

  /** The accept timeout in ms, or `null` (the default). */
  get timeoutMs(): number | null {
    return this.#timeoutMs;
  }

  /**
   * Sets how long `accept()` may wait before rejecting with `SocketTimeout`;
   * `null` waits forever.
   *
   * @throws {RangeError} When `ms` is negative or not a number.
   */
  setTimeout(ms: number | null): void {
    this.#timeoutMs = checkTimeout("GreenListener.setTimeout", ms, "ms") ?? null;
  }

  /**
   * Waits for the next connection.
   *
   * @throws {SocketClosedError} When the listener is or gets closed.
   * @throws {ConcurrentAccessError} When another thread is blocked in `accept()`.
   * @throws {SocketTimeout} When the listener's timeout expires first.
   */
  accept(): Promise<GreenSocket> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#busy) {
      return Promise.reject(
        new ConcurrentAccessError(`Cannot accept on ${this.#desc}: another green thread is accepting`),
      );
    }
    const next = this.#ready.shift();
    if (next !== undefined) {
      return "conn" in next ? Promise.resolve(wrap.socket(next.conn)) : Promise.reject(next.error);
    }
    return this.#acceptSlow();
  }

  async #acceptSlow(): Promise<GreenSocket> {
    this.#busy = true;
    try {
      while (this.#ready.length === 0) {
        if (!this.#accepting) this.#startAccept();
        await ioWait<void>(`accept(${this.#desc})`, this.#timeoutMs, this.#arm);
      }
    } finally {
      this.#busy = false;
    }
    const next = this.#ready.shift()!;
    if ("error" in next) throw next.error;
    return wrap.socket(next.conn);
  }

  #arm = (wait: CallbackIoWait<void>): void => {
    if (this.#closed) throw this.#closedError();
    this.#waiter = wait;
    wait.onDetach = () => {
      if (this.#waiter === wait) this.#waiter = undefined;
    };
  };

  #startAccept(): void {
    this.#accepting = true;
    this.#raw.accept().then((conn) => this.#done({ conn }), (error) => this.#done({ error }));
  }

  #done(result: Accepted): void {
    this.#accepting = false;
    if (this.#closed) {
      if ("conn" in result) result.conn.close();
      return;
    }
    this.#ready.push(result);
    const wait = this.#waiter;
    if (wait !== undefined) {
      this.#waiter = undefined;
      wait.resolve();
    }
  }

  /** Accepts connections until the listener is closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<GreenSocket> {
    while (!this.#closed) {
      try {
        yield await this.accept();
      } catch (error) {
        if (this.#closed && error instanceof SocketClosedError) return;
        throw error;
      }
    }
  }

  /**
   * Stops listening. A thread blocked in `accept()` wakes with
   * `SocketClosedError`; connections accepted but not yet handed out are
   * closed. Closing twice is a no-op.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#raw.close();
    } catch {
      // already closed underneath
    }
    for (const entry of this.#ready.splice(0)) if ("conn" in entry) entry.conn.close();
    const wait = this.#waiter;
    this.#waiter = undefined;
    wait?.reject(this.#closedError());
  }

  /** Closes the listener (`using`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Lets the listener keep the process alive (the default). */
  ref(): void {
    this.#raw.ref();
  }

  /** Lets the process exit while this listener is open. */
  unref(): void {
    this.#raw.unref();
  }

  #closedError(): SocketClosedError {
    return new SocketClosedError(`Cannot accept on ${this.#desc}: the listener is closed`);
  }
}
