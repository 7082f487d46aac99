/**
 * A Deno HTTP engine that owns its TCP accept loop, so that `shutdown()`
 * loses no request a client has already sent. Internal to `_server_deno.ts`.
 *
 * Why: `Deno.serve`'s graceful shutdown closes, together with its listener,
 * every connection that has not yet delivered a request — including one the
 * kernel handed over a moment ago whose request is already on its way. The
 * client sees "socket hang up". In `evy serve`'s reload the old workers stop
 * while new ones accept, so under steady traffic that happened to a request
 * every few reloads (measured: 10 in 20 rounds of 8 busy clients).
 *
 * How: it listens with `Deno.listen` and hands each accepted connection to
 * Deno's own HTTP engine for that one connection (the runtime's internal
 * `serveHttpOnConnection`, the function `Deno.serve` itself is built on).
 * `shutdown()` then closes the listener first (the kernel gives connections
 * still queued on it to the other listeners of a `reusePort` group when
 * `net.ipv4.tcp_migrate_req` is 1), shuts a connection down gracefully once it
 * has delivered its first request, and gives a connection that has not
 * {@linkcode FIRST_REQUEST_GRACE_MS} to deliver one. `closeAll()` aborts every
 * connection still open.
 *
 * {@linkcode listenConnections} returns `undefined` on a Deno without that
 * internal; `_server_deno.ts` then uses `Deno.serve` as before.
 *
 * @module
 */
import type { BackendServer, NetAddr, RemoteAddr } from "./_server_backend.ts";

/** How long a connection accepted before `shutdown()` may take to deliver its first request. */
export const FIRST_REQUEST_GRACE_MS = 1000;

/** Deno's engine for one connection, as its internal `serveHttpOnConnection` returns it. */
interface ConnectionEngine {
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}

type ServeOnConnection = (
  conn: Deno.Conn,
  signal: AbortSignal,
  handler: (req: Request, info: Deno.ServeHandlerInfo<Deno.Addr>) => Response | Promise<Response>,
  onError: (error: unknown) => Response | Promise<Response>,
  onListen: () => void,
) => ConnectionEngine;

/**
 * A request handler that also learns the connection's client address.
 * `info` is Deno's `ServeHandlerInfo` (typed `unknown` so the package's types
 * name no Deno type).
 */
export type ConnHandler = (req: Request, info: unknown, remote: RemoteAddr) => Response | Promise<Response>;

function internalServeOnConnection(): ServeOnConnection | undefined {
  const deno = Deno as unknown as { internal?: symbol } & Record<symbol, unknown>;
  if (typeof deno.internal !== "symbol") return undefined;
  const internal = deno[deno.internal] as { serveHttpOnConnection?: unknown } | undefined;
  const fn = internal?.serveHttpOnConnection;
  return typeof fn === "function" ? fn as ServeOnConnection : undefined;
}

function remoteOf(conn: Deno.Conn): RemoteAddr {
  const addr = conn.remoteAddr;
  return addr.transport === "tcp" || addr.transport === "udp"
    ? { transport: "tcp", hostname: addr.hostname, port: addr.port }
    : { transport: "unix", hostname: "", port: 0 };
}

function isClosedListener(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted;
}

/** One accepted connection and what its shutdown waits for. */
class Served {
  readonly abort = new AbortController();
  engine!: ConnectionEngine;
  /** Settles once the connection is closed and its resource released. */
  finished: Promise<void> = Promise.resolve();
  delivered = false;
  #wake: (() => void) | undefined;
  #firstRequest: Promise<void> | undefined;

  /** Notes a request; wakes a shutdown waiting for the first one. */
  deliver(): void {
    if (this.delivered) return;
    this.delivered = true;
    this.#wake?.();
  }

  /** Resolves once a request has arrived or the connection closed, or after `ms`. */
  firstRequest(ms: number): Promise<void> {
    if (this.delivered) return Promise.resolve();
    return this.#firstRequest ??= new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
      void this.finished.then(this.#wake);
    });
  }
}

/**
 * Listens on TCP and serves each connection through Deno's engine, or
 * returns `undefined` (listening on nothing) when this Deno does not have it.
 */
export function listenConnections(
  options: { port: number; hostname: string; reusePort: boolean },
  handler: ConnHandler,
  onError: (error: unknown) => Response,
): BackendServer | undefined {
  const serveOn = internalServeOnConnection();
  if (serveOn === undefined) return undefined;
  const listener = Deno.listen({ port: options.port, hostname: options.hostname, reusePort: options.reusePort });
  const local = listener.addr as Deno.NetAddr;
  const addr: NetAddr = { transport: "tcp", hostname: local.hostname, port: local.port };
  const open = new Set<Served>();
  let closing = false;
  const serveOne = (conn: Deno.Conn): void => {
    const served = new Served();
    const remote = remoteOf(conn);
    const onRequest = (req: Request, info: Deno.ServeHandlerInfo<Deno.Addr>): Response | Promise<Response> => {
      served.deliver();
      return handler(req, info, remote);
    };
    try {
      served.engine = serveOn(conn, served.abort.signal, onRequest, onError, () => {});
    } catch {
      conn.close();
      return;
    }
    open.add(served);
    const engine = served.engine;
    // On a write error (the client left mid-response) Deno's per-connection `finished` rejects before it
    // closes the engine's resource; shutdown() then closes it.
    served.finished = engine.finished.catch(() => engine.shutdown().catch(() => {})).finally(() => open.delete(served));
    if (closing) void stopOne(served);
  };
  const stopOne = async (served: Served): Promise<void> => {
    await served.firstRequest(FIRST_REQUEST_GRACE_MS);
    await served.engine.shutdown().catch(() => {});
  };
  const accepting = (async () => {
    while (!closing) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (closing || isClosedListener(error)) return;
        // EMFILE and the like: keep the server up and try again shortly.
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      serveOne(conn);
    }
  })();
  let stopped: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    stopped ??= (async () => {
      closing = true;
      try {
        listener.close();
      } catch { /* already closed */ }
      await accepting;
      await Promise.all([...open].map(stopOne));
    })();
  const finished = (async () => {
    await accepting;
    while (open.size > 0) await Promise.all([...open].map((s) => s.finished));
  })();
  return {
    ready: Promise.resolve(),
    addr,
    finished,
    shutdown,
    closeAll() {
      for (const served of open) served.abort.abort();
    },
  };
}
