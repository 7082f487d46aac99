/**
 * The server engine on `Deno.serve`. Internal; see `_server_backend.ts`.
 *
 * Deno facts this relies on (2.9.6): `info.remoteAddr` throws after a
 * websocket upgrade, so it is read at request start; `info.completed`
 * resolves once the response is done, whether it was fully sent or the client
 * left; `req.signal` aborts on a disconnect *and* (legacy behaviour) after a
 * successful response, so it is only watched until the response is handed
 * over, and reading it makes Deno print a one-time notice unless run with
 * `--unstable-no-legacy-abort`.
 *
 * Plain TCP goes through `_conn_server_deno.ts` (evy's accept loop, Deno's
 * engine per connection) so a shutdown loses no request already sent; Unix
 * sockets, TLS, and a Deno without that engine use `Deno.serve`.
 *
 * @module
 */
import type {
  BackendConn,
  BackendListenOptions,
  BackendServer,
  Dispatch,
  RemoteAddr,
  ServerAddr,
  ServerBackend,
} from "./_server_backend.ts";
import { staticBodyLength } from "./_static_body.ts";
import { listenConnections } from "./_conn_server_deno.ts";

class DenoConn implements BackendConn {
  readonly #req: Request;
  readonly #info: Deno.ServeHandlerInfo<Deno.Addr>;
  #remoteAddr: RemoteAddr | undefined;
  readonly #completed: Promise<unknown>;
  constructor(req: Request, info: Deno.ServeHandlerInfo<Deno.Addr>, remote?: RemoteAddr) {
    this.#req = req;
    this.#info = info;
    this.#remoteAddr = remote;
    // Read at once: asked for only after an upgrade or an abandoned request, Deno's never settles.
    this.#completed = info.completed;
  }
  // Read on first use (it costs an op), before the response is handed over: Deno's throws after that.
  get remoteAddr(): RemoteAddr {
    if (this.#remoteAddr === undefined) {
      let addr: Deno.Addr | undefined;
      try {
        addr = this.#info.remoteAddr;
      } catch {
        // Deno throws once the request is closed (upgraded, answered or abandoned).
      }
      this.#remoteAddr = addr === undefined
        ? { transport: "tcp", hostname: "", port: 0 }
        : addr.transport === "tcp" || addr.transport === "udp"
        ? { transport: "tcp", hostname: addr.hostname, port: addr.port }
        : { transport: "unix", hostname: "", port: 0 };
    }
    return this.#remoteAddr;
  }
  get completed(): Promise<unknown> {
    return this.#completed;
  }
  get httpVersion(): string {
    return "HTTP/1.1";
  }
  onDisconnect(cb: () => void): () => void {
    const signal = this.#req.signal;
    if (signal.aborted) {
      cb();
      return () => {};
    }
    signal.addEventListener("abort", cb, { once: true });
    return () => signal.removeEventListener("abort", cb);
  }
  lostClient(error: unknown): boolean {
    // Deno does not watch a request whose body is unread; a body read cut off by the client fails like this.
    return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.ConnectionReset ||
      error instanceof Deno.errors.UnexpectedEof || error instanceof Deno.errors.BrokenPipe;
  }
}

function toAddr(addr: Deno.Addr): ServerAddr {
  if (addr.transport === "unix" || addr.transport === "unixpacket") return { transport: "unix", path: addr.path };
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return { transport: "tcp", hostname: addr.hostname, port: addr.port };
  }
  throw new TypeError(`serve: unexpected listen address transport ${addr.transport}`);
}

const onError = (): Response => new Response("Internal Server Error\r\n", { status: 500 });

function listen(options: BackendListenOptions, dispatch: Dispatch): BackendServer {
  if (!options.websockets && options.path === undefined && options.cert === undefined) {
    // Plain TCP: evy's own accept loop (see `_conn_server_deno.ts`), so a shutdown loses no request already sent.
    const owned = listenConnections(
      options,
      (req, info, remote) => dispatch(req, new DenoConn(req, info as Deno.ServeHandlerInfo<Deno.Addr>, remote)),
      onError,
    );
    if (owned !== undefined) return owned;
  }
  const handler = (req: Request, info: Deno.ServeHandlerInfo<Deno.Addr>): Promise<Response> =>
    dispatch(req, new DenoConn(req, info));
  const onListen = (): void => {};
  let server: Deno.HttpServer<Deno.Addr>;
  if (options.path !== undefined) {
    server = Deno.serve({ path: options.path, onListen, onError }, handler);
  } else {
    const base = { port: options.port, hostname: options.hostname, reusePort: options.reusePort, onListen, onError };
    server = options.cert !== undefined && options.key !== undefined
      ? Deno.serve({ ...base, cert: options.cert, key: options.key }, handler)
      : Deno.serve(base, handler);
  }
  const addr = toAddr(server.addr);
  return {
    ready: Promise.resolve(),
    addr,
    shutdown: () => server.shutdown(),
    // Deno closes a connection once its request is answered (the killed threads answer), and has no
    // public way to close an upgraded websocket's connection.
    closeAll: () => {},
    finished: server.finished,
  };
}

/** The engine on `Deno.serve`. */
export const denoServerBackend: ServerBackend = { listen, staticBodyLength };
