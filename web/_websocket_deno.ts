/**
 * The websocket engine on `Deno.upgradeWebSocket`. Internal; see
 * `_websocket_backend.ts`.
 *
 * @module
 */
import type { WebSocketBackend, WebSocketPort, WebSocketSink } from "./_websocket_backend.ts";

function upgrade(req: Request, protocol: string | undefined): { response: Response; port: WebSocketPort } {
  const { socket, response } = Deno.upgradeWebSocket(req, protocol === undefined ? {} : { protocol });
  socket.binaryType = "arraybuffer";
  const port: WebSocketPort = {
    attach(sink: WebSocketSink): void {
      socket.onopen = () => sink.open();
      socket.onmessage = (event: MessageEvent) => {
        const data = event.data;
        sink.message(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer));
      };
      socket.onclose = (event: CloseEvent) => sink.close(event.code, event.reason);
      socket.onerror = (event: Event) => sink.error((event as ErrorEvent).error ?? new Error("websocket error"));
    },
    send: (data) => socket.send(data),
    close: (code, reason) => socket.close(code, reason),
    // Deno 2.9 has no public way to close an upgraded connection without the handshake.
    terminate: () => false,
    get bufferedAmount(): number {
      return socket.bufferedAmount;
    },
  };
  return { response, port };
}

/** The engine on `Deno.upgradeWebSocket`. */
export const denoWebSocketBackend: WebSocketBackend = { upgrade };
