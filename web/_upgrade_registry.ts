/**
 * Hands a Node upgrade request's raw socket from the server engine
 * (`_server_node.ts`) to the websocket engine (`_websocket_node.ts`), keyed
 * by the `Request` the handler sees, and marks the response that says "the
 * socket was taken". Internal; no runtime I/O here.
 *
 * @module
 */

/** What `node:http`'s `upgrade` event gives. */
export interface ParkedUpgrade {
  request: unknown;
  socket: unknown;
  head: unknown;
}

const parked = new WeakMap<Request, ParkedUpgrade>();
const taken = new WeakSet<Response>();

/** Parks the raw upgrade of `req`. */
export function parkUpgrade(req: Request, upgrade: ParkedUpgrade): void {
  parked.set(req, upgrade);
}

/** Takes the raw upgrade parked for `req`, once. */
export function takeUpgrade(req: Request): ParkedUpgrade | undefined {
  const upgrade = parked.get(req);
  parked.delete(req);
  return upgrade;
}

/** A response standing for "the websocket engine answered on the socket itself". */
export function upgradeResponse(): Response {
  const res = new Response(null, { status: 200 });
  taken.add(res);
  return res;
}

/** `true` for a response made by {@linkcode upgradeResponse}. */
export function isUpgradeResponse(res: Response): boolean {
  return taken.has(res);
}
