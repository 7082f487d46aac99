/**
 * Green threads: cheap tasks run by the hub, each in its own context, that can
 * be killed or timed out wherever they wait.
 *
 * `spawn(fn, ...args)` returns a {@linkcode GreenThread} at once; `fn` starts
 * when the spawner next waits (threads start in spawn order). Top-level code
 * runs in an implicit *main* thread, so `getCurrent()` and `Timeout` work there
 * too. Unlike Eventlet, durations are milliseconds, `wait()` returns a Promise,
 * and `wait()` of a killed thread rejects (with {@linkcode GreenletExit} or the
 * error given to `kill`).
 *
 * @example Spawn, wait, kill
 * ```ts
 * import { GreenletExit, sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const adder = spawn((a: number, b: number) => a + b, 2, 3);
 * assert.equal(await adder.wait(), 5);
 *
 * const sleeper = spawn(() => sleep(60_000));
 * await sleep(0); // let it start and block
 * await sleeper.kill();
 * await assert.rejects(sleeper.wait(), GreenletExit);
 * ```
 *
 * @module
 */
import { type AnyFn, currentCore, setFacadeMaker, ThreadCore } from "./_thread_core.ts";
import { GreenletExit } from "./_greenlet_exit.ts";
import { getHub } from "../hubs/mod.ts";
import type { HubTimer } from "../hubs/hub.ts";
import { checkFn, checkMs, describe } from "./_checks.ts";

export { GreenletExit };

/** A function a green thread runs. */
export type ThreadFn<T, A extends unknown[]> = (...args: A) => T | PromiseLike<T>;

/**
 * A green thread, as returned by {@linkcode spawn}. Deliberately **not** a
 * thenable: returning one from an async function, or resolving a promise with
 * it, never waits for the thread — call `wait()` for that.
 *
 * @typeParam T The value the thread's function returns.
 *
 * @example
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(() => sleep(60_000));
 * gt.name = "sleeper";
 * await sleep(0);
 * assert.equal(gt.started, true);
 * await gt.kill();
 * assert.equal(gt.dead, true);
 * assert.equal(gt.signal.aborted, true);
 * ```
 */
export class GreenThread<T = unknown> {
  #core: ThreadCore;

  /**
   * Threads are made by {@linkcode spawn}, {@linkcode spawnAfter} and {@linkcode getCurrent}.
   *
   * @ignore
   */
  private constructor(core: ThreadCore) {
    if (!(core instanceof ThreadCore)) throw new TypeError("GreenThread: use spawn() to create green threads");
    this.#core = core;
  }

  static {
    setFacadeMaker((core) => new GreenThread(core));
  }

  /** The thread's name (the function's name unless set), shown by the debug tools. */
  get name(): string {
    return this.#core.name;
  }
  set name(value: string) {
    this.#core.name = String(value);
  }

  /** `true` once the thread has exited (returned, thrown, or been killed). */
  get dead(): boolean {
    return this.#core.dead;
  }

  /** `true` once the thread's function has begun running. */
  get started(): boolean {
    return this.#core.started;
  }

  /**
   * Aborted when the thread is killed, with the kill's error as reason: hand it
   * to APIs that take a signal so they stop too.
   */
  get signal(): AbortSignal {
    return this.#core.signal;
  }

  /**
   * Waits (a green wait) for the thread to exit; resolves with its return value
   * or rejects with its error. A thread killed before it caught the kill
   * rejects with `GreenletExit` (or the error given to `kill`).
   *
   * @throws {RangeError} When a thread waits for itself.
   */
  wait(): Promise<T> {
    if (currentCore() === this.#core) {
      return Promise.reject(new RangeError(`Cannot wait for green thread ${this.name}: it is the current thread`));
    }
    return this.#core.join<T>(false);
  }

  /**
   * Kills the thread: its current green waits reject with `error` (default a
   * new {@linkcode GreenletExit}) and its `signal` aborts. A thread that never
   * started never runs; killing a dead thread does nothing. A thread awaiting
   * a plain promise takes the kill at its next green wait, and if it finishes
   * first it still ends as killed.
   *
   * The kill itself happens at the call. The returned promise resolves once the
   * thread has exited, and never rejects unless awaited: it becomes a green
   * wait only when something calls its `then` (an `await`), and then it is a
   * wait of the thread that awaits it, which that thread's own kill or Timeout
   * can interrupt. So a `gt.kill()` nobody awaits is safe from any thread, and
   * costs no wait.
   *
   * @param error What the thread's waits reject with.
   * @returns Resolves when the thread has exited.
   * @throws {Error} `error` itself, synchronously, when a thread kills itself.
   * @throws {TypeError} When asked to kill the main thread.
   *
   * @example Fire and forget
   * ```ts
   * import { sleep, spawn } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const gt = spawn(() => sleep(60_000));
   * await sleep(0);
   * const ignored = gt.kill(); // nobody awaits it: nothing can become an unhandled rejection
   * assert.ok(ignored instanceof Object);
   * await sleep(0);
   * assert.equal(gt.dead, true);
   * ```
   */
  kill(error: unknown = new GreenletExit(`green thread ${this.name} killed`)): Promise<void> {
    const core = this.#core;
    if (!core.kill(error)) return Promise.resolve();
    return new ThreadExit(core);
  }

  /**
   * Kills the thread only if it has not started yet. Returns whether it was
   * cancelled.
   */
  cancel(error: unknown = new GreenletExit(`green thread ${this.name} cancelled`)): boolean {
    const core = this.#core;
    if (core.started || core.dead) return false;
    core.kill(error);
    return true;
  }

