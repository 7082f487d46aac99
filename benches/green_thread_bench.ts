/**
 * Green thread throughput against plain async functions, in the same run.
 * `deno task bench` (or `deno bench -A benches/green_thread_bench.ts`); the
 * README reports the ratio. Target: evy >= 1.5x the plain version.
 */
import { sleep, spawn } from "../mod.ts";

const N = 100_000;

Deno.bench({
  name: "plain async fns, each yielding with setTimeout(0), 100k",
  group: "spawn+join",
  baseline: true,
  async fn() {
    const all: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      all.push((async () => {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      })());
    }
    await Promise.all(all);
  },
});

Deno.bench({
  name: "evy spawn + sleep(0) + wait, 100k",
  group: "spawn+join",
  async fn() {
    const threads = [];
    for (let i = 0; i < N; i++) threads.push(spawn(async () => void await sleep(0)));
    await Promise.all(threads.map((t) => t.wait()));
  },
});

Deno.bench({
  name: "plain async fns, each yielding with setImmediate-style MessageChannel-free microtask hop, 100k",
  group: "spawn+join (no macrotask)",
  baseline: true,
  async fn() {
    const all: Promise<void>[] = [];
    for (let i = 0; i < N; i++) all.push((async () => void await Promise.resolve())());
    await Promise.all(all);
  },
});

Deno.bench({
  name: "evy spawn + wait, no yield, 100k",
  group: "spawn+join (no macrotask)",
  async fn() {
    const threads = [];
    for (let i = 0; i < N; i++) threads.push(spawn(() => i));
    await Promise.all(threads.map((t) => t.wait()));
  },
});
