/**
 * The Deno Web `Worker` backend of the thread pool (`EVY_THREADPOOL_BACKEND=deno`).
 * Not the default on Deno: a Web Worker cannot be unref'd (an idle pool keeps
 * the process alive until `killall()`) and has no exit event (the worker entry
 * announces `Deno.exit()`/`process.exit()` itself; an uncaught error arrives as
 * an `error` event). `terminate()` does not stop a worker spinning in
 * JavaScript on Deno 2.9.6 (DESIGN.md section 10).
 *
 * @module
 */
import type { ChannelEvents, StartOptions, TpoolBackend, WorkerChannel } from "./_tpool_backend.ts";
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";

const ENTRY = new URL("./_tpool_worker_deno.ts", import.meta.url);

function start(events: ChannelEvents, _options: StartOptions): WorkerChannel {
  const worker = new Worker(ENTRY, { type: "module", name: "evy-tpool" });
  let gone = false;
  const end = (reason: string): void => {
    if (gone) return;
    gone = true;
    worker.terminate();
    events.exit(reason);
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const msg = event.data;
    if (msg.t === "exit") end(`exited with code ${msg.code}`);
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
