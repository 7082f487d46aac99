import assert from "node:assert/strict";
import { interruptible, sleep, spawn, suspend, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";

Deno.test("suspend() resolves and rejects through its register callbacks", async () => {
  assert.equal(await suspend<number>((resolve) => void resolve(7)), 7);
  await assert.rejects(suspend((_resolve, reject) => void reject(new Error("nope"))), /nope/);
});

Deno.test("suspend() rejects when register throws, and lists nothing after", async () => {
  await assert.rejects(
    suspend(() => {
      throw new Error("register failed");
    }, "failing register"),
    /register failed/,
  );
  assert.equal(getHub().listWaits().some((w) => w.description === "failing register"), false);
});

Deno.test("suspend() cleanup runs only when the wait is cancelled", async () => {
  let cleanups = 0;
  await suspend<void>((resolve) => {
    queueMicrotask(() => resolve());
    return () => void cleanups++;
  });
  assert.equal(cleanups, 0);
  const gt = spawn(() => suspend(() => () => void cleanups++, "cancel me"));
  await sleep(0);
  assert.equal(getHub().listWaits().filter((w) => w.description === "cancel me").length, 1);
  await gt.kill();
  assert.equal(cleanups, 1);
});

Deno.test("a failing cleanup is reported, and the wait still rejects with the kill", async () => {
  const reports: unknown[] = [];
  using _ = getHub().setErrorReporter((r) => reports.push(r.error));
  const gt = spawn(() =>
    suspend(() => () => {
      throw new Error("cleanup broke");
    })
  );
  await sleep(0);
  await gt.kill();
  assert.equal(reports.length, 1);
});

Deno.test("interruptible() passes results through and drops a late rejection after a Timeout", async () => {
  assert.equal(await interruptible(Promise.resolve("v")), "v");
  let rejectLate!: (e: Error) => void;
  const late = new Promise<never>((_, reject) => (rejectLate = reject));
  const t = new Timeout(5);
  await assert.rejects(interruptible(late), (e) => e === t);
  t.cancel();
  rejectLate(new Error("late")); // handled: must not become an unhandled rejection
  await sleep(0);
});

Deno.test("interruptible() bad argument", () => {
  assert.throws(() => interruptible(42 as never), /promise must be a Promise or thenable/);
  assert.throws(() => suspend(null as never), TypeError);
});
