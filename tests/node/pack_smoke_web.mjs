// The packed-tarball HTTP smoke (scripts/smoke_npm_pack.ts runs it, like
// pack_smoke.mjs, with plain `node` in a project where `evy` was installed from
// the tarball, "@evy/evy" renamed to "evy"): serve on node:http with each
// request in a green thread, and fetch from it with green fetch in green
// threads. It prints "pack smoke web: ok" when every check passed.
import assert from "node:assert/strict";
import { sleep, spawn, withTimeout } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serve } from "@evy/evy/web";

const server = serve({ port: 0, hostname: "127.0.0.1", log: false }, async (req) => {
  const path = new URL(req.url).pathname;
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
} finally {
  await server.shutdown({ drainMs: 100 });
}
console.log("pack smoke web: ok");
