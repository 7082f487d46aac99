// evy:deno-only: the engine under test is Deno's own (web/_conn_server_deno.ts)
/**
 * Deno's engine with `websockets: false`: evy's accept loop and Deno's HTTP
 * engine per connection (`web/_conn_server_deno.ts`). The server and
 * hardening suites run on it whole (the 501 for an upgrade is in the
 * hardening suite), then what it is for: a shutdown under steady traffic loses
 * no request a client sent.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { serve } from "@evy/evy/web";
import { denoBackends, useBackends } from "../../web/_backends.ts";
import { hardeningSuite } from "./_hardening_suite.ts";
import { serverSuite } from "./_server_suite.ts";
import { NetClient } from "./_raw_net.ts";

serverSuite("deno, websockets: false", denoBackends, { websockets: false });
hardeningSuite("deno, websockets: false", async (fn) => {
  using _ = useBackends(denoBackends);
  await fn();
}, { websockets: false });

/** GET / over a new connection: the body, or the error's message ("socket hang up", ...). */
function getOnce(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve(body));
      res.on("error", (e) => resolve(`error: ${e.message}`));
    });
    req.on("error", (e) => resolve(`error: ${e.message}`));
    req.end();
  });
}

Deno.test("[deno, websockets: false] shutting one of two reusePort servers down under traffic loses no request", async () => {
  using _ = useBackends(denoBackends);
  const options = { hostname: "127.0.0.1", reusePort: true, log: false as const, websockets: false };
  await using keep = serve({ ...options, port: 0 }, () => new Response("keep"));
  await keep.ready;
  const port = keep.addr.port;
  const seen = new Map<string, number>();
  for (let round = 0; round < 8; round++) {
    const leaving = serve({ ...options, port }, () => new Response("leaving"));
    await leaving.ready;
    let stop = false;
    const clients = Array.from({ length: 6 }, async () => {
      while (!stop) {
        const answer = await getOnce(port);
        seen.set(answer, (seen.get(answer) ?? 0) + 1);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await leaving.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop = true;
    await Promise.all(clients);
  }
  const failures = [...seen].filter(([answer]) => answer !== "keep" && answer !== "leaving");
  assert.deepEqual(failures, []);
  assert.ok((seen.get("leaving") ?? 0) > 0, "the leaving servers answered some requests");
});

Deno.test("[deno, websockets: false] a connection opened before shutdown() may still send its request, and is answered", async () => {
  using _ = useBackends(denoBackends);
  const server = serve({ port: 0, hostname: "127.0.0.1", log: false, websockets: false }, () => new Response("late"));
  await server.ready;
  using client = await NetClient.connect(server.addr.port);
  await new Promise((resolve) => setTimeout(resolve, 50)); // accepted by now
  const stopping = server.shutdown();
  await new Promise((resolve) => setTimeout(resolve, 100)); // well inside FIRST_REQUEST_GRACE_MS
  await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const answer = await client.readToEnd();
  assert.match(answer, /^HTTP\/1\.1 200 /);
  assert.match(answer, /late$/);
  await stopping;
});
