/**
 * Peers that break ZMTP, written byte by byte on a raw green socket: each is
 * disconnected, the ZeroMQ socket keeps serving its other peers, and nothing
 * leaks (the sanitizers are on).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { connect, type GreenSocket } from "@evy/evy/green/net";
import * as zmq from "@evy/evy/green/zmq";

function greeting(mechanism = "NULL", major = 3): Uint8Array {
  const g = new Uint8Array(64);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = major;
  g[11] = 1;
  g.set(Buffer.from(mechanism), 12);
  return g;
}

function ready(type: string): Uint8Array {
  const name = Buffer.from("Socket-Type");
  const body = Buffer.concat([
    Buffer.from([5]),
    Buffer.from("READY"),
    Buffer.from([name.length]),
    name,
    Buffer.alloc(4),
    Buffer.from(type),
  ]);
  body.writeUInt32BE(type.length, 7 + name.length);
  return Buffer.concat([Buffer.from([4, body.length]), body]);
}

function hostPort(endpoint: string): [string, number] {
  const m = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint)!;
  return [m[1]!, Number(m[2])];
}

/** Reads until the peer closes; resolves with everything it sent. */
async function drain(sock: GreenSocket): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (let c = await sock.recv(); c.length > 0; c = await sock.recv().catch(() => new Uint8Array(0))) parts.push(c);
  return Buffer.concat(parts);
}

/** A PULL with a healthy evy PUSH peer, to show it keeps serving. */
async function pullWithHealthyPeer(options?: zmq.SocketOptions) {
  const pull = new zmq.Pull(options);
  await pull.bind("tcp://127.0.0.1:*");
  const push = new zmq.Push();
  push.connect(pull.lastEndpoint!);
  await push.send("before");
  assert.equal((await pull.receive())[0]!.toString(), "before");
  const errors: zmq.SocketEvent[] = [];
  pull.on("*", (e) => {
    if (e.error !== undefined) errors.push(e);
  });
  return {
    pull,
    errors,
    async stillServes() {
      await push.send("after");
      assert.equal((await pull.receive())[0]!.toString(), "after");
    },
    async [Symbol.asyncDispose]() {
      await push[Symbol.asyncDispose]();
      await pull[Symbol.asyncDispose]();
    },
  };
}

Deno.test("Pull disconnects a peer that sends garbage instead of a greeting", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const got = await drain(raw);
  assert.equal(got[0], 0xff, "it saw our greeting first");
  assert.ok(got.length <= 64);
  assert.match(String(s.errors[0]?.error), /greeting signature/);
  await s.stillServes();
});

Deno.test("Pull refuses a ZMTP 2 peer", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall(greeting("NULL", 1));
  await drain(raw);
  assert.match(String(s.errors[0]?.error), /ZMTP 1\.x/);
  await s.stillServes();
});

Deno.test("Pull answers a PLAIN peer with an ERROR command and closes, with a clear error on its side", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall(greeting("PLAIN"));
  const got = await drain(raw);
  const command = got.subarray(64);
  assert.equal(command[0], 4, "a command frame");
  assert.equal(command.subarray(3, 8).toString(), "ERROR");
  assert.match(command.toString(), /NULL mechanism only/);
  assert.equal(s.errors[0]?.type, "handshake:error:protocol");
  assert.match(String(s.errors[0]?.error), /asked for PLAIN/);
  await s.stillServes();
});

Deno.test("Pull refuses a peer of an incompatible socket type", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall(Buffer.concat([greeting(), ready("PUB")]));
  await drain(raw);
  assert.match(String(s.errors[0]?.error), /does not talk to PUB/);
  await s.stillServes();
});

Deno.test("Pull disconnects a peer whose message exceeds maxMessageSize", async () => {
  await using s = await pullWithHealthyPeer({ maxMessageSize: 1000 });
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  const header = Buffer.alloc(9);
  header[0] = 2; // LONG
  header.writeUInt32BE(2000, 5);
  await raw.sendall(Buffer.concat([greeting(), ready("PUSH"), header]));
  await drain(raw);
  assert.equal(s.errors[0]?.type, "error");
  assert.ok(s.errors[0]?.error instanceof zmq.ZmqError && s.errors[0].error.code === "EMSGSIZE");
  await s.stillServes();
});

