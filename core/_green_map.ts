/**
 * The iterator behind `GreenPool.imap` and `starmap` (Eventlet's GreenMap).
 * Internal.
 *
 * A feeder green thread, started on the first `next()`, reads the inputs,
 * waits for a pool slot and starts one pool thread per call, appending an
 * entry to a ring of at most `2 * size` entries (waiting while it is full);
 * the consumer takes entries in order and waits for each call's result. So
 * at most `size` calls run (the pool's slots) and running calls plus unread
 * results never exceed `2 * size`, whatever the number of inputs. (Eventlet's
 * GreenMap bounds the ring at `size`; the extra room spares the feeder a
 * switch per result when the consumer keeps up, and costs no concurrency.) Closing (break, an error thrown to the consumer, the
 * consumer killed) kills the feeder and every call not yet consumed, and waits
 * for them to exit.
 *
 * @module
 */
import { currentCore, type ThreadCore } from "./_thread_core.ts";
import { GreenletExit } from "./_greenlet_exit.ts";
import { suspendWait, Wait } from "./_wait.ts";
import { GreenFifo } from "./_wait_list.ts";
import { type GreenThread, spawn } from "./green_thread.ts";
import type { Hub, Runnable } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { interruptible } from "./suspend.ts";
import { closeInput, type Input, openInput, starArgs } from "./_map_inputs.ts";

type AnyFn = (...args: never[]) => unknown;

/**
 * A pool thread's exit link: frees its slot. `release` is the pool's own
 * function, so it also tells which pool a thread belongs to.
 *
 * Trade: a member needs nothing of its thread, so the threads of a pool's
 * `spawn` and `spawnN` share the pool's one member (no link object per
 * thread); only a map's entries, which keep their call's outcome, are members
 * of their own.
 */
export class PoolMember implements Runnable {
  constructor(readonly release: () => void) {}
  run(): void {
    this.release();
  }
}

/** What the map needs from its pool (GreenPool keeps its slots private). */
export interface MapPool {
  /** The pool's size now. */
  size(): number;
  /** Takes a free slot if there is one and nobody waits for one. */
  tryAcquire(): boolean;
  /** Waits for a slot (taken once this resolves). */
  acquire(): Promise<void>;
  /** Returns a slot taken but not used. */
  giveBack(): void;
  /** The pool's release function, for the members the map makes. */
  readonly release: () => void;
  /** Starts a pool thread on a taken slot, with `member` as its exit link. */
  start(fn: AnyFn, args: unknown[], member: PoolMember): ThreadCore;
}

/** One call: its thread and, once it exited, its outcome. */
class Entry extends PoolMember {
  core: ThreadCore | undefined = undefined;
  done = false;
  ok = true;
  value: unknown = undefined;
  waiter: Wait<void> | undefined = undefined;
  override run(): void {
    const core = this.core!;
    this.release();
    this.done = true;
    this.ok = core.succeeded;
    this.value = core.result;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve();
    }
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The consumer's wait for one call's outcome. */
class ResultWait extends Wait<void> {
  constructor(core: ThreadCore, hub: Hub, description: string, readonly entry: Entry) {
    super(core, hub, description);
  }
  /** Cancelled: the entry must not wake a wait that is gone. */
  override dispose(): void {
    this.entry.waiter = undefined;
  }
}

function armResult(wait: Wait<void>): void {
  const w = wait as ResultWait;
  w.entry.waiter = w;
}

/** The async iterator returned by `imap`/`starmap`. */
export class GreenMap<R> implements AsyncIterableIterator<R> {
  readonly #pool: MapPool;
  readonly #fn: AnyFn;
  readonly #inputs: Input[];
  readonly #star: boolean;
  readonly #capacity: number;
  readonly #name: string;
  #ring: (Entry | undefined)[];
  #head = 0;
  #count = 0;
  #feeder: GreenThread<void> | undefined = undefined;
  #fed = false;
  #closed = false;
  #claimed: Entry | undefined = undefined;
  #busy = false;
  #turns = new GreenFifo<void>();
  #arrivals = new GreenFifo<void>();
  #room = new GreenFifo<void>();

