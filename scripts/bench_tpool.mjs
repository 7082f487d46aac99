/**
 * Thread pool benchmark (a benchmark, never a test): round trips per second of
 * a trivial call through evy's tpool against the same work done by hand on raw
 * `node:worker_threads` workers (one message outstanding per worker, which is
 * what a pool does) and against piscina, with 1 call in flight (1 worker) and
 * 100 in flight (4 workers); then a CPU-bound call (fib(30)) through the pool
 * against the same work inline plus one raw round trip. Also the per-call cost
 * of `isolation: "process"`.
 *
 * Usage (Deno): `deno run -A scripts/bench_tpool.mjs`.
 * Usage (Node, after `deno task build:npm`): `node scripts/bench_tpool.mjs ../npm/green/tpool.js`.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import process from "node:process";

const tpool = await import(process.argv[2] ?? "@evy/evy/green/tpool");
const runtime = "Deno" in globalThis ? `Deno ${globalThis.Deno.version.deno}` : `Node ${process.version}`;
const TASK = new URL("./_bench_tpool_task.mjs", import.meta.url);
const SEQ = Number(process.env.BENCH_SEQ ?? 2000);
const PAR = Number(process.env.BENCH_PAR ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Calls per second of `total` calls, `inFlight` at a time (after a warm-up). */
async function rate(total, inFlight, call) {
  for (let i = 0; i < 200; i++) await call(i);
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < total) await call(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return total / ((performance.now() - t0) / 1000);
}

/** A minimal hand-written pool on raw workers: one message outstanding per worker. */
function rawPool(size) {
  const idle = [];
  const waiting = [];
  const workers = Array.from({ length: size }, () => {
    const w = new Worker(TASK, { env: { ...process.env, EVY_BENCH_RAW: "1" } });
    w.on("message", (m) => {
      const done = w.done;
      const queued = waiting.shift();
      if (queued) send(w, queued);
      else idle.push(w);
      done(m);
    });
    idle.push(w);
    return w;
  });
  function send(w, job) {
    w.done = job.resolve;
    w.postMessage(job.msg);
  }
  return {
    call: (msg) =>
      new Promise((resolve) => {
        const w = idle.pop();
        if (w) send(w, { msg, resolve });
        else waiting.push({ msg, resolve });
      }),
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

async function piscinaPool(size) {
  try {
    const { Piscina } = await import("piscina");
    const pool = new Piscina({ filename: TASK.href, minThreads: size, maxThreads: size });
    return { call: (x) => pool.run(x), close: () => pool.destroy() };
  } catch (error) {
    console.log(`piscina: not available here (${error.message.split("\n")[0]})`);
    return undefined;
  }
}

console.log(
  `bench_tpool on ${runtime}: ${SEQ} sequential calls, ${PAR} with 100 in flight, best of ${ROUNDS} interleaved rounds`,
);
const results = {};
const keep = (key, value) => results[key] = Math.max(results[key] ?? 0, value);
for (const [inFlight, size, total] of [[1, 1, SEQ], [100, 4, PAR]]) {
  const pool = new tpool.ThreadPool({ size });
  const raw = rawPool(size);
  const pis = await piscinaPool(size);
  for (let round = 0; round < ROUNDS; round++) {
    keep(`tpool ${inFlight}`, await rate(total, inFlight, (i) => pool.execute((x) => x, i)));
    keep(`raw ${inFlight}`, await rate(total, inFlight, (i) => raw.call(i)));
    if (pis) keep(`piscina ${inFlight}`, await rate(total, inFlight, (i) => pis.call(i)));
  }
  await pool.killall();
  await raw.close();
  await pis?.close();
  for (const name of ["tpool", "raw", "piscina"]) {
    const r = results[`${name} ${inFlight}`];
    if (r !== undefined) {
      console.log(
        `${`${name}, ${inFlight} in flight, ${size} workers`.padEnd(40)} ${
          Math.round(r).toString().padStart(8)
        } calls/s`,
      );
    }
  }
}
for (const n of [1, 100]) {
  const vsRaw = (results[`tpool ${n}`] / results[`raw ${n}`]).toFixed(2);
  const vsPis = results[`piscina ${n}`] ? (results[`tpool ${n}`] / results[`piscina ${n}`]).toFixed(2) : "n/a";
  console.log(`ratio, ${n} in flight: tpool/raw ${vsRaw}x, tpool/piscina ${vsPis}x`);
}

// CPU-bound: fib(30) through the pool vs inline + one raw round trip (best of 5 each).
const { fib } = await import(TASK.href);
const best = async (fn) => {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
};
const pool = new tpool.ThreadPool({ size: 1 });
for (let i = 0; i < 5; i++) await pool.execute(TASK, "fib", 25);
for (let i = 0; i < 5; i++) fib(25);
const viaPool = await best(() => pool.execute(TASK, "fib", 30));
await pool.killall();
const raw = rawPool(1);
await raw.call(0);
const roundTrip = await best(() => raw.call(0));
await raw.close();
const inline = await best(() => fib(30));
console.log(
  `fib(30): tpool ${viaPool.toFixed(1)} ms; inline ${inline.toFixed(1)} ms + round trip ${roundTrip.toFixed(2)} ms` +
    ` = ${(inline + roundTrip).toFixed(1)} ms; ratio ${(viaPool / (inline + roundTrip)).toFixed(3)}`,
);

// Process isolation: per-call cost of a trivial call.
const proc = new tpool.ThreadPool({ size: 1, isolation: "process" });
const procRate = await rate(Math.min(SEQ, 2000), 1, (i) => proc.execute((x) => x, i));
console.log(
  `tpool isolation: "process", 1 in flight: ${Math.round(procRate)} calls/s (${(1e6 / procRate).toFixed(0)} µs a call)`,
);
await proc.killall();
