/**
 * The one scheduling loop every hub shares: a ready queue drained once per
 * macrotask turn, a timer heap driving a single wake-up timer, the registry of
 * current waits, and error reporting. Hosts supply the clock and the wake-up
 * (see {@linkcode HubHost}); nothing here touches the runtime directly.
 *
 * @example A hub on a custom host
 * ```ts
 * import { BaseHub, getHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = new BaseHub(getHub().host);
 * const fired: string[] = [];
 * const timerFired = new Promise((resolve) => hub.scheduleCallGlobal(5, () => resolve(fired.push("timer"))));
 * hub.schedule(() => fired.push("ready"));
 * await timerFired;
 * assert.deepEqual(fired, ["ready", "timer"]);
 * ```
 *
 * @module
 */
import type {
  ErrorReport,
  ErrorReporter,
  Hub,
  HubCallback,
  HubHost,
  HubTimer,
  ListedWait,
  Runnable,
  TimerEntry,
  WaitInfo,
} from "./hub.ts";
import { TimerHeap } from "./_timer_heap.ts";
import { type Entry, EntryTimer, Timer } from "./_hub_timers.ts";
import { threadStorage } from "./thread_storage.ts";

function checkDelay(ms: number): void {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0) {
    throw new RangeError(`Cannot schedule a timer: ms must be a number >= 0, got ${String(ms)}`);
  }
}

/** Formats an error report the way the default reporter prints it. */
export function formatErrorReport(report: ErrorReport): string {
  const { error, context, spawnStack } = report;
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const site = spawnStack ? `\n  spawned at:\n${spawnStack.split("\n").slice(1).join("\n")}` : "";
  return `evy: ${context} failed: ${text}${site}`;
}

function call(cb: HubCallback | Runnable): void {
  if (typeof cb === "function") cb();
  else cb.run();
}

/**
 * The hub's scheduling loop over a {@linkcode HubHost}.
 *
 * @example
 * ```ts
 * import { BaseHub, getHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = new BaseHub(getHub().host); // a second loop on the same host
 * let ran = false;
 * hub.schedule(() => (ran = true));
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * assert.equal(ran, true);
 * ```
 */
export class BaseHub implements Hub {
  readonly host: HubHost;
  waitStacks = false;
  spawnStacks = false;
  timerStacks = false;
  turnTime: number;
  #ready: (HubCallback | Runnable)[] = [];
  #spare: (HubCallback | Runnable)[] = [];
  #turnQueued = false;
  #heap = new TimerHeap<Timer | Entry>();
  #unrefEntries: WeakSet<Entry> | undefined;
  #refCount = 0;
  #armedAt = Infinity;
  #armedRef = false;
  #disarm: (() => void) | undefined;
  #waitHead: ListedWait | undefined;
  #waitTail: ListedWait | undefined;
  #reporter: ErrorReporter;

  /** Creates a hub on `host`. */
  constructor(host: HubHost) {
    this.host = host;
    this.turnTime = host.now();
    this.#reporter = (report) => host.writeError(formatErrorReport(report));
  }

  get name(): string {
    return this.host.name;
  }

  now(): number {
    return this.host.now();
  }

