import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/feedscraper.ts answers concurrent POSTs of RSS and Atom feed urls with their titles, in order", async () => {
  const { code, lines, stderr } = await runExample("feedscraper.ts");
  assert.equal(code, 0, stderr);
  assert.match(lines[0]!, /^feed scraper listening on http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.deepEqual(lines.slice(1), [
    "client 0 got: Local RSS feed 0 | Local Atom feed 1 | Local RSS feed 2",
    "client 1 got: Local Atom feed 3 | Local RSS feed 4",
    "client 2 got: Local Atom feed 5 | Local RSS feed 0 | Local Atom feed 3",
    "a GET is refused with 403",
  ]);
});
