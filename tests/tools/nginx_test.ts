/**
 * docs/nginx.md's configuration, run for real: Debian's nginx in front of an
 * evy server over TCP and over a Unix socket, upstream keep-alive, websockets
 * through the proxy.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocketClient from "ws";
import { type Handler, serve, websocket } from "@evy/evy/web";
import { startNginx } from "./_nginx.ts";

/** GET through nginx from `localAddress`; resolves with status and body. */
function get(
  port: number,
  path: string,
  localAddress = "127.0.0.1",
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, localAddress, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const echo = websocket(async (ws) => {
  for (let m = await ws.wait(); m !== null; m = await ws.wait()) ws.send(m);
});

function app(connections: Set<number>): Handler {
  return (req, info) => {
    if (req.headers.get("upgrade") === "websocket") return echo(req, info);
    connections.add((info.remoteAddr as { port: number }).port);
    return new Response(`hello ${new URL(req.url).pathname}`);
  };
}

async function thousandRequests(port: number): Promise<void> {
  let failed = 0;
  for (let batch = 0; batch < 100; batch++) {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => get(port, `/r${batch * 10 + i}`)));
    for (const [i, r] of results.entries()) {
      if (r.status !== 200 || r.body !== `hello /r${batch * 10 + i}`) failed++;
    }
  }
  assert.equal(failed, 0);
}

async function echoThrough(port: number): Promise<void> {
  const ws = new WebSocketClient(`ws://127.0.0.1:${port}/echo`);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const reply = new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
  ws.send("through nginx");
  assert.equal(await reply, "through nginx");
  const closed = new Promise((resolve) => ws.once("close", resolve));
  ws.close();
  await closed;
}

Deno.test("nginx in front of evy over TCP: 1,000 requests with no error, over kept-alive upstream connections", async () => {
  const connections = new Set<number>();
  await using server = serve({ port: 0, hostname: "127.0.0.1", log: false, onListen: () => {} }, app(connections));
  await server.ready;
  await using nginx = await startNginx(`127.0.0.1:${server.addr.port}`);
  await thousandRequests(nginx.port);
  assert.ok(connections.size <= 40, `1,000 requests came over ${connections.size} upstream connections`);
});

Deno.test("nginx in front of evy over TCP: a websocket echo through the proxy", async () => {
  await using server = serve({ port: 0, hostname: "127.0.0.1", log: false, onListen: () => {} }, app(new Set()));
  await server.ready;
  await using nginx = await startNginx(`127.0.0.1:${server.addr.port}`);
  await echoThrough(nginx.port);
});

Deno.test("nginx in front of evy over a Unix socket: requests and a websocket echo", async () => {
  const dir = mkdtempSync(join(tmpdir(), "evy-unix-"));
  try {
    const path = join(dir, "evy.sock");
    await using server = serve({ path, log: false, onListen: () => {} }, app(new Set()));
    await server.ready;
    await using nginx = await startNginx(`unix:${path}`);
    for (let i = 0; i < 100; i++) {
      assert.deepEqual(await get(nginx.port, `/u${i}`), { status: 200, body: `hello /u${i}` });
    }
    await echoThrough(nginx.port);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("nginx in front of evy: with trustProxy the handler sees the client's address from X-Forwarded-For, without it nginx's", async () => {
  for (const trustProxy of [true, false]) {
    await using server = serve(
      { port: 0, hostname: "127.0.0.1", log: false, onListen: () => {}, trustProxy },
      (_req, info) => new Response((info.remoteAddr as { hostname: string }).hostname),
    );
    await server.ready;
    await using nginx = await startNginx(`127.0.0.1:${server.addr.port}`);
    // The client connects to nginx from 127.0.0.2 and forges a hop of its own; nginx appends the address it saw.
    const res = await get(nginx.port, "/", "127.0.0.2", { "x-forwarded-for": "203.0.113.9" });
    assert.equal(res.status, 200);
    assert.equal(res.body, trustProxy ? "127.0.0.2" : "127.0.0.1", `trustProxy: ${trustProxy}`);
  }
});
