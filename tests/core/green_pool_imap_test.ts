import assert from "node:assert/strict";
import { GreenletExit, GreenPool, sleep, spawn } from "@evy/evy";
import { getHub, useHub, VirtualHub, withVirtualHub } from "@evy/evy/hubs";

function range(n: number): Iterable<number> {
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < n; i++) yield i;
    },
  };
}

Deno.test("GreenPool.imap() yields results in input order whatever the finishing order", async () => {
  const pool = new GreenPool(5);
  const out: number[] = [];
  for await (const x of pool.imap(async (n: number) => (await sleep((7 - n) % 4), n * n), [1, 2, 3, 4, 5, 6, 7])) {
    out.push(x);
  }
  assert.deepEqual(out, [1, 4, 9, 16, 25, 36, 49]);
});

Deno.test("GreenPool.imap() over 100,000 inputs never runs more than the pool's 10 calls at once", async () => {
  const pool = new GreenPool(10);
  let inFlight = 0;
  let maxInFlight = 0;
  let maxRunning = 0;
  let sum = 0;
  let count = 0;
  const results = pool.imap(async (n: number) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    maxRunning = Math.max(maxRunning, pool.running());
    await sleep(0);
    inFlight--;
    return n;
  }, range(100_000));
  for await (const n of results) {
    assert.equal(n, count++);
    sum += n;
  }
  assert.equal(count, 100_000);
  assert.equal(sum, (100_000 * 99_999) / 2);
  assert.equal(maxInFlight, 10, "the limit is reached, never passed");
  assert.ok(maxRunning <= 10);
  assert.equal(pool.running(), 0);
});

Deno.test("GreenPool.imap() keeps memory bounded: a slow consumer holds at most 2 x size unconsumed", async () => {
  const pool = new GreenPool(4);
  let pulled = 0;
  let consumed = 0;
  let maxAhead = 0;
  const inputs = {
    *[Symbol.iterator]() {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield i;
      }
    },
  };
  for await (const _ of pool.imap((n: number) => n, inputs)) {
    consumed++;
    await sleep(0);
    await sleep(0);
    maxAhead = Math.max(maxAhead, pulled - consumed);
  }
  assert.equal(consumed, 200);
  assert.ok(maxAhead <= 2 * 4 + 1, `read ${maxAhead} inputs ahead of the consumer`);
});

Deno.test("GreenPool.imap() takes async iterables, and zips several inputs stopping at the shortest", async () => {
  async function* slowNumbers(): AsyncGenerator<number> {
    for (let i = 1; i <= 5; i++) {
      await sleep(1);
      yield i;
    }
  }
  let closed = false;
  function* words(): Generator<string> {
    try {
      yield* ["a", "b", "c", "d", "e", "f", "g"];
    } finally {
      closed = true;
    }
  }
  const pool = new GreenPool(2);
  const out: string[] = [];
  for await (const s of pool.imap((n: number, w: string) => w.repeat(n), slowNumbers(), words())) out.push(s);
  assert.deepEqual(out, ["a", "bb", "ccc", "dddd", "eeeee"]);
  assert.equal(closed, true, "the longer input was closed");
});

Deno.test("GreenPool.imap() throws a call's error at its position and leaves nothing running", async () => {
  const pool = new GreenPool(3);
  const seen: number[] = [];
  let killed = 0;
  let closed = false;
  function* inputs(): Generator<number> {
    try {
      for (let i = 0; i < 1_000; i++) yield i;
    } finally {
      closed = true;
    }
  }
  const results = pool.imap(async (n: number) => {
    if (n === 4) throw new Error("bad input 4");
    try {
      await sleep(n > 4 ? 1_000 : 0);
    } catch (e) {
      if (e instanceof GreenletExit) killed++;
      throw e;
    }
    return n;
  }, inputs());
  await assert.rejects(async () => {
    for await (const n of results) seen.push(n);
  }, /bad input 4/);
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.equal(pool.running(), 0, "the calls after the failure were killed");
  assert.ok(killed > 0);
  assert.equal(closed, true);
  assert.deepEqual(await results.next(), { done: true, value: undefined });
});

Deno.test("GreenPool.imap() throws an input's error at its position", async () => {
  function* inputs(): Generator<number> {
    yield 1;
    yield 2;
    throw new Error("input broke");
  }
  const pool = new GreenPool(2);
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const n of pool.imap((x: number) => x * 10, inputs())) seen.push(n);
  }, /input broke/);
  assert.deepEqual(seen, [10, 20]);
});

