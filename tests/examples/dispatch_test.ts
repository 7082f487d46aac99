import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/dispatch.ts answers three concurrent POSTs with titles in order, within one global pool", async () => {
  const { code, lines, stderr } = await runExample("dispatch.ts");
  assert.equal(code, 0, stderr);
  assert.match(lines[0]!, /^feed scraper listening on http:\/\/127\.0\.0\.1:\d+\/ \(global pool of 4\)$/);
  const answers = new Map(
    lines.filter((l) => l.startsWith("client ")).map((l) => [l.slice(0, 8), l.split("got: ")[1]]),
  );
  assert.equal(answers.get("client 0"), "Local feed 0 | Local feed 1 | Local feed 2 | Local feed 3");
  assert.equal(answers.get("client 1"), "Local feed 4 | Local feed 5 | Local feed 0 | Local feed 1");
  assert.equal(answers.get("client 2"), "Local feed 2 | Local feed 3 | Local feed 4 | Local feed 5");
  assert.ok(lines.includes("a GET is refused with 403"));
  const [, max] = /at most (\d+) fetches at once \(global pool size 4\)$/.exec(lines.at(-1)!) ?? [];
  assert.ok(Number(max) >= 1 && Number(max) <= 4, `the global limit held: ${lines.at(-1)}`);
});
