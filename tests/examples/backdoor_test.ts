import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";
import { BackdoorClient } from "../tools/_backdoor_client.ts";

Deno.test("examples/backdoor.ts: the backdoor reads the live request counter and changes a setting the service picks up", async () => {
  await using example = await startExample("backdoor.ts", ["0", "0"], /serving on http:\/\/localhost:(\d+)\//);
  const backdoorPort = Number(/(\d+)$/.exec(await example.waitFor(/^backdoor on localhost:\d+$/))![1]);
  const get = async () => await (await fetch(`http://127.0.0.1:${example.port}/`)).text();
  assert.equal(await get(), "Hello, visitor #1\n");
  assert.equal(await get(), "Hello, visitor #2\n");

  const client = await BackdoorClient.open({ transport: "tcp", hostname: "127.0.0.1", port: backdoorPort });
  try {
    assert.match(await client.until(), /^evy backdoor/);
    assert.equal(await client.eval("app.requests"), "2");
    assert.equal(await client.eval('app.greeting = "Howdy"'), "'Howdy'");
    assert.equal(await get(), "Howdy, visitor #3\n");
    assert.equal(await client.eval("app"), "{ requests: 3, greeting: 'Howdy' }");
  } finally {
    client.close();
  }
});
