/**
 * One green wait, and the step every wait goes through to begin. Internal:
 * the public face is `suspend.ts`. A `Wait` sits on two intrusive lists (its
 * thread's pending waits, and the hub's registry) so that entering and leaving
 * a wait costs no hashing, and it is itself a hub `Runnable`, so it can go on
 * the ready queue or the timer heap as is.
 *
 * @module
 */
import type { Hub, Runnable, WaitInfo } from "../hubs/hub.ts";

/** Registers a green wait: call `resolve`/`reject` later; return a cleanup run if it is cancelled. */
export type Register<T> = (
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
) => (() => void) | void;

/** What a wait's cleanup may be: a function or something with `cancel()` (a hub timer). */
export type Cleanup = (() => void) | { cancel(): void } | void;

/** What a wait needs of the thread that waits (a `ThreadCore`). */
export interface WaitOwner {
  readonly name: string;
  interrupts: unknown[] | undefined;
  takeInterrupt(): { error: unknown } | undefined;
  addWait(wait: Wait<never>): void;
  removeWait(wait: Wait<never>): void;
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

/**
 * One pending green wait. It is its own hub entry: `run()` resolves it with
 * `undefined`, so a wait can sit on the ready queue or the timer heap as is.
 */
export class Wait<T> implements WaitInfo, Runnable {
  settled = false;
  cleanup: Cleanup = undefined;
  res: ((value: T) => void) | undefined;
  rej: ((error: unknown) => void) | undefined;
  readonly since: number;
  readonly stack: string | undefined;
  // Intrusive links: the thread's list of waits, and the hub's registry.
  tPrev: Wait<never> | undefined;
  tNext: Wait<never> | undefined;
  hubPrev: undefined;
  hubNext: undefined;
  constructor(readonly core: WaitOwner, readonly hub: Hub, readonly description: string) {
    this.since = hub.turnTime;
    this.stack = hub.waitStacks ? new Error("wait began here").stack : undefined;
  }
  get threadName(): string {
    return this.core.name;
  }
  #finish(rejected: boolean, error: unknown): void {
    this.settled = true;
    this.core.removeWait(this as Wait<never>);
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
  /** Undoes the registration; runs only when the wait is cancelled. */
  dispose(): void {
    const cleanup = this.cleanup;
    if (typeof cleanup === "function") cleanup();
    else if (cleanup) cleanup.cancel();
  }
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

// The wait being entered: one shared executor instead of a closure per wait.
let entering: Wait<never> | undefined;
function takeResolvers(res: (value: never) => void, rej: (error: unknown) => void): void {
  entering!.res = res;
  entering!.rej = rej;
  entering = undefined;
}

/**
 * Enters `wait` (made for the current thread): rejects at once with a queued
 * interrupt (kill, Timeout) if there is one, else lists the wait and calls
 * `arm(wait)`, which makes something call `wait.resolve`/`reject` (or `run`)
 * later and may set `wait.cleanup`.
 */
export function suspendWait<T>(wait: Wait<T>, arm: (wait: Wait<T>) => void): Promise<T> {
  const core = wait.core;
  if (yieldHook !== undefined) yieldHook(core);
  if (core.interrupts !== undefined) {
    const pending = core.takeInterrupt();
    if (pending !== undefined) return Promise.reject(pending.error);
  }
  entering = wait as Wait<never>;
  const promise = new Promise<T>(takeResolvers);
  core.addWait(wait as Wait<never>);
  wait.hub.addWait(wait);
  try {
    arm(wait);
  } catch (error) {
    wait.reject(error);
  }
  return promise;
}
