import assert from "node:assert/strict";
import { GreenletExit, GreenPile, GreenPool, sleep, spawn } from "@evy/evy";

Deno.test("GreenPile yields results in spawn order, not finishing order", async () => {
  const pile = new GreenPile<number>(10);
  for (const n of [5, 1, 4, 2, 3]) await pile.spawn(async () => (await sleep(n), n));
  const out: number[] = [];
  for await (const n of pile) out.push(n);
  assert.deepEqual(out, [5, 1, 4, 2, 3]);
});

Deno.test("GreenPile throws a failing call's error at its turn, and the rest can still be read", async () => {
  const pile = new GreenPile<string>();
  await pile.spawn(() => "first");
  await pile.spawn(async () => {
    await sleep(1);
    throw new Error("second failed");
  });
  await pile.spawn(() => "third");
  const out: string[] = [];
  await assert.rejects(async () => {
    for await (const s of pile) out.push(s);
  }, /second failed/);
  assert.deepEqual(out, ["first"]);
  for await (const s of pile) out.push(s);
  assert.deepEqual(out, ["first", "third"]);
});

Deno.test("GreenPile with nothing (more) spawned ends at once", async () => {
  const pile = new GreenPile(3);
  let n = 0;
  for await (const _ of pile) n++;
  assert.equal(n, 0);
  await pile.spawn(() => 1);
  for await (const _ of pile) n++;
  for await (const _ of pile) n++;
  assert.equal(n, 1);
});

Deno.test("GreenPile piles sharing one pool share its limit (the dispatch pattern)", async () => {
  const pool = new GreenPool(3);
  let inFlight = 0;
  let max = 0;
  const work = async (x: number) => {
    max = Math.max(max, ++inFlight);
    await sleep(1);
    inFlight--;
    return x;
  };
  // Two "requests", each fanning out over the same global pool.
  const request = async (base: number) => {
    const pile = new GreenPile<number>(pool);
    for (let i = 0; i < 5; i++) await pile.spawn(work, base + i);
    const out: number[] = [];
    for await (const x of pile) out.push(x);
    return out;
  };
  const a = spawn(request, 0);
  const b = spawn(request, 100);
  assert.deepEqual(await a.wait(), [0, 1, 2, 3, 4]);
  assert.deepEqual(await b.wait(), [100, 101, 102, 103, 104]);
  assert.equal(max, 3);
  assert.equal(pool.running(), 0);
});

Deno.test("GreenPile: iterating while a spawn still waits for a slot waits for it", async () => {
  const pool = new GreenPool(1);
  const pile = new GreenPile<string>(pool);
  await pile.spawn(async () => (await sleep(2), "a"));
  const pending = pile.spawn(() => "b"); // waits for the slot, not awaited yet
  const out: string[] = [];
  for await (const s of pile) out.push(s);
  await pending;
  assert.deepEqual(out, ["a", "b"]);
});

Deno.test("GreenPile: a spawn interrupted while waiting for a slot leaves the pile", async () => {
  const pool = new GreenPool(1);
  const pile = new GreenPile<string>(pool);
  await pile.spawn(async () => (await sleep(2), "a"));
  const spawner = spawn(() => pile.spawn(() => "never"));
  await sleep(0);
  await spawner.kill();
  await assert.rejects(spawner.wait(), GreenletExit);
  await pile.spawn(() => "c");
  const out: string[] = [];
  for await (const s of pile) out.push(s);
  assert.deepEqual(out, ["a", "c"]);
  assert.equal(pool.free(), 1);
});

Deno.test("GreenPile: bad arguments throw TypeError/RangeError naming the argument", () => {
  assert.throws(() => new GreenPile(-1), { name: "RangeError", message: /size/ });
  assert.throws(() => new GreenPile("x" as never), { name: "TypeError", message: /poolOrSize/ });
  assert.throws(() => new GreenPile().spawn(3 as never), { name: "TypeError", message: /fn/ });
  assert.equal(new GreenPile().pool.size, 1000);
});
