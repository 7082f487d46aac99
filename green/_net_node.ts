/**
 * The Node backend of green sockets, on `node:net`, `node:tls` and
 * `node:dns/promises`. It also runs under Deno's `node:` compatibility, which
 * is how the shared conformance suite tests it there.
 *
 * What keeps it from calling itself once `node:net` is greened: the greening
 * is a separate module (`green/node/net_node.ts`) that the preload's resolve
 * hook substitutes for `import`/`require` of `node:net`; nothing ever replaces
 * the functions on the real `node:net` module. This file takes the modules
 * from `nodeBuiltin` (`process.getBuiltinModule`), which no resolve hook
 * reaches, so it always gets the real `node:net`, `node:tls` and
 * `node:dns/promises`. (Their functions also go through the patcher's table of
 * originals, `real("node:net.connect", ...)`, which is empty for these names
 * today: that lookup only matters if the patcher ever replaces them in place.)
 *
 * Reads use paused mode (`"readable"` + `read()`), so Node buffers at most its
 * high-water mark per socket and stops reading from the kernel beyond that:
 * back-pressure on the peer, as with Deno's pull-based reads. Writes resolve
 * when Node handed the chunk (at most 64 KiB) to the kernel.
 *
 * @module
 */
import type * as NodeNet from "node:net";
import type * as NodeTls from "node:tls";
import type * as NodeDns from "node:dns/promises";
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
import { nodeBuiltin } from "../hubs/runtime.ts";
import { StreamReader } from "./_stream_reader_node.ts";

const WRITE_MAX = 65536;

const netFn = <K extends "connect" | "createServer">(name: K): typeof NodeNet[K] =>
  real(`node:net.${name}`, () => nodeBuiltin<typeof NodeNet>("node:net")[name]);
const tlsFn = <K extends "connect" | "createServer">(name: K): typeof NodeTls[K] =>
  real(`node:tls.${name}`, () => nodeBuiltin<typeof NodeTls>("node:tls")[name]);

function addrOf(address: string | undefined, port: number | undefined, path: string | undefined): Addr {
  if (path !== undefined) return { transport: "unix", path };
  return { transport: "tcp", hostname: address ?? "", port: port ?? 0 };
}

interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

