/**
 * `ThreadPool`: a pool of workers that run blocking or CPU-bound code off the
 * event loop while the calling green thread waits cooperatively (Eventlet's
 * tpool, as an object). `@evy/evy/green/tpool`'s functions use one default
 * pool; make your own for other settings (`isolation: "process"`).
 *
 * @module
 */
import process from "node:process";
import type { TpoolBackend } from "./_tpool_backend.ts";
import { denoTpool } from "./_tpool_deno.ts";
import { describeJob, exportJob, functionJob, moduleHref } from "./_tpool_jobs.ts";
import { nodeTpool } from "./_tpool_node.ts";
import { BACKEND, PoolCore } from "./_tpool_pool.ts";
import { processTpool } from "./_tpool_process_node.ts";
import type { Job } from "./_tpool_protocol.ts";

/** Options of {@linkcode ThreadPool}. */
export interface ThreadPoolOptions {
  /**
   * How many workers at most (started on demand, one call each at a time).
   * @default the `EVY_THREADPOOL_SIZE` environment variable, else 20
   */
  size?: number;
  /**
   * `"thread"`: workers are threads (`node:worker_threads`). `"process"`:
   * child processes of the same runtime, which a cancellation always stops,
   * even code spinning in JavaScript on Deno, at a higher cost per call.
   * @default the `EVY_THREADPOOL_ISOLATION` environment variable, else "thread"
   */
  isolation?: "thread" | "process";
  /**
   * How long a cancelled call may keep running, after its signal aborted,
   * before its worker is terminated and replaced.
   * @default 1000
   */
  graceMs?: number;
  /**
   * A heap limit per worker in MiB: a call that exceeds it fails alone, with
   * `TpoolWorkerError`. Enforced by Node's `worker_threads` and by process
   * isolation; Deno's `node:worker_threads` ignores it (there, a worker that
   * runs out of memory can take the process down: use `isolation: "process"`).
   */
  memoryLimitMb?: number;
}

/** Options of {@linkcode ThreadPool.executeWith}. */
export interface CallOptions {
  /** `ArrayBuffer`s among the arguments to move to the worker instead of copying (they detach here). */
  transfer?: Transferable[];
}

/** An object whose every function export `name` becomes `(...args) => Promise<result>` run in a worker. */
export type Proxied<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

function env(name: string): string | undefined {
  try {
    return process.env[name];
  } catch {
    return undefined; // Deno without --allow-env
  }
}

