/**
 * {@linkcode Socket}: what every ZeroMQ socket type of evy has — zeromq.js
 * v6's socket API (`bind`, `connect`, `send`, `receive`, `for await`,
 * `close`, the options as properties) over ZMTP 3.1 on green sockets. The
 * socket types (`Push`, `Pull`, `Request`, ...) extend it.
 *
 * Rules every socket keeps:
 * - `send()` resolves once the message is queued for a peer; where the
 *   socket type blocks at the high-water mark (PUSH, DEALER, REQ, PAIR), it
 *   waits — a green wait that kill and `Timeout` interrupt, after which the
 *   message is not sent. `sendTimeout` bounds it (`EAGAIN`).
 * - `receive()` waits greenly for a message; `receiveTimeout` bounds it
 *   (`EAGAIN`). A receive interrupted by kill or a Timeout loses nothing: the
 *   message that comes next goes to the next `receive()`.
 * - `close()` wakes blocked callers with `EBADF`, and keeps delivering what
 *   is queued — to live peers, and to connected endpoints not reached yet —
 *   for up to `linger` ms in the background (-1: until done, as libzmq);
 *   `await using` (or `await sock[Symbol.asyncDispose]()`) also waits for that.
 * - A peer that breaks the protocol (bad greeting, PLAIN or CURVE, oversized
 *   or malformed frames) is disconnected; the socket serves its other peers.
 *
 * Differs from zeromq.js: several receives (or sends) may wait at once, in
 * turn, rather than `EBUSY`; frames are queued without a copy, so do not
 * change a buffer after sending it; socket events come from `sock.on(type,
 * listener)` rather than zeromq.js's `sock.events` observer; a session broken by
 * bad input is reported as `"error"` (then `"disconnect"`).
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import { getHub } from "../../hubs/mod.ts";
import { closedError, Engine, type SocketEvent } from "./_engine.ts";
import { type MessageLike, toFrames } from "./_message.ts";
import type { Pattern } from "./_pattern.ts";
import { checkOption, engineOptions, type SocketOptions } from "./socket_options.ts";
import { ZmqError } from "./zmq_error.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type { MessageLike } from "./_message.ts";
export type { SocketEvent } from "./_engine.ts";
export type { SocketOptions } from "./socket_options.ts";

/**
 * A ZeroMQ socket; make one of its types (`new Push()`, `new Subscriber()`,
 * ...). See the module doc for the rules every socket keeps.
 *
 * @example A PUSH/PULL pipeline on loopback
 * ```ts
 * import { Pull, Push } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using pull = new Pull();
 * await pull.bind("tcp://127.0.0.1:*");
 * await using push = new Push();
 * push.connect(pull.lastEndpoint!);
 * await push.send(["job", "42"]);
 * const [kind, n] = await pull.receive();
 * assert.equal(`${kind}:${n}`, "job:42");
 * ```
 */
export class Socket implements AsyncIterable<Buffer[]>, AsyncDisposable {
  #engine: Engine;
  #listeners = new Map<string, Set<(event: SocketEvent) => void>>();

  /**
   * Made by the socket types' constructors.
   *
   * @param options The socket's options.
   * @param pattern Internal: the socket type's routing.
   * @throws {RangeError} When an option is out of range.
   */
  constructor(options: SocketOptions | undefined, pattern: unknown) {
    const opts = engineOptions(options);
    this.#engine = new Engine(pattern as Pattern, opts, (event) => this.#emit(event));
    if (options?.routingId !== undefined) this.routingId = options.routingId;
  }

