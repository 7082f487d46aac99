/**
 * GreenPool `imap` of 100,000 trivial calls against hand-rolled p-limit-style
 * limiting with plain promises, in the same run, at a limit of 10 and 1000.
 * `deno task bench` (or `deno bench -A benches/green_pool_bench.ts`); the
 * README reports the ratio. Target: evy >= 0.7x the plain version.
 *
 * The plain version is what p-limit does (a FIFO of pending starts, one
 * promise per call, all calls queued up front), written out here so that
 * nothing is fetched; its queue is an array with a moving head, as p-limit's
 * yocto-queue is a linked list, so both are O(1) per call.
 */
import { GreenPool } from "../mod.ts";

const N = 100_000;
// deno-lint-ignore require-await -- the trivial call is an async function, as real calls are
const double = async (x: number): Promise<number> => x * 2;

function pLimit(limit: number): <T>(fn: () => T | Promise<T>) => Promise<T> {
  let active = 0;
  let queue: (() => void)[] = [];
  let head = 0;
  const next = (): void => {
    active--;
    if (head < queue.length) {
      const start = queue[head]!;
      queue[head++] = undefined as never;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      start();
    }
  };
  return <T>(fn: () => T | Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        Promise.resolve().then(fn).then(resolve, reject).finally(next);
      };
      if (active < limit) start();
      else queue.push(start);
    });
}

function* inputs(): Generator<number> {
  for (let i = 0; i < N; i++) yield i;
}

const expected = N * (N - 1);

for (const size of [10, 1000]) {
  Deno.bench({
    name: `p-limit-style, limit ${size}, 100k calls`,
    group: `imap ${size}`,
    baseline: true,
    async fn() {
      const limit = pLimit(size);
      const all: Promise<number>[] = [];
      for (const i of inputs()) all.push(limit(() => double(i)));
      let sum = 0;
      for (const p of all) sum += await p;
      if (sum !== expected) throw new Error("wrong sum");
    },
  });

  Deno.bench({
    name: `evy GreenPool(${size}).imap, 100k calls`,
    group: `imap ${size}`,
    async fn() {
      const pool = new GreenPool(size);
      let sum = 0;
      for await (const x of pool.imap(double, inputs())) sum += x;
      if (sum !== expected) throw new Error("wrong sum");
    },
  });
}
