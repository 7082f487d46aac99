import assert from "node:assert/strict";
import { sleep, spawn, suspend, Timeout, withTimeout } from "@evy/evy";
import { withVirtualHub } from "@evy/evy/hubs";

Deno.test("Timeout interrupts the current green wait with itself", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      const t = new Timeout(50);
      try {
        await sleep(1_000);
        return "slept";
      } catch (e) {
        return e === t ? `timed out at ${hub.now()}` : "other";
      } finally {
        t.cancel();
      }
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), "timed out at 50");
  }));

Deno.test("Timeout with a custom error throws that error", () =>
  withVirtualHub(async (hub) => {
    const custom = new Error("too slow");
    const gt = spawn(async () => {
      using _ = new Timeout(10, custom);
      await sleep(100);
    });
    await hub.runUntilIdle();
    await assert.rejects(gt.wait(), (e) => e === custom);
  }));

Deno.test("nested Timeouts: the inner fires first", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      using outer = new Timeout(100);
      using inner = new Timeout(10);
      try {
        await sleep(1_000);
      } catch (e) {
        return e === inner ? "inner" : e === outer ? "outer" : "other";
      }
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), "inner");
  }));

Deno.test("nested Timeouts: the outer fires first, through the inner scope", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      using outer = new Timeout(10);
      try {
        using inner = new Timeout(100);
        try {
          await sleep(1_000);
        } catch (e) {
          if (e !== inner) throw e; // not ours
          return "inner";
        }
      } catch (e) {
        return e === outer ? "outer" : "other";
      }
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), "outer");
  }));

Deno.test("nested Timeouts: both cancelled, nothing fires", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      {
        using _outer = new Timeout(100);
        {
          using _inner = new Timeout(50);
          await sleep(10);
        }
      }
      await sleep(500);
      return "completed";
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), "completed");
  }));

Deno.test("cancel() before expiry: pending goes false and it never fires", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      const t = new Timeout(10);
      assert.equal(t.pending, true);
      t.cancel();
      assert.equal(t.pending, false);
      await sleep(50);
      return t.expired;
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), false);
  }));

Deno.test("cancel() after expiry while awaiting a plain promise: the error is never delivered", () =>
  withVirtualHub(async (hub) => {
    let release!: () => void;
    const plain = new Promise<void>((r) => (release = r));
    const gt = spawn(async () => {
      const t = new Timeout(10);
      await plain; // the Timeout expires here, with no green wait to reject
      const expired = t.expired;
      t.cancel();
      await sleep(5); // must not throw
      return expired;
    });
    await hub.tick(20);
    release();
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), true);
  }));

Deno.test("an expired, uncancelled Timeout is delivered at the next green wait", () =>
  withVirtualHub(async (hub) => {
    let release!: () => void;
    const plain = new Promise<void>((r) => (release = r));
    const gt = spawn(async () => {
      const t = new Timeout(10);
      await plain;
      try {
        await sleep(0);
        return "no";
      } catch (e) {
        return e === t ? "delivered" : "other";
      }
    });
    await hub.tick(20);
    release();
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), "delivered");
  }));

Deno.test("Timeout(null) and Timeout() never fire", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      const a = new Timeout(null);
      const b = new Timeout();
      await sleep(10_000);
      return [a.pending, b.pending, a.expired];
    });
    await hub.runUntilIdle();
    assert.deepEqual(await gt.wait(), [false, false, false]);
  }));

Deno.test("timeout.signal aborts on expiry, with the Timeout as reason", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      const t = new Timeout(10);
      const signal = t.signal;
      assert.equal(signal.aborted, false);
      await sleep(20).catch(() => {});
      return signal.aborted && signal.reason === t;
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), true);
  }));

Deno.test("a Timeout created in one thread never fires into another", () =>
  withVirtualHub(async (hub) => {
    const other = spawn(async () => {
      await sleep(100);
      return "other finished";
    });
    const owner = spawn(async () => {
      const t = new Timeout(10);
      try {
        await sleep(50);
      } catch (e) {
        return e === t ? "owner timed out" : "other error";
      }
    });
    await hub.runUntilIdle();
    assert.equal(await owner.wait(), "owner timed out");
    assert.equal(await other.wait(), "other finished");
  }));

Deno.test("Timeout rejects every pending green wait of its thread", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      using t = new Timeout(10);
      const results = await Promise.allSettled([sleep(100), suspend(() => {}, "never")]);
      return results.every((r) => r.status === "rejected" && r.reason === t);
    });
    await hub.runUntilIdle();
    assert.equal(await gt.wait(), true);
  }));

Deno.test("Timeout works in the main thread", async () => {
  const t = new Timeout(10);
  try {
    await sleep(5_000);
    assert.fail("should have timed out");
  } catch (e) {
    assert.equal(e, t);
  } finally {
    t.cancel();
  }
});

Deno.test("withTimeout returns the value, the timeoutValue, or throws the Timeout", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(async () => {
      const fast = await withTimeout(100, async () => (await sleep(5), "fast"));
      const slow = await withTimeout(10, () => sleep(1_000), { timeoutValue: "late" });
      const undef = await withTimeout(10, () => sleep(1_000), { timeoutValue: undefined });
      let thrown: unknown;
      try {
        await withTimeout(10, () => sleep(1_000));
      } catch (e) {
        thrown = e;
      }
      return [fast, slow, undef, thrown instanceof Timeout];
    });
    await hub.runUntilIdle();
    assert.deepEqual(await gt.wait(), ["fast", "late", undefined, true]);
    assert.equal(hub.pendingTimers, 0);
  }));

Deno.test("withTimeout lets other errors through and cancels its Timeout", () =>
  withVirtualHub(async (hub) => {
    const gt = spawn(() =>
      withTimeout(100, () => {
        throw new Error("inner failure");
      }, { timeoutValue: "x" })
    );
    await hub.runUntilIdle();
    await assert.rejects(gt.wait(), /inner failure/);
    assert.equal(hub.pendingTimers, 0);
  }));

Deno.test("Timeout bad arguments", async () => {
  assert.throws(() => new Timeout(-1), /ms must be a number >= 0/);
  assert.throws(() => new Timeout("5" as never), RangeError);
  await assert.rejects(withTimeout(5, 5 as never), TypeError);
});
