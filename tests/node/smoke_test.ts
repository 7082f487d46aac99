import assert from "node:assert/strict";
import process from "node:process";
import { sleep, spawn, Timeout, withTimeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";

// Runs on both runtimes: under `deno task test:node` it runs on the built npm
// package, where the hub must be Node's, chosen without configuration.

Deno.test("getHub() picks the runtime's own hub without configuration", () => {
  const expected = typeof process.versions.deno === "string" ? "deno" : "node";
  assert.equal(getHub().name, expected);
});

Deno.test("spawned threads interleave at sleep() and return their results", async () => {
  const log: string[] = [];
  const worker = (name: string, ms: number) =>
    spawn(async () => {
      log.push(`${name} start`);
      await sleep(ms);
      log.push(`${name} end`);
      return name.toUpperCase();
    });
  const threads = [worker("a", 20), worker("b", 1)];
  assert.deepEqual(await Promise.all(threads.map((t) => t.wait())), ["A", "B"]);
  assert.deepEqual(log, ["a start", "b start", "b end", "a end"]);
});

Deno.test("Timeout interrupts a sleeping thread and kill() ends a blocked one", async () => {
  const timedOut = spawn(() => withTimeout(5, () => sleep(60_000), { timeoutValue: "late" }));
  assert.equal(await timedOut.wait(), "late");

  const thrown = spawn(async () => {
    using _t = new Timeout(5);
    await sleep(60_000);
  });
  await assert.rejects(thrown.wait(), Timeout);

  const blocked = spawn(() => sleep(60_000));
  await sleep(0);
  assert.equal(blocked.dead, false);
  await blocked.kill();
  assert.equal(blocked.dead, true);
});
