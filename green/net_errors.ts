/**
 * The errors green sockets throw for conditions callers branch on. Each sets
 * `name`, so code that may meet two copies of evy (JSR and npm) can test
 * `error.name` instead of `instanceof`.
 *
 * @module
 */

/**
 * Two green threads used one socket the same way at once: a second reader
 * while a `recv` is blocked, a second writer while a `send` is blocked, or a
 * second `accept` on a listener. The second caller gets it at once, as in
 * Eventlet; the first is not disturbed.
 *
 * @example
 * ```ts
 * import { ConcurrentAccessError, connect, listen } from "@evy/evy/green/net";
 * import { spawn, sleep } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * await using client = await connect(server.addr);
 * const reader = spawn(() => client.recv(10));
 * await sleep(0); // the reader blocks in recv()
 * await assert.rejects(client.recv(10), ConcurrentAccessError);
 * client.close();
 * await assert.rejects(reader.wait());
 * ```
 */
export class ConcurrentAccessError extends Error {
  /** Creates the error; `message` says which operation on which socket. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConcurrentAccessError";
  }
}

/**
 * A blocking socket operation outlasted the socket's timeout (see
 * `GreenSocket.setTimeout`). The operation is abandoned, never half-done on
 * the reading side: bytes that arrive later are kept for the next `recv`.
 *
 * @example
 * ```ts
 * import { connect, listen, SocketTimeout } from "@evy/evy/green/net";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * await using client = await connect(server.addr);
 * client.setTimeout(10);
 * await assert.rejects(client.recv(10), SocketTimeout);
 * ```
 */
export class SocketTimeout extends Error {
  /** The timeout that expired, in ms. */
  readonly timeoutMs: number;
  /** Creates the error for an operation that waited `timeoutMs`. */
  constructor(message: string, timeoutMs: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "SocketTimeout";
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The socket (or listener) was closed: by `close()` while a thread was blocked
 * on it (that thread wakes with this error), or before the call.
 *
 * @example
 * ```ts
 * import { connect, listen, SocketClosedError } from "@evy/evy/green/net";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * const client = await connect(server.addr);
 * client.close();
 * await assert.rejects(client.recv(1), SocketClosedError);
 * ```
 */
export class SocketClosedError extends Error {
  /** Creates the error; `message` says which operation on which socket. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SocketClosedError";
  }
}

/**
 * `readExactly(n)` met the end of the stream first. `partial` holds the bytes
 * that did arrive (they are consumed).
 *
 * @example
 * ```ts
 * import { IncompleteReadError } from "@evy/evy/green/net";
 * import assert from "node:assert/strict";
 *
 * const e = new IncompleteReadError(new Uint8Array([1, 2]), 4);
 * assert.equal(e.partial.length, 2);
 * assert.equal(e.expected, 4);
 * ```
 */
export class IncompleteReadError extends Error {
  /** The bytes read before the end of the stream. */
  readonly partial: Uint8Array;
  /** How many bytes were asked for. */
  readonly expected: number;
  /** Creates the error for a read of `expected` bytes that got only `partial`. */
  constructor(partial: Uint8Array, expected: number, options?: ErrorOptions) {
    super(`Cannot read ${expected} bytes: stream ended after ${partial.length}`, options);
    this.name = "IncompleteReadError";
    this.partial = partial;
    this.expected = expected;
  }
}