Deno.test("GreenPool.imap(): breaking out stops feeding, kills running calls and closes the input", () =>
  withVirtualHub(async (hub) => {
    const pool = new GreenPool(4);
    let pulled = 0;
    let finished = 0;
    let closed = false;
    async function* inputs(): AsyncGenerator<number> {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    const out: number[] = [];
    for await (const n of pool.imap(async (x: number) => (await sleep(x === 0 ? 0 : 5), finished++, x), inputs())) {
      out.push(n);
      if (out.length === 1) break;
    }
    assert.deepEqual(out, [0]);
    assert.equal(pool.running(), 0, "nothing left running");
    assert.ok(pulled <= 2 * 4 + 2, `pulled ${pulled} inputs`);
    const pulledAtBreak = pulled;
    await hub.tick(20);
    assert.equal(pulled, pulledAtBreak, "no input read after the break");
    assert.equal(finished, 1, "the calls in flight were killed, not finished");
    assert.equal(closed, true);
    assert.equal(getHub().listWaits().filter((w) => w.description.startsWith("imap")).length, 0);
  }));

Deno.test("GreenPool.imap(): killing the consuming thread closes the map", async () => {
  const pool = new GreenPool(3);
  const consumer = spawn(async () => {
    for await (const _ of pool.imap(() => sleep(60_000), range(10))) { /* never */ }
  });
  while (pool.running() < 3) await sleep(1); // the consumer and its three calls start over a few hub ticks
  assert.equal(pool.running(), 3);
  await consumer.kill();
  await assert.rejects(consumer.wait(), GreenletExit);
  assert.equal(pool.running(), 0);
  assert.equal(pool.free(), 3);
});

Deno.test("GreenPool.imap() that is never iterated starts nothing", async () => {
  const pool = new GreenPool(3);
  let calls = 0;
  const results = pool.imap(() => calls++, range(10));
  await sleep(1);
  assert.equal(calls, 0);
  assert.deepEqual(await results.return!(), { done: true, value: undefined });
});

Deno.test("GreenPool.imap() shares the pool's limit with other spawns", () =>
  withVirtualHub(async (hub) => {
    const pool = new GreenPool(2);
    let release!: () => void;
    const blocker = await pool.spawn(() => new Promise<void>((r) => (release = r)));
    let inFlight = 0;
    let max = 0;
    const out: number[] = [];
    const consumer = spawn(async () => {
      for await (
        const n of pool.imap(async (x: number) => {
          max = Math.max(max, ++inFlight);
          await sleep(1);
          inFlight--;
          return x;
        }, range(6))
      ) out.push(n);
    });
    await hub.tick(5);
    assert.equal(max, 1, "one slot was taken by another thread");
    release();
    await hub.runUntilIdle();
    await consumer.wait();
    await blocker.wait();
    assert.deepEqual(out, [0, 1, 2, 3, 4, 5]);
  }));

Deno.test("GreenPool.starmap() spreads each item as the call's arguments", async () => {
  const pool = new GreenPool(2);
  async function* pairs(): AsyncGenerator<[number, number]> {
    yield [1, 2];
    yield [3, 4];
  }
  const out: number[] = [];
  for await (const x of pool.starmap((a: number, b: number) => a * b, pairs())) out.push(x);
  assert.deepEqual(out, [2, 12]);
  await assert.rejects(async () => {
    for await (const _ of pool.starmap((a: number) => a, [5 as unknown as [number]])) { /* */ }
  }, { name: "TypeError", message: /array/ });
});

Deno.test("GreenPool.imap() on a VirtualHub: 9 calls of 1 s through a pool of 3 take exactly 3 virtual seconds", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const pool = new GreenPool(3);
  const consumer = spawn(async () => {
    const out: [number, number][] = [];
    for await (const x of pool.imap(async (n: number) => (await sleep(1_000), n), range(9))) out.push([x, hub.now()]);
    return out;
  });
  await hub.runUntilIdle();
  const out = await consumer.wait();
  assert.deepEqual(out.map(([x]) => x), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(out.map(([, t]) => t), [1_000, 1_000, 1_000, 2_000, 2_000, 2_000, 3_000, 3_000, 3_000]);
  assert.equal(hub.now(), 3_000);
});
