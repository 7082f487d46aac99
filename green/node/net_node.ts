/**
 * Drop-in for `node:net`, as far as its callback API allows. `node:net` never
 * suspends a caller — its sockets call back — so there is no green wait to
 * interrupt; what this module adds to the runtime's:
 *
 * - `connect` / `createConnection` honour the calling green thread's kill and
 *   Timeout signals: when either fires, the socket is destroyed with that error
 *   (connecting or connected — the thread's I/O stops with it);
 * - sockets are listed by the hub while connecting (`net.connect(host:port)`)
 *   and while open (`net.socket(host:port)`), and servers made by
 *   `createServer` while listening (`net.accept(addr)`), so `tools/debug`
 *   shows them.
 *
 * Everything else (`Socket`, `Server`, `isIP`, ...) is the runtime's; a
 * `new Socket().connect()` made directly is not tied to a thread. For green
 * sockets with `recv`/`send` that kill and Timeout interrupt, use
 * `@evy/evy/green/net`. The import-map generator and the preload's module
 * hooks substitute this module for `node:net`.
 *
 * @example
 * ```ts
 * import { createServer, connect } from "@evy/evy/green/node/net";
 * import type { AddressInfo } from "node:net";
 * import assert from "node:assert/strict";
 *
 * const server = createServer((s) => s.end("hi"));
 * await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
 * const { port } = server.address() as AddressInfo;
 * const sock = connect(port, "127.0.0.1");
 * let text = "";
 * for await (const chunk of sock) text += chunk;
 * assert.equal(text, "hi");
 * await new Promise((r) => server.close(r));
 * ```
 *
 * @module
 */
import * as real from "node:net";
import { threadSignal } from "../../core/internal.ts";
import { listed } from "./_hub_listing.ts";

export * from "node:net";

function target(args: unknown[]): string {
  const [a, b] = args;
  if (typeof a === "object" && a !== null) {
    const o = a as { host?: string; port?: number; path?: string };
    return o.path ?? `${o.host ?? "localhost"}:${o.port}`;
  }
  return typeof a === "string" && Number.isNaN(Number(a)) ? a : `${typeof b === "string" ? b : "localhost"}:${a}`;
}

function greenSocket(sock: real.Socket, where: string): real.Socket {
  let unlist = listed(`net.connect(${where})`);
  sock.once("connect", () => {
    unlist();
    unlist = listed(`net.socket(${where})`);
  });
  const signal = threadSignal();
  const onAbort = (): void => void sock.destroy(signal!.reason instanceof Error ? signal!.reason : undefined);
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener("abort", onAbort, { once: true });
  sock.once("close", () => {
    unlist();
    signal?.removeEventListener("abort", onAbort);
  });
  return sock;
}

/** `net.connect`, tied to the calling green thread (see the module doc). */
export const connect: typeof real.connect =
  ((...args: Parameters<typeof real.connect>) =>
    greenSocket(real.connect(...args), target(args))) as typeof real.connect;

/** `net.createConnection`, tied to the calling green thread (see the module doc). */
export const createConnection: typeof real.createConnection =
  ((...args: Parameters<typeof real.createConnection>) =>
    greenSocket(real.createConnection(...args), target(args))) as typeof real.createConnection;

/** `net.createServer`; the server is listed by the hub while listening. */
export const createServer: typeof real.createServer = ((...args: Parameters<typeof real.createServer>) => {
  const server = real.createServer(...args);
  let unlist: (() => void) | undefined;
  server.on("listening", () => {
    const a = server.address();
    unlist = listed(`net.accept(${typeof a === "string" ? a : `${a?.address}:${a?.port}`})`);
  });
  server.on("close", () => unlist?.());
  return server;
}) as typeof real.createServer;

/** The module as a default export, as `import net from "node:net"` expects. */
const net: typeof real = { ...real, connect, createConnection, createServer };
export default net;
