/**
 * Timeout scope (DESIGN.md section 1): a Timeout rejects only the green waits
 * begun after it was made, and `interruptible(fn)` begins its wait before
 * calling `fn`, so a Timeout made (and caught) inside `fn` never escapes.
 */
import assert from "node:assert/strict";
import { Event, GreenletExit, interruptible, sleep, spawn, Timeout, withTimeout } from "@evy/evy";

Deno.test("Timeout rejects only the waits begun after it was made", async () => {
  const ev = new Event<string>();
  const early = ev.wait(); // began before the Timeout: an enclosing scope's wait
  const t = new Timeout(5);
  await assert.rejects(sleep(60_000), (e) => e === t);
  ev.send("left alone");
  assert.equal(await early, "left alone");
});

Deno.test("a Timeout with only older waits pending is delivered at the next green wait", async () => {
  const ev = new Event<number>();
  const early = ev.wait();
  const t = new Timeout(5);
  await new Promise((r) => setTimeout(r, 20)); // a plain wait while it expires
  ev.send(1);
  assert.equal(await early, 1);
  await assert.rejects(sleep(60_000), (e) => e === t);
});

Deno.test("interruptible(fn) calls fn inside its wait and settles with what fn returns or throws", async () => {
  assert.equal(await interruptible(() => 7), 7);
  assert.equal(await interruptible(async () => (await sleep(1), "later")), "later");
  await assert.rejects(
    interruptible(() => {
      throw new Error("sync");
    }),
    /sync/,
  );
  await assert.rejects(interruptible(() => Promise.reject(new Error("async"))), /async/);
});

Deno.test("interruptible(fn): a handler catching its own Timeout returns its value under an outer Timeout", async () => {
  const gt = spawn(async () => {
    using outer = new Timeout(60_000); // the server's request timeout
    const handler = async (): Promise<string> => {
      using inner = new Timeout(5);
      try {
        await sleep(60_000);
        return "never";
      } catch (e) {
        if (e !== inner) throw e;
        return "handled its own timeout";
      }
    };
    const answer = await interruptible(handler, "handler");
    return [answer, outer.pending];
  });
  assert.deepEqual(await gt.wait(), ["handled its own timeout", true]);
});

Deno.test("interruptible(fn): withTimeout's timeoutValue inside it is returned, never thrown", async () => {
  const gt = spawn(async () => {
    using _ = new Timeout(60_000);
    return await interruptible(() => withTimeout(5, () => sleep(60_000), { timeoutValue: "fallback" }));
  });
  assert.equal(await gt.wait(), "fallback");
});

Deno.test("interruptible(fn): an inner Timeout expiring while fn awaits a plain promise stays inside", async () => {
  const gt = spawn(async () => {
    using outer = new Timeout(60_000);
    const answer = await interruptible(async () => {
      const inner = new Timeout(5);
      try {
        await new Promise((r) => setTimeout(r, 20)); // plain: the Timeout is queued for fn's next wait
        await sleep(60_000);
        return "never";
      } catch (e) {
        if (e !== inner) throw e;
        return "caught at the next wait";
      } finally {
        inner.cancel();
      }
    });
    return [answer, outer.pending];
  });
  assert.deepEqual(await gt.wait(), ["caught at the next wait", true]);
});

Deno.test("interruptible(fn): the outer Timeout, made before the wait, still rejects it", async () => {
  let innerSaw: unknown;
  const outer = new Timeout(5);
  await assert.rejects(
    interruptible(async () => {
      try {
        await sleep(60_000);
      } catch (e) {
        innerSaw = e;
        throw e;
      }
    }),
    (e) => e === outer,
  );
  assert.equal(innerSaw, outer);
});

Deno.test("interruptible(fn): a kill rejects the wait and fn's own waits", async () => {
  let innerSaw: unknown;
  const gt = spawn(() =>
    interruptible(async () => {
      try {
        await sleep(60_000);
      } catch (e) {
        innerSaw = e;
      }
    })
  );
  await sleep(0);
  await gt.kill();
  await assert.rejects(gt.wait(), GreenletExit);
  assert.ok(innerSaw instanceof GreenletExit);
});
