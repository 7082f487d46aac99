/**
 * Green fetch vs the runtime's fetch: N requests (default 10,000) to a local
 * HTTP server running in another process, C in flight at once (default 100).
 * Plain: C async workers calling `globalThis.fetch`. Green: C green threads
 * (`spawn`) calling `fetch` from `@evy/evy/green/fetch` — each request a
 * listed, interruptible green wait with the thread's signal merged in. Rounds
 * alternate plain/green after a warm-up; the table shows medians.
 *
 *     deno run -A scripts/bench_fetch.ts [--n=10000] [--c=100] [--rounds=5]
 *
 * @module
 */
import { spawn } from "../mod.ts";
import { fetch as greenFetch } from "../green/fetch.ts";

const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const N = Number(args.n ?? 10_000);
const C = Number(args.c ?? 100);
const ROUNDS = Number(args.rounds ?? 5);

const SERVER = `
const s = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: (a) => console.log(a.port) }, () => new Response("hello world"));
await s.finished;`;
const server = new Deno.Command(Deno.execPath(), { args: ["eval", SERVER], stdout: "piped" }).spawn();
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
const port = Number((await reader.read()).value!.trim());
const url = `http://127.0.0.1:${port}/`;

async function worker(fetchFn: typeof fetch, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await fetchFn(url);
    await res.text();
  }
}

async function plainRound(): Promise<number> {
  const start = performance.now();
  await Promise.all(Array.from({ length: C }, () => worker(globalThis.fetch, N / C)));
  return N / ((performance.now() - start) / 1000);
}

async function greenRound(): Promise<number> {
  const start = performance.now();
  const threads = Array.from({ length: C }, () => spawn(worker, greenFetch, N / C));
  for (const t of threads) await t.wait();
  return N / ((performance.now() - start) / 1000);
}

await plainRound();
await greenRound();
const plain: number[] = [];
const green: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  plain.push(await plainRound());
  green.push(await greenRound());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${N.toLocaleString("en")} requests, ${C} in flight, median of ${ROUNDS} rounds`);
console.log(`| fetch | requests/s |`);
console.log(`| --- | --- |`);
console.log(`| runtime fetch | ${median(plain).toFixed(0)} |`);
console.log(`| green fetch (in green threads) | ${median(green).toFixed(0)} |`);
console.log(`green/runtime throughput: ${(median(green) / median(plain)).toFixed(2)}x (target >= 0.9x)`);
server.kill();
await server.status;
await reader.cancel().catch(() => {});
