import assert from "node:assert/strict";
import { getCurrent, GreenletExit, GreenPool, type GreenThread, sleep, spawn, suspend, Timeout } from "@evy/evy";
import { type ErrorReport, getHub } from "@evy/evy/hubs";

/** A green gate: `wait()` blocks until `open()`. */
function gate(): { wait(): Promise<void>; open(): void } {
  const waiters: (() => void)[] = [];
  let opened = false;
  return {
    wait: () => opened ? Promise.resolve() : suspend<void>((resolve) => void waiters.push(resolve), "gate"),
    open() {
      opened = true;
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}

function slotWaits(): number {
  return getHub().listWaits().filter((w) => w.description === "GreenPool.spawn()").length;
}

Deno.test("GreenPool.spawn() waits greenly for a free slot and resolves with the thread", async () => {
  const pool = new GreenPool(2);
  const g = gate();
  const a = await pool.spawn(() => g.wait().then(() => "a"));
  await pool.spawn(() => g.wait());
  assert.equal(pool.free(), 0);
  assert.equal(pool.running(), 2);
  let third: GreenThread<string> | undefined;
  const spawner = spawn(async () => (third = await pool.spawn(() => "c")));
  await sleep(0);
  assert.equal(pool.waiting(), 1);
  assert.equal(slotWaits(), 1, "the wait is listed by the hub");
  assert.equal(third, undefined);
  g.open();
  await spawner.wait();
  assert.equal(await a.wait(), "a");
  assert.equal(await third!.wait(), "c");
  await pool.waitall();
  assert.deepEqual([pool.running(), pool.free(), pool.waiting()], [0, 2, 0]);
});

Deno.test("GreenPool.spawn() hands slots to waiters first come, first served", async () => {
  const pool = new GreenPool(1);
  const g = gate();
  await pool.spawn(() => g.wait());
  const order: number[] = [];
  const spawners = [1, 2, 3].map((n) => spawn(() => pool.spawnN(() => void order.push(n))));
  await sleep(0);
  assert.equal(pool.waiting(), 3);
  g.open();
  await Promise.all(spawners.map((t) => t.wait()));
  await pool.waitall();
  assert.deepEqual(order, [1, 2, 3]);
});

Deno.test("GreenPool.spawn() keeps a thread's failure for wait(); spawnN() reports it to the hub", async () => {
  const pool = new GreenPool(3);
  const gt = await pool.spawn(() => {
    throw new Error("kept");
  });
  await assert.rejects(gt.wait(), /kept/);
  const reports: ErrorReport[] = [];
  using _ = getHub().setErrorReporter((r) => void reports.push(r));
  await pool.spawnN(function failing() {
    throw new Error("reported");
  });
  await pool.waitall();
  assert.equal(reports.length, 1);
  assert.match(String(reports[0]!.error), /reported/);
  assert.match(reports[0]!.context, /failing/);
  assert.equal(pool.free(), 3);
});

Deno.test("GreenPool: a member spawning into its full pool runs the function inline instead of deadlocking", async () => {
  const pool = new GreenPool(1);
  const outer = await pool.spawn(async () => {
    const me = getCurrent();
    const inner = await pool.spawn((x: number) => [x * 2, getCurrent() === me] as const, 21);
    assert.equal(inner.dead, true);
    assert.equal(inner.started, true);
    const [value, sameThread] = await inner.wait();
    await pool.spawnN(() => void 0); // spawnN too
    await assert.rejects(
      pool.spawn(() => {
        throw new Error("inline failure");
      }),
      /inline failure/,
    );
    return { value, sameThread };
  });
  assert.deepEqual(await outer.wait(), { value: 42, sameThread: true });
  assert.equal(pool.free(), 1);
});

Deno.test("GreenPool.waitall() waits for every thread; from a member it rejects", async () => {
  const pool = new GreenPool(4);
  await pool.waitall(); // empty: at once
  const done: number[] = [];
  for (let i = 0; i < 10; i++) await pool.spawnN(async () => (await sleep(i % 3), done.push(i)));
  const member = await pool.spawn(() => pool.waitall());
  await pool.waitall();
  assert.equal(done.length, 10);
  await assert.rejects(member.wait(), RangeError);
  assert.equal(pool.running(), 0);
});

Deno.test("GreenPool.resize() while waiters wait: growing wakes them, shrinking waits for running threads", async () => {
  const pool = new GreenPool(1);
  const g = gate();
  await pool.spawn(() => g.wait());
  const spawners = [0, 1].map(() => spawn(() => pool.spawn(() => g.wait())));
  await sleep(0);
  assert.equal(pool.waiting(), 2);
  pool.resize(3);
  assert.equal(pool.waiting(), 0);
  await Promise.all(spawners.map((t) => t.wait()));
  assert.equal(pool.running(), 3);
  pool.resize(1);
  assert.equal(pool.size, 1);
  assert.equal(pool.free(), 0);
  const late = spawn(() => pool.spawn(() => "late"));
  await sleep(0);
  assert.equal(pool.waiting(), 1);
  g.open();
  assert.equal(await (await late.wait()).wait(), "late");
  await pool.waitall();
  assert.equal(pool.free(), 1);
});

Deno.test("GreenPool: killing a thread waiting for a slot leaks no slot", async () => {
  const pool = new GreenPool(1);
  const g = gate();
  await pool.spawn(() => g.wait());
  let started = false;
  const waiter = spawn(() => pool.spawn(() => void (started = true)));
  await sleep(0);
  assert.equal(pool.waiting(), 1);
  await waiter.kill();
  await assert.rejects(waiter.wait(), GreenletExit);
  assert.equal(pool.waiting(), 0);
  g.open();
  await pool.waitall();
  assert.equal(started, false);
  assert.equal(pool.free(), 1);
  // The slot is really free: a new spawn gets it at once.
  assert.equal(await (await pool.spawn(() => "ok")).wait(), "ok");
});

Deno.test("GreenPool: a Timeout interrupts the wait for a slot", async () => {
  const pool = new GreenPool(1);
  const g = gate();
  await pool.spawn(() => g.wait());
  const t = new Timeout(5);
  await assert.rejects(pool.spawn(() => 1), (e) => e === t);
  assert.equal(pool.waiting(), 0);
  g.open();
  await pool.waitall();
  assert.equal(pool.free(), 1);
});

Deno.test("GreenPool: bad arguments throw TypeError/RangeError naming the argument", () => {
  assert.throws(() => new GreenPool(-1), { name: "RangeError", message: /size/ });
  assert.throws(() => new GreenPool(1.5), { name: "TypeError", message: /size/ });
  assert.throws(() => new GreenPool("3" as unknown as number), { name: "TypeError", message: /size/ });
  const pool = new GreenPool();
  assert.equal(pool.size, 1000);
  assert.throws(() => pool.spawn(42 as never), { name: "TypeError", message: /fn/ });
  assert.throws(() => pool.spawnN(null as never), { name: "TypeError", message: /fn/ });
  assert.throws(() => pool.resize(-2), { name: "RangeError", message: /\bn\b/ });
  assert.throws(() => pool.imap("f" as never, [1]), { name: "TypeError", message: /fn/ });
  assert.throws(() => pool.imap((x: number) => x, 5 as unknown as number[]), {
    name: "TypeError",
    message: /argument 1/,
  });
  assert.throws(() => pool.starmap((x: number) => x, {} as never), { name: "TypeError", message: /argument 1/ });
});

Deno.test("GreenPool.waitall() also waits for a spawn that was just handed a freed slot", async () => {
  const pool = new GreenPool(1);
  const log: string[] = [];
  await pool.spawn(async () => (await sleep(2), log.push("a")));
  const spawner = spawn(() => pool.spawn(async () => (await sleep(2), log.push("b"))));
  await sleep(0);
  assert.equal(pool.waiting(), 1);
  await pool.waitall();
  assert.deepEqual(log, ["a", "b"]);
  await spawner.wait();
});
