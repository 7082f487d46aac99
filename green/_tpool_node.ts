/**
 * The `node:worker_threads` backend of the thread pool. It is the default on
 * both runtimes: on Deno it runs through Deno's `node:` layer, which (unlike
 * Deno's Web `Worker`) can `unref()` an idle worker and reports its exit.
 *
 * `Worker.terminate()` stops a worker spinning in JavaScript on Node; on Deno
 * 2.9.6 it does not (DESIGN.md section 10), hence `stopsSpinning`.
 *
 * @module
 */
import type { Worker as NodeWorker } from "node:worker_threads";
import process from "node:process";
import type { ChannelEvents, StartOptions, TpoolBackend, WorkerChannel } from "./_tpool_backend.ts";
import type { ToWorker } from "./_tpool_protocol.ts";
import { workerModuleUrl } from "./_tpool_runner.ts";

let entry: URL | undefined;
/** The worker's module: `workerMain` on `parentPort` (plain JavaScript, see `_tpool_runner.ts`). */
const ENTRY = (): URL =>
  entry ??= workerModuleUrl(
    `import { parentPort } from "node:worker_threads";`,
    `{ post: (m) => parentPort.postMessage(m), listen: (h) => parentPort.on("message", h) }`,
  );

function workerClass(): typeof NodeWorker {
  const threads = process.getBuiltinModule("node:worker_threads") as typeof import("node:worker_threads");
  return threads.Worker;
}

function start(events: ChannelEvents, options: StartOptions): WorkerChannel {
  const Worker = workerClass();
  const limits = options.memoryLimitMb === undefined ? {} : {
    resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb, maxYoungGenerationSizeMb: 16 },
  };
  const worker = new Worker(ENTRY(), { ...limits, stderr: false, stdout: false });
  let lastError = "";
  let ended: Promise<void> | undefined;
  worker.on("message", (msg) => events.message(msg));
  worker.on("error", (error: Error & { code?: string }) => {
    lastError = error.code === "ERR_WORKER_OUT_OF_MEMORY"
      ? "out of memory"
      : `uncaught ${error.name}: ${error.message}`;
  });
  worker.on("exit", (code) => events.exit(lastError === "" ? `exited with code ${code}` : lastError));
  worker.unref();
  return {
    post: (msg: ToWorker, transfer) => worker.postMessage(msg, transfer as never),
    terminate: () => ended ??= worker.terminate().then(() => {}, () => {}),
    ref: (on) => on ? worker.ref() : worker.unref(),
  };
}

/** Workers on `node:worker_threads`. */
export const nodeTpool: TpoolBackend = {
  name: "worker_threads",
  stopsSpinning: !("Deno" in globalThis),
  canUnref: true,
  start,
};
