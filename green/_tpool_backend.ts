/**
 * The contract between the thread pool and a runtime: start one worker, talk
 * to it, stop it. `_tpool_node.ts` implements it on `node:worker_threads` (on
 * Node, and on Deno through its `node:` layer), `_tpool_deno.ts` on Deno's Web
 * `Worker`, and `_tpool_process_node.ts` on child processes (`isolation:
 * "process"`). The pool above (`_tpool_pool.ts`) never knows which one it has.
 *
 * A channel runs one call at a time; the pool decides what to send when.
 *
 * @module
 */
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";

/** What a channel reports to the pool. */
export interface ChannelEvents {
  /** A message from the worker. */
  message(msg: FromWorker): void;
  /** The worker is gone (it exited, crashed, ran out of memory, or was terminated); `reason` says how. */
  exit(reason: string): void;
}

/** One running worker (thread or process). */
export interface WorkerChannel {
  /**
   * Sends `msg`, moving the `transfer` buffers. Throws at once (a
   * `DataCloneError`) when `msg` cannot be cloned; nothing is sent then.
   */
  post(msg: ToWorker, transfer: readonly Transferable[]): void;
  /** Stops the worker; `exit` is reported afterwards. Safe to call twice. */
  terminate(): Promise<void>;
  /** Keeps the process alive while the worker runs a call (`true`) or lets it exit (`false`). */
  ref(on: boolean): void;
}

/** A way to start workers. */
export interface TpoolBackend {
  /** A short name for messages and test titles (`"worker_threads"`). */
  readonly name: string;
  /**
   * Whether `terminate()` stops a worker that spins in JavaScript and never
   * yields. `false` on Deno 2.9.6 (DESIGN.md section 10): such a worker is
   * abandoned, not stopped.
   */
  readonly stopsSpinning: boolean;
  /** Whether an idle worker lets the process exit (`ref(false)` works). */
  readonly canUnref: boolean;
  /** Starts a worker; `events` receives what it says until it exits. */
  start(events: ChannelEvents, options: StartOptions): WorkerChannel;
}

/** Per-worker settings. */
export interface StartOptions {
  /** Heap limit of the worker in MiB, where the backend can enforce one. */
  memoryLimitMb?: number | undefined;
}
