import assert from "node:assert/strict";
import {
  getCurrent,
  GreenletExit,
  type GreenThread,
  interruptible,
  kill,
  sleep,
  spawn,
  spawnAfter,
  spawnN,
  suspend,
} from "@evy/evy";
import { type ErrorReport, getHub, useHub, VirtualHub } from "@evy/evy/hubs";

function captureReports(): { reports: ErrorReport[] } & Disposable {
  const reports: ErrorReport[] = [];
  const restore = getHub().setErrorReporter((r) => reports.push(r));
  return { reports, [Symbol.dispose]: () => restore[Symbol.dispose]() };
}

Deno.test("spawn() returns at once and starts the thread when the spawner waits", async () => {
  const log: string[] = [];
  const gt = spawn(() => log.push("child"));
  log.push("parent");
  assert.equal(gt.started, false);
  await sleep(0);
  assert.deepEqual(log, ["parent", "child"]);
  assert.equal(gt.started, true);
  assert.equal(gt.dead, true);
});

Deno.test("threads start in spawn order (FIFO)", async () => {
  const order: number[] = [];
  const threads = Array.from({ length: 50 }, (_, i) => spawn(() => void order.push(i)));
  await Promise.all(threads.map((t) => t.wait()));
  assert.deepEqual(order, Array.from({ length: 50 }, (_, i) => i));
});

Deno.test("wait() resolves with the value and rejects with the error", async () => {
  assert.equal(await spawn((a: number, b: number) => a * b, 6, 7).wait(), 42);
  const failing = spawn(() => {
    throw new Error("boom");
  });
  await assert.rejects(failing.wait(), /boom/);
  // A second wait sees the same outcome.
  await assert.rejects(failing.wait(), /boom/);
});

Deno.test("100,000 threads spawn and join", async () => {
  let ran = 0;
  const threads: GreenThread<number>[] = [];
  for (let i = 0; i < 100_000; i++) {
    threads.push(spawn(async (n: number) => {
      await sleep(0);
      ran++;
      return n;
    }, i));
  }
  const results = await Promise.all(threads.map((t) => t.wait()));
  assert.equal(ran, 100_000);
  assert.equal(results[99_999], 99_999);
});

Deno.test("a GreenThread is not a thenable: returning it never waits for it", async () => {
  const gt = spawn(() => sleep(60_000));
  assert.equal("then" in gt, false);
  // deno-lint-ignore require-await
  const handedBack = await (async () => gt)();
  assert.equal(handedBack, gt);
  assert.equal(await Promise.resolve(gt), gt);
  await gt.kill();
});

Deno.test("kill() of a thread that never started: it never runs, wait() rejects", async () => {
  let ran = false;
  const gt = spawn(() => void (ran = true));
  await gt.kill();
  await sleep(0);
  assert.equal(ran, false);
  assert.equal(gt.dead, true);
  assert.equal(gt.started, false);
  await assert.rejects(gt.wait(), GreenletExit);
});

Deno.test("kill() of a thread blocked in sleep interrupts it and resolves once it exited", async () => {
  const gt = spawn(() => sleep(60_000));
  await sleep(0);
  assert.equal(getHub().listWaits().some((w) => w.description === "sleep(60000)"), true);
  await gt.kill();
  assert.equal(gt.dead, true);
  await assert.rejects(gt.wait(), GreenletExit);
  assert.equal(getHub().listWaits().some((w) => w.description === "sleep(60000)"), false);
});

Deno.test("kill() with an error: wait() rejects with that error", async () => {
  const gt = spawn(() => sleep(60_000));
  await sleep(0);
  const reason = new Error("shutting down");
  await kill(gt, reason);
  await assert.rejects(gt.wait(), (e) => e === reason);
});

Deno.test("kill() of a thread in interruptible(p) and in suspend()", async () => {
  let cleaned = false;
  const a = spawn(() => interruptible(new Promise(() => {})));
  const b = spawn(() => suspend(() => () => void (cleaned = true), "custom wait"));
  await sleep(0);
  await Promise.all([a.kill(), b.kill()]);
  await assert.rejects(a.wait(), GreenletExit);
  await assert.rejects(b.wait(), GreenletExit);
  assert.equal(cleaned, true);
});

