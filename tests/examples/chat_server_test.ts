import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function readLine(conn: Deno.Conn): Promise<string> {
  let line = "";
  const byte = new Uint8Array(1);
  while (!line.endsWith("\n")) {
    if (await conn.read(byte) === null) break;
    line += dec.decode(byte);
  }
  return line;
}

Deno.test("examples/chat_server.ts broadcasts to the others, not the sender, and survives a departed participant", async () => {
  await using server = await startExample("chat_server.ts", ["0"], /starting up on port (\d+)/);
  const connect = () => Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const alice = await connect();
  const bob = await connect();
  const carol = await connect();
  while (server.lines.filter((l) => l === "Participant joined chat.").length < 3) {
    await new Promise((r) => setTimeout(r, 5));
  }
  carol.close(); // gone: writes to carol fail and are ignored
  await alice.write(enc.encode("hi all\n"));
  assert.equal(await readLine(bob), "hi all\n");
  await bob.write(enc.encode("hi alice\n"));
  assert.equal(await readLine(alice), "hi alice\n"); // alice never got her own line first
  await server.waitFor(/Participant left chat/);
  alice.close();
  bob.close();
  await server.waitFor(/Chat: hi alice/);
});
