/**
 * The green net functions over any {@linkcode NetBackend}: argument checking,
 * address forms, and the green waits of connect and DNS. `net.ts` binds them to
 * the runtime's backend; the conformance suite binds them to each backend.
 *
 * @module
 */
import type { Addr, Endpoint, NetBackend, RawConn, TlsClientSettings } from "./_net_backend.ts";
import { checkTimeout, describe as describeValue } from "../core/internal.ts";
import { detachRaw, ioWait, wrap } from "./_net_internal.ts";
import type { GreenListener } from "./listener.ts";
import "./listener.ts"; // its static block sets wrap.listener (and loads socket.ts)
import { GreenSocket } from "./socket.ts";

/** Eventlet's address form: `[host, port]`; host `""` means every interface when listening. */
export type HostPort = readonly [hostname: string, port: number];

/** Options shared by the calls that open a connection. */
export interface OpenOptions {
  /** Rejects with `SocketTimeout` when connecting takes longer (ms). @default null (no limit) */
  timeoutMs?: number | null;
  /** Aborts connecting. Kill and Timeout of the calling thread also do. */
  signal?: AbortSignal;
}

/** `connect` to a TCP endpoint: Deno's `ConnectOptions`, plus {@linkcode OpenOptions}. */
export interface ConnectOptions extends OpenOptions {
  /** The host to connect to. @default "127.0.0.1" */
  hostname?: string;
  /** The port to connect to. */
  port: number;
  /** The transport; `"tcp"` is the only value. @default "tcp" */
  transport?: "tcp";
}

/** `connect` to a Unix domain socket. */
export interface UnixConnectOptions extends OpenOptions {
  /** Selects a Unix domain socket. */
  transport: "unix";
  /** The socket's path. */
  path: string;
}

/** `listen` on TCP: Deno's `TcpListenOptions`. */
export interface ListenOptions {
  /** The interface to listen on. @default "0.0.0.0" */
  hostname?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** The transport; `"tcp"` is the only value. @default "tcp" */
  transport?: "tcp";
  /** Lets several processes listen on the port (Linux; ignored by the Node backend). @default false */
  reusePort?: boolean;
}

/** `listen` on a Unix domain socket. */
export interface UnixListenOptions {
  /** Selects a Unix domain socket. */
  transport: "unix";
  /** The socket's path (must not exist). */
  path: string;
}

/** `listenTls`: where to listen and the server's certificate (PEM strings or files). */
export interface ListenTlsOptions extends ListenOptions {
  /** The certificate chain, PEM. */
  cert?: string;
  /** The private key, PEM. */
  key?: string;
  /** A file holding the certificate chain, PEM (read when listening). */
  certFile?: string;
  /** A file holding the private key, PEM (read when listening). */
  keyFile?: string;
  /** ALPN protocols offered, most preferred first. */
  alpnProtocols?: string[];
}

/** `connectTls`: Deno's `ConnectTlsOptions`, plus {@linkcode OpenOptions}. */
export interface ConnectTlsOptions extends OpenOptions {
  /** The server to connect to, and the name its certificate must carry. @default "127.0.0.1" */
  hostname?: string;
  /** The port to connect to. */
  port: number;
  /** Extra trusted CA certificates, PEM. */
  caCerts?: string[];
  /** A client certificate chain, PEM (mutual TLS). */
  cert?: string;
  /** The client certificate's key, PEM. */
  key?: string;
  /** ALPN protocols offered, most preferred first. */
  alpnProtocols?: string[];
}

/** `startTls`: Deno's `StartTlsOptions`, plus {@linkcode OpenOptions}. */
export interface StartTlsOptions extends OpenOptions {
  /** The name the server's certificate must carry. @default the socket's remote hostname */
  hostname?: string;
  /** Extra trusted CA certificates, PEM. */
  caCerts?: string[];
  /** ALPN protocols offered, most preferred first. */
  alpnProtocols?: string[];
}

/** `resolveDns`: Deno's `ResolveDnsOptions`, plus {@linkcode OpenOptions}. */
export interface ResolveDnsOptions extends OpenOptions {
  /** The name server to ask instead of the system's. */
  nameServer?: { ipAddr: string; port?: number };
}

/** Where `connect` may go: options, `[host, port]`, or an address such as a listener's `addr`. */
export type ConnectAddress = ConnectOptions | UnixConnectOptions | HostPort | Addr;

/** The green net functions of one backend. */
export interface Net {
  connect(addr: ConnectAddress, options?: OpenOptions): Promise<GreenSocket>;
  listen(addr?: ListenOptions | UnixListenOptions | HostPort | Addr): GreenListener;
  connectTls(addr: ConnectTlsOptions | HostPort, options?: Omit<ConnectTlsOptions, "port">): Promise<GreenSocket>;
  listenTls(options: ListenTlsOptions): GreenListener;
  startTls(sock: GreenSocket, options?: StartTlsOptions): Promise<GreenSocket>;
  resolveDns(query: string, recordType: string, options?: ResolveDnsOptions): Promise<unknown[]>;
}

function checkPort(port: unknown, what: string, required: boolean): number {
  if (port === undefined && !required) return 0;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`${what}: port must be an integer from 0 to 65535, got ${describeValue(port)}`);
  }
  return port;
}

function checkHost(hostname: unknown, fallback: string, what: string): string {
  if (hostname === undefined || hostname === "") return fallback;
  if (typeof hostname !== "string") throw new TypeError(`${what}: hostname must be a string`);
  return hostname;
}

