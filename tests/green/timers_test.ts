import assert from "node:assert/strict";
import { getCurrent, sleep, spawn, Timeout } from "@evy/evy";
import { withVirtualHub } from "@evy/evy/hubs";
import { clearInterval, clearTimeout, refTimer, setInterval, setTimeout, unrefTimer } from "@evy/evy/green/timers";
import * as tp from "@evy/evy/green/timers-promises";

Deno.test("green setTimeout fires on the hub's timer heap, in deadline order, with its args", () =>
  withVirtualHub(async (hub) => {
    const fired: string[] = [];
    setTimeout((x: string) => fired.push(x), 30, "c");
    setTimeout(() => fired.push("a"), 10);
    setTimeout(() => fired.push("b"), 20);
    assert.equal(hub.listTimers().length, 3);
    assert.match(hub.listTimers()[0]!.description, /setTimeout\(10\)/);
    await hub.tick(15);
    assert.deepEqual(fired, ["a"]);
    await hub.runUntilIdle();
    assert.deepEqual(fired, ["a", "b", "c"]);
  }));

Deno.test("green clearTimeout cancels; undefined, unknown ids and runtime ids are handled", () =>
  withVirtualHub(async (hub) => {
    let fired = false;
    const id = setTimeout(() => (fired = true), 10);
    assert.ok(id >= 2 ** 29);
    clearTimeout(id);
    clearTimeout(undefined);
    clearTimeout(id); // twice: no-op
    const runtimeId = globalThis.setTimeout(() => (fired = true), 1);
    clearTimeout(runtimeId); // passed to the runtime's clearTimeout (else the sanitizer sees a leak)
    await hub.runUntilIdle();
    assert.equal(fired, false);
    assert.equal(hub.listTimers().length, 0);
  }));

Deno.test("green setTimeout rejects a non-function callback with a TypeError naming it", () => {
  assert.throws(() => setTimeout("alert(1)" as unknown as () => void, 1), TypeError);
  assert.throws(() => setTimeout("alert(1)" as unknown as () => void, 1), /callback/);
});

Deno.test("green setInterval repeats until cleared", () =>
  withVirtualHub(async (hub) => {
    let n = 0;
    const id = setInterval(() => n++, 10);
    await hub.tick(35);
    assert.equal(n, 3);
    clearInterval(id);
    await hub.tick(100);
    assert.equal(n, 3);
    assert.equal(hub.listTimers().length, 0);
  }));

Deno.test("a green setInterval made in a thread dies when the thread is killed", () =>
  withVirtualHub(async (hub) => {
    let n = 0;
    const gt = spawn(async () => {
      setInterval(() => n++, 10);
      await sleep(1_000_000);
    });
    await hub.tick(25);
    assert.equal(n, 2);
    await gt.kill();
    await hub.tick(100);
    assert.equal(n, 2);
    assert.equal(hub.listTimers().length, 0);
  }));

Deno.test("a green setInterval made in a thread survives the thread returning normally", () =>
  withVirtualHub(async (hub) => {
    let n = 0;
    let id = 0;
    await spawn(() => void (id = setInterval(() => n++, 10))).wait();
    await hub.tick(30);
    assert.equal(n, 3);
    clearInterval(id);
  }));

Deno.test("a green timer's callback runs in the context of the thread that made it", () =>
  withVirtualHub(async (hub) => {
    let seen: unknown;
    const gt = spawn(async () => {
      setTimeout(() => (seen = getCurrent()), 5);
      await sleep(10);
    });
    await hub.runUntilIdle();
    await gt.wait();
    assert.equal(seen, gt);
  }));

Deno.test("a throwing green timer callback is reported by the hub, not thrown", () =>
  withVirtualHub(async (hub) => {
    const reports: string[] = [];
    using _r = hub.setErrorReporter((r) => reports.push(`${r.context}: ${(r.error as Error).message}`));
    setTimeout(() => {
      throw new Error("boom");
    }, 1);
    await hub.runUntilIdle();
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /setTimeout\(1\).*boom/);
  }));

