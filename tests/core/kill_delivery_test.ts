/** Kills are never lost, and `kill()`'s promise is a wait only of whoever awaits it (DESIGN.md section 1). */
import assert from "node:assert/strict";
import { getCurrent, GreenletExit, type GreenThread, sleep, spawn, spawnN, Timeout } from "@evy/evy";
import { type ErrorReport, getHub } from "@evy/evy/hubs";

/** A plain (non-green) promise: a real runtime timer the hub knows nothing of. */
function plainDelay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

Deno.test("kill() of a thread awaiting only plain promises: it ends as killed, not with its value", async () => {
  const gt = spawn(() => plainDelay(20, "value"));
  await sleep(0);
  assert.equal(gt.started, true);
  await gt.kill();
  assert.equal(gt.dead, true);
  await assert.rejects(gt.wait(), GreenletExit);
});

Deno.test("kill(error) undelivered at exit: wait() rejects with that error, also when the thread threw another", async () => {
  const stop = new Error("stop");
  const returns = spawn(() => plainDelay(5, 1));
  const throws = spawn(async () => {
    await plainDelay(5, 0);
    throw new Error("its own failure");
  });
  await sleep(0);
  await Promise.all([returns.kill(stop), throws.kill(stop)]);
  await assert.rejects(returns.wait(), (e) => e === stop);
  await assert.rejects(throws.wait(), (e) => e === stop);
});

Deno.test("links of a thread whose kill was never delivered see a killed thread", async () => {
  const seen: Promise<unknown>[] = [];
  const gt = spawn(() => plainDelay(5, "value"));
  // A link runs in the exiting thread's context: look at the thread from the hub's next turn.
  gt.link((thread: GreenThread<string>) => {
    getHub().schedule(() => void seen.push(thread.wait().then(() => "returned", (e) => e)));
  });
  await sleep(0);
  await gt.kill();
  await sleep(0);
  assert.equal(seen.length, 1);
  assert.ok((await seen[0]) instanceof GreenletExit);
});

Deno.test("a thread that takes the kill at a green wait, catches it and returns counts as returned", async () => {
  const gt = spawn(async () => {
    await plainDelay(5, 0);
    try {
      await sleep(60_000);
    } catch (e) {
      if (!(e instanceof GreenletExit)) throw e;
    }
    return "cleaned up";
  });
  await sleep(0);
  await gt.kill();
  assert.equal(await gt.wait(), "cleaned up");
});

Deno.test("a spawnN thread whose kill was never delivered ends killed and is not reported as a failure", async () => {
  const reports: ErrorReport[] = [];
  using _ = getHub().setErrorReporter((r) => reports.push(r));
  let thread: GreenThread | undefined;
  let finished = false;
  spawnN(async () => {
    thread = getCurrent();
    await plainDelay(5, 0);
    finished = true;
  });
  await sleep(0);
  await thread!.kill();
  assert.equal(finished, true);
  await assert.rejects(thread!.wait(), GreenletExit);
  assert.deepEqual(reports, []);
});

Deno.test("kill()'s promise ignored: the caller's own kill does not reject it unhandled", async () => {
  let release!: () => void;
  const slowExit = new Promise<void>((r) => (release = r));
  const target = spawn(async () => {
    try {
      await sleep(60_000);
    } finally {
      await plainDelay(1, 0); // exits after its killer does
      await slowExit;
    }
  });
  const caller = spawn(async () => {
    void target.kill();
    await sleep(60_000);
  });
  await sleep(0);
  await sleep(0);
  await caller.kill(); // would reject the caller's join wait if kill() had made one
  await assert.rejects(caller.wait(), GreenletExit);
  assert.equal(target.dead, false);
  assert.deepEqual(getHub().listWaits().filter((w) => w.threadName === caller.name), []);
  release();
  await target.wait().catch(() => {});
  assert.equal(target.dead, true);
});

Deno.test("await kill() is a green wait of the awaiting thread: its Timeout interrupts it", async () => {
  let release!: () => void;
  const slowExit = new Promise<void>((r) => (release = r));
  const target = spawn(async () => {
    try {
      await sleep(60_000);
    } finally {
      await slowExit;
    }
  });
  await sleep(0);
  const t = new Timeout(10);
  await assert.rejects(target.kill(), (e) => e === t);
  t.cancel();
  assert.equal(target.dead, false);
  release();
  await target.kill();
  assert.equal(target.dead, true);
});