function checkSize(n: unknown, what: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${what} must be a positive integer, got ${String(n)}`);
  }
  return n;
}

/** The size from `EVY_THREADPOOL_SIZE`, read at first use. */
function envSize(): number {
  const raw = env("EVY_THREADPOOL_SIZE");
  if (raw === undefined || raw === "") return 20;
  return checkSize(Number(raw), "EVY_THREADPOOL_SIZE");
}

function envIsolation(): "thread" | "process" {
  const raw = env("EVY_THREADPOOL_ISOLATION");
  if (raw === undefined || raw === "" || raw === "thread") return "thread";
  if (raw === "process") return "process";
  throw new RangeError(`EVY_THREADPOOL_ISOLATION must be "thread" or "process", got ${JSON.stringify(raw)}`);
}

/** The one place that picks the backend. */
function chooseBackend(isolation: "thread" | "process"): TpoolBackend {
  if (isolation === "process") return processTpool;
  return "Deno" in globalThis && env("EVY_THREADPOOL_BACKEND") === "deno" ? denoTpool : nodeTpool;
}

/**
 * A pool of workers. Calls wait in FIFO order for a free worker; each call's
 * wait is a green wait (kill and Timeout release the caller at once, and the
 * call's signal — `tpoolSignal()` in the worker — aborts). Workers start on
 * first use; an idle pool does not keep the process alive.
 *
 * @example A pool of two workers
 * ```ts
 * import { ThreadPool } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * const pool = new ThreadPool({ size: 2 });
 * const squares = await Promise.all([1, 2, 3].map((n) => pool.execute((x: number) => x * x, n)));
 * assert.deepEqual(squares, [1, 4, 9]);
 * await pool.killall();
 * ```
 */
export class ThreadPool {
  #core: PoolCore | undefined;
  #options: ThreadPoolOptions & { [BACKEND]?: TpoolBackend };

  /**
   * Creates a pool; nothing starts until the first call.
   *
   * @param options Size, isolation, grace period, memory limit.
   * @throws {RangeError} When `size`, `graceMs`, `memoryLimitMb` or `isolation` is invalid.
   */
  constructor(options: ThreadPoolOptions = {}) {
    if (options.size !== undefined) checkSize(options.size, "size");
    if (options.graceMs !== undefined && !(options.graceMs >= 0)) {
      throw new RangeError(`graceMs must be a non-negative number, got ${String(options.graceMs)}`);
    }
    if (options.memoryLimitMb !== undefined) checkSize(options.memoryLimitMb, "memoryLimitMb");
    if (options.isolation !== undefined && options.isolation !== "thread" && options.isolation !== "process") {
      throw new RangeError(`isolation must be "thread" or "process", got ${JSON.stringify(options.isolation)}`);
    }
    this.#options = { ...options };
  }

  #pool(): PoolCore {
    if (this.#core !== undefined) return this.#core;
    const o = this.#options;
    const backend = o[BACKEND] ?? chooseBackend(o.isolation ?? envIsolation());
    return this.#core = new PoolCore(backend, {
      size: o.size ?? envSize(),
      graceMs: o.graceMs ?? 1000,
      memoryLimitMb: o.memoryLimitMb,
    });
  }

  /**
   * Runs `fn(...args)` in a worker and resolves with its (awaited) result.
   * `fn` is shipped **by its source**: it must be self-contained — it cannot
   * use variables or imports from the surrounding code, only its arguments
   * and globals (`tpoolSignal()` is one in the worker). Or runs export
   * `exportName` of the module at `moduleUrl`, which may import anything.
   *
   * @throws {TypeError} For a native or bound function, a bad `moduleUrl` or `exportName`, and (as a rejection, before anything runs) arguments that cannot be structured-cloned.
   */
  execute<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /**
   * Runs export `exportName` of the module at `moduleUrl` with `args` in a worker.
   *
   * @throws {TypeError} For a bad `moduleUrl` or `exportName`; a missing or non-function export rejects.
   */
  execute<R = unknown>(moduleUrl: string | URL, exportName: string, ...args: unknown[]): Promise<R>;
  execute(target: unknown, ...rest: unknown[]): Promise<unknown> {
    return this.#run({}, target, rest, "execute");
  }

  /**
   * {@linkcode ThreadPool.execute} with call options: `transfer` moves the
   * listed `ArrayBuffer`s to the worker instead of copying them.
   *
   * @throws {TypeError} As `execute`, and for a `transfer` that is not an array.
   */
  executeWith<A extends unknown[], R>(options: CallOptions, fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /**
   * {@linkcode ThreadPool.execute} of a module's export, with call options.
   *
   * @throws {TypeError} As `execute`, and for a `transfer` that is not an array.
   */
  executeWith<R = unknown>(
    options: CallOptions,
    moduleUrl: string | URL,
    exportName: string,
    ...args: unknown[]
  ): Promise<R>;
  executeWith(options: CallOptions, target: unknown, ...rest: unknown[]): Promise<unknown> {
    if (options === null || typeof options !== "object") throw new TypeError("executeWith: options must be an object");
    if (options.transfer !== undefined && !Array.isArray(options.transfer)) {
      throw new TypeError("executeWith: options.transfer must be an array");
    }
    return this.#run(options, target, rest, "executeWith");
  }

  #run(options: CallOptions, target: unknown, rest: unknown[], api: string): Promise<unknown> {
    let job: Job;
    let args = rest;
    if (typeof target === "string" || target instanceof URL) {
      job = exportJob(target, rest[0], api);
      args = rest.slice(1);
    } else {
      job = functionJob(target, api);
    }
    return this.#pool().run(job, args, options.transfer ?? [], describeJob(job, target));
  }

  /**
   * An object whose method `name` runs export `name` of `moduleUrl` in a
   * worker: `await m.name(...args)` (Eventlet's `tpool.Proxy`). Returned at
   * once; it is not a thenable. An export that is missing or not a function
   * rejects the call with a `TypeError` naming it.
   *
   * @throws {TypeError} When `moduleUrl` is not a URL or an absolute URL string.
   */
  proxy<T = Record<string, (...args: unknown[]) => unknown>>(moduleUrl: string | URL): Proxied<T> {
    const url = moduleHref(moduleUrl, "proxy");
    const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    return new Proxy(Object.create(null), {
      get: (_target, name) => {
        if (typeof name !== "string" || name === "then") return undefined;
        let method = methods.get(name);
        if (method === undefined) {
          method = (...args: unknown[]) => this.execute(url, name, ...args);
          methods.set(name, method);
        }
        return method;
      },
    }) as Proxied<T>;
  }

  /**
   * Changes the number of workers (Eventlet's `setNumThreads`); extra idle
   * workers stop now, busy ones after their call.
   *
   * @throws {RangeError} When `n` is not a positive integer.
   */
  setNumThreads(n: number): void {
    checkSize(n, "setNumThreads: n");
    this.#options.size = n;
    this.#core?.resize(n);
  }

  /** The number of workers the pool may run (`setNumThreads`, or its size at creation). */
  get size(): number {
    return this.#core?.size ?? this.#options.size ?? envSize();
  }

  /**
   * Stops every worker; calls still queued or running reject with
   * `TpoolKilledError`. The pool works again afterwards (workers restart on
   * the next call). Resolves when the workers are stopped.
   */
  killall(): Promise<void> {
    return this.#core?.killall() ?? Promise.resolve();
  }
}
