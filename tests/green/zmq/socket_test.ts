/** evy's ZeroMQ sockets against each other: each type's semantics, options, and cancellation. */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import process from "node:process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep, spawn, Timeout } from "@evy/evy";
import * as zmq from "@evy/evy/green/zmq";
import { getHub } from "@evy/evy/hubs";

const text = (frames: Uint8Array[]) => frames.map((f) => Buffer.from(f).toString());
const isCode = (code: string) => (e: unknown) => e instanceof zmq.ZmqError && e.code === code;

/** Resolves on the socket's next event of `type`. */
function next(sock: zmq.Socket, type: string): Promise<zmq.SocketEvent> {
  return new Promise((resolve) => {
    const off = sock.on(type, (e) => {
      off();
      resolve(e);
    });
  });
}

/** An endpoint nobody listens on (a port bound, then freed). */
async function deadEndpoint(): Promise<string> {
  const probe = new zmq.Pull();
  await probe.bind("tcp://127.0.0.1:*");
  const ep = probe.lastEndpoint!;
  await probe[Symbol.asyncDispose]();
  return ep;
}

Deno.test("Request.send() rejects with EFSM until the reply came, and Reply.receive() until it replied", async () => {
  await using rep = new zmq.Reply();
  await rep.bind("tcp://127.0.0.1:*");
  await using req = new zmq.Request();
  req.connect(rep.lastEndpoint!);
  await assert.rejects(req.receive(), isCode("EFSM"));
  await assert.rejects(rep.send("x"), isCode("EFSM"));
  await req.send(["two", "frames"]);
  await assert.rejects(req.send("again"), isCode("EFSM"));
  assert.deepEqual(text(await rep.receive()), ["two", "frames"]);
  await assert.rejects(rep.receive(), isCode("EFSM"));
  await rep.send("reply");
  assert.deepEqual(text(await req.receive()), ["reply"]);
  await req.send("next"); // back in step
  assert.deepEqual(text(await rep.receive()), ["next"]);
});

Deno.test("Router.receive() prefixes the peer's routingId, or a made-up 5-byte one, and Router.send() routes by it", async () => {
  await using router = new zmq.Router();
  await router.bind("tcp://127.0.0.1:*");
  await using named = new zmq.Dealer({ routingId: "named" });
  await using anonymous = new zmq.Dealer();
  named.connect(router.lastEndpoint!);
  anonymous.connect(router.lastEndpoint!);
  await named.send("from named");
  await anonymous.send("from anonymous");
  const ids = new Map<string, Buffer>();
  for (let i = 0; i < 2; i++) {
    const [id, body] = await router.receive();
    ids.set(body!.toString(), id!);
  }
  assert.equal(ids.get("from named")!.toString(), "named");
  const made = ids.get("from anonymous")!;
  assert.equal(made.length, 5);
  assert.equal(made[0], 0);
  await router.send([made, "to anonymous"]);
  await router.send(["named", "to named"]);
  await router.send(["nobody", "dropped"]); // unroutable: dropped
  assert.deepEqual(text(await anonymous.receive()), ["to anonymous"]);
  assert.deepEqual(text(await named.receive()), ["to named"]);
  router.mandatory = true;
  await assert.rejects(router.send(["nobody", "x"]), isCode("EHOSTUNREACH"));
});

