import assert from "node:assert/strict";
import { LifoQueue, sleep, spawn } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";

Deno.test("LifoQueue hands out the newest item first", async () => {
  const q = new LifoQueue<number>();
  for (let i = 0; i < 5; i++) await q.put(i);
  const out = [];
  while (!q.empty()) out.push(await q.get());
  assert.deepEqual(out, [4, 3, 2, 1, 0]);
});

Deno.test("LifoQueue with maxsize blocks putters and lets them in as room appears", async () => {
  const q = new LifoQueue<string>(2);
  q.putNowait("a");
  q.putNowait("b");
  const putter = spawn(() => q.put("c"));
  await sleep(0);
  assert.deepEqual(getHub().listWaits().map((w) => w.description), ["LifoQueue.put()"]);
  assert.equal(await q.get(), "b");
  await putter.wait();
  assert.deepEqual([q.getNowait(), q.getNowait()], ["c", "a"]);
  q.taskDone();
  q.taskDone();
  q.taskDone();
  await q.join();
});
