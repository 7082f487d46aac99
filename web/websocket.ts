/**
 * `websocket(handler)`: Eventlet's `WebSocketWSGI`. It wraps
 * `async (ws) => {...}` into a Fetch handler that upgrades the request and
 * runs `handler` in a green thread — under evy's {@linkcode serve}, the
 * request's own thread, so an open websocket holds one of the server's
 * `maxSize` slots. `ws.wait()` is a green wait (kill and `Timeout` interrupt
 * it) resolving to the next message, a `string` or a `Uint8Array`, or `null`
 * once the socket is closed. A request that is not a valid websocket upgrade
 * gets 400, as in Eventlet. When `handler` returns, the socket is closed
 * (1000); when its thread is killed (server shutdown), with 1001; a peer
 * that does not answer the close frame within `closeTimeoutMs` has its
 * connection closed (on Node; Deno has no call for it, see
 * {@linkcode GreenWebSocket.terminate}). A dropped connection reads as close
 * code 1006.
 *
 * Protocol errors (an unmasked client frame, invalid UTF-8, a frame over the
 * limit): on Node the `ws` package answers with RFC 6455's close code (1002,
 * 1007, 1009); Deno 2.9's engine drops the connection without a close frame
 * (the handler sees 1006, or 1005 for an unmasked frame). Run on Node where
 * peers need the close code.
 *
 * RFC 6455 comes from `Deno.upgradeWebSocket` on Deno and the `ws` package on
 * Node. Under a plain `Deno.serve`, the handler runs in a new green thread.
 *
 * @example An echo server
 * ```ts
 * import { serve, websocket } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * const echo = websocket(async (ws) => {
 *   for (let m = await ws.wait(); m !== null; m = await ws.wait()) ws.send(m);
 * });
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, echo);
 * const client = new WebSocket(`ws://127.0.0.1:${server.addr.port}/echo`);
 * await new Promise((resolve) => client.onopen = resolve);
 * client.send("hello");
 * const reply = await new Promise<MessageEvent>((resolve) => client.onmessage = resolve);
 * assert.equal(reply.data, "hello");
 * client.close();
 * await new Promise((resolve) => client.onclose = resolve);
 * ```
 *
 * @module
 */
import { GreenletExit, spawn } from "../core/green_thread.ts";
import { getHub } from "../hubs/mod.ts";
import { withTimeout } from "../core/timeout.ts";
import { addAfterResponse, beforeUpgrade, upgradesRefused } from "./_request_info.ts";
import { GreenWebSocket } from "./green_web_socket.ts";
import { backends } from "./_backends.ts";
import { checkMs, shown } from "./_checks.ts";

export { GreenWebSocket, WebSocketClosedError, type WebSocketMessage } from "./green_web_socket.ts";

/** Runs on each accepted websocket. */
export type WebSocketHandler = (ws: GreenWebSocket) => unknown;

/** Options for {@linkcode websocket}. */
export interface WebSocketOptions {
  /** Subprotocols this endpoint speaks; the first one the client offers is accepted. */
  protocols?: string[];
  /** How long the closing handshake may take when the handler ends. @default {1000} */
  closeTimeoutMs?: number;
}

function checkWebSocketOptions(options: WebSocketOptions): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`websocket: options must be an object, got ${shown(options)}`);
  }
  const { protocols } = options;
  if (protocols !== undefined && !(Array.isArray(protocols) && protocols.every((p) => typeof p === "string"))) {
    throw new TypeError(`websocket: protocols must be an array of strings, got ${shown(protocols)}`);
  }
  checkMs("websocket", "closeTimeoutMs", options.closeTimeoutMs);
}

function hasToken(value: string | null, token: string): boolean {
  return value !== null && value.toLowerCase().split(",").some((part) => part.trim() === token);
}

/** `true` when `req` is a valid RFC 6455 upgrade request. */
export function isWebSocketUpgrade(req: Request): boolean {
  const h = req.headers;
  const key = h.get("sec-websocket-key");
  return req.method === "GET" && hasToken(h.get("upgrade"), "websocket") && hasToken(h.get("connection"), "upgrade") &&
    key !== null && /^[A-Za-z0-9+/]{22}==$/.test(key.trim()) && h.get("sec-websocket-version")?.trim() === "13";
}

function pickProtocol(req: Request, protocols: string[] | undefined): string | undefined {
  if (protocols === undefined) return undefined;
  const offered = (req.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  return offered.find((p) => protocols.includes(p));
}

async function session(ws: GreenWebSocket, handler: WebSocketHandler, closeTimeoutMs: number): Promise<void> {
  let code = 1000;
  try {
    if (await ws.opened()) await handler(ws);
  } catch (error) {
    code = error instanceof GreenletExit ? 1001 : 1011;
    if (code === 1011) {
      getHub().reportError({ error, context: `websocket handler for ${ws.path}`, spawnStack: undefined });
    }
  } finally {
    if (!ws.closed) await withTimeout(closeTimeoutMs, () => ws.close(code), { timeoutValue: undefined });
    // A peer that did not answer the close frame in time: close the connection.
    if (!ws.closed) ws.terminate();
  }
}

/**
 * Wraps `handler` into a Fetch handler that accepts websockets (see the
 * module doc). A request that is not an upgrade gets 400; an upgrade to a
 * server started with `websockets: false` gets 501.
 *
 * @param handler Runs once per websocket, in a green thread.
 * @param options Subprotocols and the close timeout.
 * @returns A handler for {@linkcode serve} (or `Deno.serve`).
 * @throws {TypeError} When `handler` is not a function, or `protocols` not an array of strings.
 * @throws {RangeError} When `closeTimeoutMs` is negative.
 *
 * @example A plain request gets 400
 * ```ts
 * import { serve, websocket } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * const echo = websocket(async (ws) => {
 *   for (let msg = await ws.wait(); msg !== null; msg = await ws.wait()) ws.send(msg);
 * });
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, echo);
 * const plain = await fetch(`http://127.0.0.1:${server.addr.port}/`); // not an upgrade
 * assert.equal(plain.status, 400);
 * await plain.body?.cancel();
 * ```
 */
export function websocket(
  handler: WebSocketHandler,
  options: WebSocketOptions = {},
): (req: Request, info?: unknown) => Response {
  if (typeof handler !== "function") {
    throw new TypeError(`websocket: handler must be a function, got ${shown(handler)}`);
  }
  checkWebSocketOptions(options);
  const closeTimeoutMs = options.closeTimeoutMs ?? 1000;
  return (req: Request, info?: unknown): Response => {
    if (!isWebSocketUpgrade(req)) {
      return new Response("Bad Request: expected a websocket upgrade\r\n", {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    if (upgradesRefused(info)) {
      return new Response(
        "Websocket upgrades are off on this server (websockets: false; evy serve: add --websockets)\r\n",
        { status: 501, headers: { "content-type": "text/plain; charset=utf-8" } },
      );
    }
    const protocol = pickProtocol(req, options.protocols);
    beforeUpgrade(info);
    const { response, port } = backends().websocket.upgrade(req, protocol);
    const ws = new GreenWebSocket(port, req, protocol ?? "");
    const run = (): Promise<void> => session(ws, handler, closeTimeoutMs);
    if (!addAfterResponse(info, run)) spawn(run);
    return response;
  };
}
