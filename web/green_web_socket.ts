/**
 * {@linkcode GreenWebSocket}: the server side of one websocket, as
 * `websocket(handler)` hands it to `handler` (Eventlet's `WebSocket`).
 * Every wait on it is a green wait, listed by the hub and interrupted by
 * kill and `Timeout`.
 *
 * @module
 */
import { suspend } from "../core/suspend.ts";
import type { WebSocketPort } from "./_websocket_backend.ts";
import { shown } from "./_checks.ts";

/** Thrown by `send` on a websocket that is closing or closed. */
export class WebSocketClosedError extends Error {
  /** Creates the error; the message says what was attempted. */
  constructor(message = "Cannot send: the websocket is closed", options?: ErrorOptions) {
    super(message, options);
    this.name = "WebSocketClosedError";
  }
}

/** A websocket message: a `string` for a text frame, a `Uint8Array` for a binary one. */
export type WebSocketMessage = string | Uint8Array;
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * One accepted websocket (see the module doc).
 *
 * @example Echo until the client closes
 * ```ts
 * import { type GreenWebSocket, serve, websocket } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const app = websocket(async (ws: GreenWebSocket) => {
 *   seen.push(ws.path);
 *   for await (const message of ws) ws.send(message);
 * });
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, app);
 * const client = new WebSocket(`ws://127.0.0.1:${server.addr.port}/room?id=1`);
 * await new Promise((resolve) => client.onopen = resolve);
 * client.send("ping");
 * assert.equal((await new Promise<MessageEvent>((resolve) => client.onmessage = resolve)).data, "ping");
 * client.close(1000);
 * await new Promise((resolve) => client.onclose = resolve);
 * assert.deepEqual(seen, ["/room?id=1"]);
 * ```
 */
export class GreenWebSocket {
  /** The request path with its query string. */
  readonly path: string;
  /** The upgrade request's headers. */
  readonly headers: Headers;
  /** The accepted subprotocol (`""` when none). */
  readonly protocol: string;
  /** The upgrade request. */
  readonly request: Request;
  #port: WebSocketPort;
  #state = CONNECTING;
  #inbox: WebSocketMessage[] = [];
  #waiters: ((value: void) => void)[] = [];
  #pending: WebSocketMessage[] = [];
  #closeCode: number | undefined;
  #closeReason = "";

  /** Made by `websocket()`; not constructed directly. */
  constructor(port: WebSocketPort, request: Request, protocol: string) {
    this.#port = port;
    this.request = request;
    this.headers = request.headers;
    this.protocol = protocol;
    const url = request.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    this.path = start < 0 ? "/" : url.slice(start);
    port.attach({
      open: () => {
        if (this.#state !== CONNECTING) return;
        this.#state = OPEN;
        for (const message of this.#pending) port.send(message);
        this.#pending = [];
        this.#wake();
      },
      message: (data) => {
        this.#inbox.push(data);
        this.#wake();
      },
      close: (code, reason) => {
        this.#state = CLOSED;
        // Deno reports a dropped connection as 0; RFC 6455 calls it 1006.
        this.#closeCode = code >= 1000 && code <= 4999 ? code : 1006;
        this.#closeReason = reason;
        this.#pending = [];
        this.#wake();
      },
      error: () => {},
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #park(description: string): Promise<void> {
    return suspend<void>((resolve) => {
      this.#waiters.push(resolve);
      return () => {
        const i = this.#waiters.indexOf(resolve);
        if (i >= 0) this.#waiters.splice(i, 1);
      };
    }, description);
  }

  /** `true` once the closing handshake has finished (or the connection dropped). */
  get closed(): boolean {
    return this.#state === CLOSED;
  }

  /** The close code received, once closed (1005 when the peer gave none, 1006 when the connection dropped). */
  get closeCode(): number | undefined {
    return this.#closeCode;
  }

  /** The close reason received, once closed. */
  get closeReason(): string {
    return this.#closeReason;
  }

  /**
   * Closes the connection at once, without the closing handshake (a peer
   * that does not answer). Returns `false` when the engine cannot: Deno's
   * `upgradeWebSocket` has no such call, so there the connection stays open
   * until the peer leaves or the process ends.
   */
  terminate(): boolean {
    return this.#port.terminate();
  }

  /** Bytes queued for sending. */
  get bufferedAmount(): number {
    return this.#port.bufferedAmount;
  }

  /** Waits (greenly) until the socket is open; resolves `false` if it closed first. */
  async opened(): Promise<boolean> {
    while (this.#state === CONNECTING) await this.#park(`ws.opened(${this.path})`);
    return this.#state === OPEN || this.#state === CLOSING;
  }

  /**
   * Waits (greenly) for the next message: a `string` for a text frame, a
   * `Uint8Array` for a binary one, `null` once the socket is closed (messages
   * that arrived before the close are delivered first).
   */
  async wait(): Promise<WebSocketMessage | null> {
    for (;;) {
      const next = this.#inbox.shift();
      if (next !== undefined) return next;
      if (this.#state === CLOSED) return null;
      await this.#park(`ws.wait(${this.path})`);
    }
  }

  /**
   * Sends a text frame (string) or a binary frame (bytes). Before the socket
   * is open, the message is queued and sent on open.
   *
   * @throws {WebSocketClosedError} When the socket is closing or closed.
   */
  send(data: string | Uint8Array): void {
    if (typeof data !== "string" && !(data instanceof Uint8Array)) {
      throw new TypeError("GreenWebSocket.send: data must be a string or a Uint8Array");
    }
    if (this.#state === CONNECTING) this.#pending.push(data);
    else if (this.#state === OPEN) this.#port.send(data);
    else throw new WebSocketClosedError(`Cannot send on websocket ${this.path}: it is closed`);
  }

  /**
   * Starts the closing handshake with `code` and `reason` and waits (greenly)
   * until it has finished. Closing a closed socket does nothing.
   *
   * @throws {RangeError} When `code` is not 1000, 1001, 1011 or an integer in 3000–4999.
   * @throws {TypeError} When `reason` is not a string.
   */
  async close(code = 1000, reason = ""): Promise<void> {
    if (
      !(code === 1000 || code === 1001 || code === 1011 || (Number.isInteger(code) && code >= 3000 && code <= 4999))
    ) {
      throw new RangeError(
        `GreenWebSocket.close: code must be 1000, 1001, 1011 or an integer from 3000 to 4999, got ${shown(code)}`,
      );
    }
    if (typeof reason !== "string") {
      throw new TypeError(`GreenWebSocket.close: reason must be a string, got ${shown(reason)}`);
    }
    if (this.#state === CONNECTING) await this.opened();
    if (this.#state === OPEN) {
      this.#state = CLOSING;
      this.#port.close(code, reason);
    }
    while (this.#state !== CLOSED) await this.#park(`ws.close(${this.path})`);
  }

  /** Iterates the messages until the socket closes (`for await (const m of ws)`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<WebSocketMessage, void, undefined> {
    for (let message = await this.wait(); message !== null; message = await this.wait()) yield message;
  }
}
