/**
 * The tpool conformance suite's cancellation and crash cases (see
 * `_tpool_suite.ts`): a Timeout or kill of the caller, the grace period,
 * killall(), workers that die, memory limits.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sleep, spawn, Timeout } from "@evy/evy";
import { TpoolKilledError, TpoolWorkerError } from "@evy/evy/green/tpool";
import { type Capabilities, type Case, type Fs, MODULE, until, type WorkerGlobals } from "./_tpool_helpers.ts";

/** Registers the cancellation and crash cases with `t`. */
export function cancellationCases(t: Case, caps: Capabilities): void {
  t("a Timeout releases the caller, and the call's signal stops the function in the worker", {
    size: 1,
  }, async (pool, dir) => {
    const marker = join(dir, "aborted");
    {
      using timeout = new Timeout(20);
      await assert.rejects(
        pool.execute(async (path: string) => {
          const fs = (globalThis as unknown as WorkerGlobals).process.getBuiltinModule("node:fs") as Fs;
          const signal = (globalThis as unknown as { tpoolSignal(): AbortSignal }).tpoolSignal();
          while (!signal.aborted) await new Promise((r) => setTimeout(r, 2));
          fs.writeFileSync(path, String((signal.reason as Error).name));
        }, marker),
        (e) => e === timeout,
      );
    }
    await until(marker); // the worker saw its signal abort
    assert.equal(await pool.execute(() => "next"), "next"); // and the same worker is free again
  });

  t("killing the caller aborts the call's signal in the worker (module export)", { size: 1 }, async (pool) => {
    let result: unknown;
    const gt = spawn(async () => {
      result = await pool.execute(MODULE, "untilAborted");
    });
    await sleep(20);
    await gt.kill();
    assert.equal(result, undefined);
    assert.equal(await pool.execute(() => "after kill"), "after kill");
  });

  t("a call that ignores its signal is terminated after graceMs; the worker is replaced", {
    size: 1,
    graceMs: 30,
  }, async (pool) => {
    {
      using timeout = new Timeout(20);
      await assert.rejects(pool.execute(() => new Promise(() => {})), (e) => e === timeout);
    }
    assert.equal(await pool.execute(() => "replaced"), "replaced");
  });

  t("a Timeout around an endless loop releases the caller; the next calls succeed", {
    size: 1,
    graceMs: 30,
  }, async (pool) => {
    {
      using timeout = new Timeout(20);
      await assert.rejects(
        pool.execute(() => {
          for (;;);
        }),
        (e) => e === timeout,
      );
    }
    assert.deepEqual(await Promise.all([pool.execute(() => 1), pool.execute(() => 2)]), [1, 2]);
  }, !caps.stopsSpinning);

  t("killall() rejects queued and running callers with TpoolKilledError; the pool works afterwards", {
    size: 1,
  }, async (pool) => {
    const calls = [1, 2, 3].map((i) =>
      pool.execute((i: number) => new Promise((r) => setTimeout(() => r(i), 60_000)), i)
    );
    const settled = Promise.allSettled(calls);
    await sleep(10);
    await pool.killall();
    for (const outcome of await settled) {
      assert.equal(outcome.status, "rejected");
      assert.ok((outcome as PromiseRejectedResult).reason instanceof TpoolKilledError);
    }
    assert.equal(await pool.execute(() => "alive"), "alive");
  });

  t("a worker that exits or throws outside the call fails only its own call; the pool keeps its size", {
    size: 2,
  }, async (pool) => {
    const other = pool.execute(() => new Promise((r) => setTimeout(() => r("unharmed"), 100)));
    await assert.rejects(
      pool.execute(() => (globalThis as unknown as WorkerGlobals).process.exit(3)),
      (e: Error) => e instanceof TpoolWorkerError && /3/.test(e.message),
    );
    await assert.rejects(
      pool.execute(() =>
        new Promise(() =>
          setTimeout(() => {
            throw new Error("escaped the call");
          }, 1)
        )
      ),
      TpoolWorkerError,
    );
    assert.equal(await other, "unharmed");
    assert.deepEqual(await Promise.all([pool.execute(() => "a"), pool.execute(() => "b")]), ["a", "b"]);
  });

  t("a call over its memory limit fails alone", { size: 1, memoryLimitMb: 64 }, async (pool) => {
    await assert.rejects(
      pool.execute(() => {
        const hog: string[][] = [];
        for (;;) hog.push(new Array(1e6).fill("x"));
      }),
      TpoolWorkerError,
    );
    assert.equal(await pool.execute(() => "fine"), "fine");
  }, !caps.memoryLimit);
}
