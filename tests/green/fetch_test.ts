import assert from "node:assert/strict";
import { GreenletExit, sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import { fetch } from "@evy/evy/green/fetch";

/** A server whose /slow-head delays its headers and /slow-body streams a chunk, then stalls until released. */
function slowServer() {
  const releases: (() => void)[] = [];
  const stalled = () => new Promise<void>((resolve) => releases.push(resolve));
  const ac = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {}, signal: ac.signal }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/slow-head") {
      await stalled();
      return new Response("late");
    }
    if (path === "/slow-body") {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (!sent) {
            sent = true;
            c.enqueue(new TextEncoder().encode("first "));
            return;
          }
          await stalled();
          c.enqueue(new TextEncoder().encode("rest"));
          c.close();
        },
      });
      return new Response(body);
    }
    return new Response(`hello ${req.method}`);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    async [Symbol.asyncDispose]() {
      for (const r of releases) r();
      ac.abort();
      await server.finished;
    },
  };
}

Deno.test("green fetch returns the runtime's Response with its body", async () => {
  await using srv = slowServer();
  const res = await fetch(`${srv.url}/`, { method: "POST", body: "x" });
  assert.ok(res instanceof Response);
  assert.equal(res.status, 200);
  assert.equal(res.url, `${srv.url}/`);
  assert.equal(await res.text(), "hello POST");
  assert.equal(res.bodyUsed, true);
  const viaBody = await fetch(new Request(`${srv.url}/`));
  const chunks: string[] = [];
  for await (const chunk of viaBody.body!) chunks.push(new TextDecoder().decode(chunk));
  assert.equal(chunks.join(""), "hello GET");
});

Deno.test("green fetch: a Timeout aborts a request whose headers are slow, and the wait is listed", async () => {
  await using srv = slowServer();
  let listed = false;
  const gt = spawn(async () => {
    using t = new Timeout(50);
    try {
      await fetch(`${srv.url}/slow-head`);
    } catch (e) {
      return e === t;
    }
  });
  while (!listed) {
    await sleep(1);
    listed = getHub().listWaits().some((w) => w.description === `fetch(GET ${srv.url}/slow-head)`);
  }
  assert.equal(await gt.wait(), true);
});

Deno.test("green fetch: kill interrupts a slow response body in text() and via body reads", async () => {
  await using srv = slowServer();
  for (const how of ["text", "body"] as const) {
    let gotHeaders = false;
    const gt = spawn(async () => {
      const res = await fetch(`${srv.url}/slow-body`);
      gotHeaders = true;
      if (how === "text") return await res.text();
      const reader = res.body!.getReader();
      for (;;) if ((await reader.read()).done) return "done";
    });
    while (!gotHeaders) await sleep(1);
    await sleep(10);
    const desc = how === "text" ? "fetch body text(" : "fetch body read(";
    assert.ok(getHub().listWaits().some((w) => w.description.startsWith(desc)), `listed: ${how}`);
    await gt.kill();
    await assert.rejects(gt.wait(), GreenletExit);
  }
});

Deno.test("green fetch honours init.signal alongside the thread's", async () => {
  await using srv = slowServer();
  const ac = new AbortController();
  const pending = fetch(`${srv.url}/slow-head`, { signal: ac.signal });
  await sleep(5);
  ac.abort(new Error("caller gave up"));
  await assert.rejects(pending, /caller gave up/);
});

Deno.test("green fetch calls the runtime's fetch even when the global is replaced by it", async () => {
  await using srv = slowServer();
  const saved = globalThis.fetch;
  globalThis.fetch = fetch; // what monkeyPatch does, minus the originals table: must not loop
  try {
    const { saved: table } = await import("../../green/_originals.ts");
    table.set("fetch", saved);
    try {
      assert.equal(await (await globalThis.fetch(`${srv.url}/`)).text(), "hello GET");
    } finally {
      table.delete("fetch");
    }
  } finally {
    globalThis.fetch = saved;
  }
});
