/**
 * Process-level tpool cases, each in a subprocess of the running runtime
 * (Deno, or Node under the npm build): a spinning call cancelled by Timeout or
 * kill (the caller is released, the worker replaced, the next calls run, and
 * the process exits by itself — with no CPU left burning where `terminate()`
 * or a kill can stop the spin), and `EVY_THREADPOOL_SIZE`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

const onDeno = "Deno" in globalThis;
const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
const root = fileURLToPath(new URL("../..", import.meta.url));

function run(fixture: string, args: string[], env: Record<string, string> = {}) {
  const file = fileURLToPath(new URL(`../fixtures/${fixture}.${ext}`, import.meta.url));
  const out = spawnSync(process.execPath, onDeno ? ["run", "-A", file, ...args] : [file, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(out.error, undefined, `the subprocess did not exit by itself: ${out.error}`);
  assert.equal(out.status, 0, out.stderr);
  return { result: JSON.parse(out.stdout.trim().split("\n").at(-1)!), stderr: out.stderr };
}

// Not Deno's Web Worker: on Deno 2.9.6 a terminated Web Worker that spins keeps the process from ever exiting
// (verified), one reason the default backend is node:worker_threads, where it does not.
const cases: { name: string; isolation: string; stops: boolean }[] = [
  { name: "process isolation", isolation: "process", stops: true },
  { name: "worker_threads", isolation: "thread", stops: !onDeno },
];

for (const c of cases) {
  for (const mode of ["timeout", "kill"]) {
    const how = mode === "timeout" ? "a Timeout" : "killing its caller";
    Deno.test(`tpool (${c.name}): ${how} around an endless loop releases the caller, replaces the worker, and the process exits by itself`, () => {
      const { result, stderr } = run("tpool_spin", [c.isolation, mode]);
      assert.equal(result.released, true);
      assert.deepEqual(result.next, ["next", "next"]);
      assert.equal(result.childAlive, false); // with process isolation, the spinning child is gone
      if (c.stops) {
        // A spinning thread would use about one core for the whole window (threads count in cpuUsage).
        assert.ok(result.cpuMs < result.wallMs / 2, `CPU still burning: ${result.cpuMs} ms in ${result.wallMs} ms`);
        assert.doesNotMatch(stderr, /did not stop/);
      } else {
        // Deno 2.9.6: terminate() cannot stop the spin; the abandonment is reported, once.
        assert.equal(stderr.match(/did not stop within its grace period/g)?.length, 1, stderr);
      }
    });
  }
}

Deno.test("tpool: EVY_THREADPOOL_SIZE sets the default pool's size, read at first use", () => {
  const three = { size: 3, together: true, otherProcess: false };
  assert.deepEqual(run("tpool_env", [], { EVY_THREADPOOL_SIZE: "3" }).result, three);
  assert.deepEqual(run("tpool_env", [], { EVY_THREADPOOL_SIZE: "" }).result, { ...three, size: 20 });
  const bad = run("tpool_env", [], { EVY_THREADPOOL_SIZE: "many" }).result;
  assert.match(bad.error, /^RangeError: EVY_THREADPOOL_SIZE must be a positive integer/);
});

Deno.test("tpool: EVY_THREADPOOL_ISOLATION=process runs the default pool's calls in child processes", () => {
  const env = { EVY_THREADPOOL_SIZE: "2", EVY_THREADPOOL_ISOLATION: "process" };
  assert.deepEqual(run("tpool_env", [], env).result, { size: 2, together: "n/a", otherProcess: true });
  const bad = run("tpool_env", [], { EVY_THREADPOOL_ISOLATION: "fibers" }).result;
  assert.match(bad.error, /^RangeError: EVY_THREADPOOL_ISOLATION must be "thread" or "process"/);
});
