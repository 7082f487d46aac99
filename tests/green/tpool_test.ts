/** The module functions of `@evy/evy/green/tpool` on the default pool (the backends' guarantees are in _tpool_suite.ts). */
import assert from "node:assert/strict";
import { getHub } from "@evy/evy/hubs";
import { sleep, spawn } from "@evy/evy";
import {
  execute,
  executeWith,
  killall,
  proxy,
  setNumThreads,
  tpoolExceptions,
  TpoolKilledError,
  tpoolSignal,
} from "@evy/evy/green/tpool";

Deno.test("tpoolExceptions(true) also prints a call's exception on stderr; the caller still gets it", async () => {
  const printed: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  try {
    tpoolExceptions(true);
    await assert.rejects(
      execute(function failing() {
        throw new RangeError("shown");
      }),
      RangeError,
    );
    tpoolExceptions(false);
    await assert.rejects(
      execute(() => {
        throw new RangeError("hidden");
      }),
      RangeError,
    );
  } finally {
    console.error = original;
    tpoolExceptions(false);
    await killall();
  }
  assert.equal(printed.length, 1, printed.join("\n"));
  assert.match(printed[0]!, /exception in tpool\(failing\):\nRangeError: shown/);
});

Deno.test("a tpool call is listed by the hub while it waits, named after its function", async () => {
  const gt = spawn(() =>
    execute(function sleepy() {
      return new Promise(() => {});
    })
  );
  await sleep(0); // the thread starts and enters its wait
  const waits = getHub().listWaits().map((w) => `${w.threadName}: ${w.description}`);
  assert.ok(waits.some((w) => w.endsWith(": tpool(sleepy)")), waits.join("\n"));
  await gt.kill();
  await killall();
});

Deno.test("killall() of the default pool rejects waiting callers; execute, executeWith and proxy work afterwards", async () => {
  setNumThreads(2);
  const waiting = Promise.allSettled([1, 2, 3].map(() => execute(() => new Promise(() => {}))));
  await sleep(10);
  await killall();
  for (const outcome of await waiting) {
    assert.ok(outcome.status === "rejected" && outcome.reason instanceof TpoolKilledError);
  }
  assert.equal(await execute((s: string) => s.length, "four"), 4);
  const buf = new Uint8Array([7]).buffer;
  assert.equal(await executeWith({ transfer: [buf] }, (b: ArrayBuffer) => new Uint8Array(b)[0], buf), 7);
  const m = proxy<{ twice(n: number): number }>("data:text/javascript,export const twice = (n) => n * 2;");
  assert.equal(await m.twice(21), 42);
  assert.equal(tpoolSignal().aborted, false);
  setNumThreads(20);
  await killall();
});
