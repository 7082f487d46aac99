/**
 * Blocking code off the loop (Eventlet's tpool): the calling green thread
 * waits cooperatively while a worker thread runs the work, so CPU-bound code
 * and blocking APIs do not stall other green threads.
 *
 * - {@linkcode execute}`(fn, ...args)` ships a **self-contained** function by
 *   its source: it cannot close over variables or use imports of the calling
 *   module — only its arguments, globals, and dynamic `import()`.
 *   `execute(moduleUrl, exportName, ...args)` runs a module's export instead,
 *   and {@linkcode proxy}`(moduleUrl)` makes every export a method.
 * - Arguments and results go by structured clone (`ArrayBuffer`s by transfer
 *   with {@linkcode executeWith}); values that cannot be cloned reject in the
 *   caller before anything runs. Errors come back as `Error`s with the
 *   worker's `name`, `message` and stack; async functions are awaited in the
 *   worker.
 * - **Cancellation**: the caller's wait is green, so kill and `Timeout`
 *   release it at once. The call's `AbortSignal` (`tpoolSignal()` in the
 *   worker) then aborts; a call still running after the grace period
 *   (`graceMs`, 1 s) has its worker terminated and replaced. Node's
 *   `terminate()` stops even a spinning loop; on Deno 2.9.6 it cannot, so
 *   there such a worker is abandoned (reported once): use `isolation:
 *   "process"` (`EVY_THREADPOOL_ISOLATION=process`) for code that may not
 *   stop, whose children a kill always ends. A cancelled or crashed call
 *   never fails another caller's, and the pool keeps its size.
 * - The default pool has `EVY_THREADPOOL_SIZE` workers (20 when unset), read
 *   at first use; workers start lazily and an idle pool lets the process exit.
 *
 * Where evy differs from Eventlet: calls return Promises, workers do not share
 * memory with the caller (no closures), and `proxy` takes a module URL rather
 * than an object.
 *
 * @example A CPU-bound call while a green thread keeps ticking
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import { execute, killall } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * let ticks = 0;
 * let done = false;
 * const ticker = spawn(async () => {
 *   while (!done) {
 *     ticks++;
 *     await sleep(1);
 *   }
 * });
 * // Self-contained: a function declaration may call itself by name.
 * function fib(n: number): number {
 *   return n < 2 ? n : fib(n - 1) + fib(n - 2);
 * }
 * assert.equal(await execute(fib, 27), 196418);
 * done = true;
 * await ticker.wait();
 * assert.ok(ticks > 0);
 * await killall();
 * ```
 *
 * @module
 */
import { setReportExceptions } from "./_tpool_report.ts";
import { type CallOptions, type Proxied, ThreadPool } from "./thread_pool.ts";

export { type CallOptions, type Proxied, ThreadPool, type ThreadPoolOptions } from "./thread_pool.ts";
export { TpoolKilledError, TpoolWorkerError } from "./tpool_errors.ts";
export { tpoolSignal } from "./_tpool_signal.ts";

let pool: ThreadPool | undefined;
const defaultPool = (): ThreadPool => pool ??= new ThreadPool();

/**
 * Runs `fn(...args)` in a worker of the default pool and resolves with its
 * (awaited) result; or, given a module URL and an export name, runs that
 * export. `fn` is shipped by its source, so it must be self-contained: it
 * **cannot use variables from the code around it** (closures, imports) —
 * pass what it needs as arguments.
 *
 * @typeParam A The arguments.
 * @typeParam R The result.
 * @param fn A self-contained function (not native, not bound).
 * @param args Its arguments, structured-cloned to the worker.
 * @returns The result, structured-cloned back.
 * @throws {TypeError} For a native or bound function, a bad module URL or export name, and (as a rejection, before anything runs) arguments that cannot be cloned.
 *
 * @example A function, then a module's export
 * ```ts
 * import { execute, killall } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await execute((a: number, b: number) => a * b, 6, 7), 42);
 * const url = "data:text/javascript,export const shout = (s) => s.toUpperCase();";
 * assert.equal(await execute(url, "shout", "hi"), "HI");
 * assert.throws(() => execute(Math.max, 1, 2), TypeError); // native: no source to ship
 * await killall();
 * ```
 */
export function execute<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
/**
 * Runs export `exportName` of the module at `moduleUrl` (a `URL` or an
 * absolute URL string) in a worker of the default pool; the module may import
 * anything. A missing or non-function export rejects with a `TypeError` naming it.
 *
 * @typeParam R The result.
 * @param moduleUrl The module.
 * @param exportName The function export to call.
 * @param args Its arguments, structured-cloned to the worker.
 * @returns The result, structured-cloned back.
 * @throws {TypeError} For a bad `moduleUrl` or `exportName`.
 *
 * @example A module's export
 * ```ts
 * import { execute, killall } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * const url = "data:text/javascript,export const add = (a, b) => a + b;";
 * assert.equal(await execute<number>(url, "add", 2, 3), 5);
 * await killall();
 * ```
 */
