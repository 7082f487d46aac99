import assert from "node:assert/strict";
import { GreenletExit, LightQueue, Queue, QueueEmpty, QueueFull, sleep, spawn, spawnAfter, Timeout } from "@evy/evy";
import { getHub, withVirtualHub } from "@evy/evy/hubs";

function descriptions(): string[] {
  return getHub().listWaits().map((w) => w.description);
}

Deno.test("Queue is FIFO and unbounded by default", async () => {
  const q = new Queue<number>();
  assert.equal(q.maxsize, undefined);
  for (let i = 0; i < 5; i++) await q.put(i);
  assert.deepEqual([q.qsize(), q.empty(), q.full()], [5, false, false]);
  const got = [];
  while (!q.empty()) got.push(await q.get());
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
  assert.throws(() => q.getNowait(), QueueEmpty);
});

Deno.test("Queue.get() waits for a put, is listed by the hub, and serves getters FIFO", async () => {
  const q = new Queue<string>();
  const got: string[] = [];
  const getters = [1, 2, 3].map((n) => spawn(async () => got.push(`g${n}:${await q.get()}`)));
  await sleep(0);
  assert.equal(q.getting(), 3);
  assert.deepEqual(descriptions(), ["Queue.get()", "Queue.get()", "Queue.get()"]);
  q.putNowait("a");
  await q.put("b");
  await q.put("c");
  for (const g of getters) await g.wait();
  assert.deepEqual(got, ["g1:a", "g2:b", "g3:c"]);
  assert.equal(q.getting(), 0);
  assert.equal(q.qsize(), 0);
});

Deno.test("Queue.put() waits while full, is listed, and blocked putters get in FIFO", async () => {
  const q = new Queue<number>(2);
  await q.put(1);
  await q.put(2);
  assert.equal(q.full(), true);
  assert.throws(() => q.putNowait(3), (e) => e instanceof QueueFull && /maxsize 2/.test(e.message));
  const done: number[] = [];
  const putters = [3, 4, 5].map((n) => spawn(async () => (await q.put(n), done.push(n))));
  await sleep(0);
  assert.equal(q.putting(), 3);
  assert.deepEqual(descriptions(), ["Queue.put()", "Queue.put()", "Queue.put()"]);
  assert.equal(await q.get(), 1);
  assert.equal(q.qsize(), 2, "putter 3 moved in");
  assert.equal(q.putting(), 2);
  const rest = [];
  for (let i = 0; i < 4; i++) rest.push(await q.get());
  assert.deepEqual(rest, [2, 3, 4, 5]);
  for (const p of putters) await p.wait();
  assert.deepEqual(done, [3, 4, 5]);
});

Deno.test("Queue(0) is a rendezvous channel: put returns once a getter took the item", async () => {
  const q = new Queue<string>(0);
  assert.equal(q.full(), true);
  assert.throws(() => q.putNowait("x"), (e) => e instanceof QueueFull && /no getter is waiting/.test(e.message));
  const log: string[] = [];
  const putter = spawn(async () => {
    await q.put("x");
    log.push("put returned");
  });
  await sleep(0);
  await sleep(0);
  assert.equal(log.length, 0, "put is still blocked: nobody took the item");
  assert.equal(q.qsize(), 0);
  assert.equal(q.putting(), 1);
  log.push("getting");
  const item = await q.get();
  await putter.wait();
  assert.equal(item, "x");
  assert.deepEqual(log, ["getting", "put returned"]);
  // A waiting getter makes putNowait succeed; getNowait takes from a blocked putter.
  const getter = spawn(() => q.get());
  await sleep(0);
  q.putNowait("y");
  assert.equal(await getter.wait(), "y");
  const blocked = spawn(() => q.put("z"));
  await sleep(0);
  assert.equal(q.getNowait(), "z");
  await blocked.wait();
});

