/**
 * `Queue`: the green FIFO queue with task tracking — Eventlet's
 * `eventlet.queue.Queue`. It is a {@linkcode LightQueue} whose every accepted
 * item counts as an unfinished task until a consumer calls `taskDone()`, so
 * a producer can `join()` until all work is processed.
 *
 * See `light_queue.ts` for `maxsize` (unbounded by default, `0` = rendezvous
 * channel), blocking, timeouts and fairness, and `priority_queue.ts` /
 * `lifo_queue.ts` for the other orders.
 *
 * @example Waiting for the work to be done
 * ```ts
 * import { Queue, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const jobs = new Queue<number>();
 * const done: number[] = [];
 * for (let w = 0; w < 2; w++) {
 *   spawn(async () => {
 *     for await (const job of jobs) {
 *       done.push(job * 10);
 *       jobs.taskDone();
 *     }
 *   });
 * }
 * for (const job of [1, 2, 3]) await jobs.put(job);
 * await jobs.join();
 * assert.deepEqual(done.sort(), [10, 20, 30]);
 * ```
 *
 * @module
 */
import { type ListWait, pendingInterrupt, type Waiter, WaitList, waitOn } from "./_wait_list.ts";
import { LightQueue } from "./light_queue.ts";

export { LightQueue, QueueEmpty, QueueFull, type QueueGetOptions, type QueuePutOptions } from "./light_queue.ts";

function neverExpires(_wait: Waiter): void {}

/**
 * A green FIFO queue that tracks unfinished tasks; see the module doc.
 *
 * @typeParam T The items' type.
 *
 * @example
 * ```ts
 * import { Queue, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new Queue<string>();
 * const worker = spawn(async () => {
 *   const job = await q.get();
 *   q.taskDone();
 *   return job;
 * });
 * await q.put("job 1");
 * await q.join(); // every item taskDone()
 * assert.equal(await worker.wait(), "job 1");
 * ```
 */
export class Queue<T> extends LightQueue<T> {
  #unfinished = 0;
  #joiners = new WaitList(neverExpires);
  readonly #joinDesc: string = `${this.constructor.name}.join()`;

  /** Items accepted and not yet marked done with `taskDone()`. */
  get unfinishedTasks(): number {
    return this.#unfinished;
  }

  /**
   * Marks one item taken from the queue as processed. When every accepted item
   * is done, `join()` waiters wake.
   *
   * @throws {RangeError} When called more times than items were put.
   */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new RangeError(`${this.constructor.name}.taskDone(): called more times than items were put`);
    }
    if (--this.#unfinished === 0) {
      for (let w = this.#joiners.shift(); w !== undefined; w = this.#joiners.shift()) (w as ListWait<void>).resolve();
    }
  }

  /**
   * Waits (a green wait) until every item put so far has been marked done with
   * `taskDone()`; resolves at once if none is unfinished.
   */
  join(): Promise<void> {
    const interrupted = pendingInterrupt();
    if (interrupted !== undefined) return interrupted;
    if (this.#unfinished === 0) return Promise.resolve();
    return waitOn<void>(this.#joiners, this.#joinDesc, undefined);
  }

  /** Counts the accepted item as an unfinished task. */
  protected override accepted(): void {
    this.#unfinished++;
  }
}
