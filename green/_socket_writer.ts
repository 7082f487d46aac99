/**
 * The write half of a {@linkcode GreenSocket}: at most one raw write
 * outstanding, and the order on the wire the order of the calls. Internal.
 *
 * A write interrupted by kill or a Timeout may still send its bytes (the
 * runtime's write takes no signal): the next write waits for it to finish
 * before starting, so later bytes never overtake earlier ones.
 *
 * Trade: as the reader, the writer is itself the source of its waits and the
 * sink of its raw writes (methods, not closures per writer or per wait), and
 * a wait's description is its op (`"send"`) and the peer, formatted only when
 * it is listed; `arm`, `detach` and `writeDone` are public methods of this
 * internal class.
 *
 * @module
 */
import type { Addr, RawConn, WriteSink } from "./_net_backend.ts";
import { type IoSource, type IoWait, ioWaitOn, peerName } from "./_net_internal.ts";

/**
 * Where the raw side stands: no raw write outstanding (`idle`); one for the
 * current waiter (`own`); one left by an interrupted waiter, which the current
 * waiter, if any, is queued behind (`orphan`); or the socket closed (`closed`,
 * after which write completions are ignored).
 */
type WriterState = "idle" | "own" | "orphan" | "closed";

/** One socket's writing state. */
export class SocketWriter implements IoSource<number>, WriteSink {
  #raw: Pick<RawConn, "write">;
  #peer: string | Addr;
  #state: WriterState = "idle";
  #waiter: IoWait<number> | undefined;
  #data: Uint8Array | undefined; // undefined: the waiter only waits for the writes before it
  #offset = 0;
  #all = false;
  #error: unknown;

  /** `peer` names the waits: `send(<peer>)`, an address formatted only when a wait is listed. */
  constructor(raw: Pick<RawConn, "write">, peer: string | Addr) {
    this.#raw = raw;
    this.#peer = peer;
  }

  /** What the writes act on, for wait descriptions. */
  get ioName(): string {
    return peerName(this.#peer);
  }

  /** A thread is blocked writing. */
  get busy(): boolean {
    return this.#waiter !== undefined;
  }

  /** A raw write is outstanding. */
  get writing(): boolean {
    return this.#state === "own" || this.#state === "orphan";
  }

  /** The error that broke the write side, if any. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Writes `bytes` (all of them with `all`, else one raw write's worth) as a
   * green wait for `op` (`"send"`: described as `send(<peer>)`); resolves
   * with the count sent.
   */
  write(bytes: Uint8Array, all: boolean, op: string, timeoutMs: number | null): Promise<number> {
    this.#data = bytes;
    this.#offset = 0;
    this.#all = all;
    return ioWaitOn(this, op, timeoutMs);
  }

  /** Waits (greenly, a wait for `op`) until the writes issued so far are done. */
  drain(op: string, timeoutMs: number | null): Promise<number> {
    if (!this.writing) return Promise.resolve(0);
    this.#data = undefined;
    return ioWaitOn(this, op, timeoutMs);
  }

  /** Hooks a write's wait to the raw side (the wait's source side). */
  arm(wait: IoWait<number>): void {
    this.#waiter = wait;
    // A write left by an interrupted send may still be running: queue behind it, keeping the order.
    if (this.writing) this.#state = "orphan";
    else this.#next();
  }

  /** A write's wait was cancelled: its raw write carries on, and the next write queues behind it. */
  detach(wait: IoWait<number>): void {
    if (this.#waiter === wait) this.#waiter = undefined;
  }

  #next(): void {
    const data = this.#data;
    if (data === undefined) {
      const waiter = this.#waiter!;
      this.#waiter = undefined;
      waiter.resolve(0);
      return;
    }
    if (this.#state !== "closed") this.#state = "own";
    const offset = this.#offset;
    this.#raw.write(offset === 0 ? data : data.subarray(offset), this);
  }

  /** A raw write ended (the write's sink side). */
  writeDone(n: number, error?: unknown): void {
    const was = this.#state;
    if (was === "closed") return;
    this.#state = "idle";
    const waiter = this.#waiter;
    if (error !== undefined) {
      this.#error ??= error;
      if (waiter !== undefined) {
        this.#waiter = undefined;
        waiter.reject(error);
      }
      return;
    }
    if (waiter === undefined) return; // an interrupted write finished: nobody waits for it
    if (was === "orphan") return this.#next(); // the earlier write is done: now ours
    const done = (this.#offset += n);
    if (this.#all && done < this.#data!.length) return this.#next();
    this.#waiter = undefined;
    this.#data = undefined;
    waiter.resolve(this.#all ? done : n);
  }

  /** The socket closed: rejects a blocked writer with `error`. */
  close(error: () => unknown): void {
    this.#state = "closed";
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error());
  }
}
