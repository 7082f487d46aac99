import assert from "node:assert/strict";
import { CappedSemaphore, GreenletExit, sleep, spawn } from "@evy/evy";
import { getHub, useHub, VirtualHub } from "@evy/evy/hubs";

Deno.test("CappedSemaphore.release() waits while the count is at the limit", async () => {
  const sem = new CappedSemaphore(0, 2);
  assert.deepEqual([sem.counter, sem.limit, sem.locked()], [0, 2, true]);
  assert.equal(await sem.release(), true);
  assert.equal(await sem.release(), true);
  assert.equal(sem.counter, 2);
  const log: string[] = [];
  const releaser = spawn(async () => (await sem.release(), log.push("released")));
  await sleep(0);
  assert.deepEqual(getHub().listWaits().map((w) => w.description), ["CappedSemaphore.release()"]);
  assert.equal(sem.balance, 3, "two acquires free, plus one blocked releaser");
  assert.equal(log.length, 0);
  assert.equal(await sem.acquire(), true);
  await releaser.wait();
  assert.deepEqual(log, ["released"]);
  assert.equal(sem.counter, 2);
});

Deno.test("CappedSemaphore.acquire() waits while the count is 0, FIFO", async () => {
  const sem = new CappedSemaphore(0, 5);
  const order: number[] = [];
  const waiters = [1, 2, 3].map((n) => spawn(async () => (await sem.acquire(), order.push(n))));
  await sleep(0);
  assert.deepEqual(getHub().listWaits().map((w) => w.description), Array(3).fill("CappedSemaphore.acquire()"));
  assert.equal(sem.balance, -3);
  for (let i = 0; i < 3; i++) await sem.release();
  for (const w of waiters) await w.wait();
  assert.deepEqual(order, [1, 2, 3]);
  assert.deepEqual([sem.counter, sem.balance], [0, 0]);
});

Deno.test("CappedSemaphore: non-blocking and timed release/acquire resolve false", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const sem = new CappedSemaphore(1, 1);
  assert.equal(await sem.release({ blocking: false }), false);
  const timed = spawn(() => sem.release({ timeoutMs: 25 }));
  await hub.tick(25);
  assert.equal(await timed.wait(), false);
  assert.equal(sem.counter, 1);
  assert.equal(await sem.acquire(), true);
  assert.equal(await sem.acquire({ blocking: false }), false);
  assert.deepEqual([hub.pendingTimers, hub.listWaits().length, sem.balance], [0, 0, 0]);
});

Deno.test("CappedSemaphore: a killed releaser does not change the count", async () => {
  const sem = new CappedSemaphore(1, 1);
  const releaser = spawn(() => sem.release());
  await sleep(0);
  await releaser.kill();
  await assert.rejects(releaser.wait(), GreenletExit);
  assert.deepEqual([sem.counter, sem.balance], [1, 1]);
  assert.equal(await sem.acquire(), true);
  assert.equal(await sem.release(), true);
  assert.equal(sem.counter, 1);
});

Deno.test("CappedSemaphore.hold() gives the count back with await using", async () => {
  const sem = new CappedSemaphore(1, 1);
  {
    await using _ = await sem.hold();
    assert.equal(sem.counter, 0);
  }
  assert.equal(sem.counter, 1);
});

Deno.test("CappedSemaphore rejects bad arguments naming them", () => {
  assert.throws(() => new CappedSemaphore(3, 2), (e) => e instanceof RangeError && /limit/.test(e.message));
  assert.throws(() => new CappedSemaphore(-1, 2), (e) => e instanceof RangeError && /\bn\b/.test(e.message));
  assert.throws(() => new CappedSemaphore(0, 1.5), (e) => e instanceof RangeError && /limit/.test(e.message));
  const sem = new CappedSemaphore(0, 1);
  assert.throws(() => sem.release({ blocking: false, timeoutMs: 1 }), TypeError);
  assert.throws(() => sem.acquire({ timeoutMs: -1 }), RangeError);
});
