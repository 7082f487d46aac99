/**
 * One green wait, and the step every wait goes through to begin. Internal:
 * the public face is `suspend.ts`. A `Wait` sits on two intrusive lists (its
 * thread's pending waits, and the hub's registry) so that entering and leaving
 * a wait costs no hashing, and it is itself a hub `Runnable`, so it can go on
 * the ready queue or the timer heap as is.
 *
 * @module
 */
import type { Hub, ListedWait, Runnable, WaitInfo } from "../hubs/hub.ts";

/** Registers a green wait: call `resolve`/`reject` later; return a cleanup run if it is cancelled. */
export type Register<T> = (
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
) => (() => void) | void;

/** What a wait's cleanup may be: a function or something with `cancel()` (a hub timer). */
export type Cleanup = (() => void) | { cancel(): void } | void;

/**
 * A pending wait as its thread holds it, whatever value it waits for: when it
 * began and how to cancel it.
 */
export interface ThreadWait {
  /** When the wait began, in {@linkcode waitClock} ticks. */
  readonly seq: number;
  /** Rejects the wait with `error` after running its cleanup. */
  cancel(error: unknown): void;
}

/** What a wait needs of the thread that waits (a `ThreadCore`). */
export interface WaitOwner {
  readonly name: string;
  readonly dead: boolean;
  hasInterrupt(): boolean;
  takeInterrupt(): { error: unknown } | undefined;
  addWait(wait: ThreadWait): void;
  removeWait(wait: ThreadWait): void;
}

/** Called when a thread gives the loop back (tools/debug's blocking detector). */
export type YieldHook = (owner: WaitOwner) => void;
/** Called as a green wait settles, before its thread resumes (tools/debug's `spew`). */
export type SettleHook = (wait: WaitInfo, rejected: boolean, error: unknown) => void;

// The debug tools' hooks: undefined unless a tool is on, so the cost when off is one check.
let yieldHook: YieldHook | undefined;
let settleHook: SettleHook | undefined;

/** Installs (or, with `undefined`, removes) the hook run as each green wait begins and each thread exits. */
export function setYieldHook(hook: YieldHook | undefined): void {
  yieldHook = hook;
}

/** Installs (or, with `undefined`, removes) the hook run as each green wait settles. */
export function setSettleHook(hook: SettleHook | undefined): void {
  settleHook = hook;
}

/** Runs the yield hook for `owner`, if one is installed (a thread exits). */
export function yielded(owner: WaitOwner): void {
  if (yieldHook !== undefined) yieldHook(owner);
}

/** `Wait.seq` once the wait is settled. */
const SETTLED = -1;

/** Where each wait began, kept only while the hub's wait stacks are on (debug listings). */
const waitStacks = new WeakMap<object, string | undefined>();

/**
 * One pending green wait. It is its own hub entry: `run()` resolves it with
 * `undefined`, so a wait can sit on the ready queue or the timer heap as is.
 *
 * Trade: a blocked thread's wait is most of what it costs beyond the runtime's
 * own promise, so a wait holds only what every wait uses: whether it settled
 * is a value of `seq`, the stack of its start (a debug option) sits in a
 * `WeakMap`, its thread finds it without links on the wait (`ThreadCore`'s
 * wait slot), and only the waits of `suspend()`-style registrations carry a
 * cleanup ({@linkcode CleanupWait}); the others know how to undo themselves.
 */
export class Wait<T> implements ListedWait, ThreadWait, Runnable {
  res: ((value: T) => void) | undefined = undefined;
  rej: ((error: unknown) => void) | undefined = undefined;
  readonly since: number;
  /**
   * When the wait began, in {@linkcode waitClock} ticks: a Timeout rejects
   * only waits begun after it. 0 before it began, `SETTLED` once settled.
   */
  seq = 0;
  // Intrusive links of the hub's registry.
  hubPrev: ListedWait | undefined = undefined;
  hubNext: ListedWait | undefined = undefined;
  #description: string;
  constructor(readonly core: WaitOwner, readonly hub: Hub, description: string) {
    this.#description = description;
    this.since = hub.turnTime;
    if (hub.waitStacks) waitStacks.set(this, new Error("wait began here").stack);
  }
  /** Whether the wait was resolved, rejected or cancelled. */
  get settled(): boolean {
    return this.seq === SETTLED;
  }
  /** Where the wait began, when the hub's wait stacks were on. */
  get stack(): string | undefined {
    return waitStacks.get(this);
  }
  /** What the thread waits for, as listings show it. */
  get description(): string {
    return this.#description;
  }
  get threadName(): string {
    return this.core.name;
  }
  #finish(rejected: boolean, error: unknown): void {
    this.seq = SETTLED;
    this.core.removeWait(this);
    this.hub.removeWait(this);
    if (settleHook !== undefined) settleHook(this, rejected, error);
  }
  resolve(value: T): void {
    if (this.settled) return;
    this.#finish(false, undefined);
    this.res!(value);
  }
  reject(error: unknown): void {
    if (this.settled) return;
    this.#finish(true, error);
    this.rej!(error);
  }
  run(): void {
    this.resolve(undefined as T);
  }
  /** Undoes the registration; runs only when the wait is cancelled. A subclass that registers somewhere overrides it. */
  dispose(): void {}
  /** Rejects the wait with `error` after running its cleanup. */
  cancel(error: unknown): void {
    if (this.settled) return;
    this.#finish(true, error);
    try {
      this.dispose();
    } catch (cleanupError) {
      this.hub.reportError({ error: cleanupError, context: `cleanup of ${this.description}`, spawnStack: undefined });
    }
    this.rej!(error);
  }
}

/** A wait whose registration hands back its own undo (`suspend()`'s `register`, the promise timers). */
export class CleanupWait<T> extends Wait<T> {
  cleanup: Cleanup = undefined;
  /** Runs the cleanup the registration gave. */
  override dispose(): void {
    const cleanup = this.cleanup;
    if (typeof cleanup === "function") cleanup();
    else if (cleanup) cleanup.cancel();
  }
}

let clock = 0;

/**
 * The count of green waits begun so far: a Timeout notes it when made, and
 * rejects only the waits whose `seq` is above it (those that began after it).
 */
export function waitClock(): number {
  return clock;
}

/**
 * Enters `wait` (made for the current thread): rejects at once with a queued
 * interrupt (kill, Timeout) if there is one, else lists the wait and calls
 * `arm(wait)`, which makes something call `wait.resolve`/`reject` (or `run`)
 * later (a {@linkcode CleanupWait}'s may set `wait.cleanup`).
 */
export function suspendWait<T, W extends Wait<T> = Wait<T>>(wait: W & Wait<T>, arm: (wait: W) => void): Promise<T> {
  const core = wait.core;
  if (yieldHook !== undefined) yieldHook(core);
  if (core.hasInterrupt()) {
    const pending = core.takeInterrupt();
    if (pending !== undefined) return Promise.reject(pending.error);
  }
  wait.seq = ++clock;
  // A closure per wait: a shared executor reading the wait from a module slot
  // measured no faster (100k waits entered and settled, within 3%).
  const promise = new Promise<T>((res, rej) => {
    wait.res = res;
    wait.rej = rej;
  });
  core.addWait(wait);
  wait.hub.addWait(wait);
  try {
    arm(wait);
  } catch (error) {
    wait.reject(error);
  }
  return promise;
}
