import assert from "node:assert/strict";
import { sleep, spawn, withTimeout } from "@evy/evy";
import { getHub, type Hub, useHub, VirtualHub } from "@evy/evy/hubs";
import { runHubSuite } from "./_hub_suite.ts";

async function drive<T>(hub: Hub, p: Promise<T>): Promise<T> {
  let done = false;
  const settled = p.finally(() => (done = true));
  while (!done) await (hub as VirtualHub).tick(1);
  return settled;
}

runHubSuite({ name: "virtual", makeHub: () => new VirtualHub(), drive });

Deno.test("VirtualHub: an hour of sleeps runs in no real time", async () => {
  const real = getHub();
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const onVirtualHeap: number[] = [];
  const gt = spawn(async () => {
    for (let i = 0; i < 60; i++) {
      const sleeping = sleep(60_000);
      onVirtualHeap.push(hub.listTimers().length - real.listTimers().length);
      await sleeping;
    }
    return hub.now();
  });
  await hub.runUntilIdle();
  assert.equal(await gt.wait(), 3_600_000);
  // Every sleep's timer sat on the virtual heap, none on the real hub's: no real waiting.
  assert.deepEqual(onVirtualHeap, Array(60).fill(1));
  assert.equal(hub.now(), 3_600_000);
});

Deno.test("VirtualHub: tick(ms) fires only what falls due and stops at the end", async () => {
  const hub = new VirtualHub({ start: 1_000 });
  using _ = useHub(hub);
  const fired: number[] = [];
  for (const ms of [10, 20, 30]) hub.scheduleCallGlobal(ms, () => void fired.push(hub.now()));
  await hub.tick(25);
  assert.deepEqual(fired, [1_010, 1_020]);
  assert.equal(hub.now(), 1_025);
  await hub.tick(5);
  assert.deepEqual(fired, [1_010, 1_020, 1_030]);
});

Deno.test("VirtualHub: a retry loop with a deadline is deterministic", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const attempts: number[] = [];
  const gt = spawn(() =>
    withTimeout(1_000, async () => {
      for (let delay = 100;; delay *= 2) {
        attempts.push(hub.now());
        await sleep(delay);
      }
    }, { timeoutValue: "gave up" })
  );
  await hub.runUntilIdle();
  assert.equal(await gt.wait(), "gave up");
  assert.deepEqual(attempts, [0, 100, 300, 700]);
});

Deno.test("VirtualHub: runUntilIdle throws on endless timers", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const gt = spawn(async () => {
    for (;;) await sleep(1);
  });
  await assert.rejects(hub.runUntilIdle(50), RangeError);
  await gt.kill();
  assert.equal(hub.pendingTimers, 0);
});

Deno.test("VirtualHub: bad arguments", async () => {
  const hub = new VirtualHub();
  await assert.rejects(hub.tick(-1), RangeError);
  assert.throws(() => useHub(42 as never), TypeError);
  assert.throws(() => useHub("nope"), /Unknown hub "nope"/);
});