  constructor(pool: MapPool, fn: AnyFn, iterables: unknown[], star: boolean, where: string) {
    this.#inputs = iterables.map((x, i) => openInput(where, x, i));
    this.#pool = pool;
    this.#fn = fn;
    this.#star = star;
    this.#capacity = 2 * Math.max(1, pool.size());
    this.#ring = new Array(this.#capacity);
    this.#name = `${where}(${fn.name || "anonymous"})`;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<R>> {
    if (this.#closed) return DONE;
    if (this.#busy) await this.#turns.wait(`${this.#name}: next() behind another next()`);
    else this.#busy = true;
    try {
      if (this.#closed) return DONE;
      if (this.#feeder === undefined) {
        this.#feeder = spawn(this.#feed);
        this.#feeder.name = this.#name;
      }
      let entry: Entry | undefined;
      try {
        while ((entry = this.#shift()) === undefined) {
          if (this.#fed || this.#closed) {
            this.#closed = true;
            return DONE;
          }
          await this.#arrivals.wait(`${this.#name}: next result`);
        }
        if (!entry.done) {
          this.#claimed = entry;
          await suspendWait(new ResultWait(currentCore(), getHub(), `${this.#name}: result`, entry), armResult);
          this.#claimed = undefined;
        }
      } catch (error) {
        await this.#closeQuietly();
        throw error;
      }
      if (entry.ok) return { value: entry.value as R, done: false };
      await this.#closeQuietly();
      throw entry.value;
    } finally {
      if (!this.#turns.wakeOne()) this.#busy = false; // the next caller in line keeps the turn
    }
  }

  async return(): Promise<IteratorResult<R>> {
    await this.#close();
    return DONE;
  }

  #shift(): Entry | undefined {
    if (this.#count === 0) return undefined;
    const entry = this.#ring[this.#head];
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#capacity;
    this.#count--;
    this.#room.wakeOne();
    return entry;
  }

  #push(entry: Entry): void {
    this.#ring[(this.#head + this.#count) % this.#capacity] = entry;
    this.#count++;
    this.#arrivals.wakeOne();
  }

  /** The feeder thread's body. */
  #feed = async (): Promise<void> => {
    const pool = this.#pool;
    const inputs = this.#inputs;
    const n = inputs.length;
    let failed: Input | undefined;
    try {
      for (;;) {
        while (this.#count >= this.#capacity) await this.#room.wait(`${this.#name}: results buffer full`);
        if (this.#closed) return;
        let args: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const input = inputs[i]!;
          failed = input;
          const r = input.async
            ? await interruptible((input.it as AsyncIterator<unknown>).next(), `${this.#name}: next input`)
            : (input.it as Iterator<unknown>).next();
          failed = undefined;
          if (r.done) {
            input.open = false;
            return;
          }
          args[i] = r.value;
        }
        if (this.#star) args = starArgs(args[0]);
        if (this.#closed) return;
        if (!pool.tryAcquire()) {
          await pool.acquire();
          if (this.#closed) {
            pool.giveBack();
            return;
          }
        }
        const entry = new Entry(pool.release);
        entry.core = pool.start(this.#fn, args, entry);
        this.#push(entry);
      }
    } catch (error) {
      if (this.#closed) return; // killed by close(): the finally below closes the inputs
      if (failed !== undefined) failed.open = false; // an iterator that threw is finished
      const entry = new Entry(pool.release);
      entry.done = true;
      entry.ok = false;
      entry.value = error;
      this.#push(entry);
    } finally {
      this.#fed = true;
      for (const input of inputs) closeInput(input);
      this.#arrivals.wakeAll();
    }
  };

  async #closeQuietly(): Promise<void> {
    try {
      await this.#close();
    } catch { /* the consumer's own error wins */ }
  }

  /** Kills the feeder and every call not yet consumed, and waits for them to exit. */
  async #close(): Promise<void> {
    if (this.#closed && this.#feeder === undefined) return;
    this.#closed = true;
    const exit = new GreenletExit(`${this.#name} closed`);
    const cores: ThreadCore[] = [];
    const feeder = this.#feeder;
    this.#feeder = undefined;
    const claimed = this.#claimed;
    this.#claimed = undefined;
    if (claimed?.core !== undefined && claimed.core.kill(exit)) cores.push(claimed.core);
    for (let entry = this.#shift(); entry !== undefined; entry = this.#shift()) {
      if (entry.core !== undefined && entry.core.kill(exit)) cores.push(entry.core);
    }
    this.#arrivals.wakeAll();
    if (feeder !== undefined) await feeder.kill(exit);
    for (const input of this.#inputs) closeInput(input); // in case the feeder never started
    for (const core of cores) await core.join<unknown>(true);
  }
}
