/**
 * Green `run("true")` vs the runtime's `new Deno.Command("true").output()`,
 * in the same process: N (default 1,000) runs one after another, and N runs
 * 100 at a time (100 workers — green threads for `run`, plain async functions
 * for `Deno.Command` — each running N/100 in a row). Both sides use the same
 * stdio (stdin `"null"`, stdout and stderr piped). The two sides alternate for
 * several rounds (after a warm-up); the table shows median runs per second
 * and the ratio green / raw (the target is >= 0.95).
 *
 *     deno run -A scripts/bench_process.ts [--n=1000] [--rounds=3] [--concurrency=100]
 *
 * @module
 */
import { spawn } from "../mod.ts";
import { run } from "../green/process.ts";

const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const N = Number(args.n ?? 1000);
const ROUNDS = Number(args.rounds ?? 3);
const CONCURRENCY = Number(args.concurrency ?? 100);

const raw = async (): Promise<void> => {
  const out = await new Deno.Command("true", { stdin: "null", stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error("true failed");
};
const green = async (): Promise<void> => {
  if (!(await run("true")).success) throw new Error("true failed");
};

async function sequential(once: () => Promise<void>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < N; i++) await once();
  return N / ((performance.now() - start) / 1000);
}

async function parallel(once: () => Promise<void>, useThreads: boolean): Promise<number> {
  const each = Math.ceil(N / CONCURRENCY);
  const worker = async (): Promise<void> => {
    for (let i = 0; i < each; i++) await once();
  };
  const start = performance.now();
  if (useThreads) await Promise.all(Array.from({ length: CONCURRENCY }, () => spawn(worker).wait()));
  else await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (each * CONCURRENCY) / ((performance.now() - start) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await sequential(raw); // warm-up, both paths
await sequential(green);
const results = { seqRaw: [] as number[], seqGreen: [] as number[], parRaw: [] as number[], parGreen: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which side goes first, so drift on a shared machine does not favour one.
  if (r % 2 === 0) {
    results.seqRaw.push(await sequential(raw));
    results.seqGreen.push(await sequential(green));
    results.parRaw.push(await parallel(raw, false));
    results.parGreen.push(await parallel(green, true));
  } else {
    results.seqGreen.push(await sequential(green));
    results.seqRaw.push(await sequential(raw));
    results.parGreen.push(await parallel(green, true));
    results.parRaw.push(await parallel(raw, false));
  }
}
const row = (name: string, rawRuns: number[], greenRuns: number[]): string => {
  const [r, g] = [median(rawRuns), median(greenRuns)];
  return `| ${name} | ${r.toFixed(0)} | ${g.toFixed(0)} | ${(g / r).toFixed(3)} |`;
};
console.log(`${N} runs of \`true\`, ${ROUNDS} rounds (medians, runs/s)`);
console.log("| mode | raw Deno.Command | green run | green / raw |");
console.log("| --- | --- | --- | --- |");
console.log(row("sequential", results.seqRaw, results.seqGreen));
console.log(row(`${CONCURRENCY} at a time`, results.parRaw, results.parGreen));
