import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/webcrawler.ts fetches every page of its local site in parallel, results in order", async () => {
  const { code, lines, stderr } = await runExample("webcrawler.ts");
  assert.equal(code, 0, stderr);
  const opened = lines.filter((l) => l.startsWith("opening "));
  const got = lines.filter((l) => l.startsWith("got body from "));
  assert.equal(opened.length, 8);
  assert.equal(got.length, 8);
  // imap yields in input order: the home page first, then /page/1 .. /page/7.
  assert.deepEqual(
    got.map((l) => new URL(l.split(" ")[3]!).pathname),
    ["/", "/page/1", "/page/2", "/page/3", "/page/4", "/page/5", "/page/6", "/page/7"],
  );
  for (const l of got) assert.match(l, /of length [1-9]\d*$/);
  // In parallel: every request was opened before the first one was done.
  assert.ok(lines.indexOf(opened.at(-1)!) < lines.findIndex((l) => l.startsWith("done with ")));
  assert.match(lines.at(-1)!, /^fetched 8 urls in \d+ ms .* served up to 8 requests at once$/);
});