  /**
   * Runs `cb(thread, ...args)` once after the thread exits, whichever way (also
   * when killed before it started). Linked after death, `cb` runs on the next
   * hub turn. Errors thrown by `cb` are reported by the hub.
   */
  link<A extends unknown[]>(cb: (thread: GreenThread<T>, ...args: A) => void, ...args: A): void {
    checkFn("GreenThread.link", cb, "cb");
    this.#core.addLink({ key: cb, run: () => cb(this, ...args) });
  }

  /**
   * Removes a callback added with `link`; returns whether it was linked.
   *
   * @throws {TypeError} When `cb` is not a function (nothing else can have been linked).
   */
  unlink(cb: (thread: GreenThread<T>, ...args: never[]) => void): boolean {
    checkFn("GreenThread.unlink", cb, "cb");
    return this.#core.removeLink(cb);
  }

  /** Kills the thread and waits for it to exit (`await using gt = spawn(...)`). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.dead || this.#core === currentCore()) return;
    await this.kill();
  }

  /** A short description: `GreenThread(worker, running)`. */
  toString(): string {
    const core = this.#core;
    const state = core.dead ? "dead" : core.started ? "running" : "pending";
    return `GreenThread(${this.name}, ${state})`;
  }
}

/**
 * What `kill()` hands back: a promise of the thread's exit whose green wait
 * begins only when `then` is called, in the calling thread. Nobody calling
 * `then` means no wait, hence nothing that could reject unhandled.
 */
class ThreadExit extends Promise<void> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }
  readonly #core: ThreadCore;
  constructor(core: ThreadCore) {
    super(ignoreExecutor);
    this.#core = core;
  }
  override then<R1 = void, R2 = never>(
    onfulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const exited = this.#core.join<unknown>(true);
    return exited.then(typeof onfulfilled === "function" ? () => onfulfilled() : undefined, onrejected);
  }
}

function ignoreExecutor(): void {}

/**
 * Starts `fn(...args)` in a new green thread and returns it at once. The thread
 * begins when the caller next waits; threads start in spawn order. A failure
 * nobody waits for is kept for `wait()`, never an unhandled rejection.
 *
 * @throws {TypeError} When `fn` is not a function.
 *
 * @example
 * ```ts
 * import { sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(async (name: string) => {
 *   await sleep(1);
 *   return `hello, ${name}`;
 * }, "evy");
 * assert.equal(await gt.wait(), "hello, evy");
 * ```
 */
export function spawn<T, A extends unknown[]>(fn: ThreadFn<T, A>, ...args: A): GreenThread<Awaited<T>> {
  checkFn("spawn", fn);
  return ThreadCore.start(fn as AnyFn, args, false).facade();
}

/**
 * Like {@linkcode spawn}, but returns nothing: cheaper, and a failure is
 * reported by the hub (to stderr, with the spawn site when spawn stacks are on).
 *
 * @example
 * ```ts
 * import { sleep, spawnN } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const seen: number[] = [];
 * for (let i = 0; i < 3; i++) spawnN((n: number) => void seen.push(n), i);
 * await sleep(0);
 * assert.deepEqual(seen, [0, 1, 2]);
 * ```
 *
 * @throws {TypeError} When `fn` is not a function.
 */
export function spawnN<A extends unknown[]>(fn: ThreadFn<unknown, A>, ...args: A): void {
  checkFn("spawnN", fn);
  ThreadCore.start(fn as AnyFn, args, true);
}

/**
 * Starts `fn(...args)` in a green thread after `ms` milliseconds. `cancel()` or
 * `kill()` before then prevents it from ever running.
 *
 * @example
 * ```ts
 * import { spawnAfter } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const later = spawnAfter(10, () => "done");
 * assert.equal(later.started, false);
 * assert.equal(await later.wait(), "done");
 * ```
 *
 * @throws {TypeError} When `fn` is not a function.
 * @throws {RangeError} When `ms` is negative or not a number.
 */
export function spawnAfter<T, A extends unknown[]>(
  ms: number,
  fn: ThreadFn<T, A>,
  ...args: A
): GreenThread<Awaited<T>> {
  checkFn("spawnAfter", fn);
  checkMs("spawnAfter", ms, false);
  const core = new ThreadCore(fn.name || "anonymous", fn as AnyFn, args);
  const timer: HubTimer = getHub().scheduleCallGlobal(ms, core, `spawnAfter(${ms}, ${core.name})`);
  core.onKilledExit(() => timer.cancel());
  return core.facade();
}

/**
 * The green thread running now; at top level (or in a callback outside any
 * thread) the implicit main thread.
 *
 * @example
 * ```ts
 * import { getCurrent, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(() => getCurrent());
 * assert.equal(await gt.wait(), gt);
 * assert.equal(getCurrent().name, "main");
 * ```
 */
export function getCurrent(): GreenThread {
  return currentCore().facade();
}

/**
 * Kills `thread` with `error`; the same as `thread.kill(error)`.
 *
 * @example
 * ```ts
 * import { kill, sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(() => sleep(60_000));
 * await sleep(0);
 * await kill(gt, new Error("stop"));
 * await assert.rejects(gt.wait(), /stop/);
 * ```
 */
export function kill(thread: GreenThread<unknown>, error?: unknown): Promise<void> {
  if (!(thread instanceof GreenThread)) {
    throw new TypeError(`kill: thread must be a GreenThread, got ${describe(thread)}`);
  }
  return error === undefined ? thread.kill() : thread.kill(error);
}
