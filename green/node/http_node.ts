/**
 * Drop-in for `node:http`: the seeds' `eventlet.green.urllib2` for the npm
 * world. Same exports as the runtime's module; what changes is that a client
 * request made inside a green thread — by `request`, `get`, `new
 * ClientRequest`, with any `Agent` (keep-alive included) — is green:
 *
 * - the hub lists it while it lasts (`http.request(GET 127.0.0.1:8080/path)`),
 *   from the call until its response has been read to the end;
 * - the moment the thread is killed or one of its active Timeouts (those
 *   active when the request was made) fires, the request — and its response,
 *   if a body is still streaming — is destroyed with a `RequestInterrupted`
 *   error (`code` `"ERR_EVY_INTERRUPTED"`) whose `cause` is the kill's error or
 *   the Timeout. No signal has to be passed: axios, got, node-fetch and every
 *   other client built on `node:http` are cut short as they are. Bytes a
 *   reader already had stay with it; the socket is destroyed, so an agent
 *   never gets it back broken. A request that finished is untied at once.
 *
 * The thread awaiting the client's promise then sees the client's own error
 * (an `AxiosError`, got's `RequestError`, node-fetch's `FetchError`):
 * {@linkcode isTimeout} tells whether it was our Timeout, so the Eventlet
 * idiom reads `if (!isTimeout(e, t)) throw e`.
 *
 * The server side (`createServer`, `Server`, `IncomingMessage`, ...) is the
 * runtime's own. The preload's module hooks (`--preload @evy/evy/patch`,
 * `net` group) and the import-map generator substitute this module for
 * `node:http`; `@evy/evy/green/node/https` does the same for `node:https`.
 *
 * @example A Timeout cuts a slow response short
 * ```ts
 * import { spawn, Timeout } from "@evy/evy";
 * import { createServer, get, isTimeout, type ServerResponse } from "@evy/evy/green/node/http";
 * import type { AddressInfo } from "node:net";
 * import assert from "node:assert/strict";
 *
 * const unanswered: ServerResponse[] = []; // a server that never answers
 * const server = createServer((_req, res) => void unanswered.push(res));
 * await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
 * const { port } = server.address() as AddressInfo;
 * const outcome = await spawn(async () => {
 *   using t = new Timeout(50);
 *   try {
 *     await new Promise((resolve, reject) => get(`http://127.0.0.1:${port}/slow`, resolve).on("error", reject));
 *     return "answered";
 *   } catch (e) {
 *     if (!isTimeout(e, t)) throw e;
 *     return "cut short";
 *   }
 * }).wait();
 * assert.equal(outcome, "cut short");
 * await new Promise((r) => server.close(r));
 * ```
 *
 * @module
 */
import * as real from "node:http";
import realHttp from "node:http";
import { facade, greenRequest, interruptedBy } from "./_green_request_node.ts";

export * from "node:http";

/**
 * Whether `error` comes from cutting a request short with `timeout` (or
 * another interruption reason, such as a kill's error): it is `timeout`, or
 * `timeout` is in its `cause` chain, or it carries the interruption's `code`
 * and tag (node-fetch's `FetchError` keeps only those). Works with the errors
 * of axios, got, node-fetch and of the runtime's `ClientRequest`.
 *
 * @param error What a client threw or emitted.
 * @param timeout The `Timeout` (or kill error) to look for.
 * @returns `true` when `error` was caused by `timeout`.
 * @throws {TypeError} When `timeout` is not an object.
 *
 * @example
 * ```ts
 * import { Timeout } from "@evy/evy";
 * import { isTimeout } from "@evy/evy/green/node/http";
 * import assert from "node:assert/strict";
 *
 * using t = new Timeout(null);
 * assert.equal(isTimeout(new Error("client failed", { cause: t }), t), true);
 * assert.equal(isTimeout(new Error("refused"), t), false);
 * ```
 */
export function isTimeout(error: unknown, timeout: object): boolean {
  if ((typeof timeout !== "object" && typeof timeout !== "function") || timeout === null) {
    throw new TypeError(`isTimeout: timeout must be a Timeout or an error object, got ${String(timeout)}`);
  }
  return interruptedBy(error, timeout);
}

/** `http.request`, green inside a green thread (see the module doc). */
export const request: typeof real.request =
  ((...args: Parameters<typeof real.request>) => greenRequest(real.request(...args))) as typeof real.request;

/** `http.get`, green inside a green thread (see the module doc). */
export const get: typeof real.get =
  ((...args: Parameters<typeof real.get>) => greenRequest(real.get(...args))) as typeof real.get;

/**
 * `http.ClientRequest`: `new ClientRequest(...)` (and subclasses) make green
 * requests; `instanceof` holds for every runtime request.
 */
export const ClientRequest: typeof real.ClientRequest = new Proxy(real.ClientRequest, {
  construct(target, args, newTarget): object {
    return greenRequest(Reflect.construct(target, args, newTarget) as real.ClientRequest);
  },
});

/** The module as a default export, as `import http from "node:http"` expects. */
const http: typeof realHttp = facade(realHttp, { request, get, ClientRequest });
export default http;
