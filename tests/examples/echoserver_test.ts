import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

Deno.test("examples/echoserver.ts echoes lines to a real client and logs the session", async () => {
  await using server = await startExample("echoserver.ts", ["0"], /listening on port (\d+)/);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(new TextEncoder().encode("hello\nworld\n"));
  const got: string[] = [];
  const buf = new Uint8Array(64);
  while (got.join("") !== "hello\nworld\n") {
    const n = await conn.read(buf);
    if (n === null) break;
    got.push(new TextDecoder().decode(buf.subarray(0, n)));
  }
  assert.equal(got.join(""), "hello\nworld\n");
  conn.close();
  await server.waitFor(/client disconnected/);
  assert.ok(server.lines.includes("echoed hello"));
  assert.ok(server.lines.includes("echoed world"));
});
