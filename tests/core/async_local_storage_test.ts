// A program's own AsyncLocalStorage and evy's thread context live side by side:
// each keeps its value through green waits, and neither hides the other.
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { Event, getCurrent, sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";

Deno.test("a store run inside a green thread keeps both the store and the thread through green waits", async () => {
  const als = new AsyncLocalStorage<string>();
  const thread = spawn(() =>
    als.run("request 1", async () => {
      const self = getCurrent();
      await sleep(1);
      const afterSleep = [als.getStore(), getCurrent() === self, self.name];
      await Promise.resolve();
      const afterPlainAwait = [als.getStore(), getCurrent() === self];
      return { afterSleep, afterPlainAwait, isMain: getCurrent() === main };
    })
  );
  const main = getCurrent();
  const result = await thread.wait();
  assert.deepEqual(result, {
    afterSleep: ["request 1", true, result.afterSleep[2]],
    afterPlainAwait: ["request 1", true],
    isMain: false,
  });
  assert.equal(als.getStore(), undefined, "the store does not leak out to the joiner");
});

Deno.test("interleaved threads each see their own store value and themselves", async () => {
  const als = new AsyncLocalStorage<number>();
  const seen: string[] = [];
  const threads = [1, 2, 3].map((n) =>
    spawn(async () => {
      const self = getCurrent();
      await als.run(n, async () => {
        for (let round = 0; round < 3; round++) {
          await sleep(round % 2);
          assert.equal(getCurrent(), self, "the thread survives a store's run");
          seen.push(`${n}:${als.getStore()}`);
        }
      });
      return als.getStore();
    })
  );
  assert.deepEqual(await Promise.all(threads.map((t) => t.wait())), [undefined, undefined, undefined]);
  assert.deepEqual(seen.sort(), ["1:1", "1:1", "1:1", "2:2", "2:2", "2:2", "3:3", "3:3", "3:3"]);
});

Deno.test("the main thread inside a store stays the main thread while threads run", async () => {
  const als = new AsyncLocalStorage<string>();
  const main = getCurrent();
  await als.run("outer", async () => {
    const ready = new Event<string>();
    const child = spawn(async () => {
      await sleep(1);
      ready.send(getCurrent().name);
    });
    child.name = "child";
    assert.equal(await ready.wait(), "child");
    assert.equal(getCurrent(), main);
    assert.equal(als.getStore(), "outer");
    await child.wait();
    assert.equal(als.getStore(), "outer");
  });
});

Deno.test("a Timeout inside a store's run still interrupts the thread's green wait", async () => {
  const als = new AsyncLocalStorage<string>();
  const thread = spawn(() =>
    als.run("scoped", async () => {
      using _t = new Timeout(5);
      try {
        await sleep(10_000);
        return "slept";
      } catch (error) {
        return `${als.getStore()}: ${(error as Error).constructor.name}`;
      }
    })
  );
  assert.equal(await thread.wait(), "scoped: Timeout");
});

Deno.test("a snapshot taken in a thread runs later in that thread's context", async () => {
  const als = new AsyncLocalStorage<string>();
  let runInThread: ((fn: () => unknown) => unknown) | undefined;
  const thread = spawn(() =>
    als.run("inside", () => {
      runInThread = AsyncLocalStorage.snapshot();
      return getCurrent();
    })
  );
  const self = await thread.wait();
  assert.deepEqual(runInThread!(() => [als.getStore(), getCurrent() === self]), ["inside", true]);
  assert.notEqual(getCurrent(), self);
});

Deno.test("a hub callback queued by a thread, and the promise reactions it sets up, run outside any thread", async () => {
  const main = getCurrent();
  const seen: string[] = [];
  const reacted = new Event<void>();
  const name = (): string => getCurrent() === main ? "main" : getCurrent().name;
  const thread = spawn(async () => {
    await sleep(1); // so that this thread, not the test, queues the hub turn below
    getHub().schedule(() => {
      seen.push(`callback: ${name()}`);
      void Promise.resolve().then(() => {
        seen.push(`reaction: ${name()}`);
        reacted.send();
      });
    });
    await sleep(5);
  });
  thread.name = "scheduler";
  await reacted.wait();
  await thread.wait();
  assert.deepEqual(seen, ["callback: main", "reaction: main"]);
});

Deno.test("enterWith inside a thread lasts through its green waits, and reaches neither the next thread nor the joiner", async () => {
  const als = new AsyncLocalStorage<string>();
  const first = spawn(async () => {
    const self = getCurrent();
    await Promise.resolve(); // Node's enterWith lasts for the rest of a synchronous run: the hub turn's, here
    als.enterWith("entered");
    await sleep(1);
    const afterSleep = [als.getStore(), getCurrent() === self];
    await Promise.resolve();
    return [...afterSleep, als.getStore(), getCurrent() === self];
  });
  const failing = spawn(() =>
    als.run("thrown", () => { // throws before any await: the context is restored anyway
      throw new Error("boom");
    })
  );
  const second = spawn((): [boolean, string | undefined] => [getCurrent() === second, als.getStore()]);
  assert.deepEqual(await first.wait(), ["entered", true, "entered", true]);
  await assert.rejects(failing.wait(), /boom/);
  assert.deepEqual(await second.wait(), [true, undefined]);
  assert.equal(als.getStore(), undefined);
  assert.notEqual(getCurrent(), first);
});
