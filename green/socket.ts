/**
 * {@linkcode GreenSocket}: a connection that reads like blocking code and waits
 * cooperatively (Eventlet's `GreenSocket`), and is also a drop-in `Deno.Conn`.
 *
 * Rules every method keeps:
 * - At most one read op and one write op of the runtime are outstanding per
 *   socket. A `recv` interrupted by kill, a Timeout or the socket timeout leaves
 *   its op running; the bytes it brings are kept for the next `recv`.
 * - A second thread reading (or writing) while one is blocked gets
 *   {@linkcode ConcurrentAccessError} at once.
 * - A write that was interrupted may still send its bytes: later writes wait
 *   for it, so the order on the wire is the order of the calls.
 * - `close()` wakes blocked readers and writers with {@linkcode SocketClosedError}.
 * - Reads use an adaptive buffer (512 B to 64 KiB): an idle socket pins little memory.
 *
 * @module
 */
import { formatAddr } from "./_net_backend.ts";
import type { Addr, RawConn, TlsHandshakeInfo } from "./_net_backend.ts";
import { checkCount, checkTimeout, describe } from "../core/internal.ts";
import { detachRaw, ioPromise, toBytes, unread, wrap } from "./_net_internal.ts";
import { MAX_READ, SocketReader } from "./_socket_reader.ts";
import { SocketWriter } from "./_socket_writer.ts";
import { ConcurrentAccessError, SocketClosedError } from "./net_errors.ts";
import { SocketFile } from "./makefile.ts";

/** How `shutdown` closes: `"read"`, `"write"` or `"both"` (Python's SHUT_RD, SHUT_WR, SHUT_RDWR). */
export type ShutdownHow = "read" | "write" | "both";

/** `sendall` resolves with nothing: the count is `send`'s business. */
function discard(): void {}

/**
 * A green TCP, Unix or TLS connection, made by `connect`, `connectTls`,
 * `startTls` or a listener's `accept`. See the module doc for its guarantees.
 *
 * @example Echo one message
 * ```ts
 * import { connect, listen } from "@evy/evy/green/net";
 * import { spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * const echo = spawn(async () => {
 *   await using sock = await server.accept();
 *   for (let data = await sock.recv(1024); data.length > 0; data = await sock.recv(1024)) await sock.sendall(data);
 * });
 * await using client = await connect(server.addr);
 * await client.sendall("hello");
 * assert.equal(new TextDecoder().decode(await client.recv(5)), "hello");
 * await client.shutdown("write");
 * await echo.wait();
 * ```
 */
export class GreenSocket implements AsyncDisposable, Disposable {
  #raw: RawConn;
  #reader: SocketReader;
  #writer: SocketWriter;
  #closed = false;
  #timeoutMs: number | null = null;
  #readable: ReadableStream<Uint8Array> | undefined;
  #writable: WritableStream<Uint8Array> | undefined;

  /**
   * Sockets are made by `connect` and `accept`.
   *
   * @ignore
   */
  private constructor(raw: RawConn) {
    this.#raw = raw;
    this.#reader = new SocketReader(raw, raw.remoteAddr);
    this.#writer = new SocketWriter(raw, raw.remoteAddr);
  }

  static {
    wrap.socket = (raw) => new GreenSocket(raw);
  }

  /** The local address. */
  get localAddr(): Addr {
    return this.#raw.localAddr;
  }

  /** The peer's address (Eventlet's `addr` of `accept()`'s pair). */
  get remoteAddr(): Addr {
    return this.#raw.remoteAddr;
  }

  /** The socket timeout in ms, or `null` (the default): see {@linkcode GreenSocket.setTimeout}. */
  get timeoutMs(): number | null {
    return this.#timeoutMs;
  }

  /** `true` once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sets how long each blocking call (`recv`, `send`, `sendall` as a whole,
   * `closeWrite`, `handshake`) may wait before rejecting with `SocketTimeout`;
   * `null` waits forever. Unlike Eventlet, in ms.
   *
   * @throws {RangeError} When `ms` is negative or not a number.
   */
  setTimeout(ms: number | null): void {
    this.#timeoutMs = checkTimeout("GreenSocket.setTimeout", ms, "ms") ?? null;
  }

