// timers, evy on Node (the npm build): the shared harness's timers/project.ts in Node's terms.
// N green threads each sleep(d), d in [0, 50) ms from the harness's fixed hash; wall time.
const { spawn, sleep } = await import(process.env.PROJECT_MOD);
const N = Number(process.env.N ?? 100000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DELAYS = Array.from({ length: N }, (_, i) => ((Math.imul(i, 2654435761) >>> 0) / 2 ** 32) * 50);

async function worker(d) {
  const t = performance.now();
  await sleep(d);
  return performance.now() - t - d;
}

async function oneRound() {
  const t0 = performance.now();
  const gts = DELAYS.map((d) => spawn(worker, d));
  const over = new Float64Array(N);
  for (let i = 0; i < N; i++) over[i] = await gts[i].wait();
  return [performance.now() - t0, over.sort()];
}

const rounds = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await oneRound());
const warm = (rounds.length > 1 ? rounds.slice(1) : rounds).sort((a, b) => a[0] - b[0]);
const [wall, over] = warm[(warm.length - 1) >> 1];
console.log(
  "RESULT " + JSON.stringify({
    wall_ms: wall,
    over_mean_ms: over.reduce((a, b) => a + b, 0) / N,
    over_p50_ms: over[N >> 1],
    n: N,
  }),
);
process.exit(0);
