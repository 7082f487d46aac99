import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/producer_consumer.ts crawls its whole local site once, never off-site, within the pool", async () => {
  const { code, lines, stderr } = await runExample("producer_consumer.ts");
  assert.equal(code, 0, stderr);
  const fetched = lines.filter((l) => l.startsWith("fetching ")).map((l) => l.slice("fetching ".length));
  assert.equal(fetched.length, 12);
  assert.equal(new Set(fetched).size, 12, "each page fetched once");
  assert.ok(fetched.every((u) => u.startsWith("http://127.0.0.1:")), "never off-site");
  const seen = lines.slice(lines.indexOf("I saw these urls:") + 1, -1);
  assert.deepEqual(new Set(seen), new Set(fetched));
  const [, hits, max] = /served (\d+) requests, up to (\d+) at once$/.exec(lines.at(-1)!) ?? [];
  assert.equal(Number(hits), 12);
  assert.ok(Number(max) <= 4, lines.at(-1));
});
