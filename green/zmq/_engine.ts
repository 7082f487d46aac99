/**
 * {@linkcode Engine}: the machinery behind a public ZeroMQ socket — its pipes,
 * its binds (a listener and an accepting thread each), its connects (a thread
 * each that connects, runs the session, and reconnects every
 * `reconnectInterval` ms), the waits of `send()`/`receive()`, and `close()`
 * with linger. Every thread it starts it also ends. Internal.
 *
 * @module
 */
import { spawn } from "../../core/green_thread.ts";
import type { GreenThread } from "../../core/green_thread.ts";
import { remove } from "../fs.ts";
import type { GreenListener } from "../listener.ts";
import { listen } from "../net.ts";
import { Connection, type ConnectionHost } from "./_connection.ts";
import { Connector } from "./_connector.ts";
import { type Endpoint, formatEndpoint, parseEndpoint } from "./_endpoint.ts";
import type { Pattern, PatternHost } from "./_pattern.ts";
import { Pipe, type PipeHost } from "./_pipe.ts";
import { WaitSet } from "./_wait_set.ts";
import { ZmqError } from "./zmq_error.ts";

/** The options the machinery reads (the public `Socket` checks and stores them). */
export interface EngineOptions {
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
  linger: number;
  routingId: Uint8Array;
  sendTimeout: number;
  receiveTimeout: number;
  reconnectInterval: number;
  maxMessageSize: number;
  handshakeInterval: number;
}

/** A socket event, as zeromq.js's `events` reports them. */
export interface SocketEvent {
  /** `"bind"`, `"accept"`, `"connect"`, `"handshake"`, `"disconnect"`, `"handshake:error:protocol"`, `"close"`, ... */
  type: string;
  /** The endpoint concerned. */
  address?: string;
  /** What failed, for the error events (and a `"disconnect"` caused by bad input). */
  error?: unknown;
}

interface Bound {
  endpoint: string;
  listener: GreenListener;
  conns: Set<Connection>;
}

/** One socket's machinery. */
export class Engine implements ConnectionHost, PipeHost, PatternHost {
  readonly pattern: Pattern;
  readonly opts: EngineOptions;
  readonly recvWaiters: WaitSet = new WaitSet();
  readonly sendWaiters: WaitSet = new WaitSet();
  closed = false;
  lastEndpoint: string | null = null;
  #emit: (event: SocketEvent) => void;
  #binds = new Map<string, Bound>();
  #connects = new Map<string, Connector>();
  #conns = new Set<Connection>();
  #threads = new Set<GreenThread<void>>();
  #lingerUntil = 0;

  constructor(pattern: Pattern, opts: EngineOptions, emit: (event: SocketEvent) => void) {
    this.pattern = pattern;
    this.opts = opts;
    this.#emit = emit;
    pattern.host = this;
  }

  get zmtpType(): string {
    return this.pattern.zmtpType;
  }
  get identity(): Uint8Array {
    return this.opts.routingId;
  }
  get maxMessageSize(): number {
    return this.opts.maxMessageSize;
  }
  get handshakeInterval(): number {
    return this.opts.handshakeInterval;
  }

  /** After `close()`: how long sessions may still flush (ms, -1 without limit); before it, undefined. */
  get lingerLeft(): number | undefined {
    if (!this.closed) return undefined;
    return this.opts.linger < 0 ? -1 : Math.max(1, this.#lingerUntil - Date.now());
  }

  accepts(type: string): boolean {
    return this.pattern.peers.has(type);
  }

  attach(conn: Connection, _peerType: string, identity: Uint8Array, pipe: Pipe | undefined): Pipe | undefined {
    // After close() only a connecting pipe with messages still to flush (linger) may come up.
    if (this.closed && (pipe === undefined || !pipe.hasOut)) return undefined;
    if (pipe === undefined) {
      if (this.pattern.pipes.length >= this.pattern.maxPipes) return undefined;
      pipe = this.#newPipe(conn.endpoint);
      this.pattern.attach(pipe);
    }
    pipe.live = true;
    this.pattern.connected(pipe, identity);
    this.#emit({ type: "handshake", address: conn.endpoint });
    this.sendWaiters.wakeAll();
    return pipe;
  }

  detach(conn: Connection, pipe: Pipe): void {
    this.#conns.delete(conn);
    pipe.live = false;
    if (!pipe.reconnects || this.closed) this.endPipe(pipe);
    this.#emit({ type: "disconnect", address: conn.endpoint });
  }

  message(pipe: Pipe, frames: Uint8Array[]): void {
    this.pattern.message(pipe, frames);
  }

  subscription(pipe: Pipe, subscribe: boolean, topic: Uint8Array): void {
    this.pattern.subscription(pipe, subscribe, topic);
  }

  failed(conn: Connection, error: unknown, during: "handshake" | "session"): void {
    const type = during === "session"
      ? "disconnect"
      : error instanceof ZmqError
      ? "handshake:error:protocol"
      : "handshake:error:other";
    if (type !== "disconnect") this.#emit({ type, address: conn.endpoint, error });
    else this.#emit({ type: "error", address: conn.endpoint, error });
  }

  readable(pipe: Pipe): void {
    this.pattern.readable(pipe);
    this.recvWaiters.wakeAll();
  }

  writable(_pipe: Pipe): void {
    this.sendWaiters.wakeAll();
  }

  wakeReceivers(): void {
    this.recvWaiters.wakeAll();
  }

  #newPipe(endpoint: string): Pipe {
    return new Pipe(this, endpoint, this.opts.sendHighWaterMark, this.opts.receiveHighWaterMark);
  }

