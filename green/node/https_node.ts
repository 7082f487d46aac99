/**
 * Drop-in for `node:https`: the runtime's module, whose client requests
 * (`request`, `get`, any `Agent`) made inside a green thread are green exactly
 * as `@evy/evy/green/node/http` describes — listed by the hub
 * (`https.request(GET example.com/path)`) and destroyed with the thread's kill
 * or Timeout error the moment either fires. {@linkcode isTimeout} is
 * re-exported here. The server side is the runtime's own.
 *
 * @example A Timeout cuts a TLS handshake that never comes short
 * ```ts
 * import { spawn, Timeout } from "@evy/evy";
 * import { get, isTimeout } from "@evy/evy/green/node/https";
 * import { createServer, type Socket } from "node:net";
 * import type { AddressInfo } from "node:net";
 * import assert from "node:assert/strict";
 *
 * // A TCP server that accepts and never speaks TLS: the handshake hangs.
 * const held: Socket[] = [];
 * const server = createServer((s) => void held.push(s));
 * await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
 * const { port } = server.address() as AddressInfo;
 * const outcome = await spawn(async () => {
 *   using t = new Timeout(50);
 *   try {
 *     await new Promise((resolve, reject) => get(`https://127.0.0.1:${port}/`, resolve).on("error", reject));
 *     return "answered";
 *   } catch (e) {
 *     return isTimeout(e, t) ? "cut short" : String(e);
 *   }
 * }).wait();
 * assert.equal(outcome, "cut short");
 * for (const s of held) s.destroy();
 * await new Promise((r) => server.close(r));
 * ```
 *
 * @module
 */
import * as real from "node:https";
import realHttps from "node:https";
import { facade, greenRequest } from "./_green_request_node.ts";

export * from "node:https";
export { isTimeout } from "./http_node.ts";

/** `https.request`, green inside a green thread (see the module doc). */
export const request: typeof real.request =
  ((...args: Parameters<typeof real.request>) => greenRequest(real.request(...args))) as typeof real.request;

/** `https.get`, green inside a green thread (see the module doc). */
export const get: typeof real.get =
  ((...args: Parameters<typeof real.get>) => greenRequest(real.get(...args))) as typeof real.get;

/** The module as a default export, as `import https from "node:https"` expects. */
const https: typeof realHttps = facade(realHttps, { request, get });
export default https;
