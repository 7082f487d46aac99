/**
 * The read half of a {@linkcode GreenSocket}: at most one raw read outstanding,
 * its bytes kept for whoever reads next, an adaptive read size. Internal.
 *
 * A `recv` interrupted by kill, a Timeout or the socket timeout leaves its raw
 * read running; when that read completes, its bytes wait in the buffer for the
 * next `recv`, which joins the read instead of starting another. So no byte is
 * ever lost to a cancellation.
 *
 * Trade: the reader is itself the source of its waits and the sink of its raw
 * reads (methods, not closures made per reader or per wait), and it names its
 * waits from the peer it was given (a pipe's name, or a socket's address,
 * formatted only when a wait is listed). So an idle connection's reader holds
 * no closure and no string of its own; the price is that `arm`, `detach` and
 * `readDone` are public methods of this internal class.
 *
 * @module
 */
import type { Addr, RawConn, ReadSink } from "./_net_backend.ts";
import { type IoSource, type IoWait, ioWaitOn, peerName } from "./_net_internal.ts";

const EMPTY = new Uint8Array(0);
const MIN_READ = 512;
/** The largest raw read, and the chunk size of a socket's `readable`. */
export const MAX_READ = 65536;

/** One socket's reading state. */
export class SocketReader implements IoSource<Uint8Array>, ReadSink {
  #raw: Pick<RawConn, "read">;
  #peer: string | Addr;
  #buf: Uint8Array | undefined;
  #eof = false;
  #error: unknown;
  #reading = false;
  #waiter: IoWait<Uint8Array> | undefined;
  #max = 0;
  #size = MIN_READ;
  #closed = false;

  /** `peer` names the waits: `recv(<peer>)`, an address formatted only when a wait is listed. */
  constructor(raw: Pick<RawConn, "read">, peer: string | Addr) {
    this.#raw = raw;
    this.#peer = peer;
  }

  /** What the reads act on, for wait descriptions. */
  get ioName(): string {
    return peerName(this.#peer);
  }

  /** A thread is blocked reading. */
  get busy(): boolean {
    return this.#waiter !== undefined;
  }

  /** No raw read is outstanding and nothing is buffered (the socket can be handed over). */
  get idle(): boolean {
    return !this.#reading && this.#buf === undefined;
  }

  /** Up to `maxBytes`: what is buffered, else the next chunk; empty at end of stream. */
  recv(maxBytes: number, timeoutMs: number | null): Promise<Uint8Array> {
    if (this.#buf !== undefined) return Promise.resolve(this.#take(maxBytes));
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#eof) return Promise.resolve(EMPTY);
    this.#max = maxBytes;
    return ioWaitOn(this, "recv", timeoutMs);
  }

  /** Hooks a recv's wait to the raw read (the wait's source side). */
  arm(wait: IoWait<Uint8Array>): void {
    this.#waiter = wait;
    // At most one raw read per socket: a read left by an interrupted recv is joined, not repeated.
    if (!this.#reading) {
      this.#reading = true;
      this.#raw.read(this.#size, this);
    }
  }

  /** A recv's wait was cancelled: its raw read carries on, and its bytes wait for the next recv. */
  detach(wait: IoWait<Uint8Array>): void {
    if (this.#waiter === wait) this.#waiter = undefined;
  }

  /** A raw read ended (the read's sink side). */
  readDone(chunk: Uint8Array | null, error?: unknown): void {
    this.#reading = false;
    if (this.#closed) return;
    if (error !== undefined) this.#error = error;
    else if (chunk === null) this.#eof = true;
    else {
      const size = this.#size;
      if (chunk.length >= size) this.#size = Math.min(size * 2, MAX_READ);
      else if (chunk.length < size >>> 2) this.#size = Math.max(size >>> 1, MIN_READ);
      if (this.#buf === undefined) this.#buf = chunk;
      else this.#append(chunk);
    }
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    if (this.#buf !== undefined) waiter.resolve(this.#take(this.#max));
    else if (this.#error !== undefined) waiter.reject(this.#error);
    else waiter.resolve(EMPTY);
  }

  #append(chunk: Uint8Array): void {
    const buf = this.#buf!;
    const joined = new Uint8Array(buf.length + chunk.length);
    joined.set(buf);
    joined.set(chunk, buf.length);
    this.#buf = joined;
  }

  #take(maxBytes: number): Uint8Array {
    const buf = this.#buf!;
    if (buf.length <= maxBytes) {
      this.#buf = undefined;
      return buf;
    }
    this.#buf = buf.subarray(maxBytes);
    return buf.subarray(0, maxBytes);
  }

  /** Puts `bytes` back in front of the buffer. */
  unread(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const rest = this.#buf;
    this.#buf = bytes;
    if (rest !== undefined) this.#append(rest);
  }

  /** Shuts reading down: later reads see end of stream; a blocked reader gets it now. */
  shutdown(): void {
    this.#eof = true;
    this.#buf = undefined;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(EMPTY);
  }

  /** The socket closed: drops the buffer and rejects a blocked reader with `error`. */
  close(error: () => unknown): void {
    this.#closed = true;
    this.#buf = undefined;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error());
  }
}
