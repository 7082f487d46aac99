/**
 * `evy serve --processes 2` against `deno serve --parallel` (2 workers,
 * `DENO_JOBS=2`) on the same hello-world app, under `wrk -t1 -c100`, in the
 * same run and interleaved round by round; then requests/s through a SIGHUP
 * reload in 250 ms buckets (the dip), with the failed requests counted.
 *
 * Usage: `deno run -A scripts/bench_spawning.ts [--rounds 3] [--seconds 5]`.
 * Needs `wrk` (Debian). A benchmark, never a test: figures go to
 * docs/performance.md by hand.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string" }, seconds: { type: "string" } } });
const rounds = Number(values.rounds ?? 3);
const seconds = Number(values.seconds ?? 5);
const cli = new URL("../tools/cli.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "evy-bench-spawning-"));
const app = join(dir, "app.ts");
writeFileSync(app, `export default { fetch: () => new Response("Hello, World!") };\n`);

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`nothing listens on ${port}`);
}

function start(kind: "evy" | "deno", port: number): Deno.ChildProcess {
  const args = kind === "evy"
    ? [
      "run",
      "-A",
      "--unstable-net",
      cli,
      "serve",
      app,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--processes",
      "2",
    ]
    : ["serve", "--parallel", "-A", "--host", "127.0.0.1", "--port", String(port), app];
  return new Deno.Command(Deno.execPath(), { args, env: { DENO_JOBS: "2" }, stdout: "null", stderr: "piped" }).spawn();
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await child.stderr.cancel();
  await child.status;
}

async function wrk(port: number, secs: number): Promise<number> {
  const out = await new Deno.Command("wrk", {
    args: ["-t1", "-c100", `-d${secs}s`, `http://127.0.0.1:${port}/`],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN);
}

const results: Record<"evy" | "deno", number[]> = { evy: [], deno: [] };
for (let r = 0; r < rounds; r++) {
  for (const kind of (r % 2 === 0 ? ["evy", "deno"] : ["deno", "evy"]) as ("evy" | "deno")[]) {
    const port = freePort();
    const child = start(kind, port);
    await waitPort(port);
    await new Promise((res) => setTimeout(res, 500)); // every worker up
    await wrk(port, 1); // warm-up
    results[kind].push(await wrk(port, seconds));
    await stop(child);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratios = results.evy.map((e, i) => e / results.deno[i]!);
console.log(`| server | requests/s (median of ${rounds}) |`);
console.log(`| --- | --- |`);
console.log(`| evy serve --processes 2 | ${median(results.evy).toFixed(0)} |`);
console.log(`| deno serve --parallel (2) | ${median(results.deno).toFixed(0)} |`);
console.log(`ratio evy / deno serve (median of per-round ratios): ${median(ratios).toFixed(2)}x`);

// Through a reload: 50 concurrent client loops, each request on its own fetch; 250 ms buckets.
{
  const port = freePort();
  const child = start("evy", port);
  await waitPort(port);
  await new Promise((res) => setTimeout(res, 500));
  const t0 = performance.now();
  const buckets: number[] = [];
  let failed = 0;
  let done = false;
  const loops = Array.from({ length: 50 }, async () => {
    while (!done) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        await res.text();
        const b = Math.floor((performance.now() - t0) / 250);
        buckets[b] = (buckets[b] ?? 0) + 1;
      } catch {
        failed++;
      }
    }
  });
  await new Promise((res) => setTimeout(res, 2000));
  child.kill("SIGHUP");
  await new Promise((res) => setTimeout(res, 4000));
  done = true;
  await Promise.all(loops);
  await stop(child);
  console.log(`\nthrough a SIGHUP reload at t=2.0 s (requests/s per 250 ms bucket; ${failed} failed):`);
  console.log(`| t (s) | requests/s |`);
  console.log(`| --- | --- |`);
  for (let b = 0; b < 24; b++) console.log(`| ${(b * 0.25).toFixed(2)} | ${((buckets[b] ?? 0) * 4).toFixed(0)} |`);
}
rmSync(dir, { recursive: true, force: true });
