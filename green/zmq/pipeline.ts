/**
 * The pipeline pattern (RFC 30): {@linkcode Push} hands each message to one
 * {@linkcode Pull} peer in turn, waiting when every peer's queue is at the
 * high-water mark; a `Pull` fair-queues what its peers push.
 *
 * @module
 */
import type { Pipe } from "./_pipe.ts";
import { Pattern } from "./_pattern.ts";
import { Socket, type SocketOptions } from "./socket.ts";

class PushPattern extends Pattern {
  readonly zmtpType = "PUSH";
  readonly peers: ReadonlySet<string> = new Set(["PULL"]);
  send(frames: Uint8Array[]): boolean {
    return this.roundRobin(frames) !== undefined;
  }
  recv(): Uint8Array[] | undefined {
    throw this.notSupported("receive");
  }
  override message(_pipe: Pipe, _frames: Uint8Array[]): void {} // a PULL sends nothing; drop what it does
}

class PullPattern extends Pattern {
  readonly zmtpType = "PULL";
  readonly peers: ReadonlySet<string> = new Set(["PUSH"]);
  send(): boolean {
    throw this.notSupported("send");
  }
  recv(): Uint8Array[] | undefined {
    return this.fairRecv();
  }
}

/**
 * A PUSH socket (zeromq.js's `Push`): `send()` goes round-robin to the
 * connected `Pull`s, and waits (greenly) while none has room.
 *
 * @example Workers sharing jobs
 * ```ts
 * import { Pull, Push } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using push = new Push();
 * await push.bind("tcp://127.0.0.1:*");
 * await using pull = new Pull();
 * pull.connect(push.lastEndpoint!);
 * await push.send("job 1");
 * assert.equal((await pull.receive())[0]!.toString(), "job 1");
 * ```
 */
export class Push extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new PushPattern());
  }
}

/**
 * A PULL socket (zeromq.js's `Pull`): `receive()` takes messages fair-queued
 * from the connected `Push`es.
 *
 * @example Collecting results
 * ```ts
 * import { Pull, Push } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using sink = new Pull();
 * await sink.bind("tcp://127.0.0.1:*");
 * await using worker = new Push();
 * worker.connect(sink.lastEndpoint!);
 * await worker.send(["result", "7"]);
 * const [, value] = await sink.receive();
 * assert.equal(value!.toString(), "7");
 * ```
 */
export class Pull extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new PullPattern());
  }
}
