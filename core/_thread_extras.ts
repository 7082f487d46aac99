/**
 * What few green threads need (queued interrupts, kill hooks, Timeouts, the
 * abort controller, the spawn stack): `ThreadCore` makes one on first use, so
 * most threads never carry these fields. Internal to `_thread_core.ts`.
 *
 * @module
 */
import type { InterruptQueue } from "./_interrupts.ts";

/** Something with an abort signal that stays active until cancelled (Timeouts). */
export interface SignalSource {
  readonly signal: AbortSignal;
}

/** The rarely used part of a thread's state. */
export class Rare {
  interrupts: InterruptQueue | undefined = undefined;
  killHooks: Set<() => void> | undefined = undefined;
  timeouts: Set<SignalSource> | undefined = undefined;
  spawnStack: string | undefined = undefined;
  abort: AbortController | undefined = undefined;
  killReason: unknown = undefined;
}
