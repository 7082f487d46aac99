/**
 * The shared harness's server benchmarks (http, echo, idle) under Node 20 on
 * the npm build, run by the harness itself: `../shared` is read-only, so this
 * copies the harness to a temp dir, puts `http.mjs` / `echo.mjs` from here
 * beside each folder's files as `project.mjs`, makes the raw Node file the
 * baseline, and runs `run.sh BENCH --only node.mjs,project.mjs`. The ratio
 * column is evy on Node / raw Node, paired round by round.
 *
 *     npx deno task build:npm
 *     deno run -A scripts/bench_node/servers.ts [--rounds=5] [--bench=http,echo,idle]
 *
 * `BENCH_DIR` overrides where the harness is (default `/work/shared/bench`).
 *
 * @module
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const ROUNDS = String(args.rounds ?? 5);
const BENCH_DIR = Deno.env.get("BENCH_DIR") ?? "/work/shared/bench";
const HERE = new URL(".", import.meta.url).pathname;
const MOD = new URL("../../npm/mod.js", import.meta.url).pathname;
const OURS: Record<string, string> = { http: "http.mjs", echo: "echo.mjs", idle: "echo.mjs" };

const copy = mkdtempSync(join(tmpdir(), "evy-bench-node-"));
try {
  cpSync(BENCH_DIR, copy, { recursive: true });
  for (const bench of String(args.bench ?? "http,echo,idle").split(",")) {
    const ours = OURS[bench];
    if (ours === undefined) throw new RangeError(`servers.ts: no Node project file for ${bench}`);
    cpSync(join(HERE, ours), join(copy, bench, "project.mjs"));
    const cfgPath = join(copy, bench, "bench.json");
    const cfg = JSON.parse(readFileSync(cfgPath, "utf8"));
    cfg.baseline = "node.mjs";
    writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
    const out = await new Deno.Command("bash", {
      args: [join(copy, "run.sh"), bench, "-n", ROUNDS, "--only", "node.mjs,project.mjs"],
      env: { PROJECT_MOD: MOD },
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error(`run.sh ${bench} failed (exit ${out.code})`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
