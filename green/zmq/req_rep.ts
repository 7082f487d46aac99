/**
 * The request-reply pattern (RFC 28), lock-step ends: a {@linkcode Request}
 * sends a request (round-robin, behind an empty delimiter frame) and must
 * receive its reply before it sends again; a {@linkcode Reply} receives a
 * request (fair-queued), keeps its envelope (the routing frames up to the
 * delimiter) and must send the reply, which goes back under that envelope.
 * Out of step, `send`/`receive` reject with `EFSM`.
 *
 * @module
 */
import type { Pipe } from "./_pipe.ts";
import { Pattern } from "./_pattern.ts";
import { Socket, type SocketOptions } from "./socket.ts";
import { ZmqError } from "./zmq_error.ts";

const EMPTY = new Uint8Array(0);

class RequestPattern extends Pattern {
  readonly zmtpType = "REQ";
  readonly peers: ReadonlySet<string> = new Set(["REP", "ROUTER"]);
  #replyFrom: Pipe | undefined; // set while a reply is awaited
  send(frames: Uint8Array[]): boolean {
    if (this.#replyFrom !== undefined) {
      throw new ZmqError("EFSM", "Cannot send on REQ: the reply to the last request has not been received");
    }
    const pipe = this.roundRobin([EMPTY, ...frames]);
    if (pipe === undefined) return false;
    this.#replyFrom = pipe;
    return true;
  }
  override message(pipe: Pipe, frames: Uint8Array[]): void {
    // Only the reply to our request, behind its delimiter; anything else is dropped, as libzmq does.
    if (pipe === this.#replyFrom && frames.length > 1 && frames[0]!.length === 0) pipe.pushIn(frames.slice(1));
  }
  override detach(pipe: Pipe): void {
    super.detach(pipe);
  }
  recv(): Uint8Array[] | undefined {
    if (this.#replyFrom === undefined) throw new ZmqError("EFSM", "Cannot receive on REQ: send a request first");
    const frames = this.fairRecv();
    if (frames !== undefined) this.#replyFrom = undefined;
    return frames;
  }
}

class ReplyPattern extends Pattern {
  readonly zmtpType = "REP";
  readonly peers: ReadonlySet<string> = new Set(["REQ", "DEALER"]);
  #envelope: Uint8Array[] | undefined; // set while a reply is owed
  #to: Pipe | undefined;
  recv(): Uint8Array[] | undefined {
    if (this.#envelope !== undefined) throw new ZmqError("EFSM", "Cannot receive on REP: send the reply first");
    for (;;) {
      const frames = this.fairRecv();
      if (frames === undefined) return undefined;
      const i = frames.findIndex((f) => f.length === 0);
      if (i < 0) continue; // no envelope delimiter: malformed, dropped
      this.#envelope = frames.slice(0, i + 1);
      this.#to = this.lastIn;
      return frames.slice(i + 1);
    }
  }
  send(frames: Uint8Array[]): boolean {
    const envelope = this.#envelope;
    if (envelope === undefined) throw new ZmqError("EFSM", "Cannot send on REP: receive a request first");
    const to = this.#to!;
    this.#envelope = this.#to = undefined;
    if (!to.ended && to.canWrite) to.write([...envelope, ...frames]); // a requester gone: the reply is dropped
    return true;
  }
}

/**
 * A REQ socket (zeromq.js's `Request`): send a request, then receive its
 * reply, in strict turn.
 *
 * @example Hello, world
 * ```ts
 * import { Reply, Request } from "@evy/evy/green/zmq";
 * import { spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * await using rep = new Reply();
 * await rep.bind("tcp://127.0.0.1:*");
 * const server = spawn(async () => {
 *   const [name] = await rep.receive();
 *   await rep.send(`Hello, ${name}`);
 * });
 * await using req = new Request();
 * req.connect(rep.lastEndpoint!);
 * await req.send("world");
 * assert.equal((await req.receive())[0]!.toString(), "Hello, world");
 * await server.wait();
 * ```
 */
export class Request extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new RequestPattern());
  }
}

/**
 * A REP socket (zeromq.js's `Reply`): receive a request, then send its
 * reply, in strict turn; the reply finds its way back through any ROUTER/DEALER
 * proxies by the envelope the request came with.
 *
 * @example An echo service
 * ```ts
 * import { Reply, Request } from "@evy/evy/green/zmq";
 * import { spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * await using rep = new Reply();
 * await rep.bind("tcp://127.0.0.1:*");
 * const echo = spawn(async () => {
 *   for (let i = 0; i < 2; i++) await rep.send(await rep.receive());
 * });
 * await using req = new Request();
 * req.connect(rep.lastEndpoint!);
 * for (const word of ["a", "b"]) {
 *   await req.send(word);
 *   assert.equal((await req.receive())[0]!.toString(), word);
 * }
 * await echo.wait();
 * ```
 */
export class Reply extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new ReplyPattern());
  }
}
