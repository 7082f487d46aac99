/**
 * The tpool conformance suite: every guarantee of the thread pool, checked on
 * each backend (worker_threads, Deno's Web Worker, child processes) through
 * the public `ThreadPool` API. It takes the test registrar, so it runs under
 * `Deno.test` and, built, under `node --test`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep, spawn } from "@evy/evy";
import { ThreadPool, type ThreadPoolOptions } from "@evy/evy/green/tpool";
import type { TpoolBackend } from "../../green/_tpool_backend.ts";
import { BACKEND } from "../../green/_tpool_pool.ts";
import { cancellationCases } from "./_tpool_cancel_cases.ts";
import { type Capabilities, type Case, type Fs, MODULE, type WorkerGlobals } from "./_tpool_helpers.ts";

/** Registers one test; `ignore` skips it (the caller prints why). */
export type TestFn = (name: string, fn: () => Promise<void>, ignore?: boolean) => void;

function caseRunner(test: TestFn, backend: TpoolBackend): Case {
  return (title, options, fn, ignore = false) =>
    test(`tpool (${backend.name}): ${title}`, async () => {
      const pool = new ThreadPool({ ...options, [BACKEND]: backend } as ThreadPoolOptions);
      const dir = mkdtempSync(join(tmpdir(), "evy-tpool-"));
      try {
        await fn(pool, dir);
      } finally {
        await pool.killall();
        rmSync(dir, { recursive: true, force: true });
      }
    }, ignore);
}

