// The packed-tarball smoke program (scripts/smoke_npm_pack.ts copies it into a
// temporary project where `evy` was installed from the `npm pack` tarball, with
// "@evy/evy" renamed to "evy" as in the npm docs, and
// runs it with plain `node`). It prints "pack smoke: ok" when every check passed.
import assert from "node:assert/strict";
import { GreenletExit, sleep, spawn, spawnN, Timeout, withTimeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";

assert.equal(getHub().name, "node", "the Node hub is chosen on Node");

// Threads interleave at sleep() and return their results.
const order = [];
const threads = [30, 10, 20].map((ms) =>
  spawn(async () => {
    await sleep(ms);
    order.push(ms);
    return ms * 2;
  })
);
assert.deepEqual(await Promise.all(threads.map((t) => t.wait())), [60, 20, 40]);
assert.deepEqual(order, [10, 20, 30]);

// spawnN runs without a handle.
let ran = 0;
spawnN(() => void ran++);
await sleep(0);
assert.equal(ran, 1);

// Timeout interrupts a wait; kill() ends a blocked thread.
assert.equal(await withTimeout(5, () => sleep(60_000), { timeoutValue: "late" }), "late");
const timed = spawn(async () => {
  const t = new Timeout(5); // plain JS on Node 20 has no `using`: cancel by hand
  try {
    await sleep(60_000);
  } finally {
    t.cancel();
  }
});
await assert.rejects(timed.wait(), Timeout);
const blocked = spawn(() => sleep(60_000));
await sleep(0);
await blocked.kill();
assert.equal(blocked.dead, true);
await assert.rejects(blocked.wait(), GreenletExit);

// The thread pool's workers and its child-process entry ship in the tarball.
{
  const tpool = await import("evy/green/tpool");
  assert.equal(await tpool.execute((a, b) => a * b, 6, 7), 42);
  const isolated = new tpool.ThreadPool({ size: 1, isolation: "process" });
  assert.equal(await isolated.execute(() => "from a child"), "from a child");
  await isolated.killall();
  await tpool.killall();
}

console.log("pack smoke: ok");
