/**
 * The state behind every green thread. Internal: the public faces are
 * `green_thread.ts` (`GreenThread`, `spawn`), `suspend.ts` and `timeout.ts`;
 * every field is private, and callers use the few methods named for what they
 * need (start a thread, list and interrupt its waits, link to its exit).
 *
 * A thread's *waits* are the green waits it has pending now; `interrupt()`
 * rejects those it reaches (a kill: all of them; a Timeout: those begun after
 * the Timeout was made), or, when it reaches none (the thread awaits a plain
 * promise), queues the error for its next green wait. A queued interrupt from a
 * Timeout is dropped if that Timeout is cancelled first; a queued kill is never
 * dropped: a thread that finishes with one still queued ends as killed.
 *
 * @module
 */
import { threadKey, threadStorage } from "../hubs/thread_storage.ts";
import type { Runnable, ThreadHandle } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { GreenletExit } from "./_greenlet_exit.ts";
import { suspendWait, type ThreadWait, type WaitOwner, yielded } from "./_wait.ts";
import { InterruptQueue, type InterruptSource } from "./_interrupts.ts";
import { Rare, type SignalSource } from "./_thread_extras.ts";
import { armJoin, JoinWait } from "./_join_wait.ts";

export type { InterruptSource };
import type { GreenThread } from "./green_thread.ts";

/** An entry on a thread's link list: run once at exit. */
export interface LinkEntry extends Runnable {
  readonly key?: unknown;
}

export type { SignalSource };

/** A function a thread runs. */
export type AnyFn = (...args: never[]) => unknown;

const PENDING = 0;
const RUNNING = 1;
const DEAD = 2;
const STATE = 3; // the bits of #flags that hold the state
const OK = 4;
const RAN = 8;
const REPORT_ERRORS = 16;
const KILLED = 32;
const MAIN = 64;

/** Makes the one `GreenThread` of a core: set by `green_thread.ts`. */
let makeFacade: ((core: ThreadCore) => GreenThread<unknown>) | undefined;

/** Called once by `GreenThread`'s static block: how a core gets its public face. */
export function setFacadeMaker(make: (core: ThreadCore) => GreenThread<unknown>): void {
  makeFacade = make;
}

/**
 * The state of one green thread (the main thread included).
 *
 * Trade: the state and the booleans share one `#flags` number, and what few
 * threads use (queued interrupts, kill hooks, Timeouts, the abort controller,
 * the spawn stack) sits in one `Rare` object made on first use, and the
 * function and the result share a slot (a thread holds one or the other):
 * eight fields per thread instead of nineteen (88 B less on a 64-bit heap),
 * for one more load on those paths. One more field, `[threadKey]`, lets the
 * thread be its own async context on Deno (no context object per thread).
 */
export class ThreadCore implements ThreadHandle, Runnable, WaitOwner {
  /** The thread's name, shown in listings (`GreenThread.name` sets it). */
  name: string;
  /** The thread itself, so that it can be its own async context (`hubs/thread_storage.ts`). */
  readonly [threadKey]: ThreadCore = this;
  #flags = OK;
  /** The function until the thread starts; its return value or error once dead (never both at once). */
  #fnOrResult: AnyFn | unknown;
  #args: unknown[] | undefined;
  /** The pending green waits: none, one (the common case, no container), or a set of them. */
  #waits: ThreadWait | Set<ThreadWait> | undefined = undefined;
  /** The exit links: none, one (a pool thread's member link, no container), or an array of them. */
  #links: LinkEntry | LinkEntry[] | undefined = undefined;
  #facade: GreenThread<unknown> | undefined = undefined;
  #rare: Rare | undefined = undefined;

  get #more(): Rare {
    return (this.#rare ??= new Rare());
  }

