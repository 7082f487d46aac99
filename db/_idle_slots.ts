/**
 * The pool's slots and the reaper of idle ones: a slot is the right to hold
 * one connection and may hold an open one; idle slots are watched by one hub
 * timer, set for the earliest moment one of them passes `maxIdleMs` or
 * `maxAgeMs`, which closes the expired connections (the slots stay in the
 * pool, empty). Internal to db/.
 *
 * @module
 */
import { getHub } from "../hubs/mod.ts";
import type { HubTimer } from "../hubs/hub.ts";

/** A place for one connection, and the connection it holds (if any). */
export class Slot<R> {
  raw: R | undefined = undefined;
  createdAt = 0;
  idleSince = 0;
}

/** The idle slots of one pool, and the timer that closes their expired connections. */
export class IdleSlots<R> {
  readonly #idle = new Set<Slot<R>>();
  readonly #maxIdleMs: number;
  readonly #maxAgeMs: number;
  readonly #close: (slot: Slot<R>) => void;
  #timer: HubTimer | undefined;
  #timerAt = Infinity;

  /** `close(slot)` closes the slot's connection and empties it. */
  constructor(maxIdleMs: number, maxAgeMs: number, close: (slot: Slot<R>) => void) {
    this.#maxIdleMs = maxIdleMs;
    this.#maxAgeMs = maxAgeMs;
    this.#close = close;
  }

  /** Whether the slot's connection is too old or was idle too long at `now`. */
  expired(slot: Slot<R>, now: number): boolean {
    return now - slot.createdAt >= this.#maxAgeMs || now - slot.idleSince >= this.#maxIdleMs;
  }

  /** Watches `slot`, idle from now on. */
  add(slot: Slot<R>, now: number): void {
    slot.idleSince = now;
    this.#idle.add(slot);
    this.#schedule(this.#expiry(slot));
  }

  /** Stops watching `slot` (it was taken). */
  delete(slot: Slot<R>): void {
    this.#idle.delete(slot);
  }

  /** Closes every idle connection and stops the timer. */
  closeAll(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
    for (const slot of this.#idle) this.#close(slot);
    this.#idle.clear();
  }

  #expiry(slot: Slot<R>): number {
    return Math.min(slot.idleSince + this.#maxIdleMs, slot.createdAt + this.#maxAgeMs);
  }

  #schedule(at: number): void {
    if (at >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = at;
    const hub = getHub();
    // Unref'd: an idle pool alone does not keep the process alive.
    this.#timer = hub.scheduleCallGlobal(Math.max(0, at - hub.now()), () => this.#reap(), "ConnectionPool reaper")
      .unref();
  }

  #reap(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = getHub().now();
    let next = Infinity;
    for (const slot of [...this.#idle]) {
      if (this.expired(slot, now)) {
        this.#idle.delete(slot);
        this.#close(slot);
      } else {
        next = Math.min(next, this.#expiry(slot));
      }
    }
    if (next !== Infinity) this.#schedule(next);
  }
}
