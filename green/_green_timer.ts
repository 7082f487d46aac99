/**
 * One green timer on the hub's timer heap: what `green/timers.ts` hands out as
 * a number and `green/node/timers.ts` as Node's `Timeout` object (it has
 * Node's `ref`/`unref`/`hasRef`/`refresh`/`close` and `Symbol.toPrimitive`).
 *
 * A timer made inside a green thread (not the main one) is cancelled when that
 * thread, having been killed, exits — never when it returns: libraries set
 * timers from short-lived threads. Until the killed thread exits its timers
 * still fire, so a thread killed while it awaits `new Promise((r) =>
 * setTimeout(r, ms))` reaches its next green wait and takes the kill there.
 * Its callback runs in that thread's context while the thread lives, as the
 * runtime's timers carry `AsyncLocalStorage` context.
 *
 * @module
 */
import { currentCore, type ThreadCore, threadStorage } from "../core/internal.ts";
import type { Hub, HubTimer } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;
/**
 * Green ids start far above the runtime's own (Deno counts from 1), so the two
 * never collide, yet stay small integers (V8 Smis), which keep the id table fast.
 */
export const ID_BASE = 2 ** 29;
let nextId = ID_BASE;

/** Timers whose numeric id was handed out, so `clearTimeout(id)` finds them. */
export const byId: Map<number, GreenTimer> = new Map();

const descriptions: Record<string, string[]> = { setTimeout: [], setInterval: [] };

/** `kind(ms)` for the hub's listing, cached for whole-ms delays under a second (the common case). */
function describe(kind: string, ms: number): string {
  const rounded = Math.round(ms);
  if (rounded >= 1000) return `${kind}(${rounded})`;
  const cache = descriptions[kind] ??= [];
  return cache[rounded] ??= `${kind}(${rounded})`;
}

/** The delay the globals would use: non-numbers, NaN and negatives are 0; overflow is 1 (as Node does). */
export function normalizeDelay(delay: unknown): number {
  const ms = Number(delay);
  if (!(ms > 0)) return 0;
  return ms > TIMEOUT_MAX ? 1 : ms;
}

function invoke(cb: (...args: unknown[]) => void, args: unknown[]): void {
  if (args.length === 0) cb();
  else cb(...args);
}

/** A green timer; see the module doc. */
export class GreenTimer {
  #hub: Hub;
  #timer: HubTimer;
  #cb: (...args: unknown[]) => void;
  #args: unknown[];
  #delay: number;
  #repeat: boolean;
  #kind: string;
  #core: ThreadCore | undefined;
  #offKill: (() => void) | undefined;
  #ref = true;
  #id = 0;

  /**
   * Schedules `cb(...args)` after `delay` ms (every `delay` ms if `repeat`);
   * `kind` names it in the hub's listing (`setTimeout(50)`). Made by the
   * `setTimeout`/`setInterval` of `@evy/evy/green/timers` and `.../green/node/timers`.
   *
   * @throws {TypeError} When `cb` is not a function.
   */
  constructor(kind: string, cb: (...args: unknown[]) => void, delay: unknown, args: unknown[], repeat: boolean) {
    if (typeof cb !== "function") throw new TypeError(`${kind}: callback must be a function`);
    this.#kind = kind;
    this.#cb = cb;
    this.#args = args;
    this.#delay = normalizeDelay(delay);
    this.#repeat = repeat;
    this.#hub = getHub();
    const core = threadStorage.getStore() === undefined ? undefined : currentCore();
    if (core !== undefined && !core.isMain) {
      this.#core = core;
      this.#offKill = core.onKilledExit(() => {
        this.#offKill = undefined;
        this.close();
      });
    }
    this.#timer = this.#hub.scheduleCallGlobal(this.#delay, this, describe(kind, this.#delay));
  }

  /** The timer's numeric id (registered so that the clear functions accept it). */
  get id(): number {
    if (this.#id === 0) {
      this.#id = nextId++;
      if (this.pending) byId.set(this.#id, this);
    }
    return this.#id;
  }

  /** `true` until the timer fired (for a one-shot) or was cleared. */
  get pending(): boolean {
    return this.#timer.pending;
  }

  /** @internal Called by the hub when the timer is due. */
  run(): void {
    const core = this.#core;
    if (this.#repeat) {
      this.#timer = this.#schedule(this.#delay);
    } else this.#forget();
    if (core !== undefined && !core.dead) threadStorage.run(core, invoke, this.#cb, this.#args);
    else invoke(this.#cb, this.#args);
  }

  #schedule(ms: number): HubTimer {
    const timer = this.#hub.scheduleCallGlobal(ms, this, describe(this.#kind, this.#delay));
    if (!this.#ref) timer.unref();
    return timer;
  }

  #forget(): void {
    this.#offKill?.();
    this.#offKill = undefined;
    this.#core = undefined;
    if (this.#id !== 0) byId.delete(this.#id);
  }

  /** Cancels the timer (what `clearTimeout`/`clearInterval` do). */
  close(): this {
    this.#timer.cancel();
    this.#forget();
    return this;
  }

  /** Lets the process exit while this timer is pending. */
  unref(): this {
    this.#ref = false;
    this.#timer.unref();
    return this;
  }

  /** Makes the timer keep the process alive again. */
  ref(): this {
    if (this.#ref) return this;
    this.#ref = true;
    if (this.#timer.pending) {
      this.#timer.cancel();
      this.#timer = this.#schedule(Math.max(0, this.#timer.deadline - this.#hub.now()));
    }
    return this;
  }

  /** Whether the timer keeps the process alive. */
  hasRef(): boolean {
    return this.#ref;
  }

  /** Restarts the countdown from now with the original delay (also revives a timer that fired). */
  refresh(): this {
    if (this.#id !== 0) byId.set(this.#id, this);
    this.#timer.cancel();
    this.#timer = this.#schedule(this.#delay);
    return this;
  }

  /** The numeric id, so that the timer can be used where a number is expected. */
  [Symbol.toPrimitive](): number {
    return this.id;
  }

  /** Clears the timer at the end of a `using` scope (as Node's `Timeout` does). */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Clears a green timer given as object or numeric id; returns `false` when `handle` is not one. */
export function clearGreen(handle: unknown): boolean {
  if (handle instanceof GreenTimer) {
    handle.close();
    return true;
  }
  if (typeof handle === "number" || typeof handle === "string") {
    const timer = byId.get(Number(handle));
    if (timer !== undefined) {
      timer.close();
      return true;
    }
    return Number(handle) >= ID_BASE;
  }
  return false;
}
