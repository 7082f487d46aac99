/**
 * The hub conformance suite: the same scheduling contract checked on every
 * hub (Eventlet runs its whole suite per hub). `drive(p)` awaits `p` while
 * making time pass — plainly on a real hub, by running the clock on the
 * virtual one.
 */
import assert from "node:assert/strict";
import { getCurrent, sleep, spawn, Timeout, withTimeout } from "@evy/evy";
import { type Hub, useHub } from "@evy/evy/hubs";

export interface HubSuiteOptions {
  name: string;
  makeHub(): Hub;
  drive<T>(hub: Hub, p: Promise<T>): Promise<T>;
}

export function runHubSuite({ name, makeHub, drive }: HubSuiteOptions): void {
  const test = (title: string, fn: (hub: Hub) => Promise<void>) =>
    Deno.test(`${name} hub: ${title}`, async () => {
      const hub = makeHub();
      using _ = useHub(hub);
      await fn(hub);
      assert.equal(hub.listTimers().length, 0, "no timers left on the heap");
      assert.equal(hub.listWaits().length, 0, "no waits left in the registry");
    });

  test("ready callbacks run in FIFO order on the next turn", async (hub) => {
    const order: number[] = [];
    for (let i = 0; i < 5; i++) hub.schedule(() => void order.push(i));
    assert.deepEqual(order, []);
    await drive(hub, sleep(0));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  test("a callback scheduled during a turn runs on the next turn", async (hub) => {
    const order: string[] = [];
    hub.schedule(() => {
      order.push("a");
      hub.schedule(() => void order.push("c"));
    });
    hub.schedule(() => void order.push("b"));
    await drive(hub, sleep(0).then(() => sleep(0)));
    assert.deepEqual(order, ["a", "b", "c"]);
  });

  test("timers fire in deadline order, ties in scheduling order", async (hub) => {
    const fired: string[] = [];
    const t20 = hub.scheduleCallGlobal(20, () => void fired.push("20"));
    const t5a = hub.scheduleCallGlobal(5, () => void fired.push("5a"));
    const t5b = hub.scheduleCallGlobal(5, () => void fired.push("5b"));
    // On a real clock a loaded machine may pass milliseconds between these calls, so the expected order comes
    // from the deadlines the hub gave (ties in scheduling order: a stable sort), not from the delays alone.
    const expected = [["20", t20], ["5a", t5a], ["5b", t5b]] as const;
    const order = [...expected].sort((a, b) => a[1].deadline - b[1].deadline).map(([name]) => name);
    const cancelled = hub.scheduleCallGlobal(10, () => void fired.push("10"));
    cancelled.cancel();
    assert.equal(cancelled.pending, false);
    assert.deepEqual(hub.listTimers().map((t) => t.deadline - hub.now() <= 20), [true, true, true]);
    await drive(hub, sleep(30));
    assert.deepEqual(fired, order);
    if (t5a.deadline === t5b.deadline) {
      assert.ok(fired.indexOf("5a") < fired.indexOf("5b"), "a tie fires in scheduling order");
    }
  });

  test("a timer never fires before its deadline", async (hub) => {
    const start = hub.now();
    let at = -1;
    hub.scheduleCallGlobal(15, () => void (at = hub.now()));
    await drive(hub, sleep(40));
    assert.ok(at - start >= 15, `fired after ${at - start} ms`);
  });

  test("a failing callback is reported and does not stop the turn", async (hub) => {
    const reports: unknown[] = [];
    using _r = hub.setErrorReporter((r) => reports.push(r.error));
    const ran: string[] = [];
    hub.schedule(() => {
      throw new Error("bad callback");
    });
    hub.schedule(() => void ran.push("next"));
    hub.scheduleCallGlobal(1, () => {
      throw new Error("bad timer");
    });
    await drive(hub, sleep(10));
    assert.deepEqual(ran, ["next"]);
    assert.equal(reports.length, 2);
  });

  test("hub callbacks run outside any green thread's context", async (hub) => {
    let seen = "";
    const gt = spawn(() => {
      hub.schedule(() => void (seen = getCurrent().name));
    });
    gt.name = "spawner";
    await drive(hub, gt.wait().then(() => sleep(0)));
    assert.equal(seen, "main");
  });

  test("scheduleCallLocal timers die with their thread", async (hub) => {
    let fired = false;
    const gt = spawn(() => {
      hub.scheduleCallLocal(50, () => void (fired = true));
    });
    await drive(hub, gt.wait().then(() => sleep(60)));
    assert.equal(fired, false);
  });

  test("waits are listed with their thread and description while pending", async (hub) => {
    const gt = spawn(function sleeper() {
      return sleep(1_000);
    });
    await drive(hub, sleep(0));
    const waits = hub.listWaits();
    assert.equal(waits.length, 1);
    assert.equal(waits[0]!.threadName, "sleeper");
    assert.equal(waits[0]!.description, "sleep(1000)");
    await gt.kill();
  });

  test("sleeping threads wake in deadline order", async (hub) => {
    const woke: number[] = [];
    const threads = [30, 10, 20].map((ms) => spawn(async () => void (await sleep(ms), woke.push(ms))));
    await drive(hub, Promise.all(threads.map((t) => t.wait())));
    assert.deepEqual(woke, [10, 20, 30]);
  });

  test("withTimeout interrupts a sleep", async (hub) => {
    const gt = spawn(() => withTimeout(10, () => sleep(10_000), { timeoutValue: "late" }));
    assert.equal(await drive(hub, gt.wait()), "late");
  });

  test("Timeout in a thread with 1,000 sleepers wakes only its own thread", async (hub) => {
    const sleepers = Array.from({ length: 1_000 }, (_, i) => spawn(() => sleep(20 + (i % 7))));
    const timed = spawn(async () => {
      using t = new Timeout(5);
      try {
        await sleep(1_000);
      } catch (e) {
        return e === t;
      }
    });
    assert.equal(await drive(hub, timed.wait()), true);
    await drive(hub, Promise.all(sleepers.map((s) => s.wait())));
  });
}
