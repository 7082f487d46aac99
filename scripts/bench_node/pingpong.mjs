// pingpong, evy on Node (the npm build): the shared harness's pingpong/project.ts in Node's terms.
// Two green threads, N round trips through two unbounded Queues (QUEUE=light: LightQueue).
const lib = await import(process.env.PROJECT_MOD);
const { spawn } = lib;
const Queue = process.env.QUEUE === "light" ? lib.LightQueue : lib.Queue;
const N = Number(process.env.N ?? 200000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function ping(out, inp) {
  for (let i = 0; i < N; i++) {
    await out.put(i);
    if ((await inp.get()) !== i) throw new Error("out of order");
  }
}
async function pong(inp, out) {
  for (let i = 0; i < N; i++) await out.put(await inp.get());
}

async function oneRound() {
  const a = new Queue(), b = new Queue();
  const t0 = performance.now();
  const g1 = spawn(ping, a, b), g2 = spawn(pong, a, b);
  await g1.wait();
  await g2.wait();
  return (performance.now() - t0) / 1000;
}

const times = [];
for (let r = 0; r < ROUNDS; r++) times.push(await oneRound());
const warm = times.slice(1).sort((x, y) => x - y);
const med = warm.length ? warm[(warm.length - 1) >> 1] : times[0];
console.log("RESULT " + JSON.stringify({ rt_per_s: N / med, cold_rt_per_s: N / times[0], n: N }));
process.exit(0);
