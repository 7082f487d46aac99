/**
 * Memory and timer benchmarks for green threads, each against the plain
 * runtime doing the same thing in the same run (DESIGN.md, issue 2):
 *
 * - heap per thread blocked in `suspend` vs a plain pending async function;
 * - heap per thread in `sleep(60_000)` vs a plain async function awaiting
 *   `setTimeout(60_000)` (the timer heap should make sleeping as cheap as blocking);
 * - wall time of 100,000 concurrent sleeps of 0–50 ms vs global `setTimeout`
 *   (and the same with a green thread spawned per sleep).
 *
 * Run: `deno run -A --v8-flags=--expose-gc scripts/bench_threads.ts`
 * (part of `deno task bench`).
 *
 * @module
 */
import { type GreenThread, sleep, spawn, suspend } from "../mod.ts";

const N = 100_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function heap(): number {
  gc();
  gc();
  return Deno.memoryUsage().heapUsed;
}

async function perItem(label: string, start: () => () => Promise<void>): Promise<number> {
  const before = heap();
  const stop = start();
  await new Promise((r) => setTimeout(r, 50));
  const bytes = (heap() - before) / N;
  await stop();
  console.log(`${label.padEnd(58)} ${bytes.toFixed(0).padStart(6)} B each`);
  return bytes;
}

const plainBlocked = await perItem("plain async fn pending on a promise", () => {
  const releases: (() => void)[] = [];
  const all: Promise<void>[] = [];
  for (let i = 0; i < N; i++) {
    all.push((async () => void await new Promise<void>((r) => releases.push(r)))());
  }
  return async () => (releases.forEach((r) => r()), void await Promise.all(all));
});

const greenBlocked = await perItem("evy thread blocked in suspend", () => {
  const threads: GreenThread<unknown>[] = [];
  for (let i = 0; i < N; i++) threads.push(spawn(() => suspend(() => {}, "blocked")));
  return async () => void await Promise.all(threads.map((t) => t.kill()));
});

const plainSleeping = await perItem("plain async fn awaiting setTimeout(60 s)", () => {
  const ids: ReturnType<typeof setTimeout>[] = [];
  const releases: (() => void)[] = [];
  const all: Promise<void>[] = [];
  for (let i = 0; i < N; i++) {
    all.push((async () =>
      void await new Promise<void>((r) => {
        ids.push(setTimeout(r, 60_000));
        releases.push(r);
      }))());
  }
  return async () => (ids.forEach(clearTimeout), releases.forEach((r) => r()), void await Promise.all(all));
});

const greenSleeping = await perItem("evy thread in sleep(60 s)", () => {
  const threads: GreenThread<unknown>[] = [];
  for (let i = 0; i < N; i++) threads.push(spawn(() => sleep(60_000)));
  return async () => void await Promise.all(threads.map((t) => t.kill()));
});

async function wall(label: string, run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms`);
  return ms;
}

const delays = Array.from({ length: N }, (_, i) => (i * 7919) % 51);
const plainWall = await wall(
  "100k concurrent setTimeout sleeps of 0-50 ms",
  () => Promise.all(delays.map((ms) => new Promise((r) => setTimeout(r, ms)))),
);
const greenWall = await wall("100k concurrent evy sleeps of 0-50 ms", () => Promise.all(delays.map((ms) => sleep(ms))));
const threadWall = await wall("100k evy threads, each sleeping 0-50 ms once", () => {
  const threads = delays.map((ms) => spawn(() => sleep(ms)));
  return Promise.all(threads.map((t) => t.wait()));
});

console.log();
console.log(`blocked thread memory: ${(greenBlocked / plainBlocked).toFixed(2)}x plain (target <= 2.5x)`);
console.log(
  `sleeping thread memory: ${(greenSleeping / greenBlocked).toFixed(2)}x a blocked one ` +
    `(plain pays ${(plainSleeping / plainBlocked).toFixed(2)}x for a pending setTimeout)`,
);
console.log(`100k sleeps wall time: ${(greenWall / plainWall).toFixed(2)}x plain setTimeout (target <= 0.5x)`);
console.log(`100k sleeping threads wall time: ${(threadWall / plainWall).toFixed(2)}x plain setTimeout sleeps`);