Deno.test("a green timer callback that throws in its thread's context leaves the rest of the hub turn outside it", () =>
  withVirtualHub(async (hub) => {
    const reports: string[] = [];
    using _r = hub.setErrorReporter((r) => reports.push((r.error as Error).message));
    const main = getCurrent();
    let after: unknown;
    const gt = spawn(async () => {
      setTimeout(() => {
        throw new Error("boom in the thread's timer");
      }, 5);
      await sleep(20);
    });
    await hub.tick(0);
    setTimeout(() => (after = getCurrent()), 5); // made outside any thread: due in the same hub turn, just after
    await hub.runUntilIdle();
    await gt.wait();
    assert.deepEqual(reports, ["boom in the thread's timer"]);
    assert.equal(after, main);
  }));

Deno.test("unrefTimer/refTimer accept green ids", () =>
  withVirtualHub(async (hub) => {
    let fired = false;
    const id = setTimeout(() => (fired = true), 10);
    unrefTimer(id);
    refTimer(id);
    await hub.runUntilIdle();
    assert.equal(fired, true);
  }));

Deno.test("timers/promises setTimeout: value, AbortError on abort, Timeout interrupts it", () =>
  withVirtualHub(async (hub) => {
    const results: unknown[] = [];
    const gt = spawn(async () => {
      results.push(await tp.setTimeout(10, "v"));
      const ac = new AbortController();
      const p = tp.setTimeout(10_000, "x", { signal: ac.signal });
      ac.abort(new Error("why"));
      await p.catch((e) => results.push(`${e.name}:${e.code}:${e.cause.message}`));
      using t = new Timeout(5);
      await tp.setTimeout(10_000).catch((e) => results.push(e === t));
    });
    await hub.runUntilIdle();
    await gt.wait();
    assert.deepEqual(results, ["v", "AbortError:ABORT_ERR:why", true]);
    assert.equal(hub.listTimers().length, 0);
  }));

Deno.test("timers/promises setInterval iterates, counts missed ticks and stops on break", () =>
  withVirtualHub(async (hub) => {
    const seen: number[] = [];
    const gt = spawn(async () => {
      for await (const _v of tp.setInterval(10)) {
        seen.push(hub.now());
        if (seen.length === 1) await sleep(25); // two ticks pass meanwhile
        if (seen.length === 4) break;
      }
    });
    await hub.runUntilIdle();
    await gt.wait();
    assert.deepEqual(seen, [10, 35, 35, 40]);
    assert.equal(hub.listTimers().length, 0);
  }));

Deno.test("timers/promises setInterval is interrupted by kill and lists its wait", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      for await (const _ of tp.setInterval(1_000)) { /* waits */ }
    });
    await hub.tick(1);
    assert.ok(hub.listWaits().some((w) => /setInterval\(1000\)/.test(w.description)));
    await gt.kill();
    assert.equal(hub.listTimers().length, 0);
    assert.equal(hub.listWaits().length, 0);
  }));

Deno.test("timers/promises setImmediate and scheduler resolve greenly", async () => {
  assert.equal(await tp.setImmediate("i"), "i");
  await tp.scheduler.yield();
  await tp.scheduler.wait(1);
});

Deno.test("a killed thread awaiting a green setTimeout promise gets there, takes the kill, and kill() returns", () =>
  withVirtualHub(async (hub) => {
    const steps: string[] = [];
    const gt = spawn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      steps.push("timer fired");
      await sleep(1_000_000);
      steps.push("never");
    });
    await hub.tick(10);
    const killed = gt.kill();
    await hub.tick(50);
    await killed;
    assert.deepEqual(steps, ["timer fired"]);
    assert.equal(gt.dead, true);
    assert.equal(hub.listTimers().length, 0);
  }));

Deno.test("a killed thread's timer still pending when it exits never fires", () =>
  withVirtualHub(async (hub) => {
    let late = false;
    const gt = spawn(async () => {
      setTimeout(() => (late = true), 100);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sleep(1_000_000); // takes the kill here and exits
    });
    await hub.tick(10);
    const killed = gt.kill();
    await hub.tick(20);
    await killed;
    assert.equal(gt.dead, true);
    await hub.tick(200);
    assert.equal(late, false);
    assert.equal(hub.listTimers().length, 0);
  }));
