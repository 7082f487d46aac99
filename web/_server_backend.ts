/**
 * The contract between `web/server.ts` and a runtime's HTTP engine:
 * `_server_deno.ts` implements it on `Deno.serve`, `_server_node.ts` on
 * `node:http`. The engine parses requests and writes responses; the server
 * decides, in a green thread per request, what the response is.
 *
 * @module
 */

/** A TCP address the server listens on. */
export interface NetAddr {
  /** Always `"tcp"`. */
  transport: "tcp";
  /** The interface bound, e.g. `127.0.0.1`. */
  hostname: string;
  /** The port bound (the real one when 0 was asked for). */
  port: number;
}

/** A Unix socket the server listens on. */
export interface UnixAddr {
  /** Always `"unix"`. */
  transport: "unix";
  /** The socket's path. */
  path: string;
}

/** Where the server listens. */
export type ServerAddr = NetAddr | UnixAddr;

/** The client's address, as far as the engine knows it. */
export interface RemoteAddr {
  /** How the client is connected. */
  transport: "tcp" | "unix";
  /** The client's IP address (`""` when unknown, e.g. on a Unix socket). */
  hostname: string;
  /** The client's port (0 when unknown). */
  port: number;
}

/** What the engine needs to start listening. */
export interface BackendListenOptions {
  port: number;
  hostname: string;
  path: string | undefined;
  reusePort: boolean;
  /** `false`: no upgrades will be asked for, so the engine may pick one that cannot upgrade. */
  websockets: boolean;
  cert: string | undefined;
  key: string | undefined;
}

/** One request as the engine hands it over. */
export interface BackendConn {
  /** The client; read at request start (Deno's throws after an upgrade). */
  readonly remoteAddr: RemoteAddr;
  /** The HTTP version for the access log (`HTTP/1.1`). */
  readonly httpVersion: string;
  /** Settles once the response is fully sent or the connection is gone. */
  readonly completed: Promise<unknown>;
  /**
   * Calls `cb` if the client goes away before the response is handed to the
   * engine — at once if it already has; returns the unsubscriber. Engines may
   * start watching lazily.
   */
  onDisconnect(cb: () => void): () => void;
  /**
   * Whether `error`, thrown by the handler after it read the request body,
   * says the client went away mid-upload (so the request is a 499, not a
   * handler failure).
   */
  lostClient(error: unknown): boolean;
}

/**
 * Called by the engine for every request; resolves with the response to
 * write. A response whose body is a stream is read by the engine as it sends;
 * cancelling that stream is how the engine says the client went away.
 */
export type Dispatch = (req: Request, conn: BackendConn) => Promise<Response>;

/** A listening (or about to listen) engine. */
export interface BackendServer {
  /** Resolves once listening (at once on Deno); rejects if binding failed. */
  readonly ready: Promise<void>;
  /** Where it listens. @throws {Error} Before `ready` (Node binds asynchronously). */
  readonly addr: ServerAddr;
  /** Stops accepting; resolves once in-flight requests have been answered. */
  shutdown(): Promise<void>;
  /** Closes every connection still open, upgraded ones included (the end of `drainMs`). */
  closeAll(): void;
  /** Resolves once the engine has closed. */
  readonly finished: Promise<void>;
}

/** A runtime's HTTP engine. */
export interface ServerBackend {
  listen(options: BackendListenOptions, dispatch: Dispatch): BackendServer;
  /**
   * The body's byte length when the engine can send `res` without streaming
   * it (a string, bytes, a blob); `undefined` for a stream of unknown length.
   * With `exact: false` a string's UTF-8 bytes are not counted (its UTF-16
   * length comes back instead), for a caller that only asks whether the body
   * is static: counting costs a pass over the string.
   */
  staticBodyLength(res: Response, exact?: boolean): number | undefined;
}
