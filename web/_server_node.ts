/**
 * The server engine on `node:http` (`node:https` with `cert`/`key`).
 * Internal; see `_server_backend.ts`. Websocket upgrades arrive as requests
 * too: the raw socket is parked in `_upgrade_registry.ts` for
 * `_websocket_node.ts`, and a plain response to an upgrade request is written
 * to the socket by hand.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import type * as Http from "node:http";
import type * as Net from "node:net";
import type { Readable as ReadableType } from "node:stream";
import type {
  BackendConn,
  BackendListenOptions,
  BackendServer,
  Dispatch,
  RemoteAddr,
  ServerAddr,
  ServerBackend,
} from "./_server_backend.ts";
import { isUpgradeResponse, parkUpgrade } from "./_upgrade_registry.ts";
import { staticBodyLength, staticBodySource } from "./_static_body.ts";

type Modules = { http: typeof Http; https: typeof import("node:https"); stream: { Readable: typeof ReadableType } };
let modules: Modules | undefined;

function load(): Modules {
  if (modules === undefined) {
    const require = createRequire(import.meta.url);
    modules = { http: require("node:http"), https: require("node:https"), stream: require("node:stream") };
  }
  return modules;
}

function remoteOf(socket: Net.Socket): RemoteAddr {
  return { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
}

function toRequest(nreq: Http.IncomingMessage, scheme: string, withBody: boolean): Request {
  const headers = new Headers();
  const raw = nreq.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const url = `${scheme}://${nreq.headers.host ?? "localhost"}${nreq.url ?? "/"}`;
  const method = nreq.method ?? "GET";
  const hasBody = withBody && method !== "GET" && method !== "HEAD";
  const body = hasBody ? (load().stream.Readable.toWeb(nreq) as ReadableStream<Uint8Array>) : null;
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
}

/**
 * One request's connection. `answered` says whether the response was handed
 * over (a close after that is no early disconnect).
 */
function conn(socket: Net.Socket, version: string, closed: Promise<void>, answered: () => boolean): BackendConn {
  return {
    remoteAddr: remoteOf(socket),
    httpVersion: `HTTP/${version}`,
    completed: closed,
    onDisconnect(cb: () => void): () => void {
      // A client that left before watching began is reported at once.
      if (socket.destroyed) {
        if (!answered()) cb();
        return () => {};
      }
      const listener = (): void => {
        if (!answered()) cb();
      };
      socket.once("close", listener);
      return () => void socket.off("close", listener);
    },
    lostClient: () => socket.destroyed,
  };
}

async function writeBody(nres: Http.ServerResponse, res: Response): Promise<void> {
  // Asked first: on Deno, reading `res.body` turns a static body into a stream.
  const length = staticBodyLength(res);
  if (length === 0 && res.body === null) return void nres.end();
  if (length !== undefined) {
    // A string/bytes/blob body: headers and body go out in one write, with a Content-Length.
    const source = staticBodySource(res);
    const body = source ?? new Uint8Array(await res.arrayBuffer());
    if (!nres.hasHeader("content-length")) nres.setHeader("content-length", length);
    return void nres.end(body);
  }
  const reader = res.body!.getReader();
  const gone = (): void => void reader.cancel(new Error("client went away")).catch(() => {});
  nres.once("close", gone);
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (nres.destroyed) return gone();
      if (!nres.write(next.value)) await waitDrain(nres);
    }
    nres.end();
  } catch (error) {
    // A chunk the socket refused, or a body that failed: stop both ends, so the producer's thread ends too.
    void reader.cancel(error).catch(() => {});
    nres.destroy();
  } finally {
    nres.off("close", gone);
  }
}

/** Resolves on `drain`, or once the response closed (a destroyed socket never drains). */
function waitDrain(nres: Http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      nres.off("drain", done);
      nres.off("close", done);
      resolve();
    };
    nres.once("drain", done);
    nres.once("close", done);
  });
}

