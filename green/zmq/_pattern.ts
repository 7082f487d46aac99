/**
 * {@linkcode Pattern}: what makes a socket type what it is — where a sent
 * message goes and which message `receive()` takes — over the socket's pipes,
 * with libzmq's two building blocks: round-robin out to the pipes that have
 * room ("load balancing"), and fair-queued in (each pipe with messages takes
 * its turn). The public socket classes pair one with `Socket`. Internal.
 *
 * @module
 */
import type { Pipe } from "./_pipe.ts";
import { ZmqError } from "./zmq_error.ts";

/** What a pattern may ask of its socket. */
export interface PatternHost {
  /** Something `receive()` waits for may have arrived. */
  wakeReceivers(): void;
}

/** A socket type's routing. */
export abstract class Pattern {
  /** Our ZMTP type, e.g. `"PUSH"`. */
  abstract readonly zmtpType: string;
  /** The peer types we talk to. */
  abstract readonly peers: ReadonlySet<string>;
  /** The most pipes at once (PAIR: 1). */
  readonly maxPipes: number = Infinity;
  /** The socket, once it is made. */
  host: PatternHost | undefined;
  /** Every attached pipe, in attach order. */
  readonly pipes: Pipe[] = [];
  /** The pipe the last `fairRecv` took from. */
  lastIn: Pipe | undefined;
  #next = 0;
  #ready: Pipe[] = [];
  #readyHead = 0;

  /** A pipe joins (connected, or connecting). */
  attach(pipe: Pipe): void {
    this.pipes.push(pipe);
    if (pipe.hasIn) this.readable(pipe);
  }

  /** A pipe leaves for good. */
  detach(pipe: Pipe): void {
    const i = this.pipes.indexOf(pipe);
    if (i >= 0) this.pipes.splice(i, 1);
    if (this.#next > i && this.#next > 0) this.#next--;
  }

  /** `pipe` has messages again. */
  readable(pipe: Pipe): void {
    this.#ready.push(pipe);
  }

  /** A connection now carries `pipe` (again); `identity` is the peer's. */
  connected(_pipe: Pipe, _identity: Uint8Array): void {}

  /** A message from a peer (default: into its pipe's queue). */
  message(pipe: Pipe, frames: Uint8Array[]): void {
    pipe.pushIn(frames);
  }

  /** A SUBSCRIBE/CANCEL command (default: ignored). */
  subscription(_pipe: Pipe, _subscribe: boolean, _topic: Uint8Array): void {}

  /** Sends `frames`; false when it must wait for room. */
  abstract send(frames: Uint8Array[]): boolean;

  /** The next message, if one is ready. */
  abstract recv(): Uint8Array[] | undefined;

  /** Round-robin to the next pipe with room: the pipe written to, or undefined when none has room. */
  protected roundRobin(frames: Uint8Array[]): Pipe | undefined {
    const pipes = this.pipes;
    const n = pipes.length;
    for (let k = 0; k < n; k++) {
      const i = (this.#next + k) % n;
      const pipe = pipes[i]!;
      if (pipe.canWrite) {
        pipe.write(frames);
        this.#next = (i + 1) % n;
        return pipe;
      }
    }
    return undefined;
  }

  /** The next message fair-queued from the pipes; sets `lastIn`. */
  protected fairRecv(): Uint8Array[] | undefined {
    const ready = this.#ready;
    while (this.#readyHead < ready.length) {
      const pipe = ready[this.#readyHead]!;
      const frames = pipe.takeIn();
      if (frames === undefined) {
        this.#shift();
        continue;
      }
      this.lastIn = pipe;
      if (ready.length - this.#readyHead > 1 && pipe.hasIn) {
        this.#shift();
        ready.push(pipe);
      } else if (!pipe.hasIn) this.#shift();
      return frames;
    }
    return undefined;
  }

  #shift(): void {
    this.#ready[this.#readyHead++] = undefined as unknown as Pipe;
    if (this.#readyHead === this.#ready.length) {
      this.#ready = [];
      this.#readyHead = 0;
    } else if (this.#readyHead >= 64 && this.#readyHead * 2 >= this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  /** The error of an operation the type does not have. */
  protected notSupported(op: string): ZmqError {
    return new ZmqError("ENOTSUP", `Cannot ${op} on a ${this.zmtpType} socket: the socket type does not support it`);
  }
}
