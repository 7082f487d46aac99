/**
 * The worker side of the pool, shared by every backend: {@linkcode workerMain}
 * runs each call (a shipped function compiled once per source, or a module's
 * export), gives it its signal (`tpoolSignal()`), and posts the result or the
 * error back.
 *
 * `workerMain` is **self-contained**: the thread backends start their workers
 * from a small JavaScript module that embeds `workerMain.toString()`, so a
 * worker loads no TypeScript of ours (under `deno test`, a TypeScript worker
 * entry is type-checked at every start: ~2 s against ~0.2 s measured here).
 * The child process entry imports it as a module. It finds the call's
 * signal store through a global key, which `_tpool_signal.ts` reads too.
 *
 * @module
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import type { FromWorker, Job, ToWorker, WireError } from "./_tpool_protocol.ts";

/** What a worker entry gives {@linkcode workerMain}. */
export interface WorkerHost {
  /** Sends a message to the pool; throws when the value cannot be cloned. */
  post(msg: FromWorker): void;
  /** Registers the handler of the pool's messages. */
  listen(handler: (msg: ToWorker) => void): void;
  /** `node:async_hooks`' class (the worker entry imports it). */
  AsyncLocalStorage: typeof AsyncLocalStorage;
  /**
   * `(url) => import(url)`, written in the entry: an `import()` inside
   * `workerMain` would be rewritten by the npm build (tsc's
   * `rewriteRelativeImportExtensions`) to call a helper the shipped source lacks.
   */
  importModule(url: string): Promise<unknown>;
}

/** The worker's main loop. Self-contained: it is shipped by its source (see the module doc). */
export function workerMain(host: WorkerHost): void {
  type AnyFn = (...args: unknown[]) => unknown;
  const g = globalThis as unknown as Record<PropertyKey, unknown>;
  /** One running call; its AbortController is made only if the call asks for its signal. */
  interface Call {
    controller: AbortController | undefined;
    reason: unknown;
    readonly signal: AbortSignal;
  }
  const newCall = (): Call => ({
    controller: undefined,
    reason: undefined,
    get signal(): AbortSignal {
      if (this.controller === undefined) {
        this.controller = new AbortController();
        if (this.reason !== undefined) this.controller.abort(this.reason);
      }
      return this.controller.signal;
    },
  });
  const store = new host.AsyncLocalStorage<Call>();
  g[Symbol.for("evy.tpool.callSignal")] = store;
  let never: AbortSignal | undefined;
  g.tpoolSignal = (): AbortSignal => store.getStore()?.signal ?? (never ??= new AbortController().signal);

  const toWire = (error: unknown, depth = 0): WireError => {
    if (typeof error === "object" && error !== null && "message" in error) {
      const e = error as Error & { code?: unknown };
      const wire: WireError = { name: String(e.name ?? "Error"), message: String(e.message), stack: e.stack };
      if (typeof e.code === "string" || typeof e.code === "number") wire.code = e.code;
      if (e.cause !== undefined && depth < 4) wire.cause = toWire(e.cause, depth + 1);
      return wire;
    }
    return { name: "Error", message: `non-Error value thrown: ${String(error)}`, stack: undefined };
  };

  const compiled = new Map<string, AnyFn>();
  const compile = (source: string): AnyFn => {
    let fn = compiled.get(source);
    if (fn !== undefined) return fn;
    let value: unknown;
    try {
      value = new Function(`"use strict"; return (${source});`)();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Method shorthand (`run(n) { ... }`) is not an expression on its own; as an object member it is.
      value = Object.values(new Function(`"use strict"; return ({${source}});`)() as object)[0];
    }
    if (typeof value !== "function") throw new TypeError("tpool: the shipped source is not a function");
    compiled.set(source, fn = value as AnyFn);
    return fn;
  };

  // A module's export, found once: a repeated `import()` of a loaded module still costs ~0.1 ms a call.
  const exports = new Map<string, AnyFn>();
  const resolve = async (job: Job): Promise<AnyFn> => {
    if (job.kind === "fn") return compile(job.source);
    const key = `${job.name}\n${job.url}`;
    const known = exports.get(key);
    if (known !== undefined) return known;
    const mod = await host.importModule(job.url) as Record<string, unknown>;
    if (!(job.name in mod)) throw new TypeError(`tpool: module ${job.url} has no export named "${job.name}"`);
    const value = mod[job.name];
    if (typeof value !== "function") {
      throw new TypeError(`tpool: export "${job.name}" of ${job.url} is not a function (it is ${typeof value})`);
    }
    exports.set(key, value as AnyFn);
    return value as AnyFn;
  };

  const post = (msg: FromWorker): void => {
    try {
      host.post(msg);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      const failure = new TypeError(`tpool: the result cannot be cloned to the caller: ${why}`);
      host.post({ t: "fail", id: Array.isArray(msg) ? msg[0] : (msg as { id: number }).id, error: toWire(failure) });
    }
  };
  const cached = (job: Job): AnyFn | undefined =>
    job.kind === "fn" ? compile(job.source) : exports.get(`${job.name}\n${job.url}`);
  // Jobs by the id the pool gave them: later calls of a job send only its id.
  const jobs = new Map<number, Job>();

  // Calls that are awaiting something, by id: only those can receive a `cancel` while running.
  const running = new Map<number, Call>();
  const settle = (id: number, result: Promise<unknown>): void => {
    result.then(
      (value) => post([id, value]),
      (error) => post({ t: "fail", id, error: toWire(error) }),
    ).finally(() => running.delete(id)).catch(() => {}); // post() failed twice: the channel is gone, its exit follows
  };

  host.listen((msg) => {
    if (!Array.isArray(msg)) {
      const call = running.get(msg.id);
      if (call === undefined) return;
      call.reason = new DOMException("tpool call cancelled by its caller", "AbortError");
      call.controller?.abort(call.reason);
      return;
    }
    const [id, jobId, args, sent] = msg;
    let job = sent;
    if (job === undefined) job = jobs.get(jobId)!;
    else if (jobId >= 0) jobs.set(jobId, job);
    const call = newCall();
    let fn: AnyFn | undefined;
    let value: unknown;
    try {
      fn = cached(job);
      // The fast path, a known function that returns a plain value: no await, no bookkeeping.
      if (fn !== undefined) value = store.run(call, fn, ...args);
    } catch (error) {
      post({ t: "fail", id, error: toWire(error) });
      return;
    }
    if (
      fn !== undefined &&
      (typeof value !== "object" || value === null || typeof (value as Promise<unknown>).then !== "function")
    ) {
      post([id, value]);
      return;
    }
    running.set(id, call);
    settle(id, fn !== undefined ? Promise.resolve(value) : resolve(job).then((f) => store.run(call, f, ...args)));
  });
}

/**
 * A JavaScript module (as a `data:` URL) that runs {@linkcode workerMain}:
 * `prelude` is code, `host` the code of an object with `post` and `listen`.
 */
export function workerModuleUrl(prelude: string, host: string): URL {
  const code = `import { AsyncLocalStorage } from "node:async_hooks";\n${prelude}\n(${workerMain.toString()})(` +
    `Object.assign(${host}, { AsyncLocalStorage, importModule: (url) => import(url) }));\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
