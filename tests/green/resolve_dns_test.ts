/**
 * `resolveDns` on both backends, against a real DNS server on 127.0.0.1: a
 * small UDP responder (node:dgram) that answers A and TXT questions, and stays
 * silent for names under `slow.` so a Timeout has something to interrupt.
 */
import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import { createNet } from "../../green/_net_api.ts";
import type { NetBackend } from "../../green/_net_backend.ts";
import { denoNet } from "../../green/_net_deno.ts";
import { nodeNet } from "../../green/_net_node.ts";

const A = 1;
const TXT = 16;

/** Reads the question of a DNS query: its name and type, and where the question ends. */
function question(msg: Uint8Array): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (msg[i]! !== 0) {
    const len = msg[i]!;
    labels.push(new TextDecoder().decode(msg.subarray(i + 1, i + 1 + len)));
    i += len + 1;
  }
  const type = (msg[i + 1]! << 8) | msg[i + 2]!;
  return { name: labels.join("."), type, end: i + 5 };
}

/** A one-answer response: the query's header and question, then the record. */
function answer(query: Uint8Array, end: number, type: number, rdata: Uint8Array): Uint8Array {
  const head = query.slice(0, end);
  head[2] = 0x81; // response, recursion desired
  head[3] = 0x80; // recursion available, no error
  head[6] = 0;
  head[7] = 1; // one answer
  head[8] =
    head[9] =
    head[10] =
    head[11] =
      0;
  const record = new Uint8Array(12 + rdata.length);
  record.set([0xc0, 12, type >> 8, type & 0xff, 0, 1, 0, 0, 0, 60, rdata.length >> 8, rdata.length & 0xff]);
  record.set(rdata, 12);
  const out = new Uint8Array(head.length + record.length);
  out.set(head);
  out.set(record, head.length);
  return out;
}

async function dnsServer(): Promise<{ port: number; queries: string[] } & AsyncDisposable> {
  const socket: Socket = createSocket("udp4");
  const queries: string[] = [];
  socket.on("message", (msg, peer) => {
    const q = question(msg);
    queries.push(`${q.name} ${q.type}`);
    if (q.name.startsWith("slow.")) return; // never answers
    const rdata = q.type === A
      ? new Uint8Array([127, 0, 0, 42])
      : q.type === TXT
      ? new Uint8Array([5, ...new TextEncoder().encode("hello")])
      : undefined;
    if (rdata !== undefined) socket.send(answer(msg, q.end, q.type, rdata), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    queries,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function dnsSuite(name: string, backend: NetBackend): void {
  const net = createNet(backend);

  Deno.test(`resolveDns (${name}): A and TXT records from a local server`, async () => {
    await using server = await dnsServer();
    const nameServer = { ipAddr: "127.0.0.1", port: server.port };
    assert.deepEqual(await net.resolveDns("www.evy.test", "A", { nameServer }), ["127.0.0.42"]);
    assert.deepEqual(await net.resolveDns("www.evy.test", "TXT", { nameServer }), [["hello"]]);
    assert.deepEqual(server.queries, ["www.evy.test 1", "www.evy.test 16"]);
  });

  Deno.test(`resolveDns (${name}): a Timeout interrupts an unanswered query, which is listed while it waits`, async () => {
    await using server = await dnsServer();
    const nameServer = { ipAddr: "127.0.0.1", port: server.port };
    const gt = spawn(async () => {
      using t = new Timeout(100);
      try {
        await net.resolveDns("slow.evy.test", "A", { nameServer });
      } catch (e) {
        return e === t;
      }
    });
    gt.name = "resolver";
    const list = (): string[] => getHub().listWaits().map((w) => `${w.threadName}: ${w.description}`);
    // The resolver's first call loads its backend: poll (bounded) rather than guess how long that takes.
    for (let i = 0; i < 1000 && !list().includes("resolver: resolveDns(slow.evy.test A)"); i++) await sleep(2);
    const listed = list();
    assert.ok(listed.includes("resolver: resolveDns(slow.evy.test A)"), listed.join("\n"));
    assert.equal(await gt.wait(), true);
  });

  Deno.test(`resolveDns (${name}): bad arguments are TypeErrors naming them`, () => {
    assert.throws(() => net.resolveDns(42 as never, "A"), /query must be a string/);
    assert.throws(() => net.resolveDns("x", 1 as never), /recordType must be a string/);
  });
}

dnsSuite("deno", denoNet);
dnsSuite("node", nodeNet);
