/**
 * The Deno backend of green sockets: `Deno.connect`, `Deno.listen`,
 * `Deno.connectTls`, `Deno.listenTls`, `Deno.startTls`, `Deno.resolveDns`.
 *
 * The runtime functions are looked up at call time through the patcher's
 * table of originals (`real("Deno.connect", ...)`): after `monkeyPatch()`
 * replaced `Deno.connect` with green `connect`, this file still reaches the
 * runtime's own, so green code never calls itself.
 *
 * @module
 */
import type {
  Addr,
  DnsOptions,
  Endpoint,
  NetBackend,
  RawConn,
  RawListener,
  ReadSink,
  TlsClientSettings,
  TlsHandshakeInfo,
  TlsServerMaterial,
  WriteSink,
} from "./_net_backend.ts";
import { real } from "./_originals.ts";
import { getHub } from "../hubs/mod.ts";
import { formatAddr } from "./_net_backend.ts";

function deno<K extends "connect" | "listen" | "connectTls" | "listenTls" | "startTls" | "resolveDns">(
  name: K,
): typeof Deno[K] {
  return real(`Deno.${name}`, () => Deno[name].bind(Deno) as typeof Deno[K]);
}

/**
 * One Deno connection. Trade: the addresses are read from `conn` (whose
 * getters return the objects it holds) and only a TLS connection's class has
 * `handshake`, so a connection holds two fields rather than five.
 */
class DenoRawConn implements RawConn {
  constructor(readonly conn: Deno.Conn) {}
  get localAddr(): Addr {
    return this.conn.localAddr as Addr;
  }
  get remoteAddr(): Addr {
    return this.conn.remoteAddr as Addr;
  }
  /** The read buffer between reads; `undefined` while a read holds it or after it was handed out. */
  #buf: Uint8Array | undefined;
  read(sizeHint: number, sink: ReadSink): void {
    let buf = this.#buf;
    if (buf === undefined || buf.length !== sizeHint) buf = new Uint8Array(sizeHint);
    this.#buf = undefined; // taken by this read (so a second read at once gets its own), given back below
    this.conn.read(buf).then((n) => {
      if (n === null) return sink.readDone(null);
      // A result that fills most of the buffer takes it (the next read makes another); a smaller one is
      // copied out, and the buffer serves the next read. On Deno 2.9.6 a fresh zeroed 512-byte buffer costs
      // ~1.9 µs and a 64-byte copy ~1.0 µs: the echo benchmark (64-byte messages) went from 0.74x to 0.83x.
      if (n > buf.length >>> 1) return sink.readDone(buf.subarray(0, n));
      this.#buf = buf;
      sink.readDone(buf.slice(0, n));
    }, (error) => sink.readDone(null, error ?? new Error("read failed")));
  }
  write(data: Uint8Array, sink: WriteSink): void {
    this.conn.write(data).then(
      (n) => sink.writeDone(n),
      (error) => sink.writeDone(0, error ?? new Error("write failed")),
    );
  }
  closeWrite(): Promise<void> {
    return this.conn.closeWrite();
  }
  close(): void {
    this.conn.close();
  }
  setNoDelay(on: boolean): void {
    (this.conn as Partial<Deno.TcpConn>).setNoDelay?.(on);
  }
  setKeepAlive(on: boolean): void {
    (this.conn as Partial<Deno.TcpConn>).setKeepAlive?.(on);
  }
  ref(): void {
    this.conn.ref();
  }
  unref(): void {
    this.conn.unref();
  }
}

/** A TLS connection: {@linkcode DenoRawConn} with the handshake. */
class DenoTlsRawConn extends DenoRawConn {
  handshake(): Promise<TlsHandshakeInfo> {
    return (this.conn as Deno.TlsConn).handshake();
  }
}

function rawConn(conn: Deno.Conn, tls: boolean): RawConn {
  return tls ? new DenoTlsRawConn(conn) : new DenoRawConn(conn);
}

/** Errors of one connection that died before it was accepted: the listener itself is fine. */
function diedBeforeAccept(error: unknown): boolean {
  return error instanceof Deno.errors.NotConnected || error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted;
}

