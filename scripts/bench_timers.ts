/**
 * Green timers vs the runtime's: N (default 1,000,000) `setTimeout`s with
 * random delays of 0–50 ms, all scheduled at once, run to the last one.
 * Reports wall time (from the first schedule to the last fire) and the mean
 * overshoot (fire time minus due time). Each side runs in its own process,
 * alternating, several rounds; the table shows medians.
 *
 *     deno run -A scripts/bench_timers.ts [--n=1000000] [--rounds=3]
 *
 * @module
 */
import { setTimeout as greenSetTimeout } from "../green/timers.ts";

const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const N = Number(args.n ?? 1_000_000);

function runOnce(schedule: (cb: () => void, ms: number) => unknown): Promise<{ wallMs: number; overshootMs: number }> {
  const delays = new Float64Array(N);
  for (let i = 0; i < N; i++) delays[i] = Math.random() * 50;
  return new Promise((resolve) => {
    let left = N;
    let overshoot = 0;
    const start = performance.now();
    for (let i = 0; i < N; i++) {
      const due = start + delays[i]!;
      schedule(() => {
        const now = performance.now();
        overshoot += now - due;
        if (--left === 0) resolve({ wallMs: now - start, overshootMs: overshoot / N });
      }, delays[i]!);
    }
  });
}

if (args.mode === "green" || args.mode === "plain") {
  const fn = args.mode === "green" ? greenSetTimeout : globalThis.setTimeout;
  console.log(JSON.stringify(await runOnce(fn as (cb: () => void, ms: number) => unknown)));
} else {
  const rounds = Number(args.rounds ?? 3);
  const results: Record<string, { wallMs: number; overshootMs: number }[]> = { plain: [], green: [] };
  for (let r = 0; r < rounds; r++) {
    for (const mode of ["plain", "green"]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL(import.meta.url).pathname, `--mode=${mode}`, `--n=${N}`],
        stdout: "piped",
      }).output();
      results[mode]!.push(JSON.parse(new TextDecoder().decode(out.stdout)));
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const row = (mode: string) => {
    const rs = results[mode]!;
    return { wall: median(rs.map((x) => x.wallMs)), over: median(rs.map((x) => x.overshootMs)) };
  };
  const plain = row("plain");
  const green = row("green");
  console.log(`${N.toLocaleString("en")} setTimeouts of 0-50 ms, median of ${rounds} rounds (one process per run)`);
  console.log(`| timers | wall ms | mean overshoot ms |`);
  console.log(`| --- | --- | --- |`);
  console.log(`| runtime setTimeout | ${plain.wall.toFixed(0)} | ${plain.over.toFixed(1)} |`);
  console.log(`| green setTimeout | ${green.wall.toFixed(0)} | ${green.over.toFixed(1)} |`);
  console.log(`green/runtime wall time: ${(green.wall / plain.wall).toFixed(2)}x (target <= 0.5x)`);
}
