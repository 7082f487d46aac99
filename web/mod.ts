/**
 * evy's web server: {@linkcode serve} runs a Fetch handler on the runtime's
 * HTTP engine with each request in a green thread (Eventlet's `wsgi.server`),
 * and {@linkcode websocket} turns `async (ws) => {...}` into a handler that
 * accepts websockets (Eventlet's `WebSocketWSGI`).
 *
 * @example Hello world and a websocket echo on one server
 * ```ts
 * import { serve, websocket } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * const echo = websocket(async (ws) => {
 *   for await (const message of ws) ws.send(message);
 * });
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, (req, info) => {
 *   if (new URL(req.url).pathname === "/echo") return echo(req, info);
 *   return new Response("Hello, World!\r\n");
 * });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * assert.equal(await res.text(), "Hello, World!\r\n");
 * ```
 *
 * @module
 */
export {
  type Handler,
  type NetAddr,
  PayloadTooLargeError,
  type Posthook,
  type RemoteAddr,
  type RequestDone,
  serve,
  type ServeInfo,
  type ServeOptions,
  Server,
  type ServerAddr,
  type ShutdownOptions,
  type UnixAddr,
} from "./server.ts";
export { formatLogDate, formatLogEntry, type LogEntry, type StderrLog, stderrLog } from "./access_log.ts";
export {
  GreenWebSocket,
  isWebSocketUpgrade,
  websocket,
  WebSocketClosedError,
  type WebSocketHandler,
  type WebSocketMessage,
  type WebSocketOptions,
} from "./websocket.ts";