/** Sends `res` on `nres`; a response that cannot be written is a 500, a gone client cancels its body. */
async function send(nres: Http.ServerResponse, res: Response, closing: boolean): Promise<void> {
  if (nres.destroyed) return void res.body?.cancel(new Error("client went away")).catch(() => {});
  try {
    if (closing) nres.setHeader("connection", "close");
    writeHead(nres, res);
  } catch {
    // Headers the runtime refuses (an invalid status or header value): answer 500 instead of crashing.
    void res.body?.cancel().catch(() => {});
    for (const name of nres.getHeaderNames()) nres.removeHeader(name);
    nres.statusCode = 500;
    nres.statusMessage = "Internal Server Error";
    return void nres.end("Internal Server Error\r\n");
  }
  await writeBody(nres, res);
}

function writeHead(nres: Http.ServerResponse, res: Response): void {
  nres.statusCode = res.status;
  if (res.statusText) nres.statusMessage = res.statusText;
  for (const [name, value] of res.headers) {
    if (name !== "set-cookie") nres.setHeader(name, value);
  }
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) nres.setHeader("set-cookie", cookies);
}

async function writeRawResponse(socket: Net.Socket, res: Response): Promise<void> {
  const body = new Uint8Array(await res.arrayBuffer());
  let head = `HTTP/1.1 ${res.status} ${res.statusText || "Error"}\r\n`;
  for (const [name, value] of res.headers) head += `${name}: ${value}\r\n`;
  head += `content-length: ${body.byteLength}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, "latin1"), body]));
}

function listen(options: BackendListenOptions, dispatch: Dispatch): BackendServer {
  const { http, https } = load();
  const tls = options.cert !== undefined && options.key !== undefined;
  const scheme = tls ? "https" : "http";
  let shuttingDown = false;
  const upgraded = new Set<Net.Socket>();
  const onRequest = (nreq: Http.IncomingMessage, nres: Http.ServerResponse): void => {
    const closed = new Promise<void>((resolve) => nres.once("close", resolve));
    let answered = false;
    const req = toRequest(nreq, scheme, true);
    dispatch(req, conn(nreq.socket, nreq.httpVersion, closed, () => answered)).then(async (res) => {
      answered = true;
      await send(nres, res, shuttingDown);
      if (shuttingDown) server.closeIdleConnections();
    }).catch(() => nres.destroy());
  };
  const server: Http.Server = tls
    ? https.createServer({ cert: options.cert, key: options.key }, onRequest)
    : http.createServer(onRequest);
  server.on("upgrade", (nreq: Http.IncomingMessage, socket: Net.Socket, head: Buffer) => {
    upgraded.add(socket);
    const closed = new Promise<void>((resolve) =>
      socket.once("close", () => {
        upgraded.delete(socket);
        resolve();
      })
    );
    const req = toRequest(nreq, scheme, false);
    parkUpgrade(req, { request: nreq, socket, head });
    let answered = false;
    dispatch(req, conn(socket, nreq.httpVersion, closed, () => answered)).then((res) => {
      answered = true;
      if (!isUpgradeResponse(res) && !socket.destroyed) return writeRawResponse(socket, res);
    }).catch(() => socket.destroy());
  });
  const ready = new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const done = (): void => {
      server.off("error", reject);
      resolve();
    };
    if (options.path !== undefined) server.listen({ path: options.path }, done);
    else server.listen({ port: options.port, host: options.hostname, reusePort: options.reusePort }, done);
  });
  const finished = new Promise<void>((resolve) => server.once("close", () => resolve()));
  return {
    ready,
    get addr(): ServerAddr {
      const address = server.address();
      if (address === null) throw new Error("serve: the server is not listening yet (await server.ready)");
      if (typeof address === "string") return { transport: "unix", path: address };
      return { transport: "tcp", hostname: address.address, port: address.port };
    },
    shutdown(): Promise<void> {
      shuttingDown = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      return stopped;
    },
    closeAll(): void {
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
    },
    finished,
  };
}

/** The engine on `node:http`. */
export const nodeServerBackend: ServerBackend = { listen, staticBodyLength };
