/**
 * The contracts between evy's green code and the runtime.
 *
 * A {@linkcode Hub} is what green threads, waits and timers talk to: a ready
 * queue run once per macrotask turn, a timer heap, the registry of current waits
 * and an error reporter. A {@linkcode HubHost} is the handful of runtime
 * primitives a hub needs (a clock, one wake-up timer, a macrotask queue, signals);
 * `hubs/deno.ts` and `hubs/node.ts` implement it, and `hubs/virtual.ts` replaces
 * the clock with a manual one.
 *
 * @example Reading the current hub's clock
 * ```ts
 * import { getHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = getHub();
 * assert.equal(typeof hub.now(), "number");
 * ```
 *
 * @module
 */

/** A callback the hub runs: on the ready queue or when a timer fires. */
export type HubCallback = () => void;

/**
 * An object the hub can run instead of a callback (`run()` is called), which
 * saves a closure per entry on hot paths such as starting threads.
 */
export interface Runnable {
  /** Called once by the hub. */
  run(): void;
  /** The green thread the entry belongs to (a wait's), named in `tools/debug`'s timer listing. */
  readonly threadName?: string;
  /** What the entry is (a wait's description): a timer made for it without one shows this. */
  readonly description?: string;
}

/**
 * An object that is its own hub timer (a sleep's wait), so that scheduling it
 * allocates nothing: {@linkcode Hub.scheduleEntry} puts it on the timer heap,
 * whose links it carries, and calls its `run()` when it is due.
 */
export interface TimerEntry extends Runnable {
  /** Set by the hub: when the entry fires, in whole milliseconds of the hub's clock. */
  due: number;
  /** The heap's link to the entry's bucket: set by the hub, opaque to everything else. */
  bucket: unknown;
  /** The heap's link to the previous entry of the bucket: set by the hub. */
  prev: unknown;
  /** The heap's link to the next entry of the bucket: set by the hub. */
  next: unknown;
}

/** A scheduled hub timer, returned by {@linkcode Hub.scheduleCallGlobal}. */
export interface HubTimer {
  /** Absolute time (the hub's clock, in ms) at which the timer fires. */
  readonly deadline: number;
  /** A short description, shown by `tools/debug`'s timer listing. */
  readonly description: string;
  /** `true` until the timer fired or was cancelled. */
  readonly pending: boolean;
  /**
   * The green thread the timer belongs to: the waiting thread for a wait's
   * timer, the scheduling thread for a local timer or when timer stacks are
   * on; `undefined` when not known.
   */
  readonly threadName: string | undefined;
  /** Where the timer was scheduled, when timer stacks are on (`tools/debug`'s `hubTimerStacks`). */
  readonly stack: string | undefined;
  /** Cancels the timer; a no-op once it fired or was cancelled. */
  cancel(): void;
  /** Lets the process exit while only unref'd timers remain (like `Deno.unrefTimer`). */
  unref(): this;
}

/** What the hub needs to know of a green thread (see `green_thread.ts`). */
export interface ThreadHandle {
  /** The thread's name. */
  readonly name: string;
  /** `true` once the thread has exited. */
  readonly dead: boolean;
  /** Runs `cb` once when the thread exits. */
  link(cb: () => void): void;
  /** Removes a callback added with `link`. */
  unlink(cb: () => void): void;
}

/** One green wait, as the hub lists it (see `tools/debug`'s `formatHubListeners`). */
export interface WaitInfo {
  /** What is being waited for: `sleep(50)`, `recv(127.0.0.1:5432)`, `Queue.get()`. */
  readonly description: string;
  /** The name of the waiting green thread. */
  readonly threadName: string;
  /** The hub time (ms) at which the wait began, to the hub turn. */
  readonly since: number;
  /** Where the wait began, when listener stacks are on. */
  readonly stack: string | undefined;
}

/**
 * A wait as the hub's registry holds it: the listing, plus the registry's own
 * links (an intrusive list, so listing and unlisting cost no hashing). Only the
 * hub writes the links; a new wait starts with both `undefined`.
 */
export interface ListedWait extends WaitInfo {
  /** The registry's previous entry (the hub's to set). */
  hubPrev: ListedWait | undefined;
  /** The registry's next entry (the hub's to set). */
  hubNext: ListedWait | undefined;
}

