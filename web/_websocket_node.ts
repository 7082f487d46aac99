/**
 * The websocket engine on the npm `ws` package, for Node: the upgrade's raw
 * socket comes from `_server_node.ts` through `_upgrade_registry.ts`, so it
 * only works under evy's `serve()`. Internal; see `_websocket_backend.ts`.
 *
 * @module
 */
import { createRequire } from "node:module";
import type { WebSocket as WsSocket, WebSocketServer as WsServer } from "ws";
import { takeUpgrade, upgradeResponse } from "./_upgrade_registry.ts";
import type { WebSocketBackend, WebSocketPort, WebSocketSink } from "./_websocket_backend.ts";

let server: WsServer | undefined;
const chosen = new WeakMap<object, string>();

function wsServer(): WsServer {
  if (server === undefined) {
    const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");
    server = new WebSocketServer({
      noServer: true,
      handleProtocols: (_offered: Set<string>, request: object) => chosen.get(request) ?? false,
    });
  }
  return server;
}

function upgrade(req: Request, protocol: string | undefined): { response: Response; port: WebSocketPort } {
  const parked = takeUpgrade(req);
  if (parked === undefined) {
    throw new TypeError("websocket: on Node, websockets need evy's serve() (it hands over the upgrade's socket)");
  }
  const request = parked.request as import("node:http").IncomingMessage;
  if (protocol !== undefined) chosen.set(request, protocol);
  let socket: WsSocket | undefined;
  let sink: WebSocketSink | undefined;
  wsServer().handleUpgrade(request, parked.socket as import("node:net").Socket, parked.head as Buffer, (ws) => {
    socket = ws;
    ws.binaryType = "nodebuffer";
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      sink?.message(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString("utf8"));
    });
    ws.on("close", (code: number, reason: Buffer) => sink?.close(code, reason.toString("utf8")));
    ws.on("error", (error: Error) => sink?.error(error));
    sink?.open();
  });
  const port: WebSocketPort = {
    attach(next: WebSocketSink): void {
      sink = next;
      if (socket !== undefined) next.open();
    },
    send: (data) => socket?.send(data),
    close: (code, reason) => socket?.close(code, reason),
    terminate(): boolean {
      if (socket !== undefined) socket.terminate();
      else (parked.socket as import("node:net").Socket).destroy();
      return true;
    },
    get bufferedAmount(): number {
      return socket?.bufferedAmount ?? 0;
    },
  };
  return { response: upgradeResponse(), port };
}

/** The engine on the `ws` package. */
export const nodeWebSocketBackend: WebSocketBackend = { upgrade };