Deno.test("Pull disconnects a peer announcing a frame beyond 2^53 bytes", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall(Buffer.concat([greeting(), ready("PUSH"), Buffer.from([2, 0xff, 0, 0, 0, 0, 0, 0, 1])]));
  await drain(raw);
  assert.match(String(s.errors[0]?.error), /beyond 2\^53/);
  await s.stillServes();
});

Deno.test("Pull disconnects a peer sending a malformed flags byte", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall(Buffer.concat([greeting(), ready("PUSH"), Buffer.from([0x80, 1, 0x41])]));
  await drain(raw);
  assert.match(String(s.errors[0]?.error), /malformed frame/);
  await s.stillServes();
});

Deno.test("Pull drops the half message of a peer that vanishes mid-message", async () => {
  await using s = await pullWithHealthyPeer();
  const disconnected = new Promise<void>((resolve) => {
    const off = s.pull.on("disconnect", () => {
      off();
      resolve();
    });
  });
  const raw = await connect(hostPort(s.pull.lastEndpoint!));
  // One whole message, then a first frame with MORE and half of a second frame.
  await raw.sendall(Buffer.concat([greeting(), ready("PUSH"), Buffer.from([0, 5]), Buffer.from("whole")]));
  await raw.sendall(Buffer.concat([Buffer.from([1, 3]), Buffer.from("one"), Buffer.from([0, 100]), Buffer.alloc(10)]));
  await raw.shutdown("write"); // gone: end of stream mid-message
  await drain(raw);
  raw.close();
  await disconnected;
  assert.equal((await s.pull.receive())[0]!.toString(), "whole");
  await s.stillServes(); // the next message is the healthy peer's: the half one is gone
});

Deno.test("Pull disconnects a peer that never finishes its greeting, after handshakeInterval", async () => {
  await using s = await pullWithHealthyPeer({ handshakeInterval: 50 });
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  await raw.sendall(greeting().subarray(0, 20));
  await drain(raw);
  assert.equal(s.errors[0]?.type, "handshake:error:other");
  await s.stillServes();
});

Deno.test("Pull answers a ZMTP 3.1 PING with a PONG echoing its context", async () => {
  await using s = await pullWithHealthyPeer();
  await using raw = await connect(hostPort(s.pull.lastEndpoint!));
  const ping = Buffer.concat([Buffer.from([4]), Buffer.from("PING"), Buffer.from([0, 10]), Buffer.from("ctx")]);
  await raw.sendall(Buffer.concat([greeting(), ready("PUSH"), Buffer.from([4, ping.length]), ping]));
  let got = Buffer.alloc(0);
  while (!got.includes("PONG")) got = Buffer.concat([got, await raw.recv()]);
  const at = got.indexOf("PONG");
  assert.equal(got[at - 1], 4, "the command's name length");
  assert.equal(got.subarray(at + 4, at + 7).toString(), "ctx");
  assert.deepEqual(s.errors, []);
  await s.stillServes();
});

Deno.test("Publisher takes ZMTP 3.1 SUBSCRIBE commands as well as 3.0 subscription messages", async () => {
  await using pub = new zmq.Publisher();
  await pub.bind("tcp://127.0.0.1:*");
  await using raw = await connect(hostPort(pub.lastEndpoint!));
  const subscribe = Buffer.concat([Buffer.from([9]), Buffer.from("SUBSCRIBE"), Buffer.from("t")]);
  await raw.sendall(Buffer.concat([greeting(), ready("SUB"), Buffer.from([4, subscribe.length]), subscribe]));
  raw.setTimeout(20); // until the subscription arrives nothing comes: publish again (the slow joiner)
  let got = Buffer.alloc(0);
  while (!got.includes("topic-1")) {
    await pub.send(["other", "x"]);
    await pub.send(["topic-1", "y"]);
    got = Buffer.concat([got, await raw.recv().catch(() => new Uint8Array(0))]);
  }
  assert.ok(!got.includes("other"), "unsubscribed topics are filtered at the publisher");
});
