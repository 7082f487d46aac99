/**
 * Green sockets: drop-ins for `Deno.connect`, `Deno.listen`, `Deno.connectTls`,
 * `Deno.listenTls`, `Deno.startTls` and `Deno.resolveDns` whose every wait is a
 * green wait (listed by the hub, interrupted by kill and `Timeout`), returning
 * sockets with both Deno's `Conn` API and Eventlet's (`recv`, `sendall`,
 * `makefile`, `setTimeout`). Addresses take Deno's options objects or
 * Eventlet's `[host, port]`.
 *
 * Differs from Eventlet: timeouts are ms; `accept()` resolves to the socket
 * (its `remoteAddr` is Eventlet's `addr`); two threads reading (or writing)
 * one socket at once make the second fail with {@linkcode ConcurrentAccessError}
 * rather than a RuntimeError; an interrupted `recv` never loses bytes.
 *
 * On Deno this runs on `Deno.*`; on Node on `node:net`/`node:tls`, where a
 * listener binds asynchronously: `await listener.listening()` before reading
 * `addr`.
 *
 * @example The seeds' echo server, in a few lines
 * ```ts
 * import { connect, listen } from "@evy/evy/green/net";
 * import { spawn, spawnN } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const server = listen(["127.0.0.1", 0]);
 * const acceptor = spawn(async () => {
 *   for await (const sock of server) {
 *     spawnN(async () => {
 *       for (let c = await sock.recv(1024); c.length > 0; c = await sock.recv(1024)) await sock.sendall(c);
 *       sock.close();
 *     });
 *   }
 * });
 * await using client = await connect(server.addr);
 * await client.sendall("ping");
 * assert.equal(new TextDecoder().decode(await client.makefile().readExactly(4)), "ping");
 * server.close();
 * await acceptor.wait();
 * ```
 *
 * @module
 */
import {
  type ConnectAddress,
  type ConnectTlsOptions,
  createNet,
  type HostPort,
  type ListenOptions,
  type ListenTlsOptions,
  type Net,
  type OpenOptions,
  type ResolveDnsOptions,
  type StartTlsOptions,
  type UnixListenOptions,
} from "./_net_api.ts";
import type { Addr, NetAddr, UnixAddr } from "./_net_backend.ts";
import { denoNet } from "./_net_deno.ts";
import { nodeNet } from "./_net_node.ts";
import type { GreenListener } from "./listener.ts";
import type { GreenSocket } from "./socket.ts";

export type {
  ConnectAddress,
  ConnectOptions,
  ConnectTlsOptions,
  HostPort,
  ListenOptions,
  ListenTlsOptions,
  OpenOptions,
  ResolveDnsOptions,
  StartTlsOptions,
  UnixConnectOptions,
  UnixListenOptions,
} from "./_net_api.ts";
import { isDeno } from "../hubs/runtime.ts";
export type { Addr, NetAddr, TlsHandshakeInfo, UnixAddr } from "./_net_backend.ts";
export { ConcurrentAccessError, IncompleteReadError, SocketClosedError, SocketTimeout } from "./net_errors.ts";
export { GreenSocket, type ShutdownHow } from "./socket.ts";
export { GreenListener } from "./listener.ts";
export { type ReadlineOptions, SocketFile } from "./makefile.ts";

// The one place that picks the runtime's backend.
const net: Net = createNet(isDeno() ? denoNet : nodeNet);

/**
 * Opens a connection (Deno's `connect`, Eventlet's `connect((host, port))`).
 * The wait is green: kill, `Timeout`, `timeoutMs` and `signal` stop it, and a
 * connection that completes after that is closed.
 *
 * @param addr `{ hostname, port }`, `{ transport: "unix", path }`, `[host, port]` or a listener's `addr`.
 * @param options `timeoutMs` and `signal` (also accepted inside `addr`).
 * @returns The connected green socket.
 * @throws {SocketTimeout} When `timeoutMs` passes first.
 * @throws {RangeError} When the port is not an integer from 0 to 65535.
 *
 * @example
 * ```ts
 * import { connect, listen } from "@evy/evy/green/net";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * await using client = await connect(["127.0.0.1", server.addr.port], { timeoutMs: 1_000 });
 * await using accepted = await server.accept();
 * assert.deepEqual(accepted.remoteAddr, client.localAddr);
 * ```
 */