Deno.test("Queue(0) hands items over in order with several getters and putters", async () => {
  const q = new Queue<string>(0);
  const log: string[] = [];
  // Putters first: they block in order; getters then take their items in that order.
  const putters = ["a", "b", "c"].map((x) => spawn(async () => (await q.put(x), log.push(`put ${x}`))));
  await sleep(0);
  const getters = [1, 2, 3].map((n) => spawn(async () => log.push(`g${n} got ${await q.get()}`)));
  for (const t of [...putters, ...getters]) await t.wait();
  assert.deepEqual(log.filter((l) => l.startsWith("g")), ["g1 got a", "g2 got b", "g3 got c"]);
  assert.deepEqual(log.filter((l) => l.startsWith("put")), ["put a", "put b", "put c"]);
  // Getters first: each putter hands its item to the oldest waiting getter.
  log.length = 0;
  const getters2 = [1, 2, 3].map((n) => spawn(async () => log.push(`g${n} got ${await q.get()}`)));
  await sleep(0);
  const putters2 = ["d", "e", "f"].map((x) => spawn(() => q.put(x)));
  for (const t of [...getters2, ...putters2]) await t.wait();
  assert.deepEqual(log, ["g1 got d", "g2 got e", "g3 got f"]);
  // Interleaved: 4 putters and 4 getters started alternately.
  log.length = 0;
  const mixed = [];
  for (let i = 0; i < 4; i++) {
    mixed.push(spawn(() => q.put(`m${i}`)));
    mixed.push(spawn(async () => log.push(await q.get())));
  }
  for (const t of mixed) await t.wait();
  assert.deepEqual(log, ["m0", "m1", "m2", "m3"]);
  assert.deepEqual([q.qsize(), q.getting(), q.putting()], [0, 0, 0]);
});

Deno.test("Queue.get()/put() with block: false reject with QueueEmpty/QueueFull at once", async () => {
  const q = new Queue<number>(1);
  await assert.rejects(q.get({ block: false }), QueueEmpty);
  await q.put(1, { block: false });
  await assert.rejects(q.put(2, { block: false }), QueueFull);
  assert.equal(await q.get({ block: false }), 1);
  assert.equal(q.qsize(), 0);
});

Deno.test("Queue.get() rejects with QueueEmpty after timeoutMs and leaves no waiter", () =>
  withVirtualHub(async (hub) => {
    const q = new Queue<number>();
    const getter = spawn(() => q.get({ timeoutMs: 100 }));
    await hub.tick(99);
    assert.equal(q.getting(), 1);
    await hub.tick(1);
    await assert.rejects(getter.wait(), (e) => e instanceof QueueEmpty && /100 ms/.test(e.message));
    assert.equal(q.getting(), 0);
    await q.put(7);
    assert.equal(q.qsize(), 1, "the item was not handed to the expired getter");
    assert.deepEqual([hub.pendingTimers, hub.listWaits().length], [0, 0]);
  }));

Deno.test("Queue.put() rejects with QueueFull after timeoutMs without inserting the item", () =>
  withVirtualHub(async (hub) => {
    const q = new Queue<number>(1);
    await q.put(1);
    const putter = spawn(() => q.put(2, { timeoutMs: 30 }));
    await hub.tick(30);
    await assert.rejects(putter.wait(), QueueFull);
    assert.deepEqual([q.qsize(), q.putting(), q.unfinishedTasks], [1, 0, 1]);
    assert.equal(q.getNowait(), 1);
    assert.throws(() => q.getNowait(), QueueEmpty);
    assert.deepEqual([hub.pendingTimers, hub.listWaits().length], [0, 0]);
  }));

Deno.test("Queue.get() with timeoutMs racing a put at the same instant: one item, delivered once", async () => {
  for (const putFirst of [false, true]) {
    await withVirtualHub(async (hub) => {
      const q = new Queue<string>();
      let producer;
      if (putFirst) producer = spawnAfter(10, () => q.put("item"));
      const getter = spawn(() => q.get({ timeoutMs: 10 }));
      await hub.tick(0); // the getter is now waiting, its timer armed
      if (!putFirst) producer = spawnAfter(10, () => q.put("item"));
      await hub.tick(10);
      await producer!.wait();
      const outcome = await getter.wait().then((v) => v, (e) => e);
      if (putFirst) assert.equal(outcome, "item");
      else assert.ok(outcome instanceof QueueEmpty);
      assert.equal((outcome === "item" ? 1 : 0) + q.qsize(), 1, "the item is either delivered or queued");
      assert.deepEqual([hub.pendingTimers, hub.listWaits().length, q.getting()], [0, 0, 0]);
    });
  }
});

