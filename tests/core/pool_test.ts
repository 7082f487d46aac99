import assert from "node:assert/strict";
import { GreenletExit, Pool, sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";

function poolWaits(): number {
  return getHub().listWaits().filter((w) => w.description === "Pool.get()").length;
}

Deno.test("Pool.get() makes items up to maxSize, then waits greenly until one is put back", async () => {
  let made = 0;
  const pool = new Pool({ create: () => ({ id: ++made }), maxSize: 2 });
  const a = await pool.get();
  const b = await pool.get();
  assert.equal(pool.free(), 0);
  const waiter = spawn(() => pool.get());
  await sleep(0);
  assert.equal(pool.waiting(), 1);
  assert.equal(poolWaits(), 1, "the wait is listed by the hub");
  pool.put(b);
  assert.equal(await waiter.wait(), b, "the waiter got the item put back");
  assert.equal(pool.waiting(), 0);
  assert.equal(made, 2);
  pool.put(a);
  pool.put(b);
  assert.equal(pool.free(), 2);
});

Deno.test("Pool: waiters are served first come, first served", async () => {
  const pool = new Pool({ create: () => "item", maxSize: 1 });
  const item = await pool.get();
  const order: number[] = [];
  const waiters = [1, 2, 3].map((n) =>
    spawn(async () => {
      const x = await pool.get();
      order.push(n);
      await sleep(0);
      pool.put(x);
    })
  );
  await sleep(0);
  assert.equal(pool.waiting(), 3);
  pool.put(item);
  await Promise.all(waiters.map((t) => t.wait()));
  assert.deepEqual(order, [1, 2, 3]);
});

Deno.test("Pool.item() is disposable: using puts the item back", async () => {
  const pool = new Pool({ create: () => [] as number[], maxSize: 1 });
  {
    using it = await pool.item();
    it.value.push(1);
    assert.equal(pool.free(), 0);
    it[Symbol.dispose]();
    assert.equal(pool.free(), 1);
  } // a second dispose is a no-op
  assert.equal(pool.free(), 1);
  assert.deepEqual(await pool.get(), [1]);
});

Deno.test("Pool: a create failure frees its place, and a waiter may then make one", async () => {
  let fail = true;
  let made = 0;
  const pool = new Pool({
    create: async () => {
      await sleep(1);
      if (fail) throw new Error("cannot connect");
      return ++made;
    },
    maxSize: 1,
  });
  const first = spawn(() => pool.get());
  await sleep(0);
  const second = spawn(() => pool.get()); // waits: the only place is being made
  await sleep(0);
  assert.equal(pool.waiting(), 1);
  await assert.rejects(first.wait(), /cannot connect/);
  fail = false;
  assert.equal(await second.wait(), 1, "the waiter made an item in the freed place");
  assert.equal(pool.size, 1);

  const sync = new Pool<number>({
    create: () => {
      throw new Error("sync failure");
    },
    maxSize: 1,
  });
  await assert.rejects(sync.get(), /sync failure/);
  await assert.rejects(sync.get(), /sync failure/);
  assert.equal(sync.free(), 1, "no place leaked");
});

Deno.test("Pool: a get() interrupted while create runs puts the late item in the pool", async () => {
  // A plain (non-green) delay, as a driver's connect would be.
  const pool = new Pool({ create: () => new Promise<string>((r) => setTimeout(() => r("late"), 10)), maxSize: 1 });
  {
    using t = new Timeout(1);
    await assert.rejects(pool.get(), (e) => e === t);
  }
  assert.equal(pool.size, 1);
  assert.equal(await pool.get(), "late", "the late item was kept, not leaked");
});

Deno.test("Pool: killing a waiter leaks nothing", async () => {
  const pool = new Pool({ create: () => "x", maxSize: 1 });
  const x = await pool.get();
  const waiter = spawn(() => pool.get());
  await sleep(0);
  await waiter.kill();
  await assert.rejects(waiter.wait(), GreenletExit);
  assert.equal(pool.waiting(), 0);
  pool.put(x);
  assert.equal(pool.free(), 1);
});

Deno.test("Pool: minSize items are made up front; orderAsStack hands out the last returned first", async () => {
  let made = 0;
  const pool = new Pool({ create: () => ++made, minSize: 2, maxSize: 3, orderAsStack: true });
  assert.equal(made, 2);
  assert.equal(pool.free(), 3);
  const a = await pool.get();
  const b = await pool.get();
  pool.put(a);
  pool.put(b);
  assert.equal(await pool.get(), b);

  const asyncPool = new Pool({ create: () => sleep(1).then(() => "ready"), minSize: 1, maxSize: 1 });
  assert.equal(await asyncPool.get(), "ready", "a get() waits for the item being made");
});

Deno.test("Pool.resize() lets waiters make items when growing, discards put-backs when shrinking", async () => {
  let made = 0;
  const pool = new Pool({ create: () => ++made, maxSize: 1 });
  const first = await pool.get();
  const waiter = spawn(() => pool.get());
  await sleep(0);
  pool.resize(2);
  assert.equal(await waiter.wait(), 2);
  pool.resize(1);
  pool.put(first); // over the new size: discarded
  assert.equal(pool.size, 1);
  assert.equal(pool.free(), 0);
});

Deno.test("Pool: bad arguments throw TypeError/RangeError naming the argument", () => {
  assert.throws(() => new Pool(null as never), { name: "TypeError", message: /options/ });
  assert.throws(() => new Pool({ create: 5 as never }), { name: "TypeError", message: /create/ });
  assert.throws(() => new Pool({ create: () => 1, maxSize: -1 }), { name: "RangeError", message: /maxSize/ });
  assert.throws(() => new Pool({ create: () => 1, minSize: 0.5 }), { name: "TypeError", message: /minSize/ });
  assert.throws(() => new Pool({ create: () => 1, minSize: 3, maxSize: 2 }), {
    name: "RangeError",
    message: /minSize/,
  });
  assert.throws(() => new Pool({ create: () => 1 }).resize(-1), { name: "RangeError", message: /maxSize/ });
});
