/**
 * The scheduling core of a thread pool: a FIFO queue of calls, at most `size`
 * workers (started on demand), one call per worker at a time, and what
 * happens when a caller goes away. Backend-neutral: workers come from a
 * {@linkcode TpoolBackend}.
 *
 * A worker slot is *idle*, *busy* (running a call whose caller waits) or
 * *draining* (running a call whose caller was cancelled: the worker was sent
 * `cancel`, which aborts the call's signal). A draining worker that finishes
 * within `graceMs` becomes idle again; one that does not is terminated and
 * forgotten, and a new worker takes its place, so the pool keeps its size. A
 * worker that dies fails only its own call.
 *
 * Only workers that someone waits for keep the process alive: busy ones, and
 * draining ones while calls are queued (they wait for a worker to free up or be
 * replaced). Idle workers and the grace timers are unref'd.
 *
 * @module
 */
import { suspend } from "../core/internal.ts";
import type { HubTimer } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import type { StartOptions, TpoolBackend, WorkerChannel } from "./_tpool_backend.ts";
import { type CallMessage, fromWire, type FromWorker, type Job } from "./_tpool_protocol.ts";
import { TpoolKilledError, TpoolWorkerError } from "./tpool_errors.ts";
import { checkCloneable, cloneError } from "./_tpool_jobs.ts";
import { reportAbandon, reportCallError } from "./_tpool_report.ts";

/** Settings of a pool core. */
export interface PoolCoreOptions extends StartOptions {
  size: number;
  graceMs: number;
}

interface Call {
  readonly id: number;
  readonly job: Job;
  readonly jobId: number;
  readonly args: unknown[];
  readonly transfer: readonly Transferable[];
  readonly description: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  slot: Slot | undefined;
}

class Slot {
  channel: WorkerChannel | undefined;
  /** The call whose caller waits; `undefined` when idle or draining. */
  call: Call | undefined;
  /** The id of a cancelled call the worker is still running. */
  draining: number | undefined;
  grace: HubTimer | undefined;
  gone = false;
  /** The ids of the jobs this worker has been sent (it keeps them: later calls send the id only). */
  readonly known = new Set<number>();
  /** Whether the channel is ref'd now (calls to `ref` are not free: only changes are made). */
  refd = false;
  setRef(on: boolean): void {
    if (this.refd === on || this.gone) return;
    this.refd = on;
    this.channel!.ref(on);
  }
  get idle(): boolean {
    return !this.gone && this.call === undefined && this.draining === undefined;
  }
}

/** One pool of workers on one backend. */
export class PoolCore {
  readonly backend: TpoolBackend;
  #options: PoolCoreOptions;
  #slots = new Set<Slot>();
  #retiring = new Set<Promise<void>>();
  #queue: Call[] = [];
  #nextId = 1;
  #jobs = new Map<string, number>();
  #draining = 0;
  #unrefScheduled = false;

  constructor(backend: TpoolBackend, options: PoolCoreOptions) {
    this.backend = backend;
    this.#options = { ...options };
  }

  get size(): number {
    return this.#options.size;
  }

  /** Workers alive (busy, idle or draining). */
  get workers(): number {
    return this.#slots.size;
  }

