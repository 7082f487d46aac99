import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

Deno.test("examples/forwarder.ts forwards both ways to a local target and calls back on close", async () => {
  // The target: a plain Deno echo server that closes after the client half-closes.
  const target = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const targetDone = (async () => {
    const conn = await target.accept();
    const buf = new Uint8Array(1024);
    for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) await conn.write(buf.subarray(0, n));
    conn.close();
  })();
  try {
    await using fwd = await startExample(
      "forwarder.ts",
      ["0", `127.0.0.1:${target.addr.port}`],
      /forwarding port (\d+)/,
    );
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: fwd.port });
    await conn.write(new TextEncoder().encode("through the forwarder"));
    await conn.closeWrite();
    let got = "";
    const buf = new Uint8Array(64);
    for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
      got += new TextDecoder().decode(buf.subarray(0, n));
    }
    assert.equal(got, "through the forwarder");
    conn.close();
    await targetDone;
    await fwd.waitFor(/called back/);
  } finally {
    target.close();
  }
});
