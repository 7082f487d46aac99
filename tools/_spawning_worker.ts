/**
 * One worker of `evy serve`: imports the app, serves it with evy's `serve()`
 * (a green thread per request) on the shared port, says when it accepts, and
 * on a stop request (SIGTERM from the controller) stops accepting, lets the
 * in-flight requests finish within `drainMs`, and exits. Internal.
 *
 * @module
 */
import { serve } from "../web/server.ts";
import type { Handler, ServeOptions } from "../web/serve_options.ts";
import type { SpawningBackend, WorkerConfig } from "./_spawning_backend.ts";

/** The app module's default export: a Fetch handler or an object with `fetch`, as `deno serve` takes. */
export function appHandler(mod: { default?: unknown }, app: string): Handler {
  const exported = mod.default;
  if (typeof exported === "function") return exported as Handler;
  if (
    exported !== null && typeof exported === "object" && typeof (exported as { fetch?: unknown }).fetch === "function"
  ) {
    const app = exported as { fetch: Handler };
    return (req, info) => app.fetch(req, info);
  }
  throw new TypeError(`evy serve: ${app} must default-export a Fetch handler or an object with a fetch method`);
}

/** Runs one worker (process or thread) until it is asked to stop; never returns. */
export async function runWorker(backend: SpawningBackend, config: WorkerConfig, inThread: boolean): Promise<never> {
  const handler = appHandler(await import(config.app), config.app);
  const threads = !inThread && config.threads > 1 ? backend.startThreads(config, config.threads - 1) : undefined;
  const options: ServeOptions = {
    port: config.port,
    hostname: config.hostname,
    reusePort: backend.reusePort,
    onListen: () => {},
    ...(config.maxSize === undefined ? {} : { maxSize: config.maxSize }),
    ...(config.accessLog ? {} : { log: false as const }),
    ...(config.trustProxy ? { trustProxy: true } : {}),
    websockets: config.websockets,
  };
  const server = serve(options, handler);
  await server.ready;
  await threads?.ready;
  let stop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (stop = resolve));
  const dispose = backend.onStopRequest(() => stop());
  backend.announceReady();
  await stopRequested;
  dispose();
  await Promise.all([server.shutdown({ drainMs: config.drainMs }), threads?.stop()]);
  backend.stopped();
  return backend.exit(0);
}
