/**
 * The shared harness's in-process benchmarks under Node 20, on the npm build:
 * each `*.mjs` here is the harness's `project.ts` for that benchmark written
 * for Node, paired round by round with the harness's raw Node file
 * (`../shared/bench/<bench>/node*.mjs`), both pinned to CPU 0 with
 * `node --expose-gc`, as the harness runs them. Prints each round's figures
 * and the median of the per-round ratios (evy / raw Node).
 *
 *     npx deno task build:npm
 *     deno run -A scripts/bench_node/run.ts [--rounds=3] [--bench=spawn,memory,memory_sleep,timers,pingpong]
 *
 * `BENCH_DIR` overrides where the harness is (default `/work/shared/bench`).
 *
 * @module
 */
const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const ROUNDS = Number(args.rounds ?? 3);
const BENCH_DIR = Deno.env.get("BENCH_DIR") ?? "/work/shared/bench";
const HERE = new URL(".", import.meta.url).pathname;
const MOD = new URL("../../npm/mod.js", import.meta.url).pathname;

interface Bench {
  /** Our file here. */
  ours: string;
  /** The raw Node file in the harness. */
  raw: string;
  metric: string;
  env?: Record<string, string>;
}

const BENCHES: Record<string, Bench> = {
  spawn: { ours: "spawn.mjs", raw: "spawn/node_timeout.mjs", metric: "threads_per_s" },
  memory: { ours: "memory.mjs", raw: "memory/node.mjs", metric: "bytes_per_thread" },
  memory_sleep: {
    ours: "memory.mjs",
    raw: "memory/node_sleep.mjs",
    metric: "bytes_per_thread",
    env: { MODE: "sleep" },
  },
  timers: { ours: "timers.mjs", raw: "timers/node.mjs", metric: "wall_ms" },
  pingpong: { ours: "pingpong.mjs", raw: "pingpong/node.mjs", metric: "rt_per_s" },
};

async function once(file: string, env: Record<string, string>, metric: string): Promise<number> {
  const out = await new Deno.Command("taskset", {
    args: ["-c", "0", "node", "--expose-gc", file],
    env: { ...env, PROJECT_MOD: MOD },
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(out.stdout).split("\n").find((l) => l.startsWith("RESULT "));
  if (!out.success || line === undefined) throw new Error(`${file} failed (exit ${out.code})`);
  return JSON.parse(line.slice(7))[metric];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

const names = String(args.bench ?? Object.keys(BENCHES).join(",")).split(",");
for (const name of names) {
  const bench = BENCHES[name];
  if (bench === undefined) throw new Error(`unknown bench ${name}`);
  const raw: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const env = bench.env ?? {};
    // alternate which side runs first, as the harness rotates its order
    if (r % 2 === 0) {
      raw.push(await once(`${BENCH_DIR}/${bench.raw}`, env, bench.metric));
      ours.push(await once(`${HERE}${bench.ours}`, env, bench.metric));
    } else {
      ours.push(await once(`${HERE}${bench.ours}`, env, bench.metric));
      raw.push(await once(`${BENCH_DIR}/${bench.raw}`, env, bench.metric));
    }
  }
  const ratios = ours.map((v, i) => v / raw[i]!);
  const fmt = (xs: number[]): string => xs.map((x) => Math.round(x).toLocaleString("en-US")).join(", ");
  console.log(
    `${name}: ${bench.metric} raw Node [${fmt(raw)}], evy [${fmt(ours)}], ratio median ${
      median(ratios).toFixed(2)
    }x (range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
  );
}
