/**
 * `Local`: green-thread-local storage, as Eventlet's `eventlet.corolocal.local`.
 *
 * Each green thread (the implicit main thread included) sees its own value;
 * a spawned thread does not inherit its parent's. A thread's values are
 * dropped when it exits, so they can be collected even while someone still
 * holds the `GreenThread`.
 *
 * Unlike Eventlet's attribute-based `local`, a `Local` holds one value: use
 * an object for several, and the optional `init` to create it on first use
 * in each thread (as a `local` subclass's `__init__` runs once per thread).
 *
 * @example A request id per thread
 * ```ts
 * import { Local, sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const requestId = new Local<string>();
 * const handle = async (id: string) => {
 *   requestId.set(id);
 *   await sleep(1); // other threads run and set their own
 *   return requestId.get();
 * };
 * const threads = ["a", "b", "c"].map((id) => spawn(handle, id));
 * assert.deepEqual(await Promise.all(threads.map((t) => t.wait())), ["a", "b", "c"]);
 * assert.equal(requestId.get(), undefined); // the main thread set nothing
 * ```
 *
 * @module
 */
import { currentCore, type ThreadCore } from "./_thread_core.ts";
import { describe } from "./_checks.ts";

/**
 * One value per green thread; see the module doc.
 *
 * @typeParam T The stored value.
 *
 * @example
 * ```ts
 * import { Local, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const user = new Local<string>();
 * user.set("main's user");
 * const other = spawn(() => {
 *   user.set("worker's user");
 *   return user.get();
 * });
 * assert.equal(await other.wait(), "worker's user");
 * assert.equal(user.get(), "main's user");
 * ```
 */
export class Local<T> {
  #values = new WeakMap<ThreadCore, T>();
  #init: (() => T) | undefined;

  /**
   * Creates a thread-local slot. `init`, if given, makes the value on the
   * first `get()` in each thread that has none.
   *
   * @example
   * ```ts
   * import { Local, spawn } from "@evy/evy";
   * import assert from "node:assert/strict";
   *
   * const seen = new Local(() => new Set<string>());
   * seen.get()!.add("main");
   * const other = spawn(() => seen.get()!.size);
   * assert.equal(await other.wait(), 0);
   * assert.equal(seen.get()!.size, 1);
   * ```
   *
   * @throws {TypeError} When `init` is given and is not a function.
   */
  constructor(init?: () => T) {
    if (init !== undefined && typeof init !== "function") {
      throw new TypeError(`Local: init must be a function, got ${describe(init)}`);
    }
    this.#init = init;
  }

  /**
   * The current thread's value: made by `init` if it has none, else
   * `undefined` when it has none.
   */
  get(): T | undefined {
    const core = currentCore();
    const values = this.#values;
    const value = values.get(core);
    if (value !== undefined || values.has(core)) return value;
    if (this.#init === undefined) return undefined;
    const made = this.#init();
    this.#store(core, made);
    return made;
  }

  /** Sets the current thread's value. */
  set(value: T): void {
    this.#store(currentCore(), value);
  }

  /** `true` if the current thread has a value. */
  has(): boolean {
    return this.#values.has(currentCore());
  }

  /** Removes the current thread's value; returns whether it had one. */
  delete(): boolean {
    return this.#values.delete(currentCore());
  }

  #store(core: ThreadCore, value: T): void {
    const values = this.#values;
    if (!core.isMain && !values.has(core)) core.addLink({ run: () => void values.delete(core) });
    values.set(core, value);
  }
}
