/**
 * A recursive web crawler in the producer/consumer style (the seeds'
 * `examples/producer_consumer.py`). Don't point it at random sites: it does
 * not respect robots.txt and it is pretty brutal about how quickly it fetches
 * pages.
 *
 * The fetch function produces jobs (the urls it finds go into a Queue), and
 * the GreenPool itself is the consumer, farming the work out concurrently.
 * That is easier than a hand-written consumer loop: the pool handles the
 * failures and keeps a set number of "workers", so you don't write that
 * tedious management code yourself.
 *
 * To run with no internet, the example serves its own small site on
 * 127.0.0.1 and crawls only that site (as the original kept to evy.net):
 *
 *     deno run -A examples/producer_consumer.ts
 *
 * @module
 */
import { GreenPool, Queue, withTimeout } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serveSite } from "./_local_site.ts";

// A liberal url regex, in the spirit of the original's.
const URL_REGEX = /\bhttps?:\/\/[^\s"'<>()]+/g;

/** Fetches a url and pushes every url found into a queue. */
async function fetchLinks(url: string, outq: Queue<string>): Promise<void> {
  console.log("fetching", url);
  // Give up on a page after 5 s (the original's `with Timeout(5, False)`).
  const data = await withTimeout(5_000, async () => await (await fetch(url)).text(), { timeoutValue: "" });
  for (const match of data.matchAll(URL_REGEX)) await outq.put(match[0]);
}

/** Crawls from `startUrl`, staying on `origin`; returns the urls seen. */
async function producer(startUrl: string, origin: string, pool: GreenPool): Promise<Set<string>> {
  const seen = new Set<string>();
  const q = new Queue<string>();
  await q.put(startUrl);
  // Keep looping while there are new urls, or workers that may produce more.
  for (;;) {
    while (!q.empty()) {
      const url = await q.get();
      // Stay on our own site so we don't crash all over the internet.
      if (!seen.has(url) && url.startsWith(origin)) {
        seen.add(url);
        await pool.spawnN(fetchLinks, url, q);
      }
    }
    await pool.waitall();
    if (q.empty()) break;
  }
  return seen;
}

await using site = serveSite({ pages: 12, delayMs: 40 });
const pool = new GreenPool(4);
const t0 = performance.now();
const seen = await producer(site.origin + "/", site.origin, pool);
console.log("I saw these urls:");
console.log([...seen].join("\n"));
console.log(
  `crawled ${seen.size} pages in ${(performance.now() - t0).toFixed(0)} ms with a pool of ${pool.size}; ` +
    `the site served ${site.hits} requests, up to ${site.maxConcurrent} at once`,
);
