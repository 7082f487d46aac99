/**
 * {@linkcode WaitSet}: green threads waiting for one condition of a ZeroMQ
 * socket or connection ("a message came in", "there is room to send"),
 * woken together when it may have changed; each re-checks. Internal.
 *
 * @module
 */
import { currentCore, suspendWait } from "../../core/internal.ts";
import { getHub } from "../../hubs/mod.ts";
import { CallbackIoWait } from "../_net_internal.ts";

/** A waiter: the green sockets' I/O wait (its own timer, forgotten by the set when cancelled). */
type SetWait = CallbackIoWait<void>;

/** Waiters for one condition. */
export class WaitSet {
  #waits = new Set<SetWait>();

  /** How many wait. */
  get size(): number {
    return this.#waits.size;
  }

  /**
   * Waits (a green wait named `description`) until {@linkcode WaitSet.wakeAll};
   * with `timeoutMs` >= 0, rejects with `onTimeout()` when it passes first.
   */
  wait(description: string, timeoutMs = -1, onTimeout?: () => unknown): Promise<void> {
    return suspendWait(new CallbackIoWait<void>(currentCore(), getHub(), description), (w) => {
      const wait = w as SetWait;
      wait.onDetach = () => void this.#waits.delete(wait);
      this.#waits.add(wait);
      if (timeoutMs >= 0) {
        wait.timer = wait.hub.scheduleCallGlobal(
          timeoutMs,
          () => wait.cancel(onTimeout?.()),
          `${description} timeout`,
        );
      }
    });
  }

  /** Wakes every waiter. */
  wakeAll(): void {
    if (this.#waits.size === 0) return;
    const waits = [...this.#waits];
    this.#waits.clear();
    for (const w of waits) w.resolve();
  }

  /** Rejects every waiter with `error`. */
  failAll(error: unknown): void {
    if (this.#waits.size === 0) return;
    const waits = [...this.#waits];
    this.#waits.clear();
    for (const w of waits) w.cancel(error);
  }
}