export function execute<R = unknown>(moduleUrl: string | URL, exportName: string, ...args: unknown[]): Promise<R>;
export function execute(target: unknown, ...rest: unknown[]): Promise<unknown> {
  return (defaultPool().execute as (target: unknown, ...rest: unknown[]) => Promise<unknown>)(target, ...rest);
}

/**
 * {@linkcode execute} with call options: `transfer` lists the `ArrayBuffer`s
 * to move to the worker rather than copy (they are detached in the caller).
 *
 * @param options `{ transfer }`.
 * @param fn A self-contained function, or a module URL followed by an export name.
 * @param args Its arguments.
 * @returns The result.
 * @throws {TypeError} As `execute`, and for a bad `options`.
 *
 * @example Moving a buffer to a worker
 * ```ts
 * import { executeWith, killall } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * const buf = new Uint8Array([1, 2, 3]).buffer;
 * const sum = await executeWith({ transfer: [buf] }, (b: ArrayBuffer) => new Uint8Array(b).reduce((x, y) => x + y), buf);
 * assert.equal(sum, 6);
 * assert.equal(buf.byteLength, 0); // moved, not copied
 * await killall();
 * ```
 */
export function executeWith(options: CallOptions, fn: unknown, ...args: unknown[]): Promise<unknown> {
  return (defaultPool().executeWith as (o: CallOptions, t: unknown, ...r: unknown[]) => Promise<unknown>)(
    options,
    fn,
    ...args,
  );
}

/**
 * An object whose method `name` runs export `name` of `moduleUrl` in the
 * default pool (Eventlet's `tpool.Proxy`): `await m.name(...args)`. It is
 * returned at once and is not a thenable; a missing or non-function export
 * rejects its call with a `TypeError` naming it.
 *
 * @typeParam T The module's type (`typeof import("./mod.ts")`).
 * @param moduleUrl A `URL` or an absolute URL string.
 * @returns The proxy.
 * @throws {TypeError} When `moduleUrl` is not a URL.
 *
 * @example A module's exports as methods
 * ```ts
 * import { killall, proxy } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * type Mod = { add(a: number, b: number): number; n(): number }; // n is not a function, in fact
 * const m = proxy<Mod>("data:text/javascript,export const add = (a, b) => a + b; export const n = 1;");
 * assert.equal(await m.add(2, 3), 5);
 * await assert.rejects(m.n(), (e: Error) => e instanceof TypeError && e.message.includes('"n"'));
 * await killall();
 * ```
 */
export function proxy<T = Record<string, (...args: unknown[]) => unknown>>(moduleUrl: string | URL): Proxied<T> {
  return defaultPool().proxy<T>(moduleUrl);
}

/**
 * Sets the number of workers of the default pool (Eventlet's
 * `tpool.setNumThreads`); before first use it replaces `EVY_THREADPOOL_SIZE`.
 *
 * @param n A positive integer.
 * @throws {RangeError} When `n` is not a positive integer.
 *
 * @example One worker: calls run one after another
 * ```ts
 * import { execute, killall, setNumThreads } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * setNumThreads(1);
 * assert.deepEqual(await Promise.all([execute(() => 1), execute(() => 2)]), [1, 2]);
 * setNumThreads(20);
 * await killall();
 * ```
 */
export function setNumThreads(n: number): void {
  defaultPool().setNumThreads(n);
}

/**
 * Stops every worker of the default pool (Eventlet's `tpool.killall`): calls
 * still waiting reject with `TpoolKilledError`; the next call starts workers
 * again. Call it when you are done (tests, shutdown).
 *
 * @returns A promise that resolves when the workers are stopped.
 *
 * @example The pool works again afterwards
 * ```ts
 * import { execute, killall } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * await killall();
 * assert.equal(await execute(() => "again"), "again");
 * await killall();
 * ```
 */
export function killall(): Promise<void> {
  return pool?.killall() ?? Promise.resolve();
}

/**
 * Also prints, on stderr, every exception raised by a pool call (Eventlet's
 * debug switch); the caller still gets it. Off by default; applies to every
 * pool. `tools/debug` re-exports it.
 *
 * @param on Whether to print.
 *
 * @example Printing pool exceptions while debugging
 * ```ts
 * import { execute, killall, tpoolExceptions } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * tpoolExceptions(true);
 * await assert.rejects(execute(() => { throw new RangeError("seen on stderr too"); }), RangeError);
 * tpoolExceptions(false);
 * await killall();
 * ```
 */
export function tpoolExceptions(on: boolean): void {
  setReportExceptions(on === true);
}
