/**
 * The runtime's floor under the shared harness's `timers` benchmark: 100,000
 * async functions each sleeping 0–50 ms (the harness's delays), wall time, in
 * one process per mode:
 *
 * - `timeout`: one `setTimeout` per sleep (the harness's raw Deno baseline);
 * - `buckets`: sleeps grouped by due millisecond, one `setTimeout` per
 *   millisecond (what a hub's timer heap saves), no green threads;
 * - `buckets_als`: `buckets`, with each function started inside its own
 *   `AsyncLocalStorage.run` (what every green thread cost before evy kept
 *   the thread in Deno's async-context slot itself);
 * - `buckets_green`: `buckets`, plus what a killable, joinable thread cannot
 *   do without: a state object per task (ten fields, as `ThreadCore` has), a
 *   promise of its own per sleep with its resolvers kept (so a kill can
 *   reject it), and a `then` on the task's promise (so its end is seen).
 *
 *     deno run -A --v8-flags=--expose-gc scripts/bench_timers_floor.ts [mode ...]
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

const N = 100_000;
const ROUNDS = 3;
const DELAYS = Array.from({ length: N }, (_, i) => ((Math.imul(i, 2654435761) >>> 0) / 2 ** 32) * 50);

const buckets = new Map<number, (() => void)[]>();
const kept: unknown[] = [];
function bucketSleep(ms: number, keep = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (keep) kept.push(resolve, reject);
    const due = Math.ceil(performance.now() + ms);
    let list = buckets.get(due);
    if (list === undefined) {
      buckets.set(due, list = []);
      setTimeout(() => {
        buckets.delete(due);
        for (const wake of list!) wake();
      }, Math.max(0, due - performance.now()));
    }
    list.push(resolve);
  });
}

async function round(mode: string): Promise<number> {
  const als = new AsyncLocalStorage<object>();
  const sleep = mode === "timeout"
    ? (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
    : bucketSleep;
  const worker = async (d: number): Promise<number> => {
    const t = performance.now();
    await sleep(d);
    return performance.now() - t - d;
  };
  const t0 = performance.now();
  if (mode === "buckets_als") await Promise.all(DELAYS.map((d, i) => als.run({ i }, worker, d)));
  else if (mode === "buckets_green") {
    const green = async (d: number): Promise<number> => {
      const t = performance.now();
      await bucketSleep(d, true);
      return performance.now() - t - d;
    };
    let done = 0;
    const ended = (): void => void done++;
    const states = DELAYS.map((d, i) => {
      const state = { i, d, a: 0, b: 0, c: undefined, e: undefined, f: undefined, g: undefined, h: 0, k: 0 };
      green(d).then(ended, ended);
      return state;
    });
    while (done < states.length) await new Promise((resolve) => setTimeout(resolve, 1));
    kept.length = 0;
  } else await Promise.all(DELAYS.map(worker));
  return performance.now() - t0;
}

if (Deno.env.get("FLOOR_CHILD")) {
  const mode = Deno.args[0]!;
  const walls: number[] = [];
  for (let r = 0; r < ROUNDS; r++) walls.push(await round(mode));
  const warm = walls.slice(1).sort((a, b) => a - b);
  console.log(`RESULT ${JSON.stringify({ mode, wall_ms: Math.round(warm[0]!), cold_wall_ms: Math.round(walls[0]!) })}`);
} else {
  const modes = Deno.args.length > 0 ? Deno.args : ["timeout", "buckets", "buckets_als", "buckets_green"];
  for (const mode of modes) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--expose-gc", import.meta.filename!, mode],
      env: { FLOOR_CHILD: "1" },
      stderr: "inherit",
    }).output();
    console.log(new TextDecoder().decode(out.stdout).trim());
  }
}
