/**
 * evy's ZeroMQ against libzmq: every socket pairing, both directions (evy
 * binds, the peer binds), over tcp and ipc, with the shared multipart message
 * set (empty frames, 300 bytes, 3 MiB) — against pyzmq (Debian's python3-zmq)
 * and against zeromq.js (the `zeromq` npm package, under Node).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import process from "node:process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "@evy/evy";
import * as zmq from "@evy/evy/green/zmq";
import { MESSAGES, type Peer, type PeerKind, sameMessage, startPeer } from "./_peer_process.ts";

type Play = (sock: zmq.Socket, peer: Peer) => Promise<void>;

const n = MESSAGES.length;

const echo: Play = async (sock) => {
  for (let i = 0; i < n; i++) await sock.send(await sock.receive());
};

/** evy's socket type, the peer's, and what evy's side does. */
const PAIRINGS: [string, () => zmq.Socket, string, Play][] = [
  ["Request", () => new zmq.Request(), "REP", async (sock) => {
    for (const m of MESSAGES) {
      await sock.send(m);
      assert.ok(sameMessage(await sock.receive(), m));
    }
  }],
  ["Reply", () => new zmq.Reply(), "REQ", echo],
  ["Push", () => new zmq.Push(), "PULL", async (sock) => {
    for (const m of MESSAGES) await sock.send(m);
  }],
  ["Pull", () => new zmq.Pull(), "PUSH", async (sock) => {
    for (const m of MESSAGES) assert.ok(sameMessage(await sock.receive(), m));
  }],
  ["Dealer", () => new zmq.Dealer(), "ROUTER", async (sock) => {
    for (const m of MESSAGES) await sock.send(m);
    for (const m of MESSAGES) assert.ok(sameMessage(await sock.receive(), m));
  }],
  ["Router", () => new zmq.Router(), "DEALER", echo],
  ["Pair", () => new zmq.Pair(), "PAIR", async (sock) => {
    for (const m of MESSAGES) {
      await sock.send(m);
      assert.ok(sameMessage(await sock.receive(), m));
    }
  }],
  ["Subscriber", () => new zmq.Subscriber(), "PUB", async (sock, peer) => {
    (sock as zmq.Subscriber).subscribe("a");
    // The peer publishes rounds until told to stop: find one whole round, in order, and nothing unsubscribed.
    let i = 0;
    while (i < n) {
      const got = await sock.receive();
      assert.equal(got[0]![0], 0x61, "only subscribed messages arrive");
      const expect = (k: number) => [Buffer.from("a"), ...MESSAGES[k]!];
      i = sameMessage(got, expect(i)) ? i + 1 : sameMessage(got, expect(0)) ? 1 : 0;
    }
    peer.tell("stop");
  }],
  ["Publisher", () => new zmq.Publisher(), "SUB", async (sock, peer) => {
    // Slow joiner: publish whole rounds until the subscriber has seen one (it exits then).
    while (!peer.exited) {
      await sock.send(["b", "not subscribed"]);
      for (const m of MESSAGES) await sock.send([Buffer.from("a"), ...m]);
      await sleep(20);
    }
  }],
];

let ipcCount = 0;
function ipcEndpoint(): string {
  return `ipc://${join(tmpdir(), `evy-zmq-${process.pid}-${ipcCount++}.sock`)}`;
}

async function run(
  kind: PeerKind,
  evyType: () => zmq.Socket,
  peerType: string,
  play: Play,
  transport: string,
  evyBinds: boolean,
) {
  await using sock = evyType();
  sock.linger = 5000;
  let peer: Peer;
  if (evyBinds) {
    await sock.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : ipcEndpoint());
    peer = startPeer(kind, peerType, "connect", sock.lastEndpoint!);
    await peer.endpoint;
  } else {
    peer = startPeer(kind, peerType, "bind", transport === "tcp" ? "tcp://127.0.0.1:*" : ipcEndpoint());
    const endpoint = await peer.endpoint;
    assert.notEqual(endpoint, "", "the peer started");
    sock.connect(endpoint);
  }
  try {
    // A peer that fails ends the test at once instead of leaving evy's side waiting.
    const failed = peer.exit.then(({ code, stderr }) =>
      code === 0 ? new Promise<never>(() => {}) : Promise.reject(new Error(`the peer failed (${code}): ${stderr}`))
    );
    await Promise.race([play(sock, peer), failed]);
    const { code, stdout, stderr } = await peer.exit;
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\nok\n$/);
  } finally {
    if (!peer.exited) peer.kill();
    await peer.exit;
  }
}

for (const kind of ["pyzmq", "zeromq.js"] as const) {
  for (const [name, make, peerType, play] of PAIRINGS) {
    for (const transport of ["tcp", "ipc"]) {
      for (const evyBinds of [true, false]) {
        const how = evyBinds ? `evy binds, ${kind} connects` : `${kind} binds, evy connects`;
        Deno.test(`${name} talks to ${kind}'s ${peerType} over ${transport} (${how})`, async () => {
          await run(kind, make, peerType, play, transport, evyBinds);
        });
      }
    }
  }
}
