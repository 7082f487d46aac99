/**
 * The one place that picks the runtime engines for `web/`: Deno's when
 * running on Deno, Node's otherwise. Tests run the same suites on both (the
 * Node engines also run under Deno, on its `node:http`) by installing them
 * with {@linkcode useBackends}. Internal.
 *
 * @module
 */
import type { ServerBackend } from "./_server_backend.ts";
import type { WebSocketBackend } from "./_websocket_backend.ts";
import { denoServerBackend } from "./_server_deno.ts";
import { nodeServerBackend } from "./_server_node.ts";
import { denoWebSocketBackend } from "./_websocket_deno.ts";
import { nodeWebSocketBackend } from "./_websocket_node.ts";

/** A matching pair of engines. */
export interface Backends {
  server: ServerBackend;
  websocket: WebSocketBackend;
}

/** The engines on `Deno.serve` and `Deno.upgradeWebSocket`. */
export const denoBackends: Backends = { server: denoServerBackend, websocket: denoWebSocketBackend };
/** The engines on `node:http` and the `ws` package. */
export const nodeBackends: Backends = { server: nodeServerBackend, websocket: nodeWebSocketBackend };

let chosen: Backends | undefined;

/** The engines in use. */
export function backends(): Backends {
  return chosen ?? ("Deno" in globalThis ? denoBackends : nodeBackends);
}

/** Installs `next` (for tests); the returned disposable restores the previous choice. */
export function useBackends(next: Backends): Disposable {
  const previous = chosen;
  chosen = next;
  return { [Symbol.dispose]: () => void (chosen = previous) };
}
