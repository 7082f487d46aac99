/**
 * The state behind every green thread and the one primitive every green wait
 * goes through. Internal: the public faces are `green_thread.ts`
 * (`GreenThread`, `spawn`), `suspend.ts` and `timeout.ts`.
 *
 * A thread's *waits* are the green waits it has pending now; `interrupt()`
 * rejects all of them, or, when the thread is awaiting a plain promise and has
 * none, queues the error for its next green wait. A queued interrupt from a
 * Timeout is dropped if that Timeout is cancelled first.
 *
 * @module
 */
import { threadStorage } from "../hubs/thread_storage.ts";
import type { Hub, Runnable, ThreadHandle } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { type Cleanup, type Register, suspendWait, Wait, yielded } from "./_wait.ts";

export { type Cleanup, type Register, suspendWait, Wait };

/**
 * Thrown into a green thread by `kill()` when no other error is given, and the
 * rejection of `wait()` for a thread that died of it. Catch it to clean up; a
 * thread that catches it and returns normally counts as having returned.
 *
 * @example
 * ```ts
 * import { GreenletExit, sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(() => sleep(10_000));
 * await sleep(0);
 * await gt.kill();
 * await assert.rejects(gt.wait(), GreenletExit);
 * ```
 */
export class GreenletExit extends Error {
  /** Creates the exit error; the message says who was killed when known. */
  constructor(message = "green thread killed", options?: ErrorOptions) {
    super(message, options);
    this.name = "GreenletExit";
  }
}

/** Something that can take back an interrupt it queued (a Timeout, once cancelled). */
export interface InterruptSource {
  /** `true` once the source no longer wants its interrupt delivered. */
  readonly cancelled: boolean;
}

interface Interrupt {
  error: unknown;
  source: InterruptSource | undefined;
}

/** An entry on a thread's link list: run once at exit. */
interface LinkEntry extends Runnable {
  readonly key?: unknown;
}

/** Something with an abort signal that stays active until cancelled (Timeouts). */
export interface SignalSource {
  readonly signal: AbortSignal;
}

const PENDING = 0;
const RUNNING = 1;
const DEAD = 2;

/** A wait for another thread's exit: it sits on that thread's link list. */
class JoinWait<T> extends Wait<T> implements LinkEntry {
  constructor(core: ThreadCore, hub: Hub, readonly target: ThreadCore, readonly settleKill: boolean) {
    super(core, hub, `wait(${target.name})`);
  }
  override run(): void {
    const target = this.target;
    if (this.settleKill || target.ok) this.resolve(target.result as T);
    else this.reject(target.result);
  }
  override dispose(): void {
    this.target.removeLink(this);
  }
}

function runThread(core: ThreadCore): Promise<void> {
  return core.main();
}

/** The state of one green thread (the main thread included). */
export class ThreadCore implements ThreadHandle, Runnable {
  name: string;
  state = PENDING;
  ok = true;
  ran = false;
  result: unknown = undefined;
  fn: ((...args: never[]) => unknown) | undefined;
  args: unknown[] | undefined;
  waitHead: Wait<never> | undefined;
  interrupts: Interrupt[] | undefined;
  links: LinkEntry[] | undefined;
  killHooks: Set<() => void> | undefined;
  timeouts: Set<SignalSource> | undefined;
  reportErrors = false;
  spawnStack: string | undefined;
  facade: unknown;
  #abort: AbortController | undefined;
  #killReason: unknown = undefined;
  #killed = false;

  constructor(
    name: string,
    fn: ((...args: never[]) => unknown) | undefined,
    args: unknown[] | undefined,
    readonly isMain = false,
  ) {
    this.name = name;
    this.fn = fn;
    this.args = args;
    if (isMain) {
      this.state = RUNNING;
      this.ran = true;
    }
  }

  get dead(): boolean {
    return this.state === DEAD;
  }

  get started(): boolean {
    return this.ran;
  }