Deno.test("Queue: many getters with timeouts racing producers lose and duplicate nothing", () =>
  withVirtualHub(async (hub) => {
    const q = new Queue<number>(3);
    const received: number[] = [];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const threads = [];
    for (let i = 0; i < 200; i++) {
      const at = rand(100), wait = rand(20);
      threads.push(spawnAfter(at, async () => {
        try {
          received.push(await q.get({ timeoutMs: wait }));
        } catch (e) {
          if (!(e instanceof QueueEmpty)) throw e;
        }
      }));
    }
    let putCount = 0;
    for (let i = 0; i < 150; i++) {
      threads.push(spawnAfter(rand(100), async () => {
        try {
          await q.put(i, { timeoutMs: rand(20) });
          putCount++;
        } catch (e) {
          if (!(e instanceof QueueFull)) throw e;
        }
      }));
    }
    await hub.runUntilIdle();
    for (const t of threads) await t.wait();
    const left: number[] = [];
    while (!q.empty()) left.push(q.getNowait());
    const all = [...received, ...left];
    assert.equal(all.length, putCount, "every accepted item is received or still queued");
    assert.equal(new Set(all).size, all.length, "no item delivered twice");
    assert.ok(received.length > 0 && putCount < 150, "the run exercised both outcomes");
    assert.deepEqual([hub.pendingTimers, hub.listWaits().length], [0, 0]);
  }));

Deno.test("Queue: killing a thread blocked in put on a full queue drops its item and nothing else", async () => {
  const q = new Queue<string>(1);
  await q.put("kept");
  const blocked = spawn(() => q.put("dropped"));
  const after = spawn(() => q.put("next"));
  await sleep(0);
  assert.equal(q.putting(), 2);
  await blocked.kill();
  await assert.rejects(blocked.wait(), GreenletExit);
  assert.deepEqual([q.putting(), q.qsize(), q.unfinishedTasks], [1, 1, 1]);
  assert.equal(await q.get(), "kept");
  assert.equal(await q.get(), "next");
  await after.wait();
  assert.deepEqual([q.qsize(), q.putting()], [0, 0]);
  assert.equal(getHub().listWaits().length, 0);
});

Deno.test("Queue: a getter killed after an item was handed to it still receives the item", async () => {
  const q = new Queue<number>();
  const received: number[] = [];
  const consumer = spawn(async () => {
    for (;;) received.push(await q.get());
  });
  await sleep(0);
  q.putNowait(1); // handed to the consumer, which has not resumed yet
  const killing = consumer.kill();
  q.putNowait(2); // the consumer no longer waits: this one is queued
  await killing;
  await assert.rejects(consumer.wait(), GreenletExit);
  assert.deepEqual(received, [1], "the handed item reached the consumer");
  assert.equal(q.getNowait(), 2, "the kill was delivered at the next get, which took nothing");
});

Deno.test("Queue.get() interrupted by a Timeout leaves the queue consistent", () =>
  withVirtualHub(async (hub) => {
    const q = new Queue<string>(0);
    const getter = spawn(async () => {
      using t = new Timeout(5);
      try {
        return await q.get();
      } catch (e) {
        if (e !== t) throw e;
        return "timed out";
      }
    });
    await hub.tick(0);
    assert.deepEqual(descriptions(), ["Queue.get()"]);
    await hub.tick(5);
    assert.equal(await getter.wait(), "timed out");
    assert.equal(q.getting(), 0);
    const late = spawn(() => q.put("for the next getter"));
    await hub.tick(0);
    assert.equal(q.putting(), 1, "the put did not go to the timed-out getter");
    assert.equal(await q.get(), "for the next getter");
    await late.wait();
  }));

Deno.test("Queue.get() takes nothing when a kill is already queued for the thread", async () => {
  const q = new Queue<number>();
  q.putNowait(1);
  let release!: () => void;
  const plain = new Promise<void>((resolve) => (release = resolve));
  const gt = spawn(async () => {
    await plain;
    return await q.get();
  });
  await sleep(0);
  const killing = gt.kill();
  release();
  await killing;
  await assert.rejects(gt.wait(), GreenletExit);
  assert.equal(q.qsize(), 1);
});

Deno.test("Queue: a waiter left behind by a thread that exited is never handed an item", async () => {
  const q = new Queue<number>();
  const racer = spawn(() => Promise.race([q.get(), sleep(1).then(() => -1)]));
  assert.equal(await racer.wait(), -1);
  assert.equal(racer.dead, true);
  await q.put(5);
  assert.equal(q.qsize(), 1, "the item stays queued");
  assert.equal(q.getting(), 0);
  assert.equal(getHub().listWaits().length, 0);
});