Deno.test("a thread that catches GreenletExit cleans up and returns normally", async () => {
  const log: string[] = [];
  const gt = spawn(async () => {
    try {
      await sleep(60_000);
      return "finished";
    } catch (e) {
      assert.ok(e instanceof GreenletExit);
      await sleep(1); // green waits still work while cleaning up
      log.push("cleaned up");
      return "cleaned";
    }
  });
  await sleep(0);
  await gt.kill();
  assert.deepEqual(log, ["cleaned up"]);
  assert.equal(await gt.wait(), "cleaned");
});

Deno.test("kill() of a dead thread is a no-op", async () => {
  const gt = spawn(() => 1);
  assert.equal(await gt.wait(), 1);
  await gt.kill();
  assert.equal(await gt.wait(), 1);
});

Deno.test("killing the current thread throws at once; the main thread cannot be killed", async () => {
  const self = spawn(() => {
    const err = new Error("suicide");
    try {
      getCurrent().kill(err);
    } catch (e) {
      return e === err;
    }
    return false;
  });
  assert.equal(await self.wait(), true);
  assert.throws(() => getCurrent().kill(), TypeError);
});

Deno.test("a thread awaiting a plain promise gets the kill at its next green wait; its signal aborts at once", async () => {
  let release!: () => void;
  const plain = new Promise<void>((r) => (release = r));
  const steps: string[] = [];
  const gt = spawn(async () => {
    await plain; // not a green wait: cannot be interrupted here
    steps.push("after plain");
    await sleep(0); // the kill arrives here
    steps.push("unreachable");
  });
  await sleep(0);
  const killed = gt.kill();
  assert.equal(gt.signal.aborted, true);
  assert.ok(gt.signal.reason instanceof GreenletExit);
  release();
  await killed;
  assert.deepEqual(steps, ["after plain"]);
  await assert.rejects(gt.wait(), GreenletExit);
});

Deno.test("a kill arriving after a wait resolved does not lose the resolved value", async () => {
  let resolveWait!: (v: string) => void;
  const got: string[] = [];
  const gt = spawn(async () => {
    got.push(await suspend<string>((resolve) => void (resolveWait = resolve), "handoff"));
    await sleep(0);
  });
  await sleep(0);
  resolveWait("item"); // resolved, but the thread has not resumed yet
  const killed = gt.kill();
  await killed;
  assert.deepEqual(got, ["item"]);
  await assert.rejects(gt.wait(), GreenletExit);
});

Deno.test("kill() rejects every pending green wait of the thread", async () => {
  const errors: unknown[] = [];
  const gt = spawn(async () => {
    await Promise.all([
      sleep(60_000).catch((e) => errors.push(e)),
      sleep(30_000).catch((e) => errors.push(e)),
    ]);
  });
  await sleep(0);
  await gt.kill();
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e instanceof GreenletExit));
});

Deno.test("cancel() kills only a thread that has not started", async () => {
  const pending = spawn(() => "never");
  assert.equal(pending.cancel(), true);
  await assert.rejects(pending.wait(), GreenletExit);
  const running = spawn(() => sleep(10_000));
  await sleep(0);
  assert.equal(running.cancel(), false);
  await running.kill();
});

Deno.test("link() callbacks run in order after exit, with args; also after death and on kill before start", async () => {
  const calls: string[] = [];
  const gt = spawn(() => "v");
  gt.link((t, tag: string) => calls.push(`${tag}:${t.name}`), "first");
  gt.link(() => calls.push("second"));
  const removed = () => calls.push("removed");
  gt.link(removed);
  assert.equal(gt.unlink(removed), true);
  await gt.wait();
  assert.deepEqual(calls, ["first:anonymous", "second"]);
  gt.link(() => calls.push("late"));
  assert.deepEqual(calls, ["first:anonymous", "second"]); // runs soon, not now
  await sleep(0);
  assert.deepEqual(calls, ["first:anonymous", "second", "late"]);

  const never = spawn(() => {});
  never.link(() => calls.push("killed before start"));
  await never.kill();
  assert.equal(calls.at(-1), "killed before start");
});

