/** Bad arguments fail at the call, with a TypeError/RangeError naming the argument and its owner (issue 16 items 3, 13). */
import assert from "node:assert/strict";
import {
  BoundedSemaphore,
  GreenPile,
  GreenPool,
  interruptible,
  LightQueue,
  Local,
  Pool,
  PriorityQueue,
  Queue,
  Semaphore,
  sleep,
  spawn,
  spawnAfter,
  Timeout,
  withTimeout,
} from "@evy/evy";

const create = (): number => 1;

Deno.test("Pool() rejects bad options at the call, naming each", () => {
  assert.throws(() => new Pool({ create, maxSize: 0 }), {
    name: "RangeError",
    message: /Pool: options\.maxSize must be >= 1/,
  });
  assert.throws(() => new Pool({ create, maxSize: 1.5 }), { name: "TypeError", message: /Pool: options\.maxSize/ });
  assert.throws(() => new Pool({ create, maxSize: -1 }), { name: "RangeError", message: /options\.maxSize/ });
  assert.throws(() => new Pool({ create, minSize: -1 }), { name: "RangeError", message: /options\.minSize/ });
  assert.throws(() => new Pool({ create, minSize: "2" as unknown as number }), {
    name: "TypeError",
    message: /options\.minSize must be an integer, got "2"/,
  });
  assert.throws(() => new Pool({ create: "make" as unknown as () => number }), {
    name: "TypeError",
    message: /Pool: options\.create must be a function, got "make"/,
  });
  assert.throws(() => new Pool({ create, orderAsStack: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: /options\.orderAsStack must be a boolean/,
  });
  assert.throws(() => new Pool(null as unknown as { create: () => number }), {
    name: "TypeError",
    message: /Pool: options/,
  });
  assert.throws(() => new Pool({ create, minSize: 3, maxSize: 2 }), RangeError);
});

Deno.test("GreenPool() and resize() reject non-integer and negative sizes", () => {
  assert.throws(() => new GreenPool(-1), { name: "RangeError", message: /GreenPool: size must be >= 0/ });
  assert.throws(() => new GreenPool(2.5), { name: "TypeError", message: /GreenPool: size must be an integer/ });
  assert.throws(() => new GreenPool("4" as unknown as number), { message: /got "4"/ });
  assert.throws(() => new GreenPool(4).resize(-3), { name: "RangeError", message: /GreenPool\.resize: n/ });
});

Deno.test("GreenPile(-2) names GreenPile, not GreenPool", () => {
  assert.throws(() => new GreenPile(-2), {
    name: "RangeError",
    message: /^GreenPile: poolOrSize as a size must be >= 0, got -2/,
  });
  assert.throws(() => new GreenPile("x" as unknown as number), { name: "TypeError", message: /GreenPile: .*got "x"/ });
});

Deno.test("withTimeout(-5) names withTimeout, not Timeout", async () => {
  await assert.rejects(withTimeout(-5, () => 1), {
    name: "RangeError",
    message: /^withTimeout: ms must be a number >= 0/,
  });
  await assert.rejects(withTimeout(5, "fn" as unknown as () => number), {
    name: "TypeError",
    message: /withTimeout: fn must be a function, got "fn"/,
  });
  assert.throws(() => new Timeout("10" as unknown as number), { name: "RangeError", message: /^Timeout: .*got "10"/ });
});

Deno.test("the queues reject bad maxsize and options, naming the queue and the option", async () => {
  assert.throws(() => new Queue(-1), { name: "RangeError", message: /^Queue: maxsize/ });
  assert.throws(() => new LightQueue(1.5), { name: "RangeError", message: /^LightQueue: maxsize/ });
  assert.throws(() => new PriorityQueue(undefined, "asc" as unknown as () => number), {
    name: "TypeError",
    message: /PriorityQueue: compare must be a function, got "asc"/,
  });
  assert.throws(() => new Queue(2).resize(-1), { name: "RangeError", message: /^Queue\.resize: maxsize/ });
  const q = new Queue<number>();
  assert.throws(() => q.get({ timeoutMs: -1 }), { name: "RangeError", message: /^Queue\.get: timeoutMs/ });
  assert.throws(() => q.put(1, { block: "no" as unknown as boolean }), {
    name: "TypeError",
    message: /^Queue\.put: options\.block must be a boolean, got "no"/,
  });
  assert.throws(() => q.get(5 as unknown as { timeoutMs: number }), {
    name: "TypeError",
    message: /^Queue\.get: options/,
  });
  await sleep(0);
});

Deno.test("the semaphores, Local, spawn and friends name their bad arguments", () => {
  assert.throws(() => new Semaphore(-1), { name: "RangeError", message: /^Semaphore: n/ });
  assert.throws(() => new BoundedSemaphore(1).release(0), {
    name: "RangeError",
    message: /^BoundedSemaphore\.release: n/,
  });
  assert.throws(() => new Local("init" as unknown as () => number), {
    message: /Local: init must be a function, got "init"/,
  });
  assert.throws(() => spawn("main" as unknown as () => void), {
    name: "TypeError",
    message: /^spawn: fn must be a function, got "main"/,
  });
  assert.throws(() => spawnAfter(-1, () => {}), { name: "RangeError", message: /^spawnAfter: ms/ });
  assert.throws(() => sleep("5" as unknown as number), { name: "RangeError", message: /^sleep: ms .*got "5"/ });
  assert.throws(() => interruptible("p" as unknown as Promise<void>), { name: "TypeError", message: /got "p"/ });
});

Deno.test("GreenThread.unlink() rejects a non-function, so a pool thread keeps its slot", async () => {
  const pool = new GreenPool(1);
  const gt = await pool.spawn(() => sleep(1));
  assert.throws(() => gt.unlink(undefined as never), {
    name: "TypeError",
    message: /GreenThread\.unlink: cb must be a function, got undefined/,
  });
  await gt.wait();
  await sleep(0);
  assert.equal(pool.free(), 1, "the slot came back when the thread ended");
  const second = await withTimeout(100, () => pool.spawn(() => "ran"));
  assert.equal(await second.wait(), "ran");
});
