/**
 * The publish-subscribe pattern (RFC 29): a {@linkcode Publisher} sends each
 * message to the subscribers whose prefixes match its first frame, and drops
 * it for one whose queue is full (it never blocks); a {@linkcode Subscriber}
 * forwards its `subscribe`/`unsubscribe` prefixes to every publisher (again
 * after each reconnect). {@linkcode XPublisher} also receives subscriptions as
 * messages (`1` or `0` then the prefix; each distinct prefix once), and
 * {@linkcode XSubscriber} sends them as messages: the pair a proxy is made of.
 * Subscriptions travel in ZMTP 3.0's message form, which libzmq and ZMTP 3.1
 * peers accept; both that and 3.1's SUBSCRIBE/CANCEL commands are understood.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Pipe } from "./_pipe.ts";
import { Pattern } from "./_pattern.ts";
import { subscriptionMessage, Topics } from "./_topics.ts";
import { Socket, type SocketOptions } from "./socket.ts";

class PubPattern extends Pattern {
  readonly zmtpType: string = "PUB";
  readonly peers: ReadonlySet<string> = new Set(["SUB", "XSUB"]);
  override connected(pipe: Pipe): void {
    this.forget(pipe);
    pipe.state = new Topics(); // a new session starts with no subscriptions
  }
  override detach(pipe: Pipe): void {
    this.forget(pipe);
    super.detach(pipe);
  }
  override message(pipe: Pipe, frames: Uint8Array[]): void {
    const body = frames[0]!;
    if (frames.length === 1 && (body[0] === 0 || body[0] === 1)) {
      this.subscription(pipe, body[0] === 1, body.subarray(1));
    }
  }
  override subscription(pipe: Pipe, subscribe: boolean, topic: Uint8Array): void {
    const topics = pipe.state as Topics | undefined;
    if (topics === undefined) return;
    if (subscribe ? topics.add(topic) : topics.remove(topic)) this.changed(subscribe, topic);
  }
  /** The pipe's subscriptions go (XPUB reports the prefixes nobody has any more). */
  protected forget(_pipe: Pipe): void {}
  /** A pipe's prefix came or went. */
  protected changed(_subscribe: boolean, _topic: Uint8Array): void {}
  send(frames: Uint8Array[]): boolean {
    const first = frames[0];
    for (const pipe of this.pipes) {
      const topics = pipe.state as Topics | undefined;
      if (topics !== undefined && pipe.live && pipe.canWrite && topics.matches(first)) pipe.write(frames);
    }
    return true;
  }
  recv(): Uint8Array[] | undefined {
    throw this.notSupported("receive");
  }
}

class XPubPattern extends PubPattern {
  override readonly zmtpType = "XPUB";
  #all = new Topics();
  #inbox: Uint8Array[][] = [];
  protected override forget(pipe: Pipe): void {
    const topics = pipe.state as Topics | undefined;
    if (topics === undefined) return;
    pipe.state = undefined;
    for (const topic of topics) this.changed(false, topic);
  }
  protected override changed(subscribe: boolean, topic: Uint8Array): void {
    if (subscribe ? !this.#all.add(topic) : !this.#all.remove(topic)) return;
    this.#inbox.push(subscriptionMessage(subscribe, topic).map((b) => Buffer.from(b.buffer)));
    this.host?.wakeReceivers();
  }
  override recv(): Uint8Array[] | undefined {
    return this.#inbox.shift();
  }
}

class XSubPattern extends Pattern {
  readonly zmtpType: string = "XSUB";
  readonly peers: ReadonlySet<string> = new Set(["PUB", "XPUB"]);
  readonly topics: Topics = new Topics();
  override connected(pipe: Pipe): void {
    for (const topic of this.topics) pipe.write(subscriptionMessage(true, topic));
  }
  /** Subscribes (or not) and tells the live publishers when the prefix is new (or gone). */
  subscribe(subscribe: boolean, topic: Uint8Array): void {
    if (!(subscribe ? this.topics.add(topic) : this.topics.remove(topic))) return;
    const message = subscriptionMessage(subscribe, topic);
    for (const pipe of this.pipes) if (pipe.live) pipe.write(message);
  }
  send(frames: Uint8Array[]): boolean {
    const body = frames[0]!;
    if (frames.length === 1 && (body[0] === 0 || body[0] === 1)) this.subscribe(body[0] === 1, body.subarray(1));
    else for (const pipe of this.pipes) if (pipe.live) pipe.write(frames);
    return true;
  }
  recv(): Uint8Array[] | undefined {
    return this.fairRecv();
  }
}

class SubPattern extends XSubPattern {
  override readonly zmtpType = "SUB";
  override send(): boolean {
    throw this.notSupported("send");
  }
  override recv(): Uint8Array[] | undefined {
    for (;;) {
      const frames = this.fairRecv();
      if (frames === undefined || this.topics.matches(frames[0])) return frames;
    }
  }
}

function topicBytes(prefixes: (Uint8Array | string)[], what: string): Uint8Array[] {
  if (prefixes.length === 0) return [new Uint8Array(0)];
  return prefixes.map((p) => {
    if (typeof p === "string") return Buffer.from(p, "utf8");
    if (p instanceof Uint8Array) return p;
    throw new TypeError(`${what}: each prefix must be a string or a Uint8Array`);
  });
}

/**
 * A PUB socket (zeromq.js's `Publisher`): `send()` reaches the subscribers
 * whose prefixes match the first frame; it never waits (a full subscriber
 * queue drops the message for that subscriber), and `receive()` is `ENOTSUP`.
 *
 * @example A feed
 * ```ts
 * import { Publisher, Subscriber } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using pub = new Publisher();
 * await pub.bind("tcp://127.0.0.1:*");
 * await using sub = new Subscriber({ receiveTimeout: 20 });
 * sub.connect(pub.lastEndpoint!);
 * sub.subscribe("weather");
 * // The subscription takes a moment to reach the publisher: publish until it has.
 * let got: string | undefined;
 * while (got === undefined) {
 *   await pub.send(["sports", "0:0"]);
 *   await pub.send(["weather", "sunny"]);
 *   got = await sub.receive().then(([, v]) => v!.toString(), () => undefined);
 * }
 * assert.equal(got, "sunny");
 * ```
 */
export class Publisher extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new PubPattern());
  }
}