  /**
   * Receives up to `maxBytes` bytes: what is buffered, else waits for the next
   * chunk. Resolves with an empty array at end of stream.
   *
   * @throws {SocketClosedError} When the socket is or gets closed.
   * @throws {ConcurrentAccessError} When another thread is blocked reading.
   * @throws {SocketTimeout} When the socket timeout expires first.
   */
  recv(maxBytes = 65536): Promise<Uint8Array> {
    checkCount("GreenSocket.recv", "maxBytes", maxBytes, 1);
    if (this.#closed) return Promise.reject(this.#closedError("recv"));
    if (this.#reader.busy) return Promise.reject(this.#busyError("recv"));
    return this.#reader.recv(maxBytes, this.#timeoutMs);
  }

  /** @internal Puts `bytes` back in front of the read buffer. */
  [unread](bytes: Uint8Array): void {
    this.#reader.unread(bytes);
  }

  /**
   * Receives into `buffer` (up to `nbytes`, default its length); resolves with
   * the count, 0 at end of stream. Same errors as `recv`.
   */
  async recvInto(buffer: Uint8Array, nbytes: number = buffer.length): Promise<number> {
    if (!(buffer instanceof Uint8Array)) throw new TypeError("GreenSocket.recvInto: buffer must be a Uint8Array");
    if (nbytes === 0) return 0;
    const chunk = await this.recv(Math.min(checkCount("GreenSocket.recvInto", "nbytes", nbytes, 1), buffer.length));
    buffer.set(chunk);
    return chunk.length;
  }

  /** `Deno.Conn.read`: like `recvInto`, but resolves with `null` at end of stream. */
  async read(p: Uint8Array): Promise<number | null> {
    if (!(p instanceof Uint8Array)) throw new TypeError("GreenSocket.read: p must be a Uint8Array");
    if (p.length === 0) return 0;
    const chunk = await this.recv(p.length);
    if (chunk.length === 0) return null;
    p.set(chunk);
    return chunk.length;
  }

  /**
   * Sends some of `data` (strings as UTF-8) in one write and resolves with the
   * number of bytes sent, which may be fewer than asked.
   *
   * @throws {SocketClosedError} When the socket is or gets closed.
   * @throws {ConcurrentAccessError} When another thread is blocked writing.
   * @throws {SocketTimeout} When the socket timeout expires first.
   */
  send(data: Uint8Array | string): Promise<number> {
    return this.#write(toBytes(data, "GreenSocket.send"), false, "send");
  }

  /** `Deno.Conn.write`: same as {@linkcode GreenSocket.send}. */
  write(p: Uint8Array): Promise<number> {
    return this.send(p);
  }

  /**
   * Sends all of `data` (strings as UTF-8), waiting as long as the peer takes
   * to read it: back-pressure, with no copy of `data`.
   *
   * @throws {SocketClosedError} When the socket is or gets closed.
   * @throws {ConcurrentAccessError} When another thread is blocked writing.
   * @throws {SocketTimeout} When the socket timeout expires first.
   */
  sendall(data: Uint8Array | string): Promise<void> {
    // Resolves with the length, typed void: one promise less than awaiting it here.
    return this.#write(toBytes(data, "GreenSocket.sendall"), true, "sendall").then(discard);
  }

  #write(bytes: Uint8Array, all: boolean, op: string): Promise<number> {
    if (this.#closed) return Promise.reject(this.#closedError(op));
    if (this.#writer.busy) return Promise.reject(this.#busyError(op));
    if (this.#writer.error !== undefined) return Promise.reject(this.#writer.error);
    if (bytes.length === 0) return Promise.resolve(0);
    return this.#writer.write(bytes, all, op, this.#timeoutMs);
  }

  /**
   * Half-closes the socket after every write issued so far: the peer reads end
   * of stream, and this side can still read.
   */
  async closeWrite(): Promise<void> {
    if (this.#closed) throw this.#closedError("closeWrite");
    if (this.#writer.busy) throw this.#busyError("closeWrite");
    await this.#writer.drain("send", this.#timeoutMs);
    await ioPromise(`closeWrite(${this.#desc})`, this.#timeoutMs, this.#raw.closeWrite());
  }

  /**
   * Shuts down reading (later `recv`s see end of stream), writing (as
   * `closeWrite`) or both. Unlike `close()`, the socket stays open.
   *
   * @throws {RangeError} When `how` is not `"read"`, `"write"` or `"both"`.
   */
  async shutdown(how: ShutdownHow = "both"): Promise<void> {
    if (how !== "read" && how !== "write" && how !== "both") {
      throw new RangeError(`GreenSocket.shutdown: how must be "read", "write" or "both", got ${describe(how)}`);
    }
    if (this.#closed) throw this.#closedError("shutdown");
    if (how !== "write") this.#reader.shutdown();
    if (how !== "read") await this.closeWrite();
  }

  /**
   * Closes the socket at once. Threads blocked on it wake with
   * `SocketClosedError`; closing twice is a no-op.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // The halves stop first, so a callback the runtime fires while closing is ignored.
    this.#reader.close(() => this.#closedError("recv"));
    this.#writer.close(() => this.#closedError("send"));
    try {
      this.#raw.close();
    } catch {
      // Already closed by the runtime (peer reset): nothing left to release.
    }
  }

  /** Closes the socket (`using`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the socket (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /** @internal Hands the backend connection over (startTls); the socket is then closed. */
  [detachRaw](): RawConn {
    if (this.#closed) throw this.#closedError("startTls");
    if (!this.#reader.idle || this.#writer.writing) {
      throw new TypeError("startTls: the socket has a read or write in progress or unread data");
    }
    this.#closed = true;
    return this.#raw;
  }

  /** TLS sockets: waits for the handshake; resolves with the ALPN protocol chosen. */
  handshake(): Promise<TlsHandshakeInfo> {
    if (this.#raw.handshake === undefined) return Promise.reject(new TypeError("handshake: not a TLS socket"));
    if (this.#closed) return Promise.reject(this.#closedError("handshake"));
    return ioPromise(`handshake(${this.#desc})`, this.#timeoutMs, this.#raw.handshake());
  }

  /** Disables (or enables) Nagle's algorithm (TCP only). */
  setNoDelay(noDelay = true): void {
    this.#raw.setNoDelay(noDelay);
  }

  /** Enables (or disables) TCP keep-alive (TCP only). */
  setKeepAlive(keepAlive = true): void {
    this.#raw.setKeepAlive(keepAlive);
  }

  /** Lets the socket keep the process alive (the default). */
  ref(): void {
    this.#raw.ref();
  }

  /** Lets the process exit while this socket is open. */
  unref(): void {
    this.#raw.unref();
  }

  /**
   * A buffered file over the socket (Eventlet's `makefile()`): `readline`,
   * `read`, `readExactly`, `write` + `flush`, line iteration. It shares the
   * socket's read buffer, so mixing it with `recv` loses nothing.
   */
  makefile(): SocketFile {
    return new SocketFile(this);
  }

  /** A byte stream of what the socket receives (`Deno.Conn.readable`); cancelling it closes the socket. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#readable ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.recv(MAX_READ);
        if (chunk.length === 0) controller.close();
        else controller.enqueue(chunk);
      },
      cancel: () => this.close(),
    });
  }

  /** A byte sink writing with `sendall` (`Deno.Conn.writable`); closing it half-closes the socket. */
  get writable(): WritableStream<Uint8Array> {
    return this.#writable ??= new WritableStream<Uint8Array>({
      write: (chunk) => this.sendall(chunk),
      close: () => this.closeWrite(),
      abort: () => this.close(),
    });
  }

  /**
   * The peer's address for messages. Trade: formatted each time it is asked
   * for (an error, a wait not on the reader or writer) rather than held by
   * every socket.
   */
  get #desc(): string {
    return formatAddr(this.#raw.remoteAddr);
  }

  #closedError(op: string): SocketClosedError {
    return new SocketClosedError(`Cannot ${op} on ${this.#desc}: the socket is closed`);
  }

  #busyError(op: string): ConcurrentAccessError {
    const kind = op === "recv" ? "reading from" : "writing to";
    return new ConcurrentAccessError(`Cannot ${op} on ${this.#desc}: another green thread is ${kind} this socket`);
  }
}
