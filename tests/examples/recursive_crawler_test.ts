import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/recursive_crawler.ts crawls its whole local site with a pool of 3 and does not deadlock", async () => {
  const { code, lines, stderr } = await runExample("recursive_crawler.ts");
  assert.equal(code, 0, stderr);
  const fetched = lines.filter((l) => l.startsWith("fetching ")).map((l) => l.slice("fetching ".length));
  assert.equal(fetched.length, 15);
  assert.equal(new Set(fetched).size, 15);
  const seen = lines.slice(lines.indexOf("I saw these urls:") + 1, -1);
  assert.deepEqual(new Set(seen), new Set(fetched));
  const [, hits, max] = /served (\d+) requests, up to (\d+) at once$/.exec(lines.at(-1)!) ?? [];
  assert.equal(Number(hits), 15);
  assert.ok(Number(max) <= 3, lines.at(-1));
});
