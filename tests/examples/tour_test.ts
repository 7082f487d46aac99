import assert from "node:assert/strict";

Deno.test("examples/tour.ts runs to the end and shows each section", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../examples/tour.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(text, /joined 100000 threads/);
  assert.match(text, /ran 100000 calls, results in input order, .*; at most 10 at once/);
  assert.match(text, /-> "timed out"/);
  assert.match(text, /hub lists the wait: worker in sleep\(60000\)/);
  assert.match(text, /got GreenletExit, cleaning up/);
  assert.match(text, /3 concurrent GETs in \d+ ms: "Hello, World! \(\/page1, green thread: true\)\\r\\n"/);
  assert.match(text, /fib\(30\) twice in workers in \d+ ms = 832040; a green thread ticked \d+ times meanwhile/);
  assert.match(text, /Tour done\./);
});