export function connect(addr: ConnectAddress, options?: OpenOptions): Promise<GreenSocket> {
  return net.connect(addr, options);
}

/**
 * Listens on TCP or a Unix socket (Deno's `listen`, Eventlet's `listen((host, port))`).
 * Port 0 picks a free port; host `""` or omitted means every interface.
 *
 * @param addr `{ hostname, port, reusePort }`, `{ transport: "unix", path }` or `[host, port]`.
 * @returns The green listener.
 * @throws {RangeError} When the port is not an integer from 0 to 65535.
 *
 * @example
 * ```ts
 * import { listen } from "@evy/evy/green/net";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * assert.ok(server.addr.port > 0);
 * ```
 */
export function listen(addr: UnixListenOptions | UnixAddr): GreenListener<UnixAddr>;
/** Listens on TCP; the listener's `addr` is a `NetAddr`. */
export function listen(addr?: ListenOptions | HostPort | NetAddr): GreenListener<NetAddr>;
/** Listens on TCP or a Unix socket, whichever `addr` names. */
export function listen(addr?: ListenOptions | UnixListenOptions | HostPort | Addr): GreenListener;
export function listen(addr?: ListenOptions | UnixListenOptions | HostPort | Addr): GreenListener {
  return net.listen(addr);
}

/**
 * Opens a TLS connection (Deno's `connectTls`). `hostname` is both where to
 * connect and the name the server's certificate must carry.
 *
 * @param addr `{ hostname, port, caCerts, ... }` or `[host, port]` (then TLS options in `options`).
 * @returns The connected green socket; `handshake()` reports ALPN.
 *
 * @example Against a server with a certificate the system does not trust
 * ```ts ignore
 * import { connectTls } from "@evy/evy/green/net";
 *
 * const caCert = await Deno.readTextFile("./ca.pem");
 * await using sock = await connectTls({ hostname: "localhost", port: 8443, caCerts: [caCert] });
 * await sock.sendall("hello over TLS");
 * ```
 */
export function connectTls(
  addr: ConnectTlsOptions | HostPort,
  options?: Omit<ConnectTlsOptions, "port">,
): Promise<GreenSocket> {
  return net.connectTls(addr, options);
}

/**
 * Listens for TLS connections (Deno's `listenTls`), with the certificate and
 * key as PEM strings (`cert`, `key`) or files (`certFile`, `keyFile`).
 *
 * @returns The green listener; accepted sockets are TLS sockets.
 *
 * @example
 * ```ts ignore
 * import { listenTls } from "@evy/evy/green/net";
 *
 * using server = listenTls({ port: 8443, certFile: "./cert.pem", keyFile: "./key.pem" });
 * await using sock = await server.accept();
 * ```
 */
export function listenTls(options: ListenTlsOptions): GreenListener<NetAddr> {
  return net.listenTls(options) as GreenListener<NetAddr>;
}

/**
 * Upgrades a connected socket to TLS, client side (Deno's `startTls`, for
 * STARTTLS protocols). The old socket is consumed: use the returned one. It
 * must have no read or write in progress and no unread bytes.
 *
 * @returns The TLS green socket.
 * @throws {TypeError} When `sock` has a read in progress or unread data.
 *
 * @example
 * ```ts ignore
 * import { connect, startTls } from "@evy/evy/green/net";
 *
 * const plain = await connect({ hostname: "mail.example.com", port: 25 });
 * // ... EHLO / STARTTLS exchange ...
 * await using tls = await startTls(plain, { hostname: "mail.example.com" });
 * ```
 */
export function startTls(sock: GreenSocket, options?: StartTlsOptions): Promise<GreenSocket> {
  return net.startTls(sock, options);
}

/**
 * Resolves DNS records (Deno's `resolveDns`, same record shapes on both
 * backends for A, AAAA, CNAME, MX, NS, PTR, SRV and TXT) as a green wait.
 *
 * @returns The records.
 *
 * @example
 * ```ts ignore
 * import { resolveDns } from "@evy/evy/green/net";
 *
 * const addresses = await resolveDns("example.com", "A", { timeoutMs: 2_000 });
 * ```
 */
export function resolveDns(query: string, recordType: string, options?: ResolveDnsOptions): Promise<unknown[]> {
  return net.resolveDns(query, recordType, options);
}
