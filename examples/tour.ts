/**
 * A self-contained tour of evy: `deno task demo` (or `npx deno task demo`).
 * Each section prints what it shows and the numbers it measured; the whole
 * tour ends by itself in a few seconds.
 *
 * @module
 */
import { getCurrent, GreenletExit, GreenPool, sleep, spawn, Timeout, withTimeout } from "../mod.ts";
import { getHub } from "../hubs/mod.ts";
import { serve } from "../web/mod.ts";
import { execute, killall } from "../green/tpool.ts";

function section(title: string): void {
  console.log(`\n== ${title}`);
}

const ms = (t0: number): string => `${(performance.now() - t0).toFixed(0)} ms`;

// 1. Green threads are nearly free: spawn 100,000 and join them all.
section("100,000 green threads");
{
  const t0 = performance.now();
  const threads = [];
  for (let i = 0; i < 100_000; i++) {
    threads.push(spawn(async (n: number) => {
      await sleep(0); // yield once to the hub, as a real task would
      return n;
    }, i));
  }
  const results = await Promise.all(threads.map((t) => t.wait()));
  const sum = results.reduce((a, b) => a + b, 0);
  console.log(`spawned, yielded and joined ${results.length} threads in ${ms(t0)} (sum ${sum})`);
}

// 2. A GreenPool bounds concurrency; imap keeps results in input order.
section("GreenPool(10).imap over 100,000 inputs");
{
  let [n, inFlight, peak] = [0, 0, 0];
  const t0 = performance.now();
  const call = async (i: number) => {
    peak = Math.max(peak, ++inFlight);
    await sleep(0);
    inFlight--;
    return i;
  };
  for await (const i of new GreenPool(10).imap(call, Array(100_000).keys())) {
    if (i !== n++) throw new Error("imap results out of order");
  }
  console.log(`ran ${n} calls, results in input order, in ${ms(t0)}; at most ${peak} at once`);
}

// 3. A Timeout interrupts whatever the thread waits for.
section("Timeout interrupts a wait");
{
  const t0 = performance.now();
  const result = await withTimeout(50, () => sleep(10_000), { timeoutValue: "timed out" });
  console.log(`withTimeout(50, sleep(10 s)) -> "${result}" after ${ms(t0)}`);

  const t1 = performance.now();
  const timeout = new Timeout(30);
  try {
    await sleep(10_000);
  } catch (e) {
    if (e !== timeout) throw e;
    console.log(`new Timeout(30) interrupted sleep(10 s) after ${ms(t1)}; catch it with "if (e !== t) throw e"`);
  } finally {
    timeout.cancel();
  }
}

// 4. Kill a thread wherever it is blocked; it may clean up.
section("kill a blocked thread");
{
  const worker = spawn(async function worker() {
    try {
      await sleep(60_000);
    } catch (e) {
      if (e instanceof GreenletExit) console.log(`${getCurrent().name}: got GreenletExit, cleaning up`);
      throw e;
    }
  });
  await sleep(10);
  const waits = getHub().listWaits().map((w) => `${w.threadName} in ${w.description}`);
  console.log(`hub lists the wait: ${waits.join(", ")}`);
  const t0 = performance.now();
  await worker.kill();
  console.log(`killed ${worker} in ${ms(t0)}; worker.signal.aborted = ${worker.signal.aborted}`);
}

// 5. The HTTP server: a Fetch handler, each request in its own green thread.
section("an HTTP server with a green thread per request");
const mainThread = getCurrent();
{
  await using web = serve({ port: 0, hostname: "127.0.0.1", log: false }, async (req) => {
    await sleep(5); // a green wait inside the request's thread
    return new Response(
      `Hello, World! (${new URL(req.url).pathname}, green thread: ${getCurrent() !== mainThread})\r\n`,
    );
  });
  const url = `http://127.0.0.1:${web.addr.port}`;
  const t0 = performance.now();
  const bodies = await Promise.all([1, 2, 3].map(async (i) => (await fetch(`${url}/page${i}`)).text()));
  console.log(`3 concurrent GETs in ${ms(t0)}: ${JSON.stringify(bodies[0])}`);
  console.log(
    "websocket chat in two browser tabs: deno run -A examples/websocket_chat.ts, then open http://localhost:7000/",
  );
}

// 6. Blocking work goes to the thread pool; the loop stays free meanwhile.
// Self-contained (it uses only its argument): `execute` ships it to a worker by its source.
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
section("CPU-bound work in the thread pool (tpool)");
{
  let ticks = 0;
  let computing = true;
  const ticker = spawn(async () => {
    while (computing) {
      ticks++;
      await sleep(1);
    }
  });
  const t0 = performance.now();
  const results = await Promise.all([30, 30].map((n) => execute(fib, n)));
  computing = false;
  await ticker.wait();
  console.log(`fib(30) twice in workers in ${ms(t0)} = ${results[0]}; a green thread ticked ${ticks} times meanwhile`);
  await killall();
}

console.log("\nTour done.");
