/**
 * {@linkcode Pipe}: one peer of a ZeroMQ socket as the socket types see it —
 * a queue of messages in and a queue out, each bounded by its high-water
 * mark (0: unbounded), and the peer's routing id and type once a connection
 * carries it. A connecting socket's pipe outlives reconnects (messages sent
 * while the peer is away wait in it, as in libzmq); an accepted one ends with
 * its connection. Internal.
 *
 * @module
 */
import { WaitSet } from "./_wait_set.ts";

/** A queued outgoing item: a message's frames, or bytes already encoded (a command). */
export type OutItem = Uint8Array[] | Uint8Array;

/** What a pipe tells its socket. */
export interface PipeHost {
  /** The pipe got a message while it had none. */
  readable(pipe: Pipe): void;
  /** The pipe's out queue fell below its high-water mark. */
  writable(pipe: Pipe): void;
}

const EMPTY = new Uint8Array(0);

/** One peer's queues. */
export class Pipe {
  /** The endpoint this pipe came from (`connect`'s, or the bound one). */
  readonly endpoint: string;
  /** Routing id (ROUTER): the peer's Identity, or one made up. */
  routingId: Uint8Array = EMPTY;
  /** Whether a connection currently carries the pipe. */
  live = false;
  /** A connecting socket's pipe: it waits for the next connection when one ends. */
  reconnects = false;
  /** Gone for good: detached from its socket. */
  ended = false;
  /** The socket type's per-pipe state (a PUB's subscriptions). */
  state: unknown;
  /** The writer thread waits here for output. */
  readonly outReady: WaitSet = new WaitSet();
  /** The reader thread waits here for room in the in queue. */
  readonly inRoom: WaitSet = new WaitSet();
  #host: PipeHost;
  #sendHwm: number;
  #recvHwm: number;
  #in: Uint8Array[][] = [];
  #inHead = 0;
  #out: OutItem[] = [];

  constructor(host: PipeHost, endpoint: string, sendHwm: number, recvHwm: number) {
    this.#host = host;
    this.endpoint = endpoint;
    this.#sendHwm = sendHwm;
    this.#recvHwm = recvHwm;
  }

  /** Room for one more message out. */
  get canWrite(): boolean {
    return this.#sendHwm === 0 || this.#out.length < this.#sendHwm;
  }

  /** Output waits. */
  get hasOut(): boolean {
    return this.#out.length > 0;
  }

  /** Queues a message (the caller checked `canWrite`, or ignores the mark). */
  write(frames: Uint8Array[]): void {
    this.#out.push(frames);
    if (this.#out.length === 1) this.outReady.wakeAll();
  }

  /** Queues encoded bytes (a command), regardless of the mark. */
  writeRaw(bytes: Uint8Array): void {
    this.#out.push(bytes);
    if (this.#out.length === 1) this.outReady.wakeAll();
  }

  /** Takes everything queued out (the writer thread). */
  takeOut(): OutItem[] {
    const items = this.#out;
    const wasFull = !this.canWrite;
    this.#out = [];
    if (wasFull && !this.ended) this.#host.writable(this);
    return items;
  }

  /** Drops what is queued out (the peer is gone and will not come back). */
  dropOut(): void {
    this.#out = [];
  }

  /** The in queue is at its mark: the reader should wait. */
  get inFull(): boolean {
    return this.#recvHwm !== 0 && this.#in.length - this.#inHead >= this.#recvHwm;
  }

  /** Messages in. */
  get hasIn(): boolean {
    return this.#in.length > this.#inHead;
  }

  /** A message from the peer (the reader thread). */
  pushIn(frames: Uint8Array[]): void {
    const wasEmpty = this.#in.length === this.#inHead;
    this.#in.push(frames);
    if (wasEmpty) this.#host.readable(this);
  }

  /** The next message in, if any. */
  takeIn(): Uint8Array[] | undefined {
    if (this.#inHead === this.#in.length) return undefined;
    const frames = this.#in[this.#inHead]!;
    this.#in[this.#inHead++] = undefined as unknown as Uint8Array[];
    if (this.#inHead === this.#in.length) {
      this.#in = [];
      this.#inHead = 0;
    } else if (this.#inHead >= 1024 && this.#inHead * 2 >= this.#in.length) {
      this.#in = this.#in.slice(this.#inHead);
      this.#inHead = 0;
    }
    if (this.inRoom.size > 0 && !this.inFull) this.inRoom.wakeAll();
    return frames;
  }
}
