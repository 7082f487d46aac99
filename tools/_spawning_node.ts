/**
 * The spawning backend on Node: workers are `node:cluster` workers running
 * `tools/cli.js` in worker mode; their `node:http` listeners go through the
 * primary, which shares the port among them (round-robin on Linux), so a new
 * worker accepts as soon as it listens and a stopping one closes only its
 * share. Several servers in one process (`--threads`) are not possible on
 * Node: `worker_threads` cannot share a listening port. Internal.
 *
 * @module
 */
import cluster from "node:cluster";
import { realpathSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { READY_MARKER, type SpawningBackend, WORKER_ARG } from "./_spawning_backend.ts";

const CLI = new URL(import.meta.url.endsWith(".ts") ? "./cli.ts" : "./cli.js", import.meta.url).pathname;

/** The spawning backend on `node:cluster`. */
export const nodeSpawning: SpawningBackend = {
  threadsShareAPort: false,
  reusePort: false,

  startWorker(config, events) {
    cluster.setupPrimary({ exec: CLI, args: [WORKER_ARG, JSON.stringify(config)], silent: true });
    const worker = cluster.fork();
    const child = worker.process;
    const streams = (["stdout", "stderr"] as const).map((name) =>
      new Promise<void>((resolve) => {
        const stream = child[name];
        if (stream === null || stream === undefined) return resolve();
        const lines = createInterface({ input: stream });
        lines.on("line", (line) => line === READY_MARKER ? events.ready() : events.line(name, line));
        lines.on("close", resolve);
      })
    );
    worker.on("message", (m: unknown) => m === "evy:ready" && events.ready());
    // A worker that dies while the primary writes to its IPC channel gives EPIPE here: its exit is what counts.
    worker.on("error", () => {});
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      worker.on("exit", (code, signal) => resolve({ code: signal ? null : code, signal: signal || null }));
    });
    const send = (signal: NodeJS.Signals): void => {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
    };
    return {
      pid: child.pid ?? -1,
      exited: Promise.all([exited, ...streams]).then(([e]) => e),
      stop: () => send("SIGTERM"),
      kill: () => send("SIGKILL"),
    };
  },

  cores: () => availableParallelism(),

  freePort(hostname) {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, hostname, () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
  },

  migrateRequests: () => undefined, // the primary owns the one listener: nothing is queued on a closing one

  write(stream, text) {
    (stream === "stdout" ? process.stdout : process.stderr).write(text + "\n");
  },

  workerConfig() {
    const [flag, json] = process.argv.slice(2);
    return flag === WORKER_ARG && json !== undefined ? JSON.parse(json) : undefined;
  },

  announceReady() {
    process.send?.("evy:ready");
  },

  onStopRequest(handler) {
    const fn = (): void => handler("SIGTERM");
    process.on("SIGTERM", fn);
    process.on("SIGINT", fn);
    return () => {
      process.off("SIGTERM", fn);
      process.off("SIGINT", fn);
    };
  },

  stopped() {},

  startThreads() {
    throw new RangeError("evy serve: --threads needs Deno: Node's worker_threads cannot share a listening port");
  },

  args: () => process.argv.slice(2),
  isMain(url) {
    const script = process.argv[1];
    if (script === undefined) return false;
    try {
      return realpathSync(script) === realpathSync(fileURLToPath(url));
    } catch {
      return false;
    }
  },
  inThread: () => false,

  exit: (code) => process.exit(code),
};
