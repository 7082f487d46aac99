/**
 * Queue ping-pong: two green threads pass a number back and forth through two
 * queues, 200,000 round trips per run, against the same exchange between two
 * plain async functions over a minimal hand-written promise queue (an array of
 * items and an array of resolvers, nothing else). The target: evy's
 * Queue at >= 0.5x the minimal queue's round trips/s.
 *
 * Run: `npx deno bench -A benches/queue_bench.ts` (or `deno task bench`).
 */
import { LightQueue, Queue, spawn } from "@evy/evy";

const ROUND_TRIPS = 200_000;

/** The baseline: the least a promise queue can do. */
class PromiseQueue<T> {
  #items: T[] = [];
  #waiters: ((value: T) => void)[] = [];
  put(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(item);
    else this.#items.push(item);
  }
  get(): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

async function promisePingPong(): Promise<void> {
  const ping = new PromiseQueue<number>(), pong = new PromiseQueue<number>();
  const ponger = (async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) pong.put(await ping.get());
  })();
  const pinger = (async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) {
      ping.put(i);
      await pong.get();
    }
  })();
  await Promise.all([pinger, ponger]);
}

async function evyPingPong(Q: typeof LightQueue): Promise<void> {
  const ping = new Q<number>(), pong = new Q<number>();
  const ponger = spawn(async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) await pong.put(await ping.get());
  });
  const pinger = spawn(async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) {
      await ping.put(i);
      await pong.get();
    }
  });
  await pinger.wait();
  await ponger.wait();
}

const options = { group: "queue ping-pong (200,000 round trips)", n: 10, warmup: 3 };

Deno.bench({ ...options, name: "minimal promise queue", baseline: true, fn: promisePingPong });
// `async fn`: deno bench awaits only functions that are async themselves.
Deno.bench({
  ...options,
  name: "evy Queue, two green threads",
  async fn() {
    await evyPingPong(Queue);
  },
});
Deno.bench({
  ...options,
  name: "evy LightQueue, two green threads",
  async fn() {
    await evyPingPong(LightQueue);
  },
});
