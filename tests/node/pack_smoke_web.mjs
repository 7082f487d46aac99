// The packed-tarball HTTP smoke (scripts/smoke_npm_pack.ts runs it, like
// pack_smoke.mjs, with plain `node` in a project where `evy` was installed from
// the tarball, "@evy/evy" renamed to "evy"): serve on node:http with each
// request in a green thread, and fetch from it with green fetch in green
// threads, and echo over a websocket (the `ws` package, evy's dependency on
// Node, is the client too). It prints "pack smoke web: ok" when every check passed.
import assert from "node:assert/strict";
import WebSocket from "ws";
import { sleep, spawn, withTimeout } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serve, websocket } from "@evy/evy/web";

const echo = websocket(async (ws) => {
  for (let msg = await ws.wait(); msg !== null; msg = await ws.wait()) ws.send(msg);
});

const server = serve({ port: 0, hostname: "127.0.0.1", log: false }, async (req, info) => {
  const path = new URL(req.url).pathname;
  if (path === "/echo") return echo(req, info);
  if (path === "/slow") await sleep(60_000); // a green wait inside the request's thread
  await sleep(5);
  return new Response(`hello ${path}`);
});
try {
  await server.ready;
  const base = `http://127.0.0.1:${server.addr.port}`;

  const clients = ["/a", "/b", "/c"].map((path) =>
    spawn(async () => {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 200);
      return await res.text();
    })
  );
  assert.deepEqual(await Promise.all(clients.map((t) => t.wait())), ["hello /a", "hello /b", "hello /c"]);

  // A Timeout reaches the green fetch of a request the server is slow to answer.
  assert.equal(
    await withTimeout(50, () => fetch(`${base}/slow`).then((r) => r.text()), { timeoutValue: "gave up" }),
    "gave up",
  );

  // A websocket session runs in the request's green thread: echo text, then close.
  const client = new WebSocket(`ws://127.0.0.1:${server.addr.port}/echo`);
  await new Promise((resolve, reject) => {
    client.once("open", resolve);
    client.once("error", reject);
  });
  const reply = new Promise((resolve) => client.once("message", (data) => resolve(String(data))));
  client.send("ping");
  assert.equal(await reply, "ping");
  const closed = new Promise((resolve) => client.once("close", (code) => resolve(code)));
  client.close(1000);
  assert.equal(await closed, 1000);
} finally {
  await server.shutdown({ drainMs: 100 });
}
console.log("pack smoke web: ok");
