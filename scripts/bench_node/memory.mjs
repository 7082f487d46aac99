// memory, evy on Node (the npm build): the shared harness's memory/project.ts in Node's terms.
// N green threads blocked in one Event's wait() (MODE=sleep: each in sleep(1 h)); RSS growth
// per thread after two full GCs. Run with --expose-gc (run.sh does).
const { spawn, sleep, Event } = await import(process.env.PROJECT_MOD);
const N = Number(process.env.N ?? 100000);
const MODE = process.env.MODE ?? "event";
const gc = globalThis.gc ?? (() => {});

let ev = new Event();
let started = 0;
async function worker() {
  started++;
  if (MODE === "sleep") await sleep(3_600_000);
  else await ev.wait();
}

const w = [];
for (let i = 0; i < 1000; i++) {
  w.push(spawn(async () => {
    await ev.wait();
  }));
}
await sleep(0);
ev.send(true);
for (const gt of w) await gt.wait();
w.length = 0;
ev = new Event();
gc();
gc();
const m0 = process.memoryUsage();
const gts = [];
for (let i = 0; i < N; i++) gts.push(spawn(worker));
await sleep(10);
while (started < N) await sleep(0);
gc();
gc();
const m1 = process.memoryUsage();
console.log(
  "RESULT " + JSON.stringify({
    bytes_per_thread: (m1.rss - m0.rss) / N,
    heap_bytes_per_thread: (m1.heapUsed - m0.heapUsed) / N,
    n: N,
    mode: MODE,
  }),
);
process.exit(0);
