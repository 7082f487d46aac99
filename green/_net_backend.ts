/**
 * The contract between green sockets and a runtime: the few primitives
 * `green/net.ts` needs. `_net_deno.ts` implements it on `Deno.connect` & co.,
 * `_net_node.ts` on `node:net`/`node:tls`. The green layer above keeps at most
 * one read and one write op outstanding per connection, so a backend never has
 * to cope with concurrent reads or writes on one connection.
 *
 * @module
 */

/** A TCP (or UDP) address, as `Deno.NetAddr`. */
export interface NetAddr {
  /** `"tcp"` for stream sockets. */
  transport: "tcp" | "udp";
  /** The IP address (or hostname) of the endpoint. */
  hostname: string;
  /** The port number. */
  port: number;
}

/** A Unix domain socket address, as `Deno.UnixAddr`. */
export interface UnixAddr {
  /** `"unix"` for stream sockets. */
  transport: "unix" | "unixpacket";
  /** The filesystem path of the socket. */
  path: string;
}

/** Any socket address. */
export type Addr = NetAddr | UnixAddr;

/** Where to connect or listen, after the green layer normalized the caller's form. */
export type Endpoint =
  | { transport: "tcp"; hostname: string; port: number }
  | { transport: "unix"; path: string };

/** TLS material for a server: PEM strings or files. */
export interface TlsServerMaterial {
  /** The certificate chain, PEM. */
  cert?: string | undefined;
  /** The private key, PEM. */
  key?: string | undefined;
  /** A file holding the certificate chain, PEM. */
  certFile?: string | undefined;
  /** A file holding the private key, PEM. */
  keyFile?: string | undefined;
  /** ALPN protocols offered, most preferred first. */
  alpnProtocols?: string[] | undefined;
}

/** TLS settings for a client. */
export interface TlsClientSettings {
  /** The server name to verify (and send as SNI). */
  hostname: string;
  /** Extra trusted CA certificates, PEM. */
  caCerts?: string[] | undefined;
  /** A client certificate chain, PEM (mutual TLS). */
  cert?: string | undefined;
  /** The client certificate's key, PEM. */
  key?: string | undefined;
  /** ALPN protocols offered, most preferred first. */
  alpnProtocols?: string[] | undefined;
}

/** The outcome of a TLS handshake. */
export interface TlsHandshakeInfo {
  /** The negotiated ALPN protocol, or `null`. */
  alpnProtocol: string | null;
}

/**
 * Who a raw read reports to. An object with a method rather than a callback:
 * the green reader passes itself, so a connection holds no closure for it.
 */
export interface ReadSink {
  /** The read brought `chunk` (non-empty), or end of stream (`null`), or failed (`null`, `error`). */
  readDone(chunk: Uint8Array | null, error?: unknown): void;
}

/** Who a raw write reports to (an object, as {@linkcode ReadSink}). */
export interface WriteSink {
  /** The write sent `n` bytes, or failed (`0`, `error`). */
  writeDone(n: number, error?: unknown): void;
}

/** One connection as a backend exposes it. */
export interface RawConn {
  readonly localAddr: Addr;
  readonly remoteAddr: Addr;
  /**
   * Reads one non-empty chunk (about `sizeHint` bytes at most; a backend that
   * already holds more may hand over more) and calls `sink.readDone(chunk)`,
   * or `readDone(null)` at end of stream, or `readDone(null, error)`. A sink
   * rather than a promise: one promise layer less on the hottest path.
   */
  read(sizeHint: number, sink: ReadSink): void;
  /** Writes some of `data` (at least one byte) and calls `sink.writeDone(n)`, or `writeDone(0, error)`. */
  write(data: Uint8Array, sink: WriteSink): void;
  /** Half-closes: no more writes, the peer reads end of stream. */
  closeWrite(): Promise<void>;
  /** Closes at once; pending ops settle (reject or never resolve) and are ignored. */
  close(): void;
  setNoDelay(on: boolean): void;
  setKeepAlive(on: boolean): void;
  ref(): void;
  unref(): void;
  /** TLS connections only: completes (or awaits) the handshake. */
  readonly handshake?: (() => Promise<TlsHandshakeInfo>) | undefined;
}

/** A listening socket as a backend exposes it. */
export interface RawListener {
  /** The bound address; may throw until `bound` resolved. */
  readonly addr: Addr;
  /** Resolves once bound, rejects with the listen error; absent when `listen` bound synchronously. */
  readonly bound?: Promise<void>;
  /** The address asked for, for descriptions before the listener is bound. */
  readonly requested: Addr;
  /** Resolves with the next connection; called again only after it settled. */
  accept(): Promise<RawConn>;
  close(): void;
  ref(): void;
  unref(): void;
}

/** DNS query options a backend honours. */
export interface DnsOptions {
  /** The name server to ask instead of the system's. */
  nameServer?: { ipAddr: string; port?: number } | undefined;
  /** Aborts the query. */
  signal: AbortSignal;
}

/** What a runtime provides to green sockets. */
export interface NetBackend {
  /** `"deno"` or `"node"`. */
  readonly name: string;
  connect(to: Endpoint, signal: AbortSignal): Promise<RawConn>;
  listen(at: Endpoint, reusePort: boolean): RawListener;
  connectTls(to: { hostname: string; port: number }, tls: TlsClientSettings, signal: AbortSignal): Promise<RawConn>;
  listenTls(at: { hostname: string; port: number }, tls: TlsServerMaterial, reusePort: boolean): RawListener;
  /** Upgrades `conn` (no read pending, nothing buffered) to a TLS client connection. */
  startTls(conn: RawConn, tls: TlsClientSettings): Promise<RawConn>;
  resolveDns(query: string, recordType: string, options: DnsOptions): Promise<unknown[]>;
}

/** Formats an address for wait descriptions: `127.0.0.1:5432`, `[::1]:80`, `/tmp/s.sock`. */
export function formatAddr(addr: Addr): string {
  if ("path" in addr) return addr.path;
  return addr.hostname.includes(":") ? `[${addr.hostname}]:${addr.port}` : `${addr.hostname}:${addr.port}`;
}
