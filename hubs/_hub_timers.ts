/**
 * The hub's timer objects, internal to `hubs/`: the `Timer` that
 * `scheduleCallGlobal` returns, and the view `listTimers()` gives of an entry
 * that is its own timer (a sleep's wait).
 *
 * @module
 */
import type { HubCallback, HubTimer, Runnable, ThreadHandle, TimerEntry } from "./hub.ts";
import type { Bucket, HeapEntry } from "./_timer_heap.ts";
import type { BaseHub } from "./base_hub.ts";

/** A timer made by `scheduleCallGlobal`/`scheduleCallLocal`. */
export class Timer implements HubTimer, HeapEntry {
  bucket: Bucket<this> | undefined = undefined;
  prev: this | undefined = undefined;
  next: this | undefined = undefined;
  readonly due: number;
  ref = true;
  thread: ThreadHandle | undefined;
  // Recorded only while the hub's timerStacks is on: a stack costs microseconds.
  ownerName: string | undefined = undefined;
  stack: string | undefined = undefined;
  constructor(
    readonly hub: BaseHub,
    public deadline: number,
    public cb: HubCallback | Runnable,
    description: string | undefined,
  ) {
    this.due = Math.ceil(deadline);
    this.#description = description;
  }
  /**
   * Trade: a timer scheduled without a description (a sleep's) asks its entry
   * when listed, so the hot path formats no string.
   */
  #description: string | undefined;
  get description(): string {
    const cb = this.cb;
    return this.#description ?? (typeof cb === "object" ? cb.description : undefined) ?? "timer";
  }
  get pending(): boolean {
    return this.bucket !== undefined;
  }
  get threadName(): string | undefined {
    const cb = this.cb;
    return (typeof cb === "object" ? cb.threadName : undefined) ?? this.thread?.name ?? this.ownerName;
  }
  cancel(): void {
    this.hub.cancelTimer(this);
  }
  unref(): this {
    this.hub.unrefTimer(this);
    return this;
  }
  /**
   * The link that cancels a thread-local timer when its thread exits. Trade:
   * made on first use (`scheduleCallLocal`) rather than as a field, so a
   * global timer (every `sleep`) carries no closure.
   */
  #onThreadExit: (() => void) | undefined = undefined;
  get onThreadExit(): () => void {
    return (this.#onThreadExit ??= () => this.cancel());
  }
}

/** A {@linkcode TimerEntry} as the heap holds it. */
export type Entry = TimerEntry & HeapEntry;

/** How `listTimers()` shows a {@linkcode TimerEntry} (debug listings only). */
export class EntryTimer implements HubTimer {
  readonly stack: string | undefined = undefined;
  constructor(readonly hub: BaseHub, readonly entry: Entry) {}
  get deadline(): number {
    return this.entry.due;
  }
  get description(): string {
    return this.entry.description ?? "timer";
  }
  get pending(): boolean {
    return this.entry.bucket !== undefined;
  }
  get threadName(): string | undefined {
    return this.entry.threadName;
  }
  cancel(): void {
    this.hub.cancelEntry(this.entry);
  }
  unref(): this {
    this.hub.unrefEntry(this.entry);
    return this;
  }
}
