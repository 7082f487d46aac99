/**
 * The worker side of the pool, shared by every worker entry: runs each call
 * (a shipped function compiled once per source, or a module's export), gives
 * it its signal (`tpoolSignal()`), and posts the result or the error back.
 * Loads no part of the pool or the hub.
 *
 * @module
 */
import { type FromWorker, type Job, toWire, type ToWorker } from "./_tpool_protocol.ts";
import { callSignal, tpoolSignal } from "./_tpool_signal.ts";

type AnyFn = (...args: unknown[]) => unknown;

/** Sends a message to the pool; throws when the value cannot be cloned. */
export type Post = (msg: FromWorker) => void;

const compiled = new Map<string, AnyFn>();

/** Compiles a shipped function's source: an expression (`function`, arrow, `async`), or a method (`name() {}`). */
function compile(source: string): AnyFn {
  let fn = compiled.get(source);
  if (fn !== undefined) return fn;
  let value: unknown;
  try {
    value = new Function(`"use strict"; return (${source});`)();
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // Method shorthand (`run(n) { ... }`) is not an expression on its own; as an object member it is.
    const holder = new Function(`"use strict"; return ({${source}});`)() as Record<string, unknown>;
    value = Object.values(holder)[0];
  }
  if (typeof value !== "function") throw new TypeError("tpool: the shipped source is not a function");
  fn = value as AnyFn;
  compiled.set(source, fn);
  return fn;
}

async function resolve(job: Job): Promise<AnyFn> {
  if (job.kind === "fn") return compile(job.source);
  const mod = await import(job.url) as Record<string, unknown>;
  if (!(job.name in mod)) throw new TypeError(`tpool: module ${job.url} has no export named "${job.name}"`);
  const value = mod[job.name];
  if (typeof value !== "function") {
    throw new TypeError(`tpool: export "${job.name}" of ${job.url} is not a function (it is ${typeof value})`);
  }
  return value as AnyFn;
}

/** Returns the handler of the pool's messages for a worker that posts with `post`. */
export function createRunner(post: Post): (msg: ToWorker) => void {
  const running = new Map<number, AbortController>();
  (globalThis as Record<string, unknown>).tpoolSignal = tpoolSignal;

  const finish = (id: number, value: unknown): void => {
    try {
      post({ t: "done", id, value });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      post({ t: "fail", id, error: toWire(new TypeError(`tpool: the result cannot be cloned to the caller: ${why}`)) });
    }
  };

  const run = async (id: number, job: Job, args: unknown[], signal: AbortSignal): Promise<void> => {
    try {
      const fn = await resolve(job);
      const value = await callSignal.run(signal, fn, ...args);
      finish(id, value);
    } catch (error) {
      post({ t: "fail", id, error: toWire(error) });
    } finally {
      running.delete(id);
    }
  };

  return (msg) => {
    if (msg.t === "cancel") {
      running.get(msg.id)?.abort(new DOMException("tpool call cancelled by its caller", "AbortError"));
      return;
    }
    const controller = new AbortController();
    running.set(msg.id, controller);
    void run(msg.id, msg.job, msg.args, controller.signal);
  };
}
