import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

Deno.test("examples/wsgi.ts says hello at / and 404 elsewhere", async () => {
  await using server = await startExample("wsgi.ts", ["0"], /serving on http:\/\/localhost:(\d+)\//);
  const base = `http://127.0.0.1:${server.port}`;
  const hello = await fetch(`${base}/`);
  assert.equal(hello.status, 200);
  assert.equal(hello.headers.get("content-type"), "text/plain");
  assert.equal(await hello.text(), "Hello, World!\r\n");
  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.equal(await missing.text(), "Not Found\r\n");
});
