/**
 * The Deno Web `Worker` backend of the thread pool (`EVY_THREADPOOL_BACKEND=deno`).
 * Not the default on Deno: a Web Worker cannot be unref'd (an idle pool keeps
 * the process alive until `killall()`) and has no exit event (the worker's module
 * announces `Deno.exit()`/`process.exit()` itself; an uncaught error arrives as
 * an `error` event). `terminate()` does not stop a worker spinning in
 * JavaScript on Deno 2.9.6 (DESIGN.md section 10).
 *
 * @module
 */
import type { ChannelEvents, StartOptions, TpoolBackend, WorkerChannel } from "./_tpool_backend.ts";
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";
import { workerModuleUrl } from "./_tpool_runner.ts";

let entry: URL | undefined;
/**
 * The worker's module: `workerMain` on the worker scope (plain JavaScript, see
 * `_tpool_runner.ts`). A Web Worker has no exit event, so `Deno.exit()` and
 * `process.exit()` are wrapped to tell the pool first.
 */
const ENTRY = (): URL =>
  entry ??= workerModuleUrl(
    `import process from "node:process";
const post = (m) => self.postMessage(m);
const denoExit = Deno.exit;
Deno.exit = (code) => { post({ t: "exit", code: code ?? 0 }); return denoExit(code); };
const processExit = process.exit.bind(process);
process.exit = (code) => { post({ t: "exit", code: Number(code ?? 0) }); return processExit(code); };`,
    `{ post, listen: (h) => { self.onmessage = (e) => h(e.data); } }`,
  );

function start(events: ChannelEvents, _options: StartOptions): WorkerChannel {
  const worker = new Worker(ENTRY(), { type: "module", name: "evy-tpool" });
  let gone = false;
  const end = (reason: string): void => {
    if (gone) return;
    gone = true;
    worker.terminate();
    events.exit(reason);
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const msg = event.data;
    if (!Array.isArray(msg) && msg.t === "exit") end(`exited with code ${msg.code}`);
    else events.message(msg);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    end(`uncaught ${event.message}`);
  };
  worker.onmessageerror = () => end("a message from the worker could not be deserialized");
  return {
    post: (msg: ToWorker, transfer) => worker.postMessage(msg, { transfer: [...transfer] }),
    terminate: () => {
      end("terminated");
      return Promise.resolve();
    },
    ref: () => {},
  };
}

/** Workers on Deno's Web `Worker`. */
export const denoTpool: TpoolBackend = {
  name: "deno-worker",
  stopsSpinning: false,
  canUnref: false,
  start,
};
