import assert from "node:assert/strict";
import { Event, GreenletExit, sleep, spawn, Timeout } from "@evy/evy";
import { getHub, withVirtualHub } from "@evy/evy/hubs";

Deno.test("Event.send() wakes every waiter with the value", async () => {
  const e = new Event<number>();
  const waiters = [1, 2, 3].map((n) => spawn(async () => n + (await e.wait())));
  await sleep(0);
  assert.equal(getHub().listWaits().filter((w) => w.description === "Event.wait()").length, 3);
  e.send(10);
  assert.deepEqual(await Promise.all(waiters.map((t) => t.wait())), [11, 12, 13]);
  assert.equal(await e.wait(), 10, "a wait after send resolves at once");
});

Deno.test("Event.send() a second time throws until reset()", async () => {
  const e = new Event<string>();
  e.send("a");
  assert.throws(() => e.send("b"), /already sent/);
  assert.throws(() => e.sendException(new Error("x")), /already sent/);
  assert.equal(e.poll(), "a");
  e.reset();
  assert.equal(e.ready(), false);
  assert.equal(e.poll("none"), "none");
  const waiter = spawn(() => e.wait());
  await sleep(0);
  e.send("b");
  assert.equal(await waiter.wait(), "b");
});

Deno.test("Event state: ready(), hasResult(), hasException(), poll()", () => {
  const e = new Event<number>();
  assert.deepEqual([e.ready(), e.hasResult(), e.hasException(), e.poll()], [false, false, false, undefined]);
  e.send(0);
  assert.deepEqual([e.ready(), e.hasResult(), e.hasException(), e.poll()], [true, true, false, 0]);
  const f = new Event<number>();
  const boom = new Error("boom");
  f.sendException(boom);
  assert.deepEqual([f.ready(), f.hasResult(), f.hasException()], [true, false, true]);
  assert.throws(() => f.poll(), (e) => e === boom);
  f.reset();
  assert.equal(f.hasException(), false);
  const fresh = new Event();
  fresh.reset(); // a no-op on a fresh event
  assert.equal(fresh.ready(), false);
});

Deno.test("Event.sendException() rejects every waiter and later waits", async () => {
  const e = new Event<number>();
  const boom = new Error("boom");
  const waiters = [1, 2].map(() => spawn(() => e.wait()));
  await sleep(0);
  e.sendException(boom);
  for (const w of waiters) await assert.rejects(w.wait(), (err) => err === boom);
  await assert.rejects(e.wait(), (err) => err === boom);
});

Deno.test("Event.wait({ timeoutMs }) resolves undefined when nothing is sent in time", () =>
  withVirtualHub(async (hub) => {
    const e = new Event<string>();
    const waiter = spawn(() => e.wait({ timeoutMs: 50 }));
    await hub.tick(49);
    assert.equal(waiter.dead, false);
    await hub.tick(1);
    assert.equal(await waiter.wait(), undefined);
    assert.equal(hub.listWaits().length, 0);
    assert.equal(hub.pendingTimers, 0);
    e.send("late"); // nobody is left to wake
    assert.equal(await e.wait(), "late");
  }));

Deno.test("Event.wait({ timeoutMs }) resolves the value when sent in time and cancels its timer", () =>
  withVirtualHub(async (hub) => {
    const e = new Event<string>();
    const waiter = spawn(() => e.wait({ timeoutMs: 50 }));
    await hub.tick(10);
    assert.equal(hub.pendingTimers, 1);
    e.send("on time");
    assert.equal(hub.pendingTimers, 0);
    await hub.tick(0);
    assert.equal(await waiter.wait(), "on time");
  }));

Deno.test("Event.wait() is interrupted by kill and Timeout, leaving no waiter behind", () =>
  withVirtualHub(async (hub) => {
    const e = new Event<number>();
    const killed = spawn(() => e.wait());
    const timedOut = spawn(async () => {
      using t = new Timeout(20);
      try {
        return await e.wait();
      } catch (err) {
        if (err !== t) throw err;
        return "timed out";
      }
    });
    await hub.tick(0);
    assert.equal(hub.listWaits().length, 2);
    await killed.kill();
    await assert.rejects(killed.wait(), GreenletExit);
    await hub.tick(20);
    assert.equal(await timedOut.wait(), "timed out");
    assert.equal(hub.listWaits().length, 0);
    const later = spawn(() => e.wait());
    await hub.tick(0);
    e.send(5);
    assert.equal(await later.wait(), 5);
  }));

Deno.test("Event.wait() on a sent event still delivers a kill queued during a plain await", async () => {
  const e = new Event<number>();
  e.send(1);
  let release!: () => void;
  const plain = new Promise<void>((resolve) => (release = resolve));
  const gt = spawn(async () => {
    await plain; // not a green wait: a kill now is queued
    return await e.wait();
  });
  await sleep(0);
  const killing = gt.kill();
  release();
  await killing;
  await assert.rejects(gt.wait(), GreenletExit);
});

Deno.test("Event.wait() rejects bad options naming the argument", () => {
  const e = new Event();
  assert.throws(() => e.wait({ timeoutMs: -1 }), (err) => err instanceof RangeError && /timeoutMs/.test(err.message));
  assert.throws(() => e.wait({ timeoutMs: NaN }), RangeError);
  assert.throws(() => e.wait("soon" as never), (err) => err instanceof TypeError && /options/.test(err.message));
});
