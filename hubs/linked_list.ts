/**
 * The one intrusive list of evy's internals: a FIFO whose nodes carry their
 * own `prev`/`next` links, so appending and unlinking allocate nothing and
 * cost no hashing. The waiters of an `Event`, a `Queue` or a pool
 * (`core/_wait_list.ts`) and the timers due in one millisecond (the hub's
 * timer heap, `_timer_heap.ts`) are such lists.
 *
 * A green wait that sits on a waiter list is at the same time on its hub's
 * registry of waits (what `listWaits()` shows); a node has one pair of
 * `prev`/`next`, so the registry links through the wait's own second pair,
 * `hubPrev`/`hubNext` (`base_hub.ts`), rather than through a link object per
 * wait, which would cost a thread an allocation on every wait.
 *
 * @module
 */

/** A node of a {@linkcode LinkedList}: it carries the list's links itself. */
export interface Linked<N> {
  /** The node before this one; `undefined` at the head or off any list. */
  prev: N | undefined;
  /** The node after this one; `undefined` at the tail or off any list. */
  next: N | undefined;
}

/**
 * A FIFO of nodes linked through their own `prev`/`next`: `push` appends,
 * `unlink` removes any node in O(1), `head` is the oldest.
 *
 * A node is on at most one list at a time, and only the list it is on may
 * unlink it; the lists built on this one (a wait list, a timer bucket) keep
 * track of which list that is.
 *
 * @example A FIFO with removal from the middle
 * ```ts
 * import { type Linked, LinkedList } from "@evy/evy/hubs/linked-list";
 * import assert from "node:assert/strict";
 *
 * class Job implements Linked<Job> {
 *   prev: Job | undefined = undefined;
 *   next: Job | undefined = undefined;
 *   constructor(readonly name: string) {}
 * }
 * const list = new LinkedList<Job>();
 * const [a, b, c] = [new Job("a"), new Job("b"), new Job("c")];
 * list.push(a);
 * list.push(b);
 * list.push(c);
 * list.unlink(b);
 * assert.deepEqual([...list].map((job) => job.name), ["a", "c"]);
 * assert.equal(list.length, 2);
 * assert.equal(list.head, a);
 * ```
 */
export class LinkedList<N extends Linked<N>> {
  /** The oldest node, or `undefined` when empty. */
  head: N | undefined = undefined;
  /** The newest node, or `undefined` when empty. */
  tail: N | undefined = undefined;
  /** How many nodes are on the list. */
  length = 0;

  /** Appends `node`, which must be on no list. */
  push(node: N): void {
    const tail = this.tail;
    node.prev = tail;
    node.next = undefined;
    if (tail === undefined) this.head = node;
    else tail.next = node;
    this.tail = node;
    this.length++;
  }

  /** Removes `node`, which must be on this list, and clears its links. */
  unlink(node: N): void {
    const { prev, next } = node;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    node.prev = node.next = undefined;
    this.length--;
  }

  /** The nodes from oldest to newest; unlinking the current node while iterating is safe. */
  *[Symbol.iterator](): IterableIterator<N> {
    for (let node = this.head; node !== undefined;) {
      const next = node.next;
      yield node;
      node = next;
    }
  }
}
