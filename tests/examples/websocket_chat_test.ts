import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

function next(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.addEventListener("message", (e) => resolve(e.data), { once: true }));
}

Deno.test("examples/websocket_chat.ts relays each message to every participant and serves the page", async () => {
  await using server = await startExample("websocket_chat.ts", ["0"], /Visit http:\/\/localhost:(\d+)\//);
  const page = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
  assert.match(page, /\/chat`\)/);
  const alice = await open(`ws://127.0.0.1:${server.port}/chat`);
  const bob = await open(`ws://127.0.0.1:${server.port}/chat`);
  const toAlice = next(alice);
  const toBob = next(bob);
  alice.send("hi bob");
  assert.deepEqual(await Promise.all([toAlice, toBob]), ["hi bob", "hi bob"]);
  const closed = new Promise((resolve) => alice.onclose = resolve);
  alice.close();
  await closed;
  const again = next(bob);
  bob.send("alice left");
  assert.equal(await again, "alice left");
  const bobClosed = new Promise((resolve) => bob.onclose = resolve);
  bob.close();
  await bobClosed;
});
