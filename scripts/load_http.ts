/**
 * Load test: hello world over HTTP/1.1 keep-alive, evy's `serve` against
 * plain `Deno.serve` with the same handler, driven by `wrk` (Debian's).
 *
 * The server is pinned to CPU 0 and wrk (one thread) to CPU 1 with
 * `taskset`, so they do not compete; the CPU time each used is reported, so
 * a saturated load generator shows (wrk near 100% of a core means the
 * numbers are wrk's limit, not the server's).
 *
 * Usage: `deno run -A scripts/load_http.ts [--duration 10] [--connections 100] [--rounds 1]`
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "100" },
    rounds: { type: "string", default: "1" },
    modes: { type: "string", default: "plain,evy,plain:async,evy:async,evy-log" },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const cpus = navigator.hardwareConcurrency;
const pin = cpus >= 2;

function cpuTicks(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
}

function parseLatency(text: string): number {
  const match = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(text);
  if (!match) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
  return Number(match[1]) * scale;
}

interface Result {
  mode: string;
  rps: number;
  p99Ms: number;
  serverCpu: number;
  wrkCpu: number;
}

async function run(mode: string, port: number): Promise<Result> {
  const [server, kind = "sync"] = mode.split(":");
  const serverArgs = [
    "run",
    "-A",
    new URL("./_load_http_server.ts", import.meta.url).pathname,
    server!,
    String(port),
    kind,
  ];
  const child = new Deno.Command(pin ? "taskset" : Deno.execPath(), {
    args: pin ? ["-c", "0", Deno.execPath(), ...serverArgs] : serverArgs,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const next = await reader.read();
    if (next.done) throw new Error(`server ${mode} exited before listening`);
    seen += next.value;
  }
  const url = `http://127.0.0.1:${port}/`;
  // Warm up (JIT) for 2 s, then measure.
  const wrk = (secs: number): Promise<Deno.CommandOutput> =>
    new Deno.Command("bash", {
      args: ["-c", `${pin ? "taskset -c 1 " : ""}wrk -t1 -c${connections} -d${secs}s --latency ${url}; times`],
      stdout: "piped",
      stderr: "piped",
    }).output();
  await wrk(2);
  const before = cpuTicks(child.pid);
  const out = await wrk(duration);
  const serverCpu = (cpuTicks(child.pid) - before) / 100 / duration;
  child.kill("SIGTERM");
  await reader.cancel();
  await child.status;
  const text = new TextDecoder().decode(out.stdout);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  // `times` prints the shell's own times, then its children's: "0m1.234s 0m2.345s".
  const childTimes = text.trim().split("\n").at(-1)!.match(/(\d+)m([\d.]+)s/g) ?? [];
  const seconds = childTimes.map((t) => {
    const [, m, s] = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m) * 60 + Number(s);
  });
  const wrkCpu = seconds.reduce((a, b) => a + b, 0) / (duration + 2); // both wrk runs together
  return { mode, rps, p99Ms: parseLatency(text), serverCpu, wrkCpu };
}

const modes = values.modes.split(",");
const results = new Map<string, Result[]>();
let port = 18000 + Math.floor(Math.random() * 1000);
for (let round = 0; round < rounds; round++) {
  for (const mode of modes) {
    const result = await run(mode, port++);
    results.set(mode, [...(results.get(mode) ?? []), result]);
    console.error(
      `${mode.padEnd(12)} ${result.rps.toFixed(0).padStart(8)} req/s  p99 ${result.p99Ms.toFixed(2)} ms  ` +
        `server CPU ${(result.serverCpu * 100).toFixed(0)}%  wrk CPU ${(result.wrkCpu * 100).toFixed(0)}%`,
    );
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `\nwrk -t1 -c${connections} -d${duration}s, server pinned to CPU 0, wrk to CPU 1 (${cpus} CPUs), ${rounds} round(s), medians:\n`,
);
console.log("| server | handler | req/s | ratio to Deno.serve | p99 (ms) | server CPU | wrk CPU |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
for (const mode of modes) {
  const rs = results.get(mode)!;
  const [server, kind = "sync"] = mode.split(":");
  const rps = median(rs.map((r) => r.rps));
  const base = results.get(kind === "async" ? "plain:async" : "plain");
  const ratio = base ? rps / median(base.map((r) => r.rps)) : NaN;
  const name = server === "plain"
    ? "Deno.serve"
    : server === "evy"
    ? "evy serve (log: false)"
    : "evy serve (access log)";
  console.log(
    `| ${name} | ${kind} | ${rps.toFixed(0)} | ${ratio.toFixed(2)}x | ${median(rs.map((r) => r.p99Ms)).toFixed(2)} | ` +
      `${(median(rs.map((r) => r.serverCpu)) * 100).toFixed(0)}% | ${
        (median(rs.map((r) => r.wrkCpu)) * 100).toFixed(0)
      }% |`,
  );
}