/** Registers the suite for `backend`. */
export function tpoolConformance(test: TestFn, backend: TpoolBackend, caps: Capabilities): void {
  const t = caseRunner(test, backend);

  t("execute() runs a function, an async function and a method with their arguments", { size: 2 }, async (pool) => {
    assert.equal(await pool.execute((a: number, b: number) => a * b, 6, 7), 42);
    assert.deepEqual(await pool.execute(async (xs: number[]) => await Promise.resolve(xs.map((x) => x + 1)), [1, 2]), [
      2,
      3,
    ]);
    const obj = {
      twice(s: string): string {
        return s + s;
      },
    };
    assert.equal(await pool.execute(obj.twice, "ab"), "abab");
    assert.equal(
      await pool.execute(function named(x: bigint) {
        return x * 2n;
      }, 21n),
      42n,
    );
  });

  t("execute(moduleUrl, exportName) runs a module's export, whose imports work", { size: 1 }, async (pool) => {
    assert.equal(await pool.execute(MODULE, "factorial", 20), 2432902008176640000n);
    assert.equal(await pool.execute(MODULE.href, "factorial", 5), 120n);
  });

  t("proxy() is not a thenable; its methods run exports; a non-function export is a TypeError naming it", {
    size: 1,
  }, async (pool) => {
    const m = pool.proxy<typeof import("../fixtures/tpool_module.ts")>(MODULE);
    assert.equal((m as unknown as { then?: unknown }).then, undefined);
    assert.equal(await Promise.resolve(m), m);
    assert.equal(await m.factorial(10), 3628800n);
    await assert.rejects(
      (m as unknown as { answer(): Promise<unknown> }).answer(),
      (e: Error) => e instanceof TypeError && /"answer"/.test(e.message),
    );
    await assert.rejects(
      (m as unknown as { nope(): Promise<unknown> }).nope(),
      (e: Error) => e instanceof TypeError && /"nope"/.test(e.message),
    );
  });

  t("a green thread keeps ticking while a worker is busy", { size: 1 }, async (pool, dir) => {
    const flag = join(dir, "ticked");
    let ticks = 0;
    const ticker = spawn(async () => {
      while (ticks < 5) {
        ticks++;
        await sleep(1);
      }
      // Written aside and renamed: the worker must never see the file before its content.
      writeFileSync(`${flag}.tmp`, "5 ticks");
      renameSync(`${flag}.tmp`, flag);
    });
    // The worker spins until the ticker has ticked: it could not if the call blocked the loop.
    const seen = await pool.execute((path: string) => {
      const fs = (globalThis as unknown as WorkerGlobals).process.getBuiltinModule("node:fs") as Fs;
      while (!fs.existsSync(path));
      return fs.readFileSync(path, "utf8");
    }, flag);
    assert.equal(seen, "5 ticks");
    await ticker.wait();
  });

  t("more calls than workers queue FIFO and all complete", { size: 1 }, async (pool) => {
    const calls = Array.from({ length: 8 }, (_, i) =>
      pool.execute((i: number) => {
        const g = globalThis as unknown as WorkerGlobals;
        g.counter = (g.counter ?? 0) + 1;
        return [i, g.counter];
      }, i));
    assert.deepEqual(await Promise.all(calls), Array.from({ length: 8 }, (_, i) => [i, i + 1]));
  });

  t("more calls than workers on several workers all complete", { size: 3 }, async (pool) => {
    const calls = Array.from(
      { length: 12 },
      (_, i) => pool.execute(async (i: number) => await Promise.resolve(i * i), i),
    );
    assert.deepEqual(await Promise.all(calls), Array.from({ length: 12 }, (_, i) => i * i));
  });

  t("errors come back with their name, message, code, cause and the worker's stack", { size: 1 }, async (pool) => {
    await assert.rejects(
      pool.execute(function thrower() {
        class ParseFailure extends Error {
          code = "E_PARSE";
          constructor(message: string, options?: ErrorOptions) {
            super(message, options);
            this.name = "ParseFailure";
          }
        }
        throw new ParseFailure("bad input", { cause: new RangeError("deep") });
      }),
      (e: Error & { code?: string }) => {
        assert.ok(e instanceof Error);
        assert.equal(e.name, "ParseFailure");
        assert.equal(e.message, "bad input");
        assert.equal(e.code, "E_PARSE");
        assert.ok(e.cause instanceof RangeError);
        assert.match(e.stack ?? "", /thrower/);
        return true;
      },
    );
    await assert.rejects(
      pool.execute(() => {
        throw new TypeError("typed");
      }),
      TypeError,
    );
  });

  t("arguments that cannot be cloned reject in the caller before anything runs", { size: 1 }, async (pool, dir) => {
    const marker = join(dir, "ran");
    const write = (path: string, _f: unknown) => {
      const fs = (globalThis as unknown as WorkerGlobals).process.getBuiltinModule("node:fs") as Fs;
      fs.writeFileSync(path, "ran");
    };
    await assert.rejects(
      pool.execute(write, marker, () => 1),
      (e: Error) => e instanceof TypeError && /clone/.test(e.message),
    );
    // Also while the only worker is busy (the call would queue):
    const busy = pool.execute(() => new Promise((r) => setTimeout(r, 50)));
    await assert.rejects(pool.execute(write, marker, Symbol("x")), TypeError);
    await busy;
    assert.equal(existsSync(marker), false);
    const result = await pool.execute(() => () => 1).catch((e: Error) => e);
    assert.ok(result instanceof TypeError && /result/.test(result.message), String(result));
  });

  t("listed ArrayBuffers are transferred (detached in the caller)", { size: 1 }, async (pool) => {
    const buf = new Uint8Array([1, 2, 3, 250]).buffer;
    const sum = await pool.executeWith(
      { transfer: [buf] },
      (b: ArrayBuffer) => new Uint8Array(b).reduce((x, y) => x + y, 0),
      buf,
    );
    assert.equal(sum, 256);
    assert.equal(buf.byteLength, 0);
    const kept = new Uint8Array([9]).buffer;
    assert.equal(await pool.execute((b: ArrayBuffer) => b.byteLength, kept), 1);
    assert.equal(kept.byteLength, 1); // not listed: copied
  });

  t("bad arguments throw TypeError/RangeError naming them", { size: 1 }, (pool) => {
    assert.throws(
      () => pool.execute(Math.max as never),
      (e: Error) => e instanceof TypeError && /native or bound/.test(e.message),
    );
    assert.throws(() => pool.execute(((x: number) => x).bind(null) as never, 1), /native or bound/);
    assert.throws(() => pool.execute(class {} as never), TypeError);
    assert.throws(() => pool.execute(42 as never), /fn must be a function/);
    assert.throws(() => pool.execute("./relative.ts", "f"), /moduleUrl/);
    assert.throws(() => pool.execute(MODULE, "" as string), /exportName/);
    assert.throws(() => pool.proxy(7 as never), /moduleUrl/);
    assert.throws(() => pool.setNumThreads(0), RangeError);
    assert.throws(() => pool.executeWith({ transfer: 1 as never }, () => 1), /transfer/);
    assert.throws(() => new ThreadPool({ size: -1 }), /size/);
    assert.throws(() => new ThreadPool({ isolation: "fiber" as never }), /isolation/);
    return Promise.resolve();
  });

  t("setNumThreads() grows and shrinks the pool", { size: 1 }, async (pool) => {
    pool.setNumThreads(3);
    assert.equal(pool.size, 3);
    assert.deepEqual(await Promise.all([1, 2, 3].map((i) => pool.execute((i: number) => i, i))), [1, 2, 3]);
    pool.setNumThreads(1);
    assert.deepEqual(await Promise.all([4, 5].map((i) => pool.execute((i: number) => i, i))), [4, 5]);
  });
  cancellationCases(t, caps);
}