  /** Whether this is the implicit main thread. */
  get isMain(): boolean {
    return (this.#flags & MAIN) !== 0;
  }

  /** Where the thread was spawned, when the hub's spawn stacks were on (tools/debug's blocking detector). */
  get spawnStack(): string | undefined {
    return this.#rare?.spawnStack;
  }

  /**
   * A thread that will run `fn(...args)` once `run()` is called (the hub's
   * ready queue or a timer). `reportErrors`: a failure is reported by the hub
   * (spawnN), else kept for `wait()`.
   */
  constructor(name: string, fn: AnyFn | undefined, args: unknown[] | undefined, reportErrors = false, isMain = false) {
    this.name = name;
    this.#fnOrResult = fn;
    this.#args = args;
    if (reportErrors) this.#flags |= REPORT_ERRORS;
    if (isMain) this.#flags |= MAIN | RUNNING | RAN;
    else if (getHub().spawnStacks) this.#more.spawnStack = new Error("spawned here").stack;
  }

  /**
   * The one way a thread is started: made for `fn(...args)`, with `firstLink`
   * (a pool's member link) on its exit list, and put on the hub's ready queue.
   */
  static start(fn: AnyFn, args: unknown[], reportErrors: boolean, firstLink?: LinkEntry): ThreadCore {
    const core = new ThreadCore(fn.name || "anonymous", fn, args, reportErrors);
    if (firstLink !== undefined) core.#links = firstLink;
    getHub().schedule(core);
    return core;
  }

  /** A thread that already returned `value` (a pool member run inline). */
  static returned(name: string, value: unknown): ThreadCore {
    const core = new ThreadCore(name, undefined, undefined);
    core.#flags |= RAN;
    core.#exit(true, value);
    return core;
  }

  /** The thread's one public face. */
  facade<T>(): GreenThread<T> {
    return (this.#facade ??= makeFacade!(this)) as GreenThread<T>;
  }

  get dead(): boolean {
    return (this.#flags & STATE) === DEAD;
  }

  get started(): boolean {
    return (this.#flags & RAN) !== 0;
  }

  /** Whether the thread returned (not threw, not killed); meaningful once dead. */
  get succeeded(): boolean {
    return (this.#flags & OK) !== 0;
  }

  /** The return value or the error, once dead. */
  get result(): unknown {
    return (this.#flags & STATE) === DEAD ? this.#fnOrResult : undefined;
  }

  /** The thread's abort signal, created on first use; aborted by `kill`. */
  get signal(): AbortSignal {
    const more = this.#more;
    if (more.abort === undefined) {
      more.abort = new AbortController();
      if ((this.#flags & KILLED) !== 0) more.abort.abort(more.killReason);
    }
    return more.abort.signal;
  }

  /**
   * Starts the thread (from the hub's ready queue or a timer).
   *
   * Trade: the thread's function is called directly and its promise settles
   * the thread through two shared handlers, which find the thread again from
   * the context the reaction runs in, rather than through an async function of
   * its own. That saves a generator, its registers and an await's closures per
   * thread (about 300 B and a microtask hop's allocations); the handlers rely
   * on a promise reaction running in the context its `then` was called in,
   * which both runtimes guarantee for the async context (`hubs/thread_storage.ts`).
   */
  run(): void {
    if ((this.#flags & STATE) !== PENDING) return;
    this.#flags |= RUNNING | RAN;
    threadStorage.run(this, ThreadCore.#main, this);
  }

  static #main(core: ThreadCore): void {
    let result: unknown;
    try {
      const fn = core.#fnOrResult as AnyFn;
      const args = core.#args as never[];
      core.#fnOrResult = undefined;
      core.#args = undefined;
      result = fn(...args);
    } catch (error) {
      core.#finish(false, error);
      return;
    }
    // As `await result` would: a native promise is followed as is, anything else through Promise.resolve.
    const promise = result instanceof Promise ? result : Promise.resolve(result);
    promise.then(ThreadCore.#fulfilled, ThreadCore.#rejected);
  }

  static #fulfilled(value: unknown): void {
    (threadStorage.getStore() as ThreadCore).#finish(true, value);
  }

  static #rejected(error: unknown): void {
    (threadStorage.getStore() as ThreadCore).#finish(false, error);
  }

  #finish(ok: boolean, result: unknown): void {
    // A kill still queued (the thread awaited plain promises only) is not lost.
    const rare = this.#rare;
    if (rare?.interrupts !== undefined && rare.interrupts.hasKill()) this.#exit(false, rare.killReason);
    else this.#exit(ok, result);
  }

  #exit(ok: boolean, result: unknown): void {
    if ((this.#flags & STATE) === DEAD) return;
    if ((this.#flags & STATE) === RUNNING) yielded(this); // it ran until now (not killed before it started)
    this.#flags = (this.#flags & ~STATE) | DEAD;
    if (!ok) this.#flags &= ~OK;
    this.#fnOrResult = result;
    this.#args = undefined;
    const rare = this.#rare;
    let hooks: Set<() => void> | undefined;
    if (rare !== undefined) {
      rare.interrupts = undefined;
      rare.timeouts = undefined;
      hooks = rare.killHooks;
      rare.killHooks = undefined;
    }
    if (hooks !== undefined && (this.#flags & KILLED) !== 0) {
      for (const hook of hooks) this.#guard(hook, "exit hook of killed");
    }
    if (!ok && (this.#flags & REPORT_ERRORS) !== 0 && !(result instanceof GreenletExit)) {
      getHub().reportError({ error: result, context: `spawnN(${this.name})`, spawnStack: this.spawnStack });
    }
    const links = this.#links;
    this.#links = undefined;
    if (links === undefined) return;
    if (!Array.isArray(links)) return this.#guard(() => links.run(), "link callback of");
    for (const link of links) this.#guard(() => link.run(), "link callback of");
  }

  #guard(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      getHub().reportError({ error, context: `${what} ${this.name}`, spawnStack: this.spawnStack });
    }
  }

  /**
   * Runs `entry` once when the thread exits; on the next hub turn if it already has.
   *
   * Trade: as with the waits, a thread nearly always has at most one link (a
   * pool thread's member link), so the slot holds that link itself and only
   * a second one makes an array: a pool thread holds no array (about 56 B),
   * for an `Array.isArray` check on the link paths.
   */
  addLink(entry: LinkEntry): void {
    if ((this.#flags & STATE) === DEAD) {
      getHub().schedule(() => this.#guard(() => entry.run(), "link callback of"));
      return;
    }
    const links = this.#links;
    if (links === undefined) this.#links = entry;
    else if (Array.isArray(links)) links.push(entry);
    else this.#links = [links, entry];
  }

  /** Removes the first link that is `key` or was added with it; returns whether there was one. */
  removeLink(key: unknown): boolean {
    const links = this.#links;
    if (links === undefined) return false;
    if (!Array.isArray(links)) {
      if (links !== key && links.key !== key) return false;
      this.#links = undefined;
      return true;
    }
    const i = links.findIndex((entry) => entry === key || entry.key === key);
    if (i < 0) return false;
    links.splice(i, 1);
    return true;
  }

  /** Whether some link passes `test` (a pool asks whether the thread is its member). */
  hasLink(test: (entry: LinkEntry) => boolean): boolean {
    const links = this.#links;
    if (links === undefined) return false;
    return Array.isArray(links) ? links.some(test) : test(links);
  }

  link(cb: () => void): void {
    this.addLink({ key: cb, run: cb });
  }

  unlink(cb: () => void): void {
    this.removeLink(cb);
  }

  /**
   * Lists `wait` among the thread's pending waits (the wait's `suspendWait` does it).
   *
   * Trade: a thread nearly always has one wait pending, so the slot holds that
   * wait itself, and only a thread with several at once (a `Promise.race` of
   * green waits) gets a `Set`; links on every wait would cost each one two fields.
   */
  addWait(wait: ThreadWait): void {
    const waits = this.#waits;
    if (waits === undefined) this.#waits = wait;
    else if (waits instanceof Set) waits.add(wait);
    else this.#waits = new Set([waits, wait]);
  }

  /** Takes a settled wait off the list. */
  removeWait(wait: ThreadWait): void {
    const waits = this.#waits;
    if (waits === wait) this.#waits = undefined;
    else if (waits instanceof Set) waits.delete(wait);
  }

  /**
   * Registers a callback run when the thread exits having been killed (not when
   * it was never killed): a killed thread's timers fire until it exits.
   */
  onKilledExit(hook: () => void): () => void {
    if ((this.#flags & STATE) === DEAD) return () => {};
    const more = this.#more;
    (more.killHooks ??= new Set()).add(hook);
    return () => void more.killHooks?.delete(hook);
  }

  /**
   * Rejects the pending green waits that are `source`'s (all of them for a
   * kill, which has no source; those begun after a Timeout was made for it)
   * with `error`, or, when there are none, queues it for the next green wait.
   */
  interrupt(error: unknown, source?: InterruptSource): void {
    if ((this.#flags & STATE) === DEAD) return;
    const since = source === undefined ? 0 : source.since;
    const pending = this.#waits;
    const waits: ThreadWait[] = [];
    if (pending instanceof Set) {
      for (const w of pending) if (w.seq > since) waits.push(w);
    } else if (pending !== undefined && pending.seq > since) waits.push(pending);
    if (waits.length === 0) (this.#more.interrupts ??= new InterruptQueue()).push(error, source);
    // The newest wait first (as a thread would have begun unwinding from it).
    for (let i = waits.length - 1; i >= 0; i--) waits[i]!.cancel(error);
  }

  /** Whether an interrupt may be queued (cheap; `takeInterrupt` says for sure). */
  hasInterrupt(): boolean {
    const interrupts = this.#rare?.interrupts;
    return interrupts !== undefined && interrupts.pending;
  }

  /** The next queued interrupt that still wants delivery, removed from the queue. */
  takeInterrupt(): { error: unknown } | undefined {
    return this.#rare?.interrupts?.take();
  }

  /** Kills the thread: see `GreenThread.kill`. Returns `true` if it was running. */
  kill(error: unknown): boolean {
    if ((this.#flags & STATE) === DEAD) return false;
    if (this.isMain) throw new TypeError("Cannot kill the main green thread");
    if (currentCore() === this) throw error;
    this.#flags |= KILLED;
    const more = this.#more;
    more.killReason = error;
    more.abort?.abort(error);
    if ((this.#flags & STATE) === PENDING) {
      this.#exit(false, error);
      return false;
    }
    this.interrupt(error);
    return true;
  }

  /**
   * A green wait, in the caller's thread, for this thread's exit: settles like
   * the thread did, or (with `settleKill`) resolves however it ended.
   */
  join<T>(settleKill: boolean): Promise<T> {
    if ((this.#flags & STATE) === DEAD) {
      return (this.#flags & OK) !== 0 || settleKill
        ? Promise.resolve(this.#fnOrResult as T)
        : Promise.reject(this.#fnOrResult);
    }
    const wait = new JoinWait<T>(currentCore(), getHub(), this, settleKill);
    return suspendWait(wait, armJoin);
  }

  /** Adds a Timeout whose signal green I/O merges until it is removed. */
  addTimeout(source: SignalSource): void {
    if ((this.#flags & STATE) !== DEAD) (this.#more.timeouts ??= new Set()).add(source);
  }

  removeTimeout(source: SignalSource): void {
    this.#rare?.timeouts?.delete(source);
  }

  /**
   * The signal of the thread's kill merged with its active Timeouts', or
   * `undefined` for the main thread with none (it cannot be killed).
   */
  waitSignal(): AbortSignal | undefined {
    const timeouts = this.#rare?.timeouts;
    if (timeouts === undefined || timeouts.size === 0) return this.isMain ? undefined : this.signal;
    const signals: AbortSignal[] = this.isMain ? [] : [this.signal];
    for (const t of timeouts) signals.push(t.signal);
    return signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
  }
}

let mainCore: ThreadCore | undefined;

/** The core of the running green thread (the main thread's at top level). */
export function currentCore(): ThreadCore {
  return (threadStorage.getStore() as ThreadCore | undefined) ??
    (mainCore ??= new ThreadCore("main", undefined, undefined, false, true));
}