Deno.test("Queue.resize() growing lets blocked putters in, oldest first", async () => {
  const q = new Queue<number>(1);
  await q.put(0);
  const putters = [1, 2, 3].map((n) => spawn(() => q.put(n)));
  await sleep(0);
  q.resize(3);
  assert.deepEqual([q.qsize(), q.putting()], [3, 1]);
  q.resize(undefined);
  assert.deepEqual([q.qsize(), q.putting(), q.full()], [4, 0, false]);
  for (const p of putters) await p.wait();
  q.resize(1); // shrinking keeps the items
  assert.equal(q.qsize(), 4);
  assert.throws(() => q.putNowait(9), QueueFull);
  assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()], [0, 1, 2, 3]);
  q.resize(0);
  assert.equal(q.maxsize, 0);
  assert.throws(() => q.resize(-1), (e) => e instanceof RangeError && /maxsize/.test(e.message));
});

Deno.test("Queue.resize() from a channel moves blocked putters' items in", async () => {
  const q = new Queue<string>(0);
  const putter = spawn(() => q.put("waiting"));
  await sleep(0);
  q.resize(5);
  await putter.wait();
  assert.equal(q.getNowait(), "waiting");
});

Deno.test("Queue.taskDone()/join(): join waits until every item is done", async () => {
  const q = new Queue<number>();
  await q.join(); // nothing unfinished
  const log: string[] = [];
  for (let i = 0; i < 3; i++) await q.put(i);
  assert.equal(q.unfinishedTasks, 3);
  const joiner = spawn(async () => (await q.join(), log.push("joined")));
  await sleep(0);
  assert.deepEqual(descriptions(), ["Queue.join()"]);
  for (let i = 0; i < 3; i++) {
    await q.get();
    await sleep(0);
    assert.equal(log.length, 0);
    q.taskDone();
  }
  await joiner.wait();
  assert.deepEqual(log, ["joined"]);
  assert.throws(() => q.taskDone(), (e) => e instanceof RangeError && /more times/.test(e.message));
});

Deno.test("Queue.taskDone() counts items handed straight to getters and from blocked putters", async () => {
  const q = new Queue<number>(0);
  const getter = spawn(() => q.get());
  await sleep(0);
  q.putNowait(1);
  await getter.wait();
  const putter = spawn(() => q.put(2));
  await sleep(0);
  assert.equal(q.unfinishedTasks, 1, "a blocked putter's item is not accepted yet");
  q.getNowait();
  await putter.wait();
  assert.equal(q.unfinishedTasks, 2);
  q.taskDone();
  q.taskDone();
  assert.throws(() => q.taskDone(), RangeError);
});

Deno.test("Queue supports for await, each step a get()", async () => {
  const q = new Queue<number>();
  const consumer = spawn(async () => {
    const seen = [];
    for await (const x of q) {
      if (x === 0) break;
      seen.push(x);
    }
    return seen;
  });
  for (const x of [3, 2, 1, 0]) await q.put(x);
  assert.deepEqual(await consumer.wait(), [3, 2, 1]);
});

Deno.test("LightQueue works like Queue without task tracking", async () => {
  const q = new LightQueue<number>(1);
  assert.equal("taskDone" in q, false);
  await q.put(1);
  const p = spawn(() => q.put(2));
  await sleep(0);
  assert.deepEqual(descriptions(), ["LightQueue.put()"]);
  assert.equal(await q.get(), 1);
  assert.equal(await q.get(), 2);
  await p.wait();
});

Deno.test("Queue rejects bad arguments naming them", () => {
  for (const bad of [-1, 1.5, NaN, "3"]) {
    assert.throws(() => new Queue(bad as number), (e) => e instanceof RangeError && /maxsize/.test(e.message));
  }
  assert.equal(new Queue(null as unknown as undefined).maxsize, undefined);
  const q = new Queue<number>();
  assert.throws(() => q.get({ timeoutMs: -5 }), (e) => e instanceof RangeError && /timeoutMs/.test(e.message));
  assert.throws(() => q.put(1, { timeoutMs: "1" as never }), RangeError);
  assert.throws(() => q.get(7 as never), (e) => e instanceof TypeError && /options/.test(e.message));
  assert.equal(q.qsize(), 0);
});

Deno.test("Queue keeps FIFO order while its buffer wraps around and grows", () => {
  const q = new LightQueue<number>();
  const out: number[] = [];
  let next = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < round + 3; i++) q.putNowait(next++); // net growth of 1 item per round
    for (let i = 0; i < round + 2; i++) out.push(q.getNowait());
  }
  while (!q.empty()) out.push(q.getNowait());
  assert.deepEqual(out, Array.from({ length: next }, (_, i) => i));
});
