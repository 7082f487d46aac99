/**
 * The ZeroMQ guide's divide-and-conquer pipeline (taskvent + taskwork +
 * tasksink): a ventilator PUSHes 100 tasks to a pool of workers — green
 * threads here, each with a PULL for tasks and a PUSH for results — and a
 * sink PULLs the results and reports how long the batch took. Each task is a
 * workload in ms that the worker "does" with a green sleep, so the workers
 * really run in parallel and the batch takes about a fifth of the total.
 *
 *     deno run -A examples/zmq_pipeline.ts
 *
 * @module
 */
import { sleep, spawn } from "@evy/evy";
import { Pull, Push } from "@evy/evy/green/zmq";

const WORKERS = 5;
const TASKS = 100;

await using sink = new Pull();
await sink.bind("tcp://127.0.0.1:*");
await using ventilator = new Push();
await ventilator.bind("tcp://127.0.0.1:*");

// The ventilator sends once every worker is connected, so the tasks spread over all of them.
let connected = 0;
const allConnected = new Promise<void>((resolve) => {
  ventilator.on("handshake", () => {
    if (++connected === WORKERS) resolve();
  });
});

const workers = Array.from({ length: WORKERS }, (_, id) =>
  spawn(async () => {
    await using tasks = new Pull();
    await using results = new Push();
    tasks.connect(ventilator.lastEndpoint!);
    results.connect(sink.lastEndpoint!);
    for await (const [task] of tasks) {
      if (task!.length === 0) break; // the end-of-batch signal
      await sleep(Number(task!.toString())); // do the work
      await results.send(`${id}`);
    }
  }));

await allConnected;
const start = Date.now();
let totalMs = 0;
for (let i = 0; i < TASKS; i++) {
  const workload = 1 + Math.floor(Math.random() * 20);
  totalMs += workload;
  await ventilator.send(String(workload));
}
console.log(`Total expected cost: ${totalMs} msec`);

const perWorker = new Array<number>(WORKERS).fill(0);
for (let i = 0; i < TASKS; i++) {
  const [id] = await sink.receive();
  perWorker[Number(id!.toString())]!++;
}
console.log(`Total elapsed time: ${Date.now() - start} msec`);
console.log(`tasks per worker: ${perWorker.join(" ")}`);
for (let i = 0; i < WORKERS; i++) await ventilator.send(""); // one end signal each (round-robin)
for (const w of workers) await w.wait();