  /** {@inheritDoc SocketOptions.sendHighWaterMark} Applies to peers that come later. */
  get sendHighWaterMark(): number {
    return this.#engine.opts.sendHighWaterMark;
  }
  set sendHighWaterMark(value: number) {
    this.#engine.opts.sendHighWaterMark = checkOption("sendHighWaterMark", value, 0);
  }
  /** {@inheritDoc SocketOptions.receiveHighWaterMark} Applies to peers that come later. */
  get receiveHighWaterMark(): number {
    return this.#engine.opts.receiveHighWaterMark;
  }
  set receiveHighWaterMark(value: number) {
    this.#engine.opts.receiveHighWaterMark = checkOption("receiveHighWaterMark", value, 0);
  }
  /** {@inheritDoc SocketOptions.linger} */
  get linger(): number {
    return this.#engine.opts.linger;
  }
  set linger(value: number) {
    this.#engine.opts.linger = checkOption("linger", value, -1);
  }
  /** {@inheritDoc SocketOptions.sendTimeout} */
  get sendTimeout(): number {
    return this.#engine.opts.sendTimeout;
  }
  set sendTimeout(value: number) {
    this.#engine.opts.sendTimeout = checkOption("sendTimeout", value, -1);
  }
  /** {@inheritDoc SocketOptions.receiveTimeout} */
  get receiveTimeout(): number {
    return this.#engine.opts.receiveTimeout;
  }
  set receiveTimeout(value: number) {
    this.#engine.opts.receiveTimeout = checkOption("receiveTimeout", value, -1);
  }
  /** {@inheritDoc SocketOptions.reconnectInterval} */
  get reconnectInterval(): number {
    return this.#engine.opts.reconnectInterval;
  }
  set reconnectInterval(value: number) {
    this.#engine.opts.reconnectInterval = checkOption("reconnectInterval", value, 0);
  }
  /** {@inheritDoc SocketOptions.maxMessageSize} */
  get maxMessageSize(): number {
    return this.#engine.opts.maxMessageSize;
  }
  set maxMessageSize(value: number) {
    this.#engine.opts.maxMessageSize = checkOption("maxMessageSize", value, -1);
  }
  /** {@inheritDoc SocketOptions.handshakeInterval} */
  get handshakeInterval(): number {
    return this.#engine.opts.handshakeInterval;
  }
  set handshakeInterval(value: number) {
    this.#engine.opts.handshakeInterval = checkOption("handshakeInterval", value, 0);
  }
  /** {@inheritDoc SocketOptions.routingId} Set it before connecting. */
  get routingId(): string | null {
    const id = this.#engine.opts.routingId;
    return id.length === 0 ? null : decoder.decode(id);
  }
  set routingId(value: string | null) {
    if (value !== null && typeof value !== "string") throw new TypeError("Socket: routingId must be a string or null");
    const bytes = value === null ? new Uint8Array(0) : encoder.encode(value);
    if (bytes.length > 255 || (bytes.length > 0 && bytes[0] === 0)) {
      throw new RangeError("Socket: routingId must be 1 to 255 bytes and must not start with a zero byte");
    }
    this.#engine.opts.routingId = bytes;
  }

  /** The endpoint last bound, with the port taken for `*` (`"tcp://127.0.0.1:41234"`), or `null`. */
  get lastEndpoint(): string | null {
    return this.#engine.lastEndpoint;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#engine.closed;
  }