Deno.test("Push round-robins between its Pulls and a Pull fair-queues its Pushes", async () => {
  await using a = new zmq.Pull();
  await using b = new zmq.Pull();
  await a.bind("tcp://127.0.0.1:*");
  await b.bind("tcp://127.0.0.1:*");
  await using push = new zmq.Push();
  const up = [next(push, "handshake"), next(push, "handshake")];
  push.connect(a.lastEndpoint!);
  push.connect(b.lastEndpoint!);
  await Promise.all(up);
  for (let i = 0; i < 6; i++) await push.send(String(i));
  const got = [
    await a.receive(),
    await a.receive(),
    await a.receive(),
    await b.receive(),
    await b.receive(),
    await b.receive(),
  ];
  assert.deepEqual(got.map((m) => Number(m[0]!.toString()) % 2), [0, 0, 0, 1, 1, 1]);

  // Fair queue: two pushes with 3 queued each alternate at the pull.
  await using sink = new zmq.Pull();
  await sink.bind("tcp://127.0.0.1:*");
  await using p1 = new zmq.Push();
  await using p2 = new zmq.Push();
  p1.connect(sink.lastEndpoint!);
  p2.connect(sink.lastEndpoint!);
  for (let i = 0; i < 3; i++) {
    await p1.send("one");
    await p2.send("two");
  }
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) seen.push((await sink.receive())[0]!.toString());
  assert.deepEqual(seen.filter((s) => s === "one").length, 3);
  assert.deepEqual(seen.filter((s) => s === "two").length, 3);
});

Deno.test("Publisher filters by prefix and XPublisher receives each distinct subscription once", async () => {
  await using xpub = new zmq.XPublisher();
  await xpub.bind("tcp://127.0.0.1:*");
  await using s1 = new zmq.Subscriber();
  await using s2 = new zmq.Subscriber();
  s1.connect(xpub.lastEndpoint!);
  s2.connect(xpub.lastEndpoint!);
  s1.subscribe("weather.");
  s2.subscribe("weather.", "sport.");
  const subs = new Set<string>();
  while (subs.size < 2) {
    const [m] = await xpub.receive();
    assert.equal(m![0], 1);
    subs.add(m!.subarray(1).toString());
  }
  assert.deepEqual([...subs].sort(), ["sport.", "weather."]);
  // Both subscriptions of s2 are known now, and s1's "weather." (subscriptions arrive in order per peer).
  await xpub.send(["weather.today", "sun"]);
  await xpub.send(["sport.today", "0:0"]);
  await xpub.send(["news", "unseen"]);
  await xpub.send(["weather.tomorrow", "rain"]);
  assert.deepEqual(text(await s2.receive()), ["weather.today", "sun"]);
  assert.deepEqual(text(await s2.receive()), ["sport.today", "0:0"]);
  assert.deepEqual(text(await s2.receive()), ["weather.tomorrow", "rain"]);
  // s1's subscription may still be on its way: what it gets is only weather.
  s2.unsubscribe("sport.");
  const [cancel] = await xpub.receive();
  assert.equal(cancel![0], 0);
  assert.equal(cancel!.subarray(1).toString(), "sport.");
});

Deno.test("Push.send() queues up to sendHighWaterMark for a peer not yet reached, then blocks until sendTimeout", async () => {
  await using push = new zmq.Push({ sendHighWaterMark: 2, sendTimeout: 30, linger: 0 });
  push.connect(await deadEndpoint());
  await push.send("1");
  await push.send("2");
  await assert.rejects(push.send("3"), isCode("EAGAIN"));
});

Deno.test("Publisher.send() never blocks: a subscriber that does not read loses messages instead", async () => {
  await using pub = new zmq.Publisher({ sendHighWaterMark: 1, linger: 0 });
  await pub.bind("tcp://127.0.0.1:*");
  await using sub = new zmq.Subscriber({ receiveHighWaterMark: 1 });
  sub.subscribe();
  const up = next(pub, "handshake");
  sub.connect(pub.lastEndpoint!);
  await up;
  // Wait until the subscription arrived: XPUB-free check, a message gets through.
  sub.receiveTimeout = 20;
  for (;;) {
    await pub.send("probe");
    if (await sub.receive().then(() => true, () => false)) break;
  }
  const big = Buffer.alloc(256 * 1024);
  const count = 200; // 50 MiB: more than loopback buffers hold
  for (let i = 0; i < count; i++) await pub.send(big);
  sub.receiveTimeout = 200;
  let received = 0;
  while (await sub.receive().then(() => true, () => false)) received++;
  assert.ok(received < count, `received ${received} of ${count}`);
});

