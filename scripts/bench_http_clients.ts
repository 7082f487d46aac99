/**
 * axios on the greened `node:http` vs the same unpatched (issue 10's
 * benchmark): N requests (default 10,000), C in flight (default 100), to a
 * local `Deno.serve` server in this process. Each round runs
 * `scripts/_bench_http_clients_child.ts` in a fresh subprocess, alternately
 * plain (`deno run`) and greened (`deno run --preload ./patch.ts`, so axios and
 * follow-redirects get `green/node/http.ts` through the module hooks); the
 * child spawns C green threads sharing one keep-alive `http.Agent`, each
 * making N/C sequential `axios.get`s, and reports requests per second
 * measured inside it (start-up excluded). First, though, one subprocess
 * alternates the two in the same process through axios's `transport` option
 * (the runtime's `node:http`, then `green/node/http.ts`: the same axios code,
 * only the module differs), which the shared machine's noise hurts least.
 * After a warm-up pair, each table shows medians and the greened/plain ratio
 * (target ≥ 0.95). `--mode=inprocess` or `--mode=subprocess` runs one table.
 *
 *     deno run -A scripts/bench_http_clients.ts [--n=10000] [--c=100] [--rounds=5] [--mode=inprocess|subprocess]
 *
 * @module
 */
const args = Object.fromEntries(Deno.args.map((a) => a.replace(/^--/, "").split("=")));
const N = Number(args.n ?? 10_000);
const C = Number(args.c ?? 100);
const ROUNDS = Number(args.rounds ?? 5);
const ROOT = new URL("..", import.meta.url);

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hello world"));
const url = `http://127.0.0.1:${server.addr.port}/`;

async function round(greened: boolean): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(greened ? ["--preload", "./patch.ts"] : []),
      "scripts/_bench_http_clients_child.ts",
      url,
      String(N),
      String(C),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (out.code !== 0) throw new Error(`child exited with ${out.code}`);
  const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
  if (result.greened !== greened) throw new Error(`child greened=${result.greened}, expected ${greened}`);
  return result.rps;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function table(title: string, plain: number[], green: number[]): void {
  const ratios = plain.map((p, i) => green[i]! / p);
  console.log(`${title}: axios, ${N} requests, ${C} in flight, ${plain.length} rounds (medians, requests/s)`);
  console.log(`  plain node:http    ${median(plain).toFixed(0)}   [${plain.map((x) => x.toFixed(0)).join(", ")}]`);
  console.log(`  greened node:http  ${median(green).toFixed(0)}   [${green.map((x) => x.toFixed(0)).join(", ")}]`);
  console.log(
    `  ratio of medians ${(median(green) / median(plain)).toFixed(3)}; median of pair ratios ${
      median(ratios).toFixed(3)
    }`,
  );
}

if (args.mode === "inprocess" || args.mode === undefined) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/_bench_http_clients_child.ts", url, String(N), String(C), "both", String(ROUNDS)],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (out.code !== 0) throw new Error(`child exited with ${out.code}`);
  const { plain, green } = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
  table("one process, axios `transport` option", plain, green);
}
if (args.mode !== "inprocess") {
  await round(false);
  await round(true);
  const plain: number[] = [];
  const green: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    plain.push(await round(false));
    green.push(await round(true));
  }
  table("subprocesses, plain `deno run` vs `--preload ./patch.ts`", plain, green);
}
await server.shutdown();
