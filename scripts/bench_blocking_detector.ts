/**
 * The blocking detector's overhead on the shared benchmarks (`../shared/bench`):
 * `spawn/project.ts` (100,000 green threads, one `sleep(0)` each) and
 * `http/project.ts` (hello world on evy's `serve`, wrk -t1 -c100), each run
 * with the detector off and on (`--preload scripts/_detector_on.ts`, so the
 * benchmark files are unchanged), in interleaved pairs; the verdict is the
 * median of the per-pair ratios (on / off), which cancels the shared
 * machine's slow drift. Servers are pinned to CPU 0, wrk to CPU 1.
 *
 * `inproc` runs the spawn workload inside this process instead, turning the
 * detector on and off between rounds: with one process, the per-process
 * variance of a loaded machine (which swamps 3% across processes) cancels.
 *
 * Usage: `deno run -A scripts/bench_blocking_detector.ts [--pairs 5] [--duration 5] [--only spawn,http,inproc]`
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    pairs: { type: "string", default: "5" },
    duration: { type: "string", default: "5" },
    only: { type: "string", default: "inproc,spawn,http" },
    n: { type: "string", default: "100000" },
    bench: { type: "string", default: new URL("../../../shared/bench", import.meta.url).pathname },
  },
});
const pairs = Number(values.pairs);
const N_INPROC = Number(values.n);
const duration = Number(values.duration);
const BENCH = values.bench;
const ROOT = new URL("..", import.meta.url).pathname;
const MOD = `${ROOT}mod.ts`;
const PRELOAD = new URL("./_detector_on.ts", import.meta.url).pathname;
const DENO = Deno.execPath();

function denoArgs(on: boolean, file: string): string[] {
  return ["run", "-A", "--v8-flags=--expose-gc", ...(on ? ["--preload", PRELOAD] : []), file];
}

async function spawnOnce(on: boolean): Promise<number> {
  const out = await new Deno.Command("taskset", {
    args: ["-c", "0", DENO, ...denoArgs(on, `${BENCH}/spawn/project.ts`)],
    env: { PROJECT_MOD: MOD },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(out.stdout).split("\n").find((l) => l.startsWith("RESULT "));
  if (line === undefined) throw new Error("spawn: no RESULT line");
  return JSON.parse(line.slice(7)).threads_per_s;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`server on ${port} never came up`);
}

async function wrk(port: number, seconds: number): Promise<number> {
  const out = await new Deno.Command("taskset", {
    args: ["-c", "1", "wrk", "-t1", "-c100", `-d${seconds}s`, `http://127.0.0.1:${port}/`],
    stdout: "piped",
  }).output();
  const match = /Requests\/sec:\s+([\d.]+)/.exec(new TextDecoder().decode(out.stdout));
  if (!match) throw new Error("wrk: no Requests/sec");
  return Number(match[1]);
}

async function httpOnce(on: boolean, port: number): Promise<number> {
  const server = new Deno.Command("taskset", {
    args: ["-c", "0", DENO, ...denoArgs(on, `${BENCH}/http/project.ts`)],
    env: { PROJECT_MOD: MOD, PORT: String(port) },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    await waitForPort(port);
    await wrk(port, 2); // warm-up
    const pid = server.pid; // taskset execs deno: the same process
    const before = cpuTicks(pid);
    const rps = await wrk(port, duration);
    const ticks = cpuTicks(pid) - before;
    httpRps.push({ on, rps });
    return (rps * duration) / (ticks / 100); // requests per server CPU-second
  } finally {
    server.kill("SIGKILL");
    await server.status;
  }
}

const httpRps: { on: boolean; rps: number }[] = [];

/** utime + stime of `pid`, in clock ticks (1/100 s). */
function cpuTicks(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

async function measure(name: string, once: (on: boolean, i: number) => Promise<number>): Promise<void> {
  const ratios: number[] = [];
  const offs: number[] = [];
  const ons: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which runs first, so neither side always gets the warmer machine.
    const order = i % 2 === 0 ? [false, true] : [true, false];
    const got: Record<string, number> = {};
    for (const on of order) got[String(on)] = await once(on, i);
    offs.push(got["false"]!);
    ons.push(got["true"]!);
    ratios.push(got["true"]! / got["false"]!);
    console.log(
      `${name} pair ${i + 1}: off ${got["false"]!.toFixed(0)}, on ${got["true"]!.toFixed(0)}, ratio ${
        ratios.at(-1)!.toFixed(3)
      }`,
    );
  }
  const r = median(ratios);
  console.log(
    `${name}: off median ${median(offs).toFixed(0)}, on median ${median(ons).toFixed(0)}, ` +
      `paired ratio on/off median ${r.toFixed(3)} (overhead ${((1 - r) * 100).toFixed(1)}%)`,
  );
}

async function spawnRound(n: number): Promise<number> {
  const { spawn, sleep } = await import("../mod.ts");
  const worker = async (i: number): Promise<number> => {
    await sleep(0);
    return i;
  };
  const c0 = process.cpuUsage();
  const gts = new Array(n);
  for (let i = 0; i < n; i++) gts[i] = spawn(worker, i);
  let total = 0;
  for (const gt of gts) total += await gt.wait();
  if (total !== (n * (n - 1)) / 2) throw new Error("bad total");
  const c = process.cpuUsage(c0); // every thread of the process, the watchdog's included
  return n / ((c.user + c.system) / 1e6);
}

async function inprocOnce(on: boolean): Promise<number> {
  const { hubBlockingDetection } = await import("../tools/debug.ts");
  // A resolution long enough that the workload's own GC pauses do not print reports mid-measurement.
  await hubBlockingDetection(on, { resolutionMs: 1_000 });
  try {
    return await spawnRound(N_INPROC);
  } finally {
    await hubBlockingDetection(false);
  }
}

const only = new Set(values.only.split(","));
if (only.has("inproc")) {
  await spawnRound(N_INPROC); // warm-up
  await measure("in-process spawn threads per CPU-second", (on) => inprocOnce(on));
}
if (only.has("spawn")) await measure("spawn threads/s", (on) => spawnOnce(on));
if (only.has("http")) {
  await measure("http requests per server CPU-second", (on, i) => httpOnce(on, 18_400 + 2 * i + (on ? 1 : 0)));
  for (const on of [false, true]) {
    console.log(
      `http req/s (wall, noisy) ${on ? "on" : "off"} median ${
        median(
          httpRps.filter((r) => r.on === on).map((r) => r.rps),
        ).toFixed(0)
      }`,
    );
  }
}