Deno.test("Pull.receive() rejects with EAGAIN after receiveTimeout, and with EBADF when closed while waiting", async () => {
  await using pull = new zmq.Pull({ receiveTimeout: 10 });
  await assert.rejects(pull.receive(), isCode("EAGAIN"));
  pull.receiveTimeout = -1;
  const waiting = pull.receive();
  pull.close();
  await assert.rejects(waiting, isCode("EBADF"));
  await assert.rejects(pull.receive(), isCode("EBADF"));
  await assert.rejects(pull.send("x"), isCode("EBADF"));
});

Deno.test("Pull.receive() interrupted by a Timeout or a kill loses no message", async () => {
  await using pull = new zmq.Pull();
  await pull.bind("tcp://127.0.0.1:*");
  await using push = new zmq.Push();
  push.connect(pull.lastEndpoint!);
  const t = new Timeout(10);
  await assert.rejects(pull.receive(), (e) => e === t);
  const receiver = spawn(() => pull.receive());
  const killed = receiver.wait();
  while (!receiver.started) await sleep(0); // it runs to its first wait: blocked in receive()
  await receiver.kill();
  await assert.rejects(killed, (e: Error) => e.name === "GreenletExit");
  await push.send("kept");
  assert.deepEqual(text(await pull.receive()), ["kept"]);
});

Deno.test("Push.send() blocked at the high-water mark and killed is not sent", async () => {
  const ep = await deadEndpoint();
  await using push = new zmq.Push({ sendHighWaterMark: 1, reconnectInterval: 10 });
  push.connect(ep);
  await push.send("queued");
  const sender = spawn(() => push.send("cancelled"));
  const done = sender.wait();
  while (!sender.started) await sleep(0); // it runs to its first wait: blocked in send()
  await sender.kill();
  await assert.rejects(done, (e: Error) => e.name === "GreenletExit");
  await using pull = new zmq.Pull();
  await pull.bind(ep);
  assert.deepEqual(text(await pull.receive()), ["queued"]);
  await push.send("after");
  assert.deepEqual(text(await pull.receive()), ["after"]);
});

Deno.test("Socket binds and connects many endpoints, tcp and ipc at once", async () => {
  const ipc = `ipc://${join(tmpdir(), `evy-zmq-many-${process.pid}.sock`)}`;
  await using pull = new zmq.Pull();
  await pull.bind("tcp://127.0.0.1:*");
  const tcp = pull.lastEndpoint!;
  await pull.bind(ipc);
  assert.equal(pull.lastEndpoint, ipc);
  await using a = new zmq.Push();
  await using b = new zmq.Push();
  a.connect(tcp);
  b.connect(ipc);
  await a.send("tcp");
  await b.send("ipc");
  const got = [(await pull.receive())[0]!.toString(), (await pull.receive())[0]!.toString()].sort();
  assert.deepEqual(got, ["ipc", "tcp"]);
  await pull.unbind(ipc);
  await assert.rejects(pull.unbind(ipc), isCode("EINVAL"));
});

Deno.test("Push reconnects after its peer went away, every reconnectInterval", async () => {
  let pull = new zmq.Pull();
  await pull.bind("tcp://127.0.0.1:*");
  const ep = pull.lastEndpoint!;
  await using push = new zmq.Push({ reconnectInterval: 10 });
  push.connect(ep);
  await push.send("first");
  assert.deepEqual(text(await pull.receive()), ["first"]);
  const gone = next(push, "disconnect");
  await pull[Symbol.asyncDispose]();
  await gone;
  const back = next(push, "handshake");
  pull = new zmq.Pull();
  await pull.bind(ep);
  await back;
  await push.send("second");
  assert.deepEqual(text(await pull.receive()), ["second"]);
  await pull[Symbol.asyncDispose]();
});

Deno.test("Socket close() with linger flushes what live peers have queued", async () => {
  await using pull = new zmq.Pull();
  await pull.bind("tcp://127.0.0.1:*");
  const push = new zmq.Push({ linger: 10_000, sendHighWaterMark: 0 });
  const up = next(push, "handshake");
  push.connect(pull.lastEndpoint!);
  await up;
  for (let i = 0; i < 2000; i++) await push.send(Buffer.alloc(1000, i % 256));
  await push[Symbol.asyncDispose](); // flushed before it resolves
  for (let i = 0; i < 2000; i++) assert.equal((await pull.receive())[0]![0], i % 256);
});