class DenoRawListener implements RawListener {
  readonly addr: Addr;
  readonly requested: Addr;
  constructor(readonly listener: Deno.Listener, readonly tls: boolean) {
    this.addr = this.requested = listener.addr as Addr;
  }
  /**
   * The next live connection. One reset before it was accepted makes Deno's
   * accept (or its `remoteAddr`) throw `NotConnected`; it is closed and
   * skipped, so an accept loop keeps serving the clients after it.
   */
  async accept(): Promise<RawConn> {
    for (;;) {
      let conn: Deno.Conn | undefined;
      try {
        conn = await this.listener.accept();
        return rawConn(conn, this.tls);
      } catch (error) {
        if (!diedBeforeAccept(error)) throw error;
        getHub().debug(
          `accept(${formatAddr(this.addr)}): skipped a connection that died before it was accepted (${
            (error as Error).name
          })`,
        );
        try {
          conn?.close();
        } catch {
          // already gone
        }
      }
    }
  }
  close(): void {
    this.listener.close();
  }
  ref(): void {
    this.listener.ref();
  }
  unref(): void {
    this.listener.unref();
  }
}

/** Puts the endpoint into a Deno error's message, as Node's do: `ConnectionRefused: connect 127.0.0.1:80: ...`. */
type Where = { path: string } | { hostname: string; port: number };

function naming<T>(action: string, at: Where, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw named(action, at, error);
  }
}

function named(action: string, at: Where, error: unknown): unknown {
  if (error instanceof Error) {
    const where = "path" in at ? at.path : `${at.hostname}:${at.port}`;
    error.message = `${action} ${where}: ${error.message}`;
  }
  return error;
}

function pem(inline: string | undefined, file: string | undefined, what: string): string {
  if (inline !== undefined) return inline;
  if (file !== undefined) return Deno.readTextFileSync(file);
  throw new TypeError(`listenTls: ${what} or ${what}File is required`);
}

/** Green sockets on Deno's runtime. */
export const denoNet: NetBackend = {
  name: "deno",

  async connect(to: Endpoint, signal: AbortSignal): Promise<RawConn> {
    const conn =
      await (to.transport === "unix"
        ? deno("connect")({ transport: "unix", path: to.path })
        : deno("connect")({ hostname: to.hostname, port: to.port, transport: "tcp", signal })).catch((error) => {
          throw signal.aborted ? error : named("connect", to, error);
        });
    return rawConn(conn, false);
  },

  listen(at: Endpoint, reusePort: boolean): RawListener {
    const listener = naming(
      "listen",
      at,
      () =>
        at.transport === "unix"
          ? deno("listen")({ transport: "unix", path: at.path })
          : deno("listen")({ hostname: at.hostname, port: at.port, transport: "tcp", reusePort }),
    );
    return new DenoRawListener(listener, false);
  },

  async connectTls(to, tls: TlsClientSettings): Promise<RawConn> {
    // Deno verifies (and sends as SNI) the name it connects to.
    const options: Deno.ConnectTlsOptions & { cert?: string; key?: string } = { hostname: to.hostname, port: to.port };
    if (tls.caCerts !== undefined) options.caCerts = tls.caCerts;
    if (tls.alpnProtocols !== undefined) options.alpnProtocols = tls.alpnProtocols;
    if (tls.cert !== undefined) options.cert = tls.cert;
    if (tls.key !== undefined) options.key = tls.key;
    const conn = await deno("connectTls")(options as Deno.ConnectTlsOptions).catch((error) => {
      throw named("connect", to, error);
    });
    return rawConn(conn, true);
  },

  listenTls(at, material: TlsServerMaterial, reusePort: boolean): RawListener {
    const options: Deno.ListenTlsOptions & Deno.TlsCertifiedKeyPem = {
      hostname: at.hostname,
      port: at.port,
      cert: pem(material.cert, material.certFile, "cert"),
      key: pem(material.key, material.keyFile, "key"),
      reusePort,
    } as Deno.ListenTlsOptions & Deno.TlsCertifiedKeyPem;
    if (material.alpnProtocols !== undefined) options.alpnProtocols = material.alpnProtocols;
    return new DenoRawListener(naming("listen", at, () => deno("listenTls")(options)), true);
  },

  async startTls(raw: RawConn, tls: TlsClientSettings): Promise<RawConn> {
    const options: Deno.StartTlsOptions = { hostname: tls.hostname };
    if (tls.caCerts !== undefined) options.caCerts = tls.caCerts;
    if (tls.alpnProtocols !== undefined) options.alpnProtocols = tls.alpnProtocols;
    const conn = await deno("startTls")((raw as DenoRawConn).conn as Deno.TcpConn, options);
    return rawConn(conn, true);
  },

  resolveDns(query: string, recordType: string, options: DnsOptions): Promise<unknown[]> {
    const opts: Deno.ResolveDnsOptions = { signal: options.signal };
    if (options.nameServer !== undefined) opts.nameServer = options.nameServer;
    return deno("resolveDns")(query, recordType as "A", opts);
  },
};
