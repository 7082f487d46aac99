/**
 * axios on the greened `node:http` vs the same unpatched (issue 10's
 * benchmark): N requests (default 10,000), C in flight (default 100), to a
 * local `Deno.serve` server in this process. Each round runs
 * `scripts/_bench_http_clients_child.ts` in a fresh subprocess, alternately
 * plain (`deno run`) and greened (`deno run --preload ./patch.ts`, so axios and
 * follow-redirects get `green/node/http.ts` through the module hooks); the
 * child spawns C green threads sharing one keep-alive `http.Agent`, each
 * making N/C sequential `axios.get`s, and reports requests per second
 * measured inside it (start-up excluded). After a warm-up pair, the table
 * shows medians and the greened/plain ratio (target ≥ 0.95).
 *
 *     deno run -A scripts/bench_http_clients.ts [--n=10000] [--c=100] [--rounds=5]
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
await round(false);
await round(true);
const plain: number[] = [];
const green: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  plain.push(await round(false));
  green.push(await round(true));
}
console.log(`axios, ${N} requests, ${C} in flight, ${ROUNDS} rounds (medians, requests/s)`);
console.log(`plain node:http    ${median(plain).toFixed(0)}   [${plain.map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`greened node:http  ${median(green).toFixed(0)}   [${green.map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`ratio greened/plain ${(median(green) / median(plain)).toFixed(3)}`);
await server.shutdown();
