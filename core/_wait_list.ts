/**
 * The waiter list under Event, the queues, the semaphores and the pools: a FIFO of green
 * waits, each optionally bounded by a hub timer, with O(1) removal when a wait
 * is cancelled (kill, Timeout) or expires. Internal.
 *
 * Hand-off is synchronous: `shift()` takes the oldest live waiter off the list
 * and the caller settles it at once, so a cancelled waiter is never handed
 * anything (its cleanup took it off the list first) and a handed value is
 * never lost (the core delivers a later kill at the thread's next wait).
 *
 * @module
 */
import { currentCore, type ThreadCore } from "./_thread_core.ts";
import { GreenletExit } from "./_greenlet_exit.ts";
import { suspendWait, Wait } from "./_wait.ts";
import type { Hub, HubTimer } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { LinkedList } from "../hubs/linked_list.ts";

const DEAD_THREAD = new GreenletExit("waiting green thread exited");
const ignore = (): void => {};

/** One waiter on a {@linkcode WaitList}: a green wait with list links and an optional timer. */
export class ListWait<T> extends Wait<T> {
  prev: Waiter | undefined = undefined;
  next: Waiter | undefined = undefined;
  list: WaitList | undefined = undefined;
  /** What the waiter brings (a putter's item) or asks for (permits). */
  item: unknown = undefined;

  /** The timeout timer fired: leave the list and let the list's owner settle the wait. */
  override run(): void {
    const list = this.list;
    if (list === undefined || this.settled) return;
    list.remove(this);
    list.expire(this);
  }

  /** Cancelled (kill, Timeout): leave the list and drop the timer. */
  override dispose(): void {
    this.list?.remove(this);
    this.dropTimer();
  }

  /** Cancels the time limit's timer, if the wait has one ({@linkcode TimedListWait}). */
  dropTimer(): void {}
}

/**
 * A waiter on a {@linkcode WaitList}, whatever value it waits for: a list holds
 * waiters of one kind, and its owner (a queue, a semaphore) settles each with
 * the value type it knows (`(waiter as ListWait<T>).resolve(item)`).
 */
export type Waiter = ListWait<never>;

/**
 * A waiter with a time limit: only these carry it (an expiry names it) and
 * its timer, so an unbounded wait, the common one, is two fields smaller.
 */
export class TimedListWait<T> extends ListWait<T> {
  timer: HubTimer | undefined = undefined;
  constructor(core: ThreadCore, hub: Hub, description: string, readonly timeoutMs: number) {
    super(core, hub, description);
  }

  override run(): void {
    this.timer = undefined;
    super.run();
  }

  override dropTimer(): void {
    const timer = this.timer;
    if (timer !== undefined) {
      this.timer = undefined;
      timer.cancel();
    }
  }
}

/** What happens to a waiter whose `timeoutMs` passed: settle it (resolve or reject). */
export type Expire = (wait: Waiter) => void;

/** A FIFO of {@linkcode ListWait}s (the intrusive list of `hubs/linked_list.ts`, each wait knowing its list). */
export class WaitList extends LinkedList<Waiter> {
  constructor(readonly expire: Expire) {
    super();
  }

  override push(wait: Waiter): void {
    wait.list = this;
    super.push(wait);
  }

  /** Takes `wait` off the list if it is on this one. */
  remove(wait: Waiter): void {
    if (wait.list !== this) return;
    wait.list = undefined;
    this.unlink(wait);
  }

  /**
   * Takes the oldest waiter whose thread is alive off the list, its timer
   * cancelled, for the caller to settle at once. Waiters left behind by threads
   * that exited (a lost `Promise.race`) are dropped, never handed anything.
   */
  shift(): Waiter | undefined {
    for (let wait = this.head; wait !== undefined; wait = this.head) {
      this.remove(wait);
      wait.dropTimer();
      if (!wait.core.dead) return wait;
      wait.rej = ignore; // nobody can await it any more: settle it silently
      wait.cancel(DEAD_THREAD);
    }
    return undefined;
  }
}

// What `arm` needs, set by `waitOn` just before `suspendWait` calls it synchronously (no field per wait).
let armList: WaitList | undefined;

function arm(w: Wait<never>): void {
  const wait = w as Waiter;
  armList!.push(wait);
  if (wait instanceof TimedListWait) wait.timer = wait.hub.scheduleCallGlobal(wait.timeoutMs, wait, wait.description);
}

/**
 * Suspends the current thread on `list` as a green wait named `description`,
 * carrying `item`, until someone shifts and settles it, or `timeoutMs` passes
 * (then `list.expire` settles it). Rejects at once with a queued interrupt.
 */
export function waitOn<T>(
  list: WaitList,
  description: string,
  timeoutMs: number | undefined,
  item?: unknown,
  core: ThreadCore = currentCore(),
): Promise<T> {
  const hub = getHub();
  // An infinite limit never expires: such a wait needs neither the limit nor a timer.
  const wait = timeoutMs === undefined || timeoutMs === Infinity
    ? new ListWait<T>(core, hub, description)
    : new TimedListWait<T>(core, hub, description, timeoutMs);
  wait.item = item;
  armList = list;
  const promise = suspendWait(wait as Waiter, arm) as Promise<T>;
  armList = undefined;
  return promise;
}

/**
 * A wait that did not have to block still counts as a green wait for kill and
 * Timeout: returns the rejection for an interrupt queued on the current thread
 * (the caller then takes nothing), or `undefined`.
 */
export function pendingInterrupt(core: ThreadCore = currentCore()): Promise<never> | undefined {
  if (!core.hasInterrupt()) return undefined;
  const pending = core.takeInterrupt();
  return pending === undefined ? undefined : Promise.reject(pending.error);
}

function neverExpires(): void {}

/**
 * A {@linkcode WaitList} for waiters with no timeout of their own, woken with
 * a value: the slots, turns and items the pools hand out.
 */
export class GreenFifo<T> {
  #list = new WaitList(neverExpires);

  /** How many waiters are on the list. */
  get length(): number {
    return this.#list.length;
  }

  /** Waits greenly, described as `description`, until `wakeOne`/`wakeAll` hands a value. */
  wait(description: string): Promise<T> {
    return waitOn<T>(this.#list, description, undefined);
  }

  /** Hands `value` to the oldest live waiter; returns `false` if there was none. */
  wakeOne(value: T): boolean {
    const wait = this.#list.shift();
    if (wait === undefined) return false;
    wait.resolve(value as never);
    return true;
  }

  /** Hands `value` to every waiter. */
  wakeAll(value: T): void {
    while (this.wakeOne(value));
  }
}
