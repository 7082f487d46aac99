import assert from "node:assert/strict";
import { Local, sleep, spawn } from "@evy/evy";

Deno.test("Local holds one value per green thread across waits", async () => {
  const local = new Local<string>();
  local.set("main");
  const threads = ["a", "b", "c"].map((name) =>
    spawn(async () => {
      assert.equal(local.get(), undefined, "not inherited from the spawner");
      local.set(name);
      await sleep(1);
      return local.get();
    })
  );
  assert.deepEqual(await Promise.all(threads.map((t) => t.wait())), ["a", "b", "c"]);
  assert.equal(local.get(), "main");
});

Deno.test("Local.has() and delete() act on the current thread only", async () => {
  const local = new Local<number>();
  assert.equal(local.has(), false);
  local.set(0);
  assert.deepEqual([local.has(), local.get()], [true, 0]);
  const other = spawn(() => {
    const before = local.has();
    local.set(1);
    return [before, local.delete(), local.delete(), local.has()];
  });
  assert.deepEqual(await other.wait(), [false, true, false, false]);
  assert.equal(local.get(), 0);
  assert.equal(local.delete(), true);
  assert.equal(local.get(), undefined);
});

Deno.test("Local(init) makes a value on first get() in each thread", async () => {
  let made = 0;
  const local = new Local(() => ({ id: ++made }));
  const mine = local.get();
  assert.equal(local.get(), mine, "made once per thread");
  const theirs = await spawn(() => local.get()).wait();
  assert.notEqual(theirs, mine);
  assert.equal(made, 2);
  local.set(undefined as never);
  assert.equal(local.get(), undefined, "an explicit undefined is kept, not re-made");
  assert.throws(() => new Local(42 as never), (e) => e instanceof TypeError && /init/.test(e.message));
});

Deno.test("Local values of a thread are dropped when it exits", async () => {
  const local = new Local<string>();
  const gate = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };
  const before = gate(), after = gate();
  let seenBefore: string | undefined, seenAfter: string | undefined = "unset";
  const gt = spawn(async () => {
    local.set("thread value");
    // Continuations registered here run in this thread's context, even later.
    before.promise.then(() => (seenBefore = local.get()));
    after.promise.then(() => (seenAfter = local.get()));
    await sleep(1);
  });
  await sleep(0);
  before.resolve();
  await before.promise;
  await gt.wait();
  after.resolve();
  await after.promise;
  await null;
  assert.equal(seenBefore, "thread value", "the continuation sees the live thread's value");
  assert.equal(seenAfter, undefined, "after exit the value is gone");
});
