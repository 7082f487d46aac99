import assert from "node:assert/strict";
import { BoundedSemaphore, GreenletExit, Semaphore, sleep, spawn, Timeout } from "@evy/evy";
import { getHub, useHub, VirtualHub } from "@evy/evy/hubs";

function descriptions(): string[] {
  return getHub().listWaits().map((w) => w.description);
}

Deno.test("Semaphore counts permits: counter, balance, locked()", async () => {
  const sem = new Semaphore(2);
  assert.deepEqual([sem.counter, sem.balance, sem.locked()], [2, 2, false]);
  assert.equal(await sem.acquire(), true);
  assert.equal(await sem.acquire(), true);
  assert.deepEqual([sem.counter, sem.balance, sem.locked()], [0, 0, true]);
  const waiter = spawn(() => sem.acquire());
  await sleep(0);
  assert.deepEqual([sem.counter, sem.balance], [0, -1]);
  assert.deepEqual(descriptions(), ["Semaphore.acquire()"]);
  sem.release();
  assert.equal(await waiter.wait(), true);
  sem.release(2);
  assert.deepEqual([sem.counter, sem.balance], [2, 2]);
  assert.equal(new Semaphore().counter, 1);
});

Deno.test("Semaphore serves waiters FIFO and a newcomer cannot overtake them", async () => {
  const sem = new Semaphore(0);
  const order: number[] = [];
  const waiters = [1, 2, 3, 4].map((n) => spawn(async () => (await sem.acquire(), order.push(n))));
  await sleep(0);
  sem.release();
  assert.equal(await sem.acquire({ blocking: false }), false, "the permit went to the oldest waiter");
  sem.release(2);
  await sleep(0);
  assert.deepEqual(order, [1, 2, 3]);
  sem.release();
  for (const w of waiters) await w.wait();
  assert.deepEqual(order, [1, 2, 3, 4]);
  assert.deepEqual([sem.counter, sem.balance], [0, 0]);
});

Deno.test("Semaphore.acquire({ timeoutMs }) resolves false in time and leaves no waiter", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const sem = new Semaphore(0);
  const waiter = spawn(() => sem.acquire({ timeoutMs: 40 }));
  await hub.tick(39);
  assert.equal(sem.balance, -1);
  await hub.tick(1);
  assert.equal(await waiter.wait(), false);
  assert.equal(sem.balance, 0);
  sem.release();
  assert.equal(sem.counter, 1, "the permit was not handed to the expired waiter");
  const fast = spawn(() => sem.acquire({ timeoutMs: 40 }));
  await hub.tick(0);
  assert.equal(await fast.wait(), true);
  assert.deepEqual([hub.pendingTimers, hub.listWaits().length], [0, 0]);
});

Deno.test("Semaphore.acquire() killed or timed out while waiting keeps the count right", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const sem = new Semaphore(0);
  const killed = spawn(() => sem.acquire());
  const timedOut = spawn(async () => {
    using t = new Timeout(10);
    try {
      return await sem.acquire();
    } catch (e) {
      if (e !== t) throw e;
      return "timed out";
    }
  });
  await hub.tick(0);
  assert.equal(sem.balance, -2);
  await killed.kill();
  await assert.rejects(killed.wait(), GreenletExit);
  await hub.tick(10);
  assert.equal(await timedOut.wait(), "timed out");
  assert.deepEqual([sem.counter, sem.balance], [0, 0]);
  sem.release();
  assert.equal(sem.counter, 1);
});

Deno.test("Semaphore: a permit handed to a waiter that is then killed is not lost", async () => {
  const sem = new Semaphore(0);
  let got: boolean | undefined;
  const holder = spawn(async () => {
    got = await sem.acquire();
    try {
      await sleep(60_000); // the kill arrives here
    } finally {
      sem.release();
    }
  });
  await sleep(0);
  sem.release(); // handed to the holder, which has not resumed yet
  await holder.kill();
  await assert.rejects(holder.wait(), GreenletExit);
  assert.equal(got, true);
  assert.equal(sem.counter, 1, "the holder gave it back in its finally");
});

Deno.test("Semaphore.hold() scopes a permit with using", async () => {
  const sem = new Semaphore(1);
  {
    using held = await sem.hold();
    assert.equal(sem.counter, 0);
    held[Symbol.dispose]();
    assert.equal(sem.counter, 1);
    await sem.acquire();
  } // disposing twice does not release twice
  assert.equal(sem.counter, 0);
  sem.release();
  let inside = 0, most = 0;
  const workers = Array.from({ length: 6 }, () =>
    spawn(async () => {
      using _ = await sem.hold();
      most = Math.max(most, ++inside);
      await sleep(0);
      inside--;
    }));
  for (const w of workers) await w.wait();
  assert.deepEqual([most, sem.counter], [1, 1]);
});

Deno.test("Semaphore rejects bad arguments naming them", () => {
  assert.throws(() => new Semaphore(-1), (e) => e instanceof RangeError && /\bn\b/.test(e.message));
  assert.throws(() => new Semaphore(1.5), RangeError);
  const sem = new Semaphore(1);
  assert.throws(() => sem.release(0), (e) => e instanceof RangeError && /\bn\b/.test(e.message));
  assert.throws(() => sem.release(-1), RangeError);
  assert.throws(() => sem.acquire({ timeoutMs: -1 }), (e) => e instanceof RangeError && /timeoutMs/.test(e.message));
  assert.throws(() => sem.acquire({ blocking: false, timeoutMs: 5 }), TypeError);
  assert.throws(() => sem.acquire("now" as never), TypeError);
  assert.equal(sem.counter, 1);
});

Deno.test("BoundedSemaphore throws RangeError on over-release and releases nothing then", async () => {
  const sem = new BoundedSemaphore(2);
  assert.throws(() => sem.release(), (e) => e instanceof RangeError && /too many/.test(e.message));
  await sem.acquire();
  await sem.acquire();
  assert.throws(() => sem.release(3), RangeError);
  assert.equal(sem.counter, 0);
  const waiters = [spawn(() => sem.acquire()), spawn(() => sem.acquire())];
  await sleep(0);
  sem.release(2); // both go to the waiters
  for (const w of waiters) assert.equal(await w.wait(), true);
  assert.deepEqual([sem.counter, sem.balance], [0, 0]);
  sem.release(2);
  assert.equal(sem.counter, 2);
  assert.throws(() => sem.release(), RangeError);
  assert.deepEqual(descriptions(), []);
});
