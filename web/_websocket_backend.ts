/**
 * The contract between `web/websocket.ts` and a runtime's websocket engine:
 * `_websocket_deno.ts` implements it on `Deno.upgradeWebSocket`,
 * `_websocket_node.ts` on the npm `ws` package. Internal.
 *
 * @module
 */

/** Where an engine reports what happens on a websocket. */
export interface WebSocketSink {
  open(): void;
  message(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  error(error: unknown): void;
}

/** One upgraded websocket, as the engine exposes it. */
export interface WebSocketPort {
  /** Starts reporting to `sink`; called once, right after the upgrade. */
  attach(sink: WebSocketSink): void;
  /** Sends a frame (text for strings, binary for bytes); only once open. */
  send(data: string | Uint8Array): void;
  /** Starts the closing handshake. */
  close(code: number, reason: string): void;
  /**
   * Closes the connection without a handshake (a peer that did not answer
   * the close frame in time); `false` when the engine cannot.
   */
  terminate(): boolean;
  /** Bytes queued but not yet sent. */
  readonly bufferedAmount: number;
}

/** A runtime's websocket engine. */
export interface WebSocketBackend {
  /**
   * Upgrades `req` (already checked to be a valid websocket upgrade): returns
   * the response to hand to the server and the socket. `protocol` is the
   * subprotocol to accept, if any.
   */
  upgrade(req: Request, protocol: string | undefined): { response: Response; port: WebSocketPort };
}