/**
 * A SUB socket (zeromq.js's `Subscriber`): receives what its publishers send
 * under the prefixes it subscribed to (none at first). `send()` is `ENOTSUP`.
 *
 * @example Subscribing to everything
 * ```ts
 * import { Subscriber } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using sub = new Subscriber();
 * sub.subscribe(); // every message
 * sub.unsubscribe();
 * assert.equal(sub.closed, false);
 * ```
 */
export class Subscriber extends Socket {
  #pattern: SubPattern;

  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    const pattern = new SubPattern();
    super(options, pattern);
    this.#pattern = pattern;
  }

  /**
   * Subscribes to messages whose first frame starts with one of `prefixes`
   * (strings as UTF-8); with none, to every message.
   *
   * @throws {TypeError} When a prefix is not a string or a Uint8Array.
   */
  subscribe(...prefixes: (Uint8Array | string)[]): void {
    for (const t of topicBytes(prefixes, "Subscriber.subscribe")) this.#pattern.subscribe(true, t);
  }

  /**
   * Undoes one `subscribe` of each of `prefixes` (none: of everything).
   *
   * @throws {TypeError} When a prefix is not a string or a Uint8Array.
   */
  unsubscribe(...prefixes: (Uint8Array | string)[]): void {
    for (const t of topicBytes(prefixes, "Subscriber.unsubscribe")) this.#pattern.subscribe(false, t);
  }
}

/**
 * An XPUB socket (zeromq.js's `XPublisher`): a `Publisher` whose `receive()`
 * gives the subscriptions its subscribers make, as messages of one frame: `1`
 * (subscribe) or `0` (unsubscribe), then the prefix — each distinct prefix
 * once, and its unsubscribe when the last subscriber drops it (or leaves).
 *
 * @example Seeing a subscription
 * ```ts
 * import { Subscriber, XPublisher } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using xpub = new XPublisher();
 * await xpub.bind("tcp://127.0.0.1:*");
 * await using sub = new Subscriber();
 * sub.connect(xpub.lastEndpoint!);
 * sub.subscribe("news");
 * const [msg] = await xpub.receive();
 * assert.equal(msg![0], 1);
 * assert.equal(msg!.subarray(1).toString(), "news");
 * ```
 */
export class XPublisher extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new XPubPattern());
  }
}

/**
 * An XSUB socket (zeromq.js's `XSubscriber`): receives everything its
 * publishers send to it; subscribes by sending a message of one frame, `1`
 * then the prefix (`0` unsubscribes). Other messages go to every publisher.
 *
 * @example Subscribing by message
 * ```ts
 * import { Publisher, XSubscriber } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using pub = new Publisher();
 * await pub.bind("tcp://127.0.0.1:*");
 * await using xsub = new XSubscriber({ receiveTimeout: 20 });
 * xsub.connect(pub.lastEndpoint!);
 * await xsub.send(new Uint8Array([1])); // everything
 * let got: string | undefined;
 * while (got === undefined) {
 *   await pub.send("tick");
 *   got = await xsub.receive().then(([m]) => m!.toString(), () => undefined);
 * }
 * assert.equal(got, "tick");
 * ```
 */
export class XSubscriber extends Socket {
  /**
   * Makes the socket; it binds or connects next.
   *
   * @param options The socket's options.
   */
  constructor(options?: SocketOptions) {
    super(options, new XSubPattern());
  }
}
