// A zeromq.js (libzmq) peer for evy's interop tests, run with Node: the same
// protocol as _pyzmq_peer.py (usage: node _zeromq_peer.mjs TYPE bind|connect ENDPOINT).
import * as zmq from "zeromq";
import { Buffer } from "node:buffer";

const BIG = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < BIG.length; i++) BIG[i] = i % 251;
const MESSAGES = [
  [Buffer.from("hello")],
  [Buffer.alloc(0), Buffer.from("after an empty frame")],
  [Buffer.from("a"), Buffer.alloc(0), Buffer.from("c")],
  [Buffer.alloc(300, "x")],
  [Buffer.from("big"), BIG],
];
const same = (a, b) => a.length === b.length && a.every((f, i) => Buffer.compare(f, b[i]) === 0);
const fail = (why) => {
  console.error(why);
  process.exit(1);
};
const CLASSES = {
  REQ: zmq.Request,
  REP: zmq.Reply,
  DEALER: zmq.Dealer,
  ROUTER: zmq.Router,
  PUSH: zmq.Push,
  PULL: zmq.Pull,
  PUB: zmq.Publisher,
  SUB: zmq.Subscriber,
  PAIR: zmq.Pair,
};

const [kind, how, endpointArg] = process.argv.slice(2);
const sock = new CLASSES[kind]({ linger: 5000 });
let endpoint = endpointArg;
if (how === "bind") {
  await sock.bind(endpoint);
  endpoint = sock.lastEndpoint;
} else sock.connect(endpoint);
console.log(endpoint);
const n = MESSAGES.length;
if (kind === "REP" || kind === "PAIR" || kind === "ROUTER") {
  // Echo copies: zeromq.js 6 sent zeros for a received 3 MiB frame echoed as is over ipc (its zero-copy buffers).
  for (let i = 0; i < n; i++) await sock.send((await sock.receive()).map((f) => Buffer.from(f)));
} else if (kind === "REQ") {
  for (const m of MESSAGES) {
    await sock.send(m);
    if (!same(await sock.receive(), m)) fail("REQ: reply differs");
  }
} else if (kind === "DEALER") {
  for (const m of MESSAGES) await sock.send(m);
  for (const m of MESSAGES) if (!same(await sock.receive(), m)) fail("DEALER: echo differs");
} else if (kind === "PUSH") {
  for (const m of MESSAGES) await sock.send(m);
} else if (kind === "PULL") {
  for (const m of MESSAGES) if (!same(await sock.receive(), m)) fail("PULL: message differs");
} else if (kind === "SUB") {
  sock.subscribe("a");
  const expected = MESSAGES.map((m) => [Buffer.from("a"), ...m]);
  let i = 0;
  while (i < n) {
    const got = await sock.receive();
    if (got[0][0] !== 0x61) fail("SUB: got a message it did not subscribe to");
    i = same(got, expected[i]) ? i + 1 : same(got, expected[0]) ? 1 : 0;
  }
} else if (kind === "PUB") {
  let stop = false;
  process.stdin.once("data", () => (stop = true));
  while (!stop) {
    await sock.send(["b", "not subscribed"]);
    for (const m of MESSAGES) await sock.send(["a", ...m]);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdin.destroy();
} else fail(`unknown type ${kind}`);
console.log("ok");
sock.close();