Deno.test("Pair refuses a second peer", async () => {
  await using a = new zmq.Pair();
  await a.bind("tcp://127.0.0.1:*");
  await using b = new zmq.Pair();
  await using c = new zmq.Pair({ reconnectInterval: 10_000 });
  const first = next(b, "handshake");
  b.connect(a.lastEndpoint!);
  await first;
  const refused = next(a, "handshake:error:protocol");
  c.connect(a.lastEndpoint!);
  assert.match(String((await refused).error), /refused another peer/);
  await b.send("still paired");
  assert.deepEqual(text(await a.receive()), ["still paired"]);
});

Deno.test("Socket methods throw TypeError or RangeError on bad arguments", async () => {
  await using push = new zmq.Push();
  assert.throws(() => push.connect("udp://127.0.0.1:1"), TypeError);
  assert.throws(() => push.connect("tcp://127.0.0.1"), TypeError);
  assert.throws(() => push.connect(42 as unknown as string), /endpoint must be a string/);
  await assert.rejects(push.bind("tcp://127.0.0.1:99999"), TypeError);
  await assert.rejects(push.send({} as unknown as string), TypeError);
  await assert.rejects(push.send([]), TypeError);
  assert.throws(() => (push.sendHighWaterMark = -1), RangeError);
  assert.throws(() => new zmq.Pull({ receiveTimeout: 1.5 }), /receiveTimeout/);
  assert.throws(() => (push.routingId = "x".repeat(256)), RangeError);
  await assert.rejects(push.receive(), isCode("ENOTSUP"));
  assert.throws(() => new zmq.Router({ mandatory: "yes" as unknown as boolean }), TypeError);
});

Deno.test("Socket close() with linger keeps trying to deliver to a peer not reached yet; linger 0 drops at once", async () => {
  const ep = await deadEndpoint();
  const push = new zmq.Push({ reconnectInterval: 10, linger: 10_000 });
  push.connect(ep);
  await push.send("sent before the peer existed");
  push.close();
  const flushed = push[Symbol.asyncDispose]();
  await using pull = new zmq.Pull();
  await pull.bind(ep);
  assert.deepEqual(text(await pull.receive()), ["sent before the peer existed"]);
  await flushed;

  const dropper = new zmq.Push({ reconnectInterval: 10, linger: 0 });
  dropper.connect(await deadEndpoint());
  await dropper.send("dropped");
  await dropper[Symbol.asyncDispose](); // resolves at once: nothing to wait for
  assert.equal(dropper.closed, true);
});

Deno.test("Push.send() blocked at the high-water mark is interrupted by a Timeout, and the message is not queued", async () => {
  const ep = await deadEndpoint();
  await using push = new zmq.Push({ sendHighWaterMark: 1, reconnectInterval: 10 });
  push.connect(ep);
  await push.send("queued");
  const t = new Timeout(20);
  await assert.rejects(push.send("timed out"), (e) => e === t);
  await using pull = new zmq.Pull();
  await pull.bind(ep);
  assert.deepEqual(text(await pull.receive()), ["queued"]);
  await push.send("after");
  assert.deepEqual(text(await pull.receive()), ["after"]);
});

Deno.test("Socket.on() listener that throws is reported and breaks nothing", async () => {
  const reports: string[] = [];
  {
    using _ = getHub().setErrorReporter((r) => reports.push(String(r.error)));
    await using pull = new zmq.Pull();
    pull.on("handshake", () => {
      throw new Error("listener bug");
    });
    await pull.bind("tcp://127.0.0.1:*");
    await using push = new zmq.Push();
    push.connect(pull.lastEndpoint!);
    await push.send("through");
    assert.deepEqual(text(await pull.receive()), ["through"]);
  }
  assert.ok(reports.some((r) => r.includes("listener bug")));
});
