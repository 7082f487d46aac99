import assert from "node:assert/strict";

Deno.test("examples/connect.ts queries several local servers at once and prints their answers in order", async () => {
  const servers = ["one", "two", "three"].map((name) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const done = (async () => {
      const conn = await listener.accept();
      await conn.read(new Uint8Array(1024)); // the request
      await conn.write(new TextEncoder().encode(`HTTP/1.0 200 OK\r\n\r\nserver ${name}`));
      conn.close();
    })();
    return { name, listener, done };
  });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../examples/connect.ts", import.meta.url).pathname,
        ...servers.map((s) => `127.0.0.1:${s.listener.addr.port}`),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const results = text.split("\n").filter((l) => l.includes("HTTP/1.0 200 OK"));
    assert.equal(results.length, 3, text);
    servers.forEach((s, i) => {
      assert.ok(results[i]!.startsWith(`127.0.0.1:${s.listener.addr.port}: `), text);
      assert.ok(results[i]!.includes(`server ${s.name}`), text);
    });
    assert.equal(text.split("\n").filter((l) => l.endsWith(" connected")).length, 3);
    await Promise.all(servers.map((s) => s.done));
  } finally {
    for (const s of servers) s.listener.close();
  }
});
