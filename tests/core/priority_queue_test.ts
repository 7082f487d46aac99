import assert from "node:assert/strict";
import { naturalCompare, PriorityQueue, QueueFull, sleep, spawn } from "@evy/evy";

Deno.test("PriorityQueue hands out the smallest number first", async () => {
  const q = new PriorityQueue<number>();
  for (const n of [5, 1, 4, 2, 3, 0, 9, 7, 8, 6]) await q.put(n);
  const out = [];
  while (!q.empty()) out.push(await q.get());
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("PriorityQueue orders [priority, item] tuples element by element, ties in put order", () => {
  const q = new PriorityQueue<[number, string | { job: string }]>();
  const a = { job: "a" }, b = { job: "b" };
  const entries: [number, string | { job: string }][] = [[2, "x"], [1, a], [1, "z"], [1, "y"], [1, b], [0, "first"]];
  for (const e of entries) q.putNowait(e);
  const out = [];
  while (!q.empty()) out.push(q.getNowait());
  // Same priority: strings by value, then objects (equal to each other: put order decides).
  assert.deepEqual(out, [[0, "first"], [1, "y"], [1, "z"], [1, a], [1, b], [2, "x"]]);
});

Deno.test("PriorityQueue: strings, nested tuples, prefixes and Dates compare naturally", () => {
  const q = new PriorityQueue<unknown[]>();
  const items = [[1, [2, "b"]], [1, [2, "a"]], [1], [0, "z"], [1, [1]]];
  for (const i of items) q.putNowait(i);
  const out = [];
  while (!q.empty()) out.push(q.getNowait());
  assert.deepEqual(out, [[0, "z"], [1], [1, [1]], [1, [2, "a"]], [1, [2, "b"]]]);
  assert.ok(naturalCompare("apple", "banana") < 0);
  assert.ok(naturalCompare(new Date(2000, 0), new Date(1999, 0)) > 0);
  assert.ok(naturalCompare(2n, 10) < 0);
  assert.ok(naturalCompare(1, "1") < 0, "numbers before strings");
  assert.ok(naturalCompare(null, 1) > 0, "other values last");
  assert.equal(naturalCompare(null, {}), 0);
});

Deno.test("PriorityQueue takes a compare function (largest first here)", async () => {
  const q = new PriorityQueue<{ n: number }>(undefined, (a, b) => b.n - a.n);
  for (const n of [3, 9, 1]) await q.put({ n });
  assert.deepEqual([(await q.get()).n, (await q.get()).n, (await q.get()).n], [9, 3, 1]);
  assert.throws(
    () => new PriorityQueue(1, "desc" as never),
    (e) => e instanceof TypeError && /compare/.test(e.message),
  );
  assert.throws(() => new PriorityQueue(-2), (e) => e instanceof RangeError && /maxsize/.test(e.message));
});

Deno.test("PriorityQueue with maxsize blocks putters; a waiting getter gets the first put", async () => {
  const q = new PriorityQueue<number>(2);
  const getter = spawn(() => q.get());
  await sleep(0);
  await q.put(50);
  assert.equal(await getter.wait(), 50);
  await q.put(5);
  await q.put(3);
  assert.throws(() => q.putNowait(1), QueueFull);
  const putter = spawn(() => q.put(1));
  await sleep(0);
  assert.equal(await q.get(), 3);
  await putter.wait();
  assert.deepEqual([await q.get(), await q.get()], [1, 5]);
  assert.equal(q.unfinishedTasks, 4);
});