Deno.test("a failing link callback is reported, and later links still run", async () => {
  using capture = captureReports();
  const ran: string[] = [];
  const gt = spawn(() => {});
  gt.link(() => {
    throw new Error("bad link");
  });
  gt.link(() => ran.push("next"));
  await gt.wait();
  assert.deepEqual(ran, ["next"]);
  assert.equal(capture.reports.length, 1);
  assert.match(String(capture.reports[0]!.error), /bad link/);
});

Deno.test("a failing spawnN is reported by the hub and never becomes an unhandled rejection", async () => {
  using capture = captureReports();
  spawnN(function worker() {
    throw new Error("spawnN failure");
  });
  await sleep(0);
  await sleep(0);
  assert.equal(capture.reports.length, 1);
  assert.equal(capture.reports[0]!.context, "spawnN(worker)");
  assert.match(String(capture.reports[0]!.error), /spawnN failure/);
});

Deno.test("a failing spawn nobody waits for is kept for wait(), not reported", async () => {
  using capture = captureReports();
  const gt = spawn(() => Promise.reject(new Error("kept")));
  await sleep(0);
  await sleep(0);
  assert.equal(gt.dead, true);
  assert.equal(capture.reports.length, 0);
  await assert.rejects(gt.wait(), /kept/);
});

Deno.test("spawn stacks: a spawnN failure report carries the spawn site when enabled", async () => {
  using capture = captureReports();
  const hub = getHub();
  hub.spawnStacks = true;
  try {
    spawnN(() => {
      throw new Error("where from?");
    });
  } finally {
    hub.spawnStacks = false;
  }
  await sleep(0);
  assert.match(capture.reports[0]!.spawnStack ?? "", /green_thread_test\.ts/);
});

Deno.test("spawnAfter() delays the start; cancel() prevents it", async () => {
  const hub = new VirtualHub();
  using _ = useHub(hub);
  const later = spawnAfter(100, () => hub.now());
  const cancelled = spawnAfter(50, () => "never");
  assert.equal(cancelled.cancel(), true);
  await hub.tick(99);
  assert.equal(later.started, false);
  await hub.tick(1);
  assert.equal(await later.wait(), 100);
  await assert.rejects(cancelled.wait(), GreenletExit);
  assert.equal(hub.pendingTimers, 0);
});

Deno.test("getCurrent() is the thread across awaits, and main at top level", async () => {
  const gt = spawn(async () => {
    const before = getCurrent();
    await sleep(0);
    await Promise.resolve();
    return before === getCurrent();
  });
  assert.equal(await gt.wait(), true);
  assert.equal(getCurrent().name, "main");
  assert.equal(getCurrent(), getCurrent());
});

Deno.test("name defaults to the function's name and can be set", async () => {
  const gt = spawn(function fetchTitle() {});
  assert.equal(gt.name, "fetchTitle");
  gt.name = "renamed";
  assert.equal(String(gt), "GreenThread(renamed, pending)");
  await gt.wait();
});

Deno.test("await using kills the thread at scope exit", async () => {
  let gt: GreenThread<void>;
  {
    await using t = spawn(() => sleep(60_000));
    gt = t;
    await sleep(0);
  }
  assert.equal(gt.dead, true);
});

Deno.test("a thread waiting for itself gets a RangeError", async () => {
  const gt = spawn(async () => {
    await getCurrent().wait();
  });
  await assert.rejects(gt.wait(), RangeError);
});

Deno.test("bad arguments throw TypeError / RangeError naming the argument", () => {
  assert.throws(() => spawn(42 as never), /fn must be a function/);
  assert.throws(() => spawnN("x" as never), TypeError);
  assert.throws(() => spawnAfter(-1, () => {}), /ms must be a number >= 0/);
  assert.throws(() => kill({} as never), /thread must be a GreenThread/);
  assert.throws(() => sleep(-5), RangeError);
  assert.throws(() => sleep(Number.NaN), RangeError);
});

Deno.test("sleep(0) lets I/O and timers run: a yield loop does not starve a real timer", async () => {
  let fired = false;
  const id = setTimeout(() => (fired = true), 5);
  const start = performance.now();
  let spins = 0;
  while (!fired && performance.now() - start < 5_000) {
    await sleep(0);
    spins++;
  }
  clearTimeout(id);
  assert.equal(fired, true);
  assert.ok(spins > 0);
});
