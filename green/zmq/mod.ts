/**
 * ZeroMQ with no native library: ZMTP 3.1 (RFC 23) written in TypeScript on
 * evy's green sockets, with zeromq.js v6's API, so it runs wherever evy runs
 * — Deno, where the `zeromq` npm package crashes, and Node — and every wait
 * in it is a green wait that kill and `Timeout` interrupt. It talks to libzmq
 * (pyzmq, zeromq.js, CZMQ, ...) over `tcp://` and `ipc://`, with the NULL
 * mechanism (a PLAIN or CURVE peer is refused with a clear error).
 *
 * The socket types, each with libzmq's semantics: {@linkcode Push} /
 * {@linkcode Pull}, {@linkcode Publisher} / {@linkcode Subscriber},
 * {@linkcode XPublisher} / {@linkcode XSubscriber}, {@linkcode Request} /
 * {@linkcode Reply}, {@linkcode Dealer} / {@linkcode Router}, {@linkcode Pair}.
 * What they share is {@linkcode Socket}; errors are {@linkcode ZmqError}s
 * with libzmq's `code`.
 *
 * Differs from Eventlet's `eventlet.green.zmq`: zeromq.js's API rather than
 * pyzmq's (`await sock.receive()` gives all frames; options are properties;
 * times in ms), and no `Context` — sockets need none.
 *
 * @example Request and reply, the way zeromq.js reads
 * ```ts
 * import * as zmq from "@evy/evy/green/zmq";
 * import { spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * await using rep = new zmq.Reply();
 * await rep.bind("tcp://127.0.0.1:*");
 * const server = spawn(async () => {
 *   for await (const [msg] of rep) await rep.send(`${msg} world`);
 * });
 * await using req = new zmq.Request();
 * req.connect(rep.lastEndpoint!);
 * await req.send("hello");
 * const [reply] = await req.receive();
 * assert.equal(reply!.toString(), "hello world");
 * rep.close(); // ends the server's for await
 * await server.wait();
 * ```
 *
 * @module
 */
export { type MessageLike, Socket, type SocketEvent, type SocketOptions } from "./socket.ts";
export { Pull, Push } from "./pipeline.ts";
export { Publisher, Subscriber, XPublisher, XSubscriber } from "./pub_sub.ts";
export { Reply, Request } from "./req_rep.ts";
export { Dealer, Router, type RouterOptions } from "./dealer_router.ts";
export { Pair } from "./pair.ts";
export { ZmqError, type ZmqErrorCode } from "./zmq_error.ts";