/** Where an error reported to the hub came from. */
export interface ErrorReport {
  /** The error itself. */
  readonly error: unknown;
  /** What failed: `spawnN(worker)`, `timer callback`, `link callback`. */
  readonly context: string;
  /** Where the failing green thread was spawned, when spawn stacks are on. */
  readonly spawnStack: string | undefined;
}

/** Receives errors nobody waits for; the default prints them to stderr. */
export type ErrorReporter = (report: ErrorReport) => void;

/**
 * The runtime primitives a hub needs. Everything here is small and stateless so
 * that a new runtime (or a virtual clock) is one short file.
 */
export interface HubHost {
  /** The host's name: `"deno"`, `"node"`, `"virtual"`. */
  readonly name: string;
  /** A monotonic clock in milliseconds. */
  now(): number;
  /**
   * Arms the hub's single wake-up timer to call `cb` after `ms`; returns the
   * disarm function. `ref: false` lets the process exit while it is armed.
   */
  setWakeup(ms: number, cb: HubCallback, ref: boolean): () => void;
  /** Queues `cb` as a macrotask that runs after pending I/O callbacks. */
  queueMacrotask(cb: HubCallback): void;
  /** Calls `cb` on an OS signal; returns the function that removes it. */
  onSignal(signal: string, cb: HubCallback): () => void;
  /** Writes one diagnostic line to stderr. */
  writeError(line: string): void;
}

/** The hub: the scheduler every green thread, wait and timer goes through. */
export interface Hub {
  /** The name of the host this hub runs on. */
  readonly name: string;
  /** The hub's clock, in milliseconds (monotonic; virtual on the virtual hub). */
  now(): number;
  /** Queues `cb` on the ready queue: it runs on the next hub turn, in FIFO order. */
  schedule(cb: HubCallback | Runnable): void;
  /**
   * Runs `cb` after `ms` on the hub's timer heap, whatever thread is running.
   * Timers fire in order of their deadline rounded up to the millisecond, then
   * in scheduling order: never early, at most 1 ms late (plus runtime latency).
   */
  scheduleCallGlobal(ms: number, cb: HubCallback | Runnable, description?: string): HubTimer;
  /**
   * Like {@linkcode Hub.scheduleCallGlobal}, but the timer is cancelled when the
   * green thread that scheduled it exits (Eventlet's `schedule_call_local`).
   */
  scheduleCallLocal(ms: number, cb: HubCallback | Runnable, description?: string): HubTimer;
  /**
   * Like {@linkcode Hub.scheduleCallGlobal} for an entry that is its own timer
   * (it keeps the process alive until it fires or {@linkcode Hub.cancelEntry}):
   * no timer object, no closure.
   */
  scheduleEntry(ms: number, entry: TimerEntry): void;
  /** Takes `entry` off the timer heap; a no-op once it fired or was cancelled. */
  cancelEntry(entry: TimerEntry): void;
  /** The timers currently on the heap, soonest first (for `tools/debug`). */
  listTimers(): HubTimer[];
  /**
   * The hub's clock as of the start of the current turn: cheaper than `now()`,
   * precise enough to say how long something has waited.
   */
  readonly turnTime: number;
  /** Adds a wait to the registry (which links it through its `hubPrev`/`hubNext`). */
  addWait(wait: ListedWait): void;
  /** Removes a wait from the registry. */
  removeWait(wait: ListedWait): void;
  /** The green waits now pending, oldest first. */
  listWaits(): WaitInfo[];
  /** Reports an error nobody waits for (to stderr unless a reporter is set). */
  reportError(report: ErrorReport): void;
  /** Replaces the error reporter; returns a disposable that restores the previous one. */
  setErrorReporter(reporter: ErrorReporter): Disposable;
  /** Whether waits record their stacks (`tools/debug`'s `hubListenerStacks`). */
  waitStacks: boolean;
  /** Whether timers record where they were scheduled, and by which thread (`tools/debug`'s `hubTimerStacks`). */
  timerStacks: boolean;
  /** Whether threads record their spawn sites (for error reports and debug tools). */
  spawnStacks: boolean;
  /**
   * Where debug-level lines go (`tools/debug`'s `hubDebugLog`; `EVY_DEBUG=1`
   * in the environment sends them to stderr); `undefined`: dropped.
   */
  debugLog: ((line: string) => void) | undefined;
  /** Writes one debug-level line (`evy debug: <message>`) when a debug log is set; never throws. */
  debug(message: string): void;
  /** The host underneath, for signals and diagnostics. */
  readonly host: HubHost;
}