  schedule(cb: HubCallback | Runnable): void {
    this.#ready.push(cb);
    if (!this.#turnQueued) {
      this.#turnQueued = true;
      this.host.queueMacrotask(this.#turn);
    }
  }

  scheduleCallGlobal(ms: number, cb: HubCallback | Runnable, description?: string): HubTimer {
    checkDelay(ms);
    const timer = new Timer(this, this.now() + ms, cb, description);
    if (this.timerStacks) {
      timer.ownerName = threadStorage.getStore()?.name ?? "main";
      timer.stack = new Error("timer scheduled here").stack;
    }
    this.#heap.push(timer);
    this.#refCount++;
    if (timer.due < this.#armedAt || !this.#armedRef) this.arm();
    return timer;
  }

  scheduleCallLocal(ms: number, cb: HubCallback | Runnable, description = "local timer"): HubTimer {
    const thread = threadStorage.getStore();
    const timer = this.scheduleCallGlobal(ms, cb, description) as Timer;
    if (thread !== undefined) {
      timer.thread = thread;
      thread.link(timer.onThreadExit);
    }
    return timer;
  }

  /**
   * Trade: an entry (a sleep's wait) is the heap's node itself, saving a timer
   * object per sleep; it is always ref'd unless a debug caller unrefs it
   * through `listTimers()`, which wraps each entry in a view.
   */
  scheduleEntry(ms: number, entry: TimerEntry): void {
    checkDelay(ms);
    const e = entry as Entry;
    e.due = Math.ceil(this.now() + ms);
    this.#heap.push(e);
    this.#refCount++;
    if (e.due < this.#armedAt || !this.#armedRef) this.arm();
  }

  cancelEntry(entry: TimerEntry): void {
    const e = entry as Entry;
    if (e.bucket === undefined) return;
    this.#heap.remove(e);
    this.#forget(e);
    this.arm();
  }

  /** @internal Marks `entry` as not keeping the process alive. */
  unrefEntry(entry: Entry): void {
    const unrefd = (this.#unrefEntries ??= new WeakSet());
    if (unrefd.has(entry)) return;
    unrefd.add(entry);
    if (entry.bucket !== undefined) {
      this.#refCount--;
      this.arm();
    }
  }

  listTimers(): HubTimer[] {
    return this.#heap.sorted().map((t) => t instanceof Timer ? t : new EntryTimer(this, t));
  }

  addWait(w: ListedWait): void {
    w.hubPrev = this.#waitTail;
    w.hubNext = undefined;
    if (this.#waitTail === undefined) this.#waitHead = w;
    else this.#waitTail.hubNext = w;
    this.#waitTail = w;
  }

  removeWait(w: ListedWait): void {
    const { hubPrev, hubNext } = w;
    if (hubPrev === undefined) {
      if (this.#waitHead !== w) return; // not listed here
      this.#waitHead = hubNext;
    } else hubPrev.hubNext = hubNext;
    if (hubNext === undefined) this.#waitTail = hubPrev;
    else hubNext.hubPrev = hubPrev;
    w.hubPrev = w.hubNext = undefined;
  }

  listWaits(): WaitInfo[] {
    const out: WaitInfo[] = [];
    for (let w = this.#waitHead; w !== undefined; w = w.hubNext) out.push(w);
    return out;
  }

  debugLog: ((line: string) => void) | undefined = undefined;

  debug(message: string): void {
    const log = this.debugLog;
    if (log === undefined) return;
    try {
      log(`evy debug: ${message}`);
    } catch {
      // a debug sink that throws loses its line, nothing else
    }
  }

  reportError(report: ErrorReport): void {
    try {
      this.#reporter(report);
    } catch (error) {
      this.host.writeError(formatErrorReport({ error, context: "error reporter", spawnStack: undefined }));
    }
  }

  setErrorReporter(reporter: ErrorReporter): Disposable {
    if (typeof reporter !== "function") throw new TypeError("reporter must be a function");
    const previous = this.#reporter;
    this.#reporter = reporter;
    return { [Symbol.dispose]: () => void (this.#reporter = previous) };
  }

  /** @internal Removes `timer` from the heap. */
  cancelTimer(timer: Timer): void {
    if (timer.bucket === undefined) return;
    this.#heap.remove(timer);
    this.#forget(timer);
    this.arm();
  }

  /** @internal Marks `timer` as not keeping the process alive. */
  unrefTimer(timer: Timer): void {
    if (!timer.ref) return;
    timer.ref = false;
    if (timer.bucket !== undefined) {
      this.#refCount--;
      this.arm();
    }
  }

  #forget(timer: Timer | Entry): void {
    if (!(timer instanceof Timer)) {
      if (this.#unrefEntries === undefined || !this.#unrefEntries.delete(timer)) this.#refCount--;
      return;
    }
    if (timer.ref) this.#refCount--;
    if (timer.thread !== undefined) timer.thread.unlink(timer.onThreadExit);
  }

  /** Whether callbacks are waiting on the ready queue. */
  protected get hasReady(): boolean {
    return this.#ready.length > 0;
  }

  /** When the soonest timer is due (its deadline rounded up to the ms), or `Infinity`. */
  protected get nextDeadline(): number {
    return this.#heap.peek()?.due ?? Infinity;
  }

  /** (Re-)arms the host's wake-up timer for the soonest deadline. */
  protected arm(): void {
    const next = this.#heap.peek();
    const ref = this.#refCount > 0;
    if (next === undefined) {
      this.#disarm?.();
      this.#disarm = undefined;
      this.#armedAt = Infinity;
      return;
    }
    if (next.due === this.#armedAt && ref === this.#armedRef) return;
    this.#disarm?.();
    this.#armedAt = next.due;
    this.#armedRef = ref;
    this.#disarm = this.host.setWakeup(Math.max(0, next.due - this.now()), this.#wake, ref);
  }

  /** Fires every timer due at or before `now`. */
  protected fireDue(now: number): void {
    const heap = this.#heap;
    for (let t = heap.peek(); t !== undefined && t.due <= now; t = heap.peek()) {
      heap.pop();
      this.#forget(t);
      try {
        if (t instanceof Timer) call(t.cb);
        else t.run();
      } catch (error) {
        this.reportError({ error, context: `timer callback (${t.description})`, spawnStack: undefined });
      }
    }
  }

  /** Runs the callbacks that were ready when the turn began. */
  protected runReady(): void {
    const run = this.#ready;
    if (run.length === 0) return;
    this.#ready = this.#spare;
    for (let i = 0; i < run.length; i++) {
      try {
        call(run[i]!);
      } catch (error) {
        this.reportError({ error, context: "hub callback", spawnStack: undefined });
      }
    }
    run.length = 0;
    this.#spare = run;
  }

  /** One hub turn, outside any green thread's context. */
  protected turn(): void {
    threadStorage.exit(this.#turnBody);
  }

  #turnBody = (): void => {
    this.#turnQueued = false;
    const now = this.now();
    this.turnTime = now;
    this.fireDue(now);
    this.runReady();
    if (this.#ready.length > 0 && !this.#turnQueued) {
      this.#turnQueued = true;
      this.host.queueMacrotask(this.#turn);
    }
    this.arm();
  };

  #turn = (): void => this.turn();

  #wake = (): void => {
    this.#armedAt = Infinity;
    this.#disarm = undefined;
    this.turn();
  };
}