class NodeRawConn implements RawConn {
  readonly localAddr: Addr;
  readonly remoteAddr: Addr;
  readonly handshake: (() => Promise<TlsHandshakeInfo>) | undefined;
  #reader: StreamReader;
  constructor(readonly sock: NodeNet.Socket, unixPath: string | undefined, tls: boolean) {
    this.localAddr = addrOf(sock.localAddress, sock.localPort, unixPath);
    this.remoteAddr = addrOf(sock.remoteAddress, sock.remotePort, unixPath);
    this.#reader = new StreamReader(sock, "socket");
    this.handshake = tls
      ? () => Promise.resolve({ alpnProtocol: (sock as NodeTls.TLSSocket).alpnProtocol || null })
      : undefined;
  }
  read(_sizeHint: number, sink: ReadSink): void {
    this.#reader.read(sink);
  }
  write(data: Uint8Array, sink: WriteSink): void {
    const error = this.#reader.error;
    if (error !== undefined) return sink.writeDone(0, error);
    const chunk = data.length > WRITE_MAX ? data.subarray(0, WRITE_MAX) : data;
    this.sock.write(chunk, (e) => e ? sink.writeDone(0, this.#reader.error ?? e) : sink.writeDone(chunk.length));
  }
  closeWrite(): Promise<void> {
    return new Promise((resolve) => this.sock.end(resolve));
  }
  close(): void {
    this.sock.destroy();
  }
  setNoDelay(on: boolean): void {
    this.sock.setNoDelay(on);
  }
  setKeepAlive(on: boolean): void {
    this.sock.setKeepAlive(on);
  }
  ref(): void {
    this.sock.ref();
  }
  unref(): void {
    this.sock.unref();
  }
}

class NodeRawListener implements RawListener {
  readonly bound: Promise<void>;
  #ready: RawConn[] = [];
  #accepter: Pending<RawConn> | undefined;
  #error: unknown;
  constructor(readonly server: NodeNet.Server, readonly requested: Addr, event: string, tls: boolean) {
    const unixPath = requested.transport === "unix" ? requested.path : undefined;
    server.on(event, (sock: NodeNet.Socket) => {
      // A TCP connection reset before it was accepted has no peer address any more: skip it.
      if (sock.destroyed || (unixPath === undefined && sock.remoteAddress === undefined)) {
        getHub().debug(`accept(${formatAddr(requested)}): skipped a connection that died before it was accepted`);
        return void sock.destroy();
      }
      const conn = new NodeRawConn(sock, unixPath, tls);
      const accepter = this.#accepter;
      this.#accepter = undefined;
      if (accepter !== undefined) accepter.resolve(conn);
      else this.#ready.push(conn);
    });
    this.bound = new Promise((resolve, reject) => {
      server.once("listening", resolve);
      server.on("error", (error) => {
        this.#error = error;
        reject(error);
        const accepter = this.#accepter;
        this.#accepter = undefined;
        accepter?.reject(error);
      });
    });
    this.bound.catch(() => {}); // the error also reaches accept()
  }
  get addr(): Addr {
    const address = this.server.address();
    if (address === null) throw new TypeError("The listener is not bound yet: await listener.listening() first");
    if (typeof address === "string") return { transport: "unix", path: address };
    return { transport: "tcp", hostname: address.address, port: address.port };
  }
  accept(): Promise<RawConn> {
    const conn = this.#ready.shift();
    if (conn !== undefined) return Promise.resolve(conn);
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#accepter = { resolve, reject });
  }
  close(): void {
    this.server.close();
    for (const conn of this.#ready.splice(0)) conn.close();
  }
  ref(): void {
    this.server.ref();
  }
  unref(): void {
    this.server.unref();
  }
}

function listenOn(server: NodeNet.Server, at: Endpoint): Addr {
  if (at.transport === "unix") {
    server.listen(at.path);
    return { transport: "unix", path: at.path };
  }
  server.listen({ host: at.hostname, port: at.port });
  return { transport: "tcp", hostname: at.hostname, port: at.port };
}

function connected<S extends NodeNet.Socket>(sock: S, event: string, signal: AbortSignal | undefined): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const onAbort = (): void => {
      sock.destroy();
      reject(signal!.reason);
    };
    const onError = (error: unknown): void => {
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    sock.once("error", onError);
    sock.once(event, () => {
      sock.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
      resolve(sock);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function tlsClientOptions(tls: TlsClientSettings): NodeTls.ConnectionOptions {
  const options: NodeTls.ConnectionOptions = { servername: tls.hostname };
  if (tls.caCerts !== undefined) options.ca = tls.caCerts;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  if (tls.alpnProtocols !== undefined) options.ALPNProtocols = tls.alpnProtocols;
  // An IP address is not a valid SNI name; Node then verifies the IP itself.
  if (nodeBuiltin<typeof NodeNet>("node:net").isIP(tls.hostname) !== 0) delete options.servername;
  return options;
}

/** Node's MX and SRV records in `Deno.resolveDns`'s shapes; the rest already match. */
function denoShape(recordType: string, record: unknown): unknown {
  if (recordType === "MX") {
    const { priority, exchange } = record as { priority: number; exchange: string };
    return { preference: priority, exchange };
  }
  if (recordType === "SRV") {
    const { priority, weight, port, name } = record as { priority: number; weight: number; port: number; name: string };
    return { priority, weight, port, target: name };
  }
  return record;
}

/** Green sockets on Node's `node:net` and `node:tls`. */
export const nodeNet: NetBackend = {
  name: "node",

  async connect(to: Endpoint, signal: AbortSignal): Promise<RawConn> {
    const sock = to.transport === "unix"
      ? netFn("connect")({ path: to.path, allowHalfOpen: true })
      : netFn("connect")({ host: to.hostname, port: to.port, allowHalfOpen: true });
    await connected(sock, "connect", signal);
    return new NodeRawConn(sock, to.transport === "unix" ? to.path : undefined, false);
  },

  listen(at: Endpoint, _reusePort: boolean): RawListener {
    const server = netFn("createServer")({ allowHalfOpen: true });
    const requested = listenOn(server, at);
    return new NodeRawListener(server, requested, "connection", false);
  },

  async connectTls(to, tls: TlsClientSettings, signal: AbortSignal): Promise<RawConn> {
    const sock = tlsFn("connect")({ ...tlsClientOptions(tls), host: to.hostname, port: to.port });
    await connected(sock, "secureConnect", signal);
    return new NodeRawConn(sock, undefined, true);
  },

  listenTls(at, material: TlsServerMaterial, _reusePort: boolean): RawListener {
    const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
    const cert = material.cert ??
      (material.certFile !== undefined ? fs.readFileSync(material.certFile, "utf8") : undefined);
    const key = material.key ??
      (material.keyFile !== undefined ? fs.readFileSync(material.keyFile, "utf8") : undefined);
    if (cert === undefined) throw new TypeError("listenTls: cert or certFile is required");
    if (key === undefined) throw new TypeError("listenTls: key or keyFile is required");
    const options: NodeTls.TlsOptions = { cert, key, allowHalfOpen: true };
    if (material.alpnProtocols !== undefined) options.ALPNProtocols = material.alpnProtocols;
    const server = tlsFn("createServer")(options);
    const requested = listenOn(server, { transport: "tcp", hostname: at.hostname, port: at.port });
    return new NodeRawListener(server, requested, "secureConnection", true);
  },

  async startTls(raw: RawConn, tls: TlsClientSettings): Promise<RawConn> {
    const plain = (raw as NodeRawConn).sock;
    plain.removeAllListeners("readable").removeAllListeners("end").removeAllListeners("close");
    plain.removeAllListeners("error");
    const sock = tlsFn("connect")({ ...tlsClientOptions(tls), socket: plain });
    await connected(sock, "secureConnect", undefined);
    return new NodeRawConn(sock, undefined, true);
  },

  resolveDns(query: string, recordType: string, options: DnsOptions): Promise<unknown[]> {
    const dns = nodeBuiltin<typeof NodeDns>("node:dns/promises");
    const resolver = new dns.Resolver();
    if (options.nameServer !== undefined) {
      const { ipAddr, port = 53 } = options.nameServer;
      resolver.setServers([ipAddr.includes(":") ? `[${ipAddr}]:${port}` : `${ipAddr}:${port}`]);
    }
    const onAbort = (): void => resolver.cancel();
    options.signal.addEventListener("abort", onAbort, { once: true });
    return (resolver.resolve(query, recordType) as Promise<unknown[]>).then(
      (records) => records.map((record) => denoShape(recordType, record)),
    ).finally(() => options.signal.removeEventListener("abort", onAbort));
  },
};