/** Normalizes every address form to an {@linkcode Endpoint}. */
export function endpoint(addr: unknown, defaultHost: string, what: string, portRequired: boolean): Endpoint {
  if (Array.isArray(addr)) {
    if (addr.length !== 2) throw new TypeError(`${what}: address must be [hostname, port]`);
    return {
      transport: "tcp",
      hostname: checkHost(addr[0], defaultHost, what),
      port: checkPort(addr[1], what, true),
    };
  }
  if (addr === null || typeof addr !== "object") {
    throw new TypeError(`${what}: address must be an options object or [hostname, port]`);
  }
  const a = addr as { transport?: unknown; hostname?: unknown; port?: unknown; path?: unknown };
  if (a.transport === "unix") {
    if (typeof a.path !== "string" || a.path === "") throw new TypeError(`${what}: path must be a non-empty string`);
    return { transport: "unix", path: a.path };
  }
  if (a.transport !== undefined && a.transport !== "tcp") {
    throw new TypeError(`${what}: transport must be "tcp" or "unix", got ${describeValue(a.transport)}`);
  }
  return {
    transport: "tcp",
    hostname: checkHost(a.hostname, defaultHost, what),
    port: checkPort(a.port, what, portRequired),
  };
}

function describe(to: Endpoint): string {
  return to.transport === "unix" ? to.path : `${to.hostname}:${to.port}`;
}

/** A green wait for a backend call that opens a connection; a late connection is closed. */
function open(
  description: string,
  options: OpenOptions | undefined,
  what: string,
  start: (signal: AbortSignal) => Promise<RawConn>,
): Promise<GreenSocket> {
  const timeoutMs = checkTimeout(what, options?.timeoutMs, "timeoutMs") ?? null;
  const userSignal = options?.signal;
  if (userSignal?.aborted) return Promise.reject(userSignal.reason);
  const abort = new AbortController();
  const signal = userSignal === undefined ? abort.signal : AbortSignal.any([abort.signal, userSignal]);
  return ioWait<RawConn>(description, timeoutMs, (wait) => {
    wait.onDetach = () => abort.abort(new Error(`${description} cancelled`));
    start(signal).then((conn) => {
      if (abort.signal.aborted) conn.close();
      else wait.resolve(conn);
    }, (error) => wait.reject(error));
  }).then((conn) => wrap.socket(conn));
}

function tlsSettings(hostname: string, o: Partial<ConnectTlsOptions> | undefined): TlsClientSettings {
  return { hostname, caCerts: o?.caCerts, cert: o?.cert, key: o?.key, alpnProtocols: o?.alpnProtocols };
}

/** Binds the green net functions to `backend`. */
export function createNet(backend: NetBackend): Net {
  return {
    connect(addr, options) {
      const to = endpoint(addr, "127.0.0.1", "connect", true);
      const opts = options ?? (Array.isArray(addr) ? undefined : addr as OpenOptions);
      return open(`connect(${describe(to)})`, opts, "connect", (signal) => backend.connect(to, signal));
    },

    listen(addr = {}) {
      const at = endpoint(addr, "0.0.0.0", "listen", false);
      const reusePort = !Array.isArray(addr) && (addr as ListenOptions).reusePort === true;
      return wrap.listener(backend.listen(at, reusePort));
    },

    connectTls(addr, options) {
      const to = endpoint(addr, "127.0.0.1", "connectTls", true);
      if (to.transport === "unix") throw new TypeError("connectTls: transport must be tcp");
      const opts = options ?? (Array.isArray(addr) ? undefined : addr as ConnectTlsOptions);
      return open(
        `connectTls(${describe(to)})`,
        opts,
        "connectTls",
        (signal) => backend.connectTls(to, tlsSettings(to.hostname, opts), signal),
      );
    },

    listenTls(options) {
      const at = endpoint(options, "0.0.0.0", "listenTls", false);
      if (at.transport === "unix") throw new TypeError("listenTls: transport must be tcp");
      return wrap.listener(backend.listenTls(at, options, options.reusePort === true));
    },

    startTls(sock, options) {
      if (!(sock instanceof GreenSocket)) throw new TypeError("startTls: sock must be a GreenSocket");
      const remote = sock.remoteAddr;
      const fallback = remote.transport === "tcp" ? remote.hostname : "localhost";
      const hostname = checkHost(options?.hostname, fallback, "startTls");
      const raw = sock[detachRaw]();
      return open(
        `startTls(${hostname})`,
        options,
        "startTls",
        () => backend.startTls(raw, tlsSettings(hostname, options)),
      );
    },

    resolveDns(query, recordType, options) {
      if (typeof query !== "string") throw new TypeError("resolveDns: query must be a string");
      if (typeof recordType !== "string") throw new TypeError("resolveDns: recordType must be a string");
      const timeoutMs = checkTimeout("resolveDns", options?.timeoutMs, "timeoutMs") ?? null;
      const abort = new AbortController();
      const signal = options?.signal === undefined ? abort.signal : AbortSignal.any([abort.signal, options.signal]);
      return ioWait<unknown[]>(`resolveDns(${query} ${recordType})`, timeoutMs, (wait) => {
        wait.onDetach = () => abort.abort(new Error("resolveDns cancelled"));
        backend.resolveDns(query, recordType, { nameServer: options?.nameServer, signal }).then(
          (records) => wait.resolve(records),
          (error) => wait.reject(error),
        );
      });
    },
  };
}
