/**
 * A FIFO of green waits for the pools (GreenPool slots, imap results,
 * GreenPile arrivals, Pool items). Internal.
 *
 * Each waiter is a green wait made with `suspendWait`, so kill and Timeout
 * interrupt it and the hub lists it. A cancelled waiter leaves the list at once
 * (O(1)), so it is never handed anything. Hand-off is synchronous: `wakeOne`
 * settles the oldest live waiter with a value, and the core delivers a kill
 * that arrives after that at the thread's next wait, so a handed value (a slot,
 * an item) is never lost. Waiters whose thread already exited (a lost
 * `Promise.race`) are skipped.
 *
 * @module
 */
import { currentCore, GreenletExit, suspendWait, type ThreadCore, Wait } from "./_thread_core.ts";
import { getHub } from "./hubs/mod.ts";

const ignore = (): void => {};
const DEAD_THREAD = new GreenletExit("waiting green thread exited");

class FifoWait<T> extends Wait<T> {
  prev: FifoWait<T> | undefined = undefined;
  next: FifoWait<T> | undefined = undefined;
  fifo: GreenFifo<T> | undefined = undefined;

  /** Cancelled (kill, Timeout): leave the list. */
  override dispose(): void {
    this.fifo?.remove(this);
  }
}

/** A FIFO list of green waiters, each woken with a value of type `T`. */
export class GreenFifo<T> {
  #head: FifoWait<T> | undefined = undefined;
  #tail: FifoWait<T> | undefined = undefined;
  #length = 0;

  /** How many waiters are on the list. */
  get length(): number {
    return this.#length;
  }

  /** Waits greenly, described as `description`, until `wakeOne`/`wakeAll` hands a value. */
  wait(description: string): Promise<T> {
    return suspendWait(new FifoWait<T>(currentCore(), getHub(), description), this.#arm);
  }

  #arm = (wait: Wait<T>): void => {
    const w = wait as FifoWait<T>;
    w.fifo = this;
    w.prev = this.#tail;
    if (this.#tail === undefined) this.#head = w;
    else this.#tail.next = w;
    this.#tail = w;
    this.#length++;
  };

  /** Takes `wait` off the list (no-op if it is not on it). */
  remove(wait: FifoWait<T>): void {
    if (wait.fifo !== this) return;
    const { prev, next } = wait;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    wait.prev = wait.next = wait.fifo = undefined;
    this.#length--;
  }

  /** Hands `value` to the oldest live waiter; returns `false` if there was none. */
  wakeOne(value: T): boolean {
    for (let w = this.#head; w !== undefined; w = this.#head) {
      this.remove(w);
      if (!(w.core as ThreadCore).dead) {
        w.resolve(value);
        return true;
      }
      w.rej = ignore; // its thread is gone: nobody can use the value
      w.cancel(DEAD_THREAD);
    }
    return false;
  }

  /** Hands `value` to every waiter. */
  wakeAll(value: T): void {
    while (this.wakeOne(value));
  }
}
