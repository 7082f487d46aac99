/**
 * Green `run("true")` vs the runtime's `new Deno.Command("true").output()`,
 * in the same process: N (default 1,000) runs of each one after another, and
 * N runs of each 100 at a time (100 workers — green threads for `run`, plain
 * async functions for `Deno.Command` — each running its share in a row). Both
 * sides use the same stdio (stdin `"null"`, stdout and stderr piped).
 *
 * The machine is shared, so the two sides alternate in slices of `--slice`
 * runs (default 100; which side goes first alternates too) and each pair of
 * slices gives one ratio: drift in the machine's load hits both sides of a
 * pair alike. The table shows runs per second over all slices, the median of
 * the pair ratios (green / raw; the target is >= 0.95), and this process's CPU
 * time per run (the children's own cost is the same on both sides).
 *
 *     deno run -A scripts/bench_process.ts [--n=1000] [--slice=100] [--concurrency=100]
 *
 * @module
 */
import process from "node:process";
import { spawn } from "../mod.ts";
import { run } from "../green/process.ts";

const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const N = Number(args.n ?? 1000);
const SLICE = Number(args.slice ?? 100);
const CONCURRENCY = Number(args.concurrency ?? 100);

const raw = async (): Promise<void> => {
  const out = await new Deno.Command("true", { stdin: "null", stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error("true failed");
};
const green = async (): Promise<void> => {
  if (!(await run("true")).success) throw new Error("true failed");
};

/** Runs `count` runs of `once` (one after another, or `CONCURRENCY` at a time); returns [wall ms, CPU µs]. */
async function slice(once: () => Promise<void>, count: number, parallel: boolean, threads: boolean): Promise<number[]> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  if (!parallel) {
    for (let i = 0; i < count; i++) await once();
  } else {
    const workers = Math.min(CONCURRENCY, count);
    const worker = async (k: number): Promise<void> => {
      for (let i = k; i < count; i += workers) await once();
    };
    const ids = Array.from({ length: workers }, (_, k) => k);
    if (threads) await Promise.all(ids.map((k) => spawn(worker, k).wait()));
    else await Promise.all(ids.map(worker));
  }
  const cpu = process.cpuUsage(cpu0);
  return [performance.now() - start, cpu.user + cpu.system];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function compare(parallel: boolean): Promise<string> {
  const totals = { raw: [0, 0], green: [0, 0] };
  const ratios: number[] = [];
  for (let done = 0, k = 0; done < N; done += SLICE, k++) {
    const count = Math.min(SLICE, N - done);
    const pair: Record<string, number[]> = {};
    for (const side of k % 2 === 0 ? ["raw", "green"] as const : ["green", "raw"] as const) {
      pair[side] = await slice(side === "raw" ? raw : green, count, parallel, side === "green");
      totals[side][0]! += pair[side]![0]!;
      totals[side][1]! += pair[side]![1]!;
    }
    ratios.push(pair.raw![0]! / pair.green![0]!);
  }
  const rate = (ms: number): string => (N / (ms / 1000)).toFixed(0);
  const cpu = (us: number): string => (us / N).toFixed(0);
  const mode = parallel ? `${CONCURRENCY} at a time` : "one after another";
  return `| ${mode} | ${rate(totals.raw[0]!)} | ${rate(totals.green[0]!)} | ${median(ratios).toFixed(3)} | ${
    cpu(totals.raw[1]!)
  } / ${cpu(totals.green[1]!)} |`;
}

await slice(raw, 50, false, false); // warm-up, both paths
await slice(green, 50, false, true);
console.log(`${N} runs of \`true\` per side, alternating slices of ${SLICE}`);
console.log(
  "| mode | raw Deno.Command runs/s | green run runs/s | green / raw (median of slices) | CPU µs/run raw / green |",
);
console.log("| --- | --- | --- | --- | --- |");
console.log(await compare(false));
console.log(await compare(true));
