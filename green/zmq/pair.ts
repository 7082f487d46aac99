/**
 * The exclusive pair pattern (RFC 31): a {@linkcode Pair} talks to exactly
 * one other `Pair`; a second peer is refused.
 *
 * @module
 */
import { Pattern } from "./_pattern.ts";
import { Socket, type SocketOptions } from "./socket.ts";

class PairPattern extends Pattern {
  readonly zmtpType = "PAIR";
  readonly peers: ReadonlySet<string> = new Set(["PAIR"]);
  override readonly maxPipes = 1;
  send(frames: Uint8Array[]): boolean {
    return this.roundRobin(frames) !== undefined;
  }
  recv(): Uint8Array[] | undefined {
    return this.fairRecv();
  }
}

/**
 * A PAIR socket (zeromq.js's `Pair`): one peer, both directions; `send()`
 * waits while there is no peer or its queue is full.
 *
 * @example Two ends of a pipe
 * ```ts
 * import { Pair } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using a = new Pair();
 * await a.bind("tcp://127.0.0.1:*");
 * await using b = new Pair();
 * b.connect(a.lastEndpoint!);
 * await b.send("ping");
 * assert.equal((await a.receive())[0]!.toString(), "ping");
 * await a.send("pong");
 * assert.equal((await b.receive())[0]!.toString(), "pong");
 * ```
 */
export class Pair extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new PairPattern());
  }
}
