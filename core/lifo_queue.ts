/**
 * `LifoQueue`: a green {@linkcode Queue} that hands out the most recently put
 * item first (a stack), as Eventlet's `eventlet.queue.LifoQueue`.
 *
 * @example
 * ```ts
 * import { LifoQueue } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const q = new LifoQueue<string>();
 * for (const x of ["a", "b", "c"]) q.putNowait(x);
 * assert.deepEqual([q.getNowait(), q.getNowait(), await q.get()], ["c", "b", "a"]);
 * ```
 *
 * @module
 */
import { Queue } from "./queue.ts";

/**
 * A last-in, first-out green queue with task tracking.
 *
 * @typeParam T The items' type.
 *
 * @example
 * ```ts
 * import { LifoQueue } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const stack = new LifoQueue<string>();
 * await stack.put("first");
 * await stack.put("last");
 * assert.equal(await stack.get(), "last");
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  #stack: T[] = [];

  /** Pushes the item on the stack. */
  protected override storeItem(item: T): void {
    this.#stack.push(item);
  }

  /** Pops the newest item. */
  protected override takeItem(): T {
    return this.#stack.pop() as T;
  }

  /** The stack's height. */
  protected override storedCount(): number {
    return this.#stack.length;
  }
}
