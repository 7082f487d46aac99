/**
 * The asynchronous request-reply ends (RFC 28): a {@linkcode Dealer} sends
 * round-robin and receives fair-queued, with no envelope and no lock-step; a
 * {@linkcode Router} prefixes each message it receives with the routing id of
 * the peer it came from, and sends each message to the peer its first frame
 * names. A peer's routing id is the `routingId` it set, else one the router
 * makes up (5 bytes, the first zero, as libzmq does).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Pipe } from "./_pipe.ts";
import { Pattern } from "./_pattern.ts";
import { Socket, type SocketOptions } from "./socket.ts";
import { ZmqError } from "./zmq_error.ts";

class DealerPattern extends Pattern {
  readonly zmtpType = "DEALER";
  readonly peers: ReadonlySet<string> = new Set(["REP", "DEALER", "ROUTER"]);
  send(frames: Uint8Array[]): boolean {
    return this.roundRobin(frames) !== undefined;
  }
  recv(): Uint8Array[] | undefined {
    return this.fairRecv();
  }
}

function keyOf(id: Uint8Array): string {
  let key = "";
  for (let i = 0; i < id.length; i++) key += String.fromCharCode(id[i]!);
  return key;
}

class RouterPattern extends Pattern {
  readonly zmtpType = "ROUTER";
  readonly peers: ReadonlySet<string> = new Set(["REQ", "DEALER", "ROUTER"]);
  mandatory = false;
  #byId = new Map<string, Pipe>();
  #nextId = (Math.random() * 0x7fffffff) >>> 0;
  override connected(pipe: Pipe, identity: Uint8Array): void {
    this.#forget(pipe);
    let id: Uint8Array = identity;
    if (id.length === 0 || this.#byId.has(keyOf(id))) {
      id = Buffer.alloc(5);
      new DataView(id.buffer, id.byteOffset, 5).setUint32(1, this.#nextId++ >>> 0);
    }
    pipe.routingId = Buffer.from(id);
    this.#byId.set(keyOf(id), pipe);
  }
  override detach(pipe: Pipe): void {
    this.#forget(pipe);
    super.detach(pipe);
  }
  #forget(pipe: Pipe): void {
    const key = keyOf(pipe.routingId);
    if (this.#byId.get(key) === pipe) this.#byId.delete(key);
  }
  send(frames: Uint8Array[]): boolean {
    if (frames.length < 2) {
      throw new TypeError("Router.send: message must be [routingId, ...frames]");
    }
    const pipe = this.#byId.get(keyOf(frames[0]!));
    if (pipe === undefined || !pipe.live) {
      if (this.mandatory) throw new ZmqError("EHOSTUNREACH", "Cannot send on ROUTER: no peer has that routing id");
      return true; // unroutable: dropped, as libzmq does
    }
    if (!pipe.canWrite) return !this.mandatory; // full: dropped, or (mandatory) wait
    pipe.write(frames.slice(1));
    return true;
  }
  recv(): Uint8Array[] | undefined {
    const frames = this.fairRecv();
    return frames === undefined ? undefined : [this.lastIn!.routingId, ...frames];
  }
}

/**
 * A DEALER socket (zeromq.js's `Dealer`): round-robin out (waiting while no
 * peer has room), fair-queued in, any number of messages each way.
 *
 * @example A dealer talking to a router
 * ```ts
 * import { Dealer, Router } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using router = new Router();
 * await router.bind("tcp://127.0.0.1:*");
 * await using dealer = new Dealer({ routingId: "d1" });
 * dealer.connect(router.lastEndpoint!);
 * await dealer.send("hi");
 * const [id, msg] = await router.receive();
 * assert.equal(id!.toString(), "d1");
 * await router.send([id!, `re: ${msg}`]);
 * assert.equal((await dealer.receive())[0]!.toString(), "re: hi");
 * ```
 */
export class Dealer extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new DealerPattern());
  }
}

/** Options of a {@linkcode Router}. */
export interface RouterOptions extends SocketOptions {
  /** Reject (`EHOSTUNREACH`) a message for an unknown peer, and wait on a full one, instead of dropping it. @default false */
  mandatory?: boolean;
}

/**
 * A ROUTER socket (zeromq.js's `Router`): each message received starts with
 * the sender's routing id; each message sent starts with the routing id of
 * the peer it goes to (unknown or full peers: dropped, unless `mandatory`).
 *
 * @example Replying to whoever asked
 * ```ts
 * import { Request, Router } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using router = new Router();
 * await router.bind("tcp://127.0.0.1:*");
 * await using req = new Request();
 * req.connect(router.lastEndpoint!);
 * await req.send("ping");
 * const [id, delimiter, body] = await router.receive();
 * assert.equal(delimiter!.length, 0);
 * await router.send([id!, "", `${body}-pong`]);
 * assert.equal((await req.receive())[0]!.toString(), "ping-pong");
 * ```
 */
export class Router extends Socket {
  #pattern: RouterPattern;

  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   * @throws {TypeError} When `mandatory` is not a boolean.
   */
  constructor(options?: RouterOptions) {
    const pattern = new RouterPattern();
    super(options, pattern);
    this.#pattern = pattern;
    if (options?.mandatory !== undefined) this.mandatory = options.mandatory;
  }

  /** {@inheritDoc RouterOptions.mandatory} */
  get mandatory(): boolean {
    return this.#pattern.mandatory;
  }
  set mandatory(value: boolean) {
    if (typeof value !== "boolean") throw new TypeError("Router: mandatory must be a boolean");
    this.#pattern.mandatory = value;
  }
}