  /** Ends `pipe` for good: its queue is dropped and the socket type forgets it. */
  endPipe(pipe: Pipe): void {
    if (pipe.ended) return;
    pipe.ended = true;
    pipe.dropOut();
    this.pattern.detach(pipe);
  }

  #spawn(fn: () => Promise<void>, name: string): void {
    const gt = spawn(fn);
    gt.name = name;
    this.#threads.add(gt);
    gt.link(() => this.#threads.delete(gt));
  }

  /** Binds and starts accepting; resolves with the endpoint bound (its real port). */
  async bind(endpoint: string): Promise<void> {
    const ep = parseEndpoint(endpoint, "bind", true);
    if (this.closed) throw closedError("bind");
    if (ep.transport === "ipc") await remove(ep.path).catch(() => {}); // a stale socket file, as libzmq does
    let listener: GreenListener;
    try {
      listener = ep.transport === "tcp"
        ? listen({ hostname: ep.hostname, port: ep.port })
        : listen({ transport: "unix", path: ep.path });
      await listener.listening();
    } catch (error) {
      throw new ZmqError("EADDRINUSE", `Cannot bind to ${endpoint}: ${(error as Error).message}`, { cause: error });
    }
    const addr = listener.addr;
    const bound = formatEndpoint(addr.transport === "tcp" && ep.transport === "tcp" ? { ...ep, port: addr.port } : ep);
    if (this.closed) {
      listener.close();
      throw closedError("bind");
    }
    const b: Bound = { endpoint: bound, listener, conns: new Set() };
    this.#binds.set(bound, b);
    if (bound !== endpoint) this.#binds.set(endpoint, b);
    this.lastEndpoint = bound;
    this.#spawn(() => this.#accept(b, ep), `zmq accept(${bound})`);
    this.#emit({ type: "bind", address: bound });
  }

  async #accept(b: Bound, ep: Endpoint): Promise<void> {
    try {
      for await (const sock of b.listener) {
        const conn = new Connection(sock, this, b.endpoint);
        b.conns.add(conn);
        this.#conns.add(conn);
        this.#emit({ type: "accept", address: b.endpoint });
        this.#spawn(async () => {
          await conn.run();
          b.conns.delete(conn);
        }, `zmq session(${b.endpoint})`);
      }
    } catch {
      // The listener closed (unbind, close).
    } finally {
      if (ep.transport === "ipc") await remove(ep.path).catch(() => {});
    }
  }

  /** Stops listening on `endpoint` and ends the sessions it accepted. */
  unbind(endpoint: string): void {
    const b = this.#binds.get(endpoint);
    if (b === undefined) throw new ZmqError("EINVAL", `Cannot unbind ${endpoint}: the socket is not bound to it`);
    for (const [key, value] of this.#binds) if (value === b) this.#binds.delete(key);
    b.listener.close();
    for (const conn of b.conns) conn.close(0);
  }

  /** Starts connecting to `endpoint` (and reconnecting while the socket lives). */
  connect(endpoint: string): void {
    const ep = parseEndpoint(endpoint, "connect", false);
    if (this.closed) throw closedError("connect");
    if (this.#connects.has(endpoint)) return;
    const pipe = this.#newPipe(endpoint);
    pipe.reconnects = true;
    const c = new Connector(this, endpoint, ep, pipe);
    this.#connects.set(endpoint, c);
    this.pattern.attach(pipe);
    this.#spawn(() => c.run(), `zmq connect(${endpoint})`);
  }

  /** Stops connecting to `endpoint`, ending its session and its queue. */
  disconnect(endpoint: string): void {
    const c = this.#connects.get(endpoint);
    if (c === undefined) {
      throw new ZmqError("EINVAL", `Cannot disconnect ${endpoint}: the socket is not connected to it`);
    }
    this.#connects.delete(endpoint);
    c.stop(0);
  }

  /** A session a connector opened (so `close()` reaches it). */
  track(conn: Connection): void {
    this.#conns.add(conn);
    this.#emit({ type: "connect", address: conn.endpoint });
  }

  /** Closes: stops accepting and connecting, flushes live sessions for up to `linger` ms. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recvWaiters.failAll(closedError("receive"));
    this.sendWaiters.failAll(closedError("send"));
    for (const b of new Set(this.#binds.values())) b.listener.close();
    this.#binds.clear();
    const linger = this.opts.linger;
    this.#lingerUntil = Date.now() + linger;
    for (const c of this.#connects.values()) {
      // Not connected, with messages queued: it keeps trying to deliver them for up to linger ms, as libzmq does.
      if (c.connected || linger === 0 || !c.pipe.hasOut) c.stop(linger);
      else if (linger > 0) c.stopAfter(linger);
    }
    this.#connects.clear();
    for (const conn of this.#conns) conn.close(this.opts.linger);
    for (const pipe of [...this.pattern.pipes]) {
      if (!pipe.live && !(pipe.reconnects && pipe.hasOut)) this.endPipe(pipe);
    }
    this.#emit({ type: "close" });
  }

  /** Resolves when every thread of the socket has ended (after `close()`). */
  async settled(): Promise<void> {
    while (this.#threads.size > 0) {
      await Promise.all([...this.#threads].map((t) => t.wait().catch(() => {})));
    }
  }
}

/** The error of an operation on a closed socket. */
export function closedError(op: string): ZmqError {
  return new ZmqError("EBADF", `Cannot ${op}: the socket is closed`);
}
