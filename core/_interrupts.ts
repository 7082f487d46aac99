/**
 * A thread's queue of undelivered interrupts: the kill or Timeout errors that
 * found no green wait to reject (the thread was awaiting a plain promise), kept
 * for its next green wait. Internal to `_thread_core.ts`.
 *
 * @module
 */

/** Something that can take back an interrupt it queued (a Timeout, once cancelled). */
export interface InterruptSource {
  /** `true` once the source no longer wants its interrupt delivered. */
  readonly cancelled: boolean;
  /** The `waitClock()` when the source was made: only waits begun after it are its to reject. */
  readonly since: number;
}

/** A queued interrupt; a kill's has no source. */
interface Interrupt {
  readonly error: unknown;
  readonly source: InterruptSource | undefined;
}

/** The queue, oldest first. */
export class InterruptQueue {
  #queue: Interrupt[] = [];

  /** Whether something is queued (a cancelled Timeout's entry counts until taken). */
  get pending(): boolean {
    return this.#queue.length > 0;
  }

  /** Queues `error`; `source` is the Timeout it came from, `undefined` for a kill. */
  push(error: unknown, source: InterruptSource | undefined): void {
    this.#queue.push({ error, source });
  }

  /** The oldest interrupt that still wants delivery, removed with those skipped. */
  take(): { error: unknown } | undefined {
    const queue = this.#queue;
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (next.source === undefined || !next.source.cancelled) return next;
    }
    return undefined;
  }

  /** Whether a kill is among the queued interrupts (it is never dropped). */
  hasKill(): boolean {
    return this.#queue.some((entry) => entry.source === undefined);
  }
}