  /** The thread's abort signal, created on first use; aborted by `kill`. */
  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.#killed) this.#abort.abort(this.#killReason);
    }
    return this.#abort.signal;
  }

  /** Starts the thread (from the hub's ready queue or a timer). */
  run(): void {
    if (this.state !== PENDING) return;
    this.state = RUNNING;
    this.ran = true;
    threadStorage.run(this, runThread, this);
  }

  async main(): Promise<void> {
    try {
      const fn = this.fn!;
      const args = this.args as never[];
      this.fn = undefined;
      this.args = undefined;
      this.exit(true, await fn(...args));
    } catch (error) {
      this.exit(false, error);
    }
  }

  exit(ok: boolean, result: unknown): void {
    if (this.state === DEAD) return;
    if (this.state === RUNNING) yielded(this); // it ran until now (not killed before it started)
    this.state = DEAD;
    this.ok = ok;
    this.result = result;
    this.fn = undefined;
    this.args = undefined;
    this.interrupts = undefined;
    this.killHooks = undefined;
    this.timeouts = undefined;
    if (!ok && this.reportErrors && !(result instanceof GreenletExit)) {
      getHub().reportError({ error: result, context: `spawnN(${this.name})`, spawnStack: this.spawnStack });
    }
    const links = this.links;
    this.links = undefined;
    if (links !== undefined) { for (const link of links) this.#runLink(link); }
  }

  #runLink(link: LinkEntry): void {
    try {
      link.run();
    } catch (error) {
      getHub().reportError({ error, context: `link callback of ${this.name}`, spawnStack: this.spawnStack });
    }
  }

  /** Runs `entry` once when the thread exits; on the next hub turn if it already has. */
  addLink(entry: LinkEntry): void {
    if (this.state === DEAD) {
      getHub().schedule(() => this.#runLink(entry));
      return;
    }
    (this.links ??= []).push(entry);
  }

  /** Removes the first link that is `key` or was added with it; returns whether there was one. */
  removeLink(key: unknown): boolean {
    const links = this.links;
    if (links === undefined) return false;
    const i = links.findIndex((entry) => entry === key || entry.key === key);
    if (i < 0) return false;
    links.splice(i, 1);
    return true;
  }

  link(cb: () => void): void {
    this.addLink({ key: cb, run: cb });
  }

  unlink(cb: () => void): void {
    this.removeLink(cb);
  }

  addWait(wait: Wait<never>): void {
    const head = this.waitHead;
    wait.tNext = head;
    wait.tPrev = undefined;
    if (head !== undefined) head.tPrev = wait;
    this.waitHead = wait;
  }

  removeWait(wait: Wait<never>): void {
    const { tPrev, tNext } = wait;
    if (tPrev === undefined) this.waitHead = tNext;
    else tPrev.tNext = tNext;
    if (tNext !== undefined) tNext.tPrev = tPrev;
    wait.tPrev = wait.tNext = undefined;
  }

  /** Registers a callback run if the thread is killed (not when it returns). */
  onKill(hook: () => void): () => void {
    if (this.state === DEAD) return () => {};
    (this.killHooks ??= new Set()).add(hook);
    return () => void this.killHooks?.delete(hook);
  }

  /** Rejects every pending green wait with `error`, or queues it for the next one. */
  interrupt(error: unknown, source?: InterruptSource): void {
    if (this.state === DEAD) return;
    if (this.waitHead !== undefined) {
      const waits: Wait<never>[] = [];
      for (let w: Wait<never> | undefined = this.waitHead; w !== undefined; w = w.tNext) waits.push(w);
      for (const wait of waits) wait.cancel(error);
    } else {
      (this.interrupts ??= []).push({ error, source });
    }
  }

  /** The next queued interrupt that still wants delivery, removed from the queue. */
  takeInterrupt(): Interrupt | undefined {
    const queue = this.interrupts;
    while (queue !== undefined && queue.length > 0) {
      const next = queue.shift()!;
      if (next.source === undefined || !next.source.cancelled) return next;
    }
    return undefined;
  }

  /** Kills the thread: see `GreenThread.kill`. Returns `true` if it was running. */
  kill(error: unknown): boolean {
    if (this.state === DEAD) return false;
    if (this.isMain) throw new TypeError("Cannot kill the main green thread");
    if (currentCore() === this) throw error;
    this.#killed = true;
    this.#killReason = error;
    this.#abort?.abort(error);
    const hooks = this.killHooks;
    this.killHooks = undefined;
    if (hooks !== undefined) { for (const hook of hooks) hook(); }
    if (this.state === PENDING) {
      this.exit(false, error);
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
    if (this.state === DEAD) {
      return this.ok || settleKill ? Promise.resolve(this.result as T) : Promise.reject(this.result);
    }
    const wait = new JoinWait<T>(currentCore(), getHub(), this, settleKill);
    return suspendWait(wait, armJoin);
  }

  /** Adds a Timeout whose signal green I/O merges until it is removed. */
  addTimeout(source: SignalSource): void {
    if (this.state !== DEAD) (this.timeouts ??= new Set()).add(source);
  }

  removeTimeout(source: SignalSource): void {
    this.timeouts?.delete(source);
  }
}

function armJoin<T>(wait: Wait<T>): void {
  const join = wait as JoinWait<T>;
  join.target.addLink(join);
}

/** The key of `GreenThread`'s static that wraps a core in its (one) public face. */
export const wrapCore: unique symbol = Symbol("evy.wrapCore");

let mainCore: ThreadCore | undefined;

/** The core of the running green thread (the main thread's at top level). */
export function currentCore(): ThreadCore {
  return (threadStorage.getStore() as ThreadCore | undefined) ??
    (mainCore ??= new ThreadCore("main", undefined, undefined, true));
}

/** A new wait for the current thread, on the current hub. */
export function newWait<T>(description: string): Wait<T> {
  return new Wait<T>(currentCore(), getHub(), description);
}

/**
 * The wait every green primitive is built on; see `suspend.ts` for the public
 * face. Rejects at once with a queued interrupt (kill, Timeout) if there is one.
 */
export function suspend<T>(register: Register<T>, description = "suspend"): Promise<T> {
  return suspendWait(newWait<T>(description), (wait) => {
    // A cleanup only matters for cancellation; a wait settled during register needs none.
    const cleanup = register((value) => wait.resolve(value), (error) => wait.reject(error));
    if (!wait.settled) wait.cleanup = cleanup;
  });
}

/** A signal that never aborts: the main thread's when it has no active Timeout. */
let NEVER: AbortSignal | undefined;

/**
 * The signal green I/O should honour in the running thread: the thread's own
 * (aborted by kill; the main thread cannot be killed, so it has none) merged
 * with those of its active Timeouts — or `undefined` when there is nothing to
 * honour (the main thread with no Timeout), so callers can skip the merge. The
 * one helper for "this thread's kill and Timeouts": green fetch, fs, node:net
 * and the public `currentSignal()` all use it.
 */
export function threadSignal(): AbortSignal | undefined {
  const core = currentCore();
  const timeouts = core.timeouts;
  if (timeouts === undefined || timeouts.size === 0) return core.isMain ? undefined : core.signal;
  const signals: AbortSignal[] = core.isMain ? [] : [core.signal];
  for (const t of timeouts) signals.push(t.signal);
  return signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
}

/** {@linkcode threadSignal}, with a signal that never aborts in place of `undefined`. */
export function currentSignal(): AbortSignal {
  return threadSignal() ?? (NEVER ??= new AbortController().signal);
}
