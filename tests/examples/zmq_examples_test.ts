import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/zmq_hello_world.ts answers ten requests in lock-step", async () => {
  const { code, lines, stderr } = await runExample("zmq_hello_world.ts");
  assert.equal(code, 0, stderr);
  assert.equal(lines.filter((l) => l === "Received request: [ Hello ]").length, 10);
  for (let n = 0; n < 10; n++) assert.ok(lines.includes(`Received reply ${n} [ World ]`), `reply ${n}`);
});

Deno.test("examples/zmq_pub_sub.ts feeds two filtering subscribers until both have five updates", async () => {
  const { code, lines, stderr } = await runExample("zmq_pub_sub.ts");
  assert.equal(code, 0, stderr);
  for (const zip of ["10001", "10002"]) {
    assert.ok(
      lines.some((l) => new RegExp(`^Average temperature for zipcode '${zip}' was -?\\d+\\.\\dF$`).test(l)),
      zip,
    );
  }
  assert.match(lines.at(-1)!, /^published \d+ updates$/);
});

Deno.test("examples/zmq_pipeline.ts spreads 100 tasks over five green-thread workers and sinks every result", async () => {
  const { code, lines, stderr } = await runExample("zmq_pipeline.ts");
  assert.equal(code, 0, stderr);
  const perWorker = /^tasks per worker: (.*)$/.exec(lines.at(-1)!)![1]!.split(" ").map(Number);
  assert.equal(perWorker.length, 5);
  assert.equal(perWorker.reduce((a, b) => a + b), 100);
  assert.ok(perWorker.every((n) => n > 0), "every worker got tasks");
});