  /**
   * Binds to `endpoint` (`tcp://host:port`, `tcp://127.0.0.1:*` for a free
   * port, `tcp://*:port` for every interface, `ipc:///path`) and accepts peers.
   * A socket may bind many endpoints.
   *
   * @throws {TypeError} When `endpoint` is malformed.
   * @throws {ZmqError} `EADDRINUSE` when the address is taken; `EBADF` when closed.
   */
  bind(endpoint: string): Promise<void> {
    try {
      return this.#engine.bind(endpoint);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Stops listening on `endpoint` (as bound, or as `lastEndpoint` names it)
   * and disconnects the peers it accepted.
   *
   * @throws {ZmqError} `EINVAL` when the socket is not bound to it.
   */
  unbind(endpoint: string): Promise<void> {
    try {
      this.#engine.unbind(endpoint);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Connects to `endpoint` in the background, and reconnects every
   * `reconnectInterval` ms when the peer goes away; messages sent meanwhile
   * wait in its queue. A socket may connect to many endpoints.
   *
   * @throws {TypeError} When `endpoint` is malformed.
   * @throws {ZmqError} `EBADF` when the socket is closed.
   */
  connect(endpoint: string): void {
    this.#engine.connect(endpoint);
  }

  /**
   * Stops connecting to `endpoint`, dropping what is queued for it.
   *
   * @throws {ZmqError} `EINVAL` when the socket is not connected to it.
   */
  disconnect(endpoint: string): void {
    this.#engine.disconnect(endpoint);
  }

  /**
   * Sends a message: one frame, or an array of frames for a multipart message.
   * Resolves once it is queued; see the module doc for when it waits.
   *
   * @throws {TypeError} When `message` is not a {@linkcode MessageLike} or an array of them.
   * @throws {ZmqError} `EAGAIN` after `sendTimeout`; `EBADF` when closed; `EFSM` out of REQ/REP lock-step; `ENOTSUP` for a type that cannot send.
   */
  send(message: MessageLike | MessageLike[]): Promise<void> {
    const engine = this.#engine;
    let frames: Uint8Array[];
    try {
      frames = toFrames(message, "Socket.send");
      if (engine.closed) throw closedError("send");
      if (engine.pattern.send(frames)) return Promise.resolve();
      if (engine.opts.sendTimeout === 0) throw this.#again("send");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#sendSlow(frames);
  }

  async #sendSlow(frames: Uint8Array[]): Promise<void> {
    const engine = this.#engine;
    const timeout = engine.opts.sendTimeout;
    const deadline = timeout < 0 ? Infinity : Date.now() + timeout;
    for (;;) {
      const left = deadline === Infinity ? -1 : Math.max(0, deadline - Date.now());
      await engine.sendWaiters.wait(`zmq send(${engine.zmtpType})`, left, () => this.#again("send"));
      if (engine.closed) throw closedError("send");
      if (engine.pattern.send(frames)) return;
    }
  }

  /**
   * Receives the next message, as an array of `Buffer` frames.
   *
   * @throws {ZmqError} `EAGAIN` after `receiveTimeout`; `EBADF` when the socket is or gets closed; `EFSM` out of REQ/REP lock-step; `ENOTSUP` for a type that cannot receive.
   */
  receive(): Promise<Buffer[]> {
    const engine = this.#engine;
    try {
      if (engine.closed) throw closedError("receive");
      const frames = engine.pattern.recv();
      if (frames !== undefined) return Promise.resolve(frames as Buffer[]);
      if (engine.opts.receiveTimeout === 0) throw this.#again("receive");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#receiveSlow();
  }

  async #receiveSlow(): Promise<Buffer[]> {
    const engine = this.#engine;
    const timeout = engine.opts.receiveTimeout;
    const deadline = timeout < 0 ? Infinity : Date.now() + timeout;
    for (;;) {
      const left = deadline === Infinity ? -1 : Math.max(0, deadline - Date.now());
      await engine.recvWaiters.wait(`zmq receive(${engine.zmtpType})`, left, () => this.#again("receive"));
      if (engine.closed) throw closedError("receive");
      const frames = engine.pattern.recv();
      if (frames !== undefined) return frames as Buffer[];
    }
  }

  /** Receives messages until the socket is closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer[]> {
    for (;;) {
      try {
        yield await this.receive();
      } catch (error) {
        if (error instanceof ZmqError && error.code === "EBADF") return;
        throw error;
      }
    }
  }

  /** Closes the socket: see the module doc. Closing twice is a no-op. */
  close(): void {
    this.#engine.close();
  }

  /** Closes the socket and waits until it has flushed (`linger`) and every thread of it ended. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#engine.close();
    await this.#engine.settled();
  }

  /**
   * Calls `listener` for each socket event of `type` (`"bind"`, `"accept"`,
   * `"connect"`, `"handshake"`, `"disconnect"`, `"handshake:error:protocol"`,
   * `"handshake:error:other"`, `"error"`, `"close"`), or of every type with `"*"`.
   * Returns the function that removes it.
   */
  on(type: string, listener: (event: SocketEvent) => void): () => void {
    if (typeof listener !== "function") throw new TypeError("Socket.on: listener must be a function");
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, set = new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  #emit(event: SocketEvent): void {
    for (const key of [event.type, "*"]) {
      const set = this.#listeners.get(key);
      if (set === undefined) continue;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (error) {
          // A listener's bug must not break the session that emitted the event: report it as the hub does.
          getHub().reportError({ error, context: `zmq ${event.type} listener`, spawnStack: undefined });
        }
      }
    }
  }

  #again(op: string): ZmqError {
    const ms = op === "send" ? this.#engine.opts.sendTimeout : this.#engine.opts.receiveTimeout;
    return new ZmqError("EAGAIN", `Cannot ${op} on ${this.#engine.zmtpType}: timed out after ${ms} ms`);
  }
}
