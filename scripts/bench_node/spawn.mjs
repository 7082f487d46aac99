// spawn, evy on Node (the npm build): the shared harness's spawn/project.ts in Node's terms.
// N green threads, each sleep(0) once and return i, joined with GreenThread.wait().
// PROJECT_MOD: the npm build's entry module (npm/mod.js); run by run.sh.
const { spawn, sleep } = await import(process.env.PROJECT_MOD);
const N = Number(process.env.N ?? 100000);
const ROUNDS = Number(process.env.ROUNDS ?? 4); // first round is the cold one

async function worker(i) {
  await sleep(0);
  return i;
}

async function oneRound() {
  const t0 = performance.now();
  const gts = new Array(N);
  for (let i = 0; i < N; i++) gts[i] = spawn(worker, i);
  let total = 0;
  for (const gt of gts) total += await gt.wait();
  const dt = (performance.now() - t0) / 1000;
  if (total !== (N * (N - 1)) / 2) throw new Error("bad total");
  return dt;
}

const times = [];
for (let r = 0; r < ROUNDS; r++) times.push(await oneRound());
const warm = times.slice(1).sort((a, b) => a - b);
const med = warm.length ? warm[(warm.length - 1) >> 1] : times[0];
console.log("RESULT " + JSON.stringify({ threads_per_s: N / med, cold_threads_per_s: N / times[0], n: N }));
process.exit(0);