  /** Runs `job` in a worker, as a green wait of the calling thread. */
  run(job: Job, args: unknown[], transfer: readonly Transferable[], description: string): Promise<unknown> {
    return suspend((resolve, reject) => {
      const id = this.#nextId++;
      const jobId = this.#jobId(job);
      const call: Call = { id, job, jobId, args, transfer, description, resolve, reject, slot: undefined };
      const slot = this.#freeSlot();
      if (slot !== undefined) {
        this.#dispatch(slot, call, true);
      } else {
        checkCloneable(args); // fail in the caller now, not when a worker frees up
        this.#queue.push(call);
        if (this.#queue.length === 1) this.#refDraining();
      }
      return () => this.#cancel(call);
    }, description);
  }

  /** Changes the number of workers; extra idle ones stop now, extra busy ones when their call ends. */
  resize(size: number): void {
    this.#options.size = size;
    for (const slot of [...this.#slots]) {
      if (this.#slots.size <= size) break;
      if (slot.idle) this.#retire(slot);
    }
    this.#pump();
  }

  /** Rejects every queued and running call with `TpoolKilledError` and stops every worker. */
  async killall(): Promise<void> {
    const queued = this.#queue;
    this.#queue = [];
    for (const call of queued) call.reject(new TpoolKilledError(`tpool call ${call.description} ended by killall()`));
    const stopping: Promise<void>[] = [];
    for (const slot of [...this.#slots]) {
      const call = slot.call;
      if (slot.draining !== undefined && !this.backend.stopsSpinning) reportAbandon(this.backend.name);
      stopping.push(this.#retire(slot));
      call?.reject(new TpoolKilledError(`tpool call ${call.description} ended by killall()`));
    }
    await Promise.all([...stopping, ...this.#retiring]);
  }

  /** The id under which workers keep `job`: one per distinct function source or export (at most 1,000; then -1, not kept). */
  #jobId(job: Job): number {
    const key = job.kind === "fn" ? job.source : `${job.name}\n${job.url}`;
    let id = this.#jobs.get(key);
    if (id === undefined) {
      if (this.#jobs.size >= 1000) return -1;
      this.#jobs.set(key, id = this.#jobs.size);
    }
    return id;
  }

  #freeSlot(): Slot | undefined {
    for (const slot of this.#slots) if (slot.idle) return slot;
    return this.#slots.size < this.#options.size ? this.#startSlot() : undefined;
  }

  #startSlot(): Slot {
    const slot = new Slot();
    this.#slots.add(slot);
    slot.channel = this.backend.start({
      message: (msg) => this.#onMessage(slot, msg),
      exit: (reason) => this.#onExit(slot, reason),
    }, this.#options);
    return slot;
  }

  /** Sends `call` to `slot`; a clone error rejects the call (thrown when `direct`, i.e. inside its register). */
  #dispatch(slot: Slot, call: Call, direct: boolean): void {
    try {
      const known = call.jobId >= 0 && slot.known.has(call.jobId);
      const msg: CallMessage = known ? [call.id, call.jobId, call.args] : [call.id, call.jobId, call.args, call.job];
      slot.channel!.post(msg, call.transfer);
      if (!known && call.jobId >= 0) slot.known.add(call.jobId);
    } catch (error) {
      if (direct) throw cloneError(error);
      call.reject(cloneError(error));
      return;
    }
    slot.call = call;
    call.slot = slot;
    slot.setRef(true);
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#freeSlot();
      if (slot === undefined) return;
      this.#dispatch(slot, this.#queue.shift()!, false);
      if (this.#queue.length === 0) this.#refDraining();
    }
  }

  /** Draining workers keep the process alive while calls are queued behind them, else not. */
  #refDraining(): void {
    if (this.#draining === 0) return;
    const on = this.#queue.length > 0;
    for (const slot of this.#slots) if (slot.draining !== undefined) slot.setRef(on);
  }

  #stopDraining(slot: Slot): void {
    if (slot.draining === undefined) return;
    slot.draining = undefined;
    this.#draining--;
    slot.grace?.cancel();
    slot.grace = undefined;
  }

  #onMessage(slot: Slot, msg: FromWorker): void {
    const done = Array.isArray(msg);
    if (!done && msg.t === "exit") return; // the exit itself follows
    const id = done ? msg[0] : msg.id;
    const call = slot.call;
    if (call !== undefined && call.id === id) {
      slot.call = undefined;
      if (done) {
        call.resolve(msg[1]);
      } else {
        const error = fromWire(msg.error);
        reportCallError(call.description, error);
        call.reject(error);
      }
    } else if (slot.draining === id) {
      this.#stopDraining(slot);
    } else {
      return;
    }
    if (slot.gone) return;
    if (this.#slots.size > this.#options.size) {
      this.#retire(slot);
      return;
    }
    this.#pump();
    if (slot.idle) this.#unrefIdleLater();
  }

  /**
   * Unrefs idle workers on the next hub turn rather than now: a caller that
   * makes its next call at once (the common loop) then finds its worker still
   * ref'd, and the pool makes no ref/unref calls per call.
   */
  #unrefIdleLater(): void {
    if (this.#unrefScheduled) return;
    this.#unrefScheduled = true;
    getHub().schedule(() => {
      this.#unrefScheduled = false;
      for (const slot of this.#slots) if (slot.idle) slot.setRef(false);
    });
  }

  #onExit(slot: Slot, reason: string): void {
    if (slot.gone) return;
    this.#forget(slot);
    const call = slot.call;
    if (call !== undefined) {
      call.reject(new TpoolWorkerError(`tpool worker ${reason} while running ${call.description}`));
    }
    this.#pump();
  }

  /** A caller stopped waiting (kill, Timeout): dequeue its call, or ask its worker to stop. */
  #cancel(call: Call): void {
    const slot = call.slot;
    if (slot === undefined) {
      const i = this.#queue.indexOf(call);
      if (i >= 0) this.#queue.splice(i, 1);
      if (this.#queue.length === 0) this.#refDraining();
      return;
    }
    if (slot.call !== call || slot.gone) return;
    slot.call = undefined;
    slot.draining = call.id;
    this.#draining++;
    slot.setRef(this.#queue.length > 0);
    try {
      slot.channel!.post({ t: "cancel", id: call.id }, []);
    } catch { /* a dying worker: its exit follows */ }
    slot.grace = getHub().scheduleCallGlobal(this.#options.graceMs, () => this.#abandon(slot), "tpool grace period")
      .unref();
  }

  /** A draining worker overran its grace period: stop it (or, where that cannot work, abandon it) and replace it. */
  #abandon(slot: Slot): void {
    if (slot.gone) return;
    if (!this.backend.stopsSpinning) reportAbandon(this.backend.name);
    void this.#retire(slot);
    this.#pump();
  }

  #forget(slot: Slot): void {
    slot.gone = true;
    this.#stopDraining(slot);
    this.#slots.delete(slot);
  }

  #retire(slot: Slot): Promise<void> {
    if (slot.gone) return Promise.resolve();
    this.#forget(slot);
    // Kept until the worker is gone, so killall() also waits for workers that resize() or a crash retired.
    const stopped = slot.channel!.terminate().finally(() => this.#retiring.delete(stopped));
    this.#retiring.add(stopped);
    return stopped;
  }
}

/** The key of a `ThreadPool` option that picks a backend directly (the conformance suites use it). */
export const BACKEND: unique symbol = Symbol("evy.tpool.backend");
