// Tasks of scripts/bench_tpool.mjs: piscina's worker module, and the raw workers' echo loop.
import { isMainThread, parentPort } from "node:worker_threads";

/** piscina's task: the trivial call. */
export default function echo(x) {
  return x;
}

/** The CPU-bound call. */
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

// As a raw worker_threads worker (not under piscina, which sets workerData): echo every message.
if (!isMainThread && parentPort && process.env.EVY_BENCH_RAW === "1") {
  parentPort.on("message", (m) => parentPort.postMessage(m.fib ? fib(m.fib) : m));
}
