/** SocketFile reads interrupted half-way keep their bytes (DESIGN: no data lost on cancellation). */
import assert from "node:assert/strict";
import { sleep, spawn, Timeout } from "@evy/evy";
import { connect, type GreenSocket, listen } from "@evy/evy/green/net";

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function pair(): Promise<[GreenSocket, GreenSocket, () => void]> {
  const server = await listen({ hostname: "127.0.0.1", port: 0 }).listening();
  const accepted = spawn(() => server.accept());
  const client = await connect(server.addr);
  const peer = await accepted.wait();
  return [client, peer, () => {
    client.close();
    peer.close();
    server.close();
  }];
}

Deno.test("SocketFile.readline() killed mid-line keeps the partial line for the next readline", async () => {
  const [client, peer, close] = await pair();
  try {
    const file = client.makefile();
    await peer.sendall("par");
    const reader = spawn(() => file.readline());
    await sleep(20); // the reader usually holds "par" by now; the result is the same if not
    await reader.kill();
    await peer.sendall("tial\nnext\n");
    assert.equal(text(await file.readline()), "partial\n");
    assert.equal(text(await file.readline()), "next\n");
  } finally {
    close();
  }
});

Deno.test("SocketFile.read(n) cut short by a Timeout keeps what it read for the next read", async () => {
  const [client, peer, close] = await pair();
  try {
    const file = client.makefile();
    await peer.sendall("abc");
    const reader = spawn(async () => {
      using _t = new Timeout(20);
      return await file.read(6);
    });
    await assert.rejects(reader.wait(), Timeout);
    await peer.sendall("def");
    assert.equal(text(await file.readExactly(6)), "abcdef");
  } finally {
    close();
  }
});
