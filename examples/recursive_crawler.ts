/**
 * A recursive web crawler (the seeds' `examples/recursive_crawler.py`) that
 * fetches linked pages from a seed url. Don't point it at random sites: it
 * does not respect robots.txt and it is pretty brutal about how quickly it
 * fetches pages.
 *
 * The fetch function does all the work: it makes the request, finds new
 * urls, and dispatches new fetches into the pool, which acts as a job
 * coordinator (and concurrency controller, of course). While this looks
 * stack-recursive, it is not: spawned green threads start their own stacks.
 * When the pool is full, a thread of the pool spawning into it runs the fetch
 * itself instead of waiting for a slot it holds (Eventlet's rule), so the
 * crawl cannot deadlock however small the pool.
 *
 * To run with no internet, the example serves its own small site on
 * 127.0.0.1 and crawls only that site:
 *
 *     deno run -A examples/recursive_crawler.ts
 *
 * @module
 */
import { GreenPool, withTimeout } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serveSite } from "./_local_site.ts";

const URL_REGEX = /\bhttps?:\/\/[^\s"'<>()]+/g;

/** Fetches a url, adds the urls found to `seen`, and dispatches the new ones to the pool. */
async function fetchPage(url: string, seen: Set<string>, pool: GreenPool, origin: string): Promise<void> {
  console.log("fetching", url);
  const data = await withTimeout(5_000, async () => await (await fetch(url)).text(), { timeoutValue: "" });
  for (const match of data.matchAll(URL_REGEX)) {
    const newUrl = match[0];
    // Only send requests to our own site, so as not to destroy the internet.
    if (!seen.has(newUrl) && newUrl.startsWith(origin)) {
      seen.add(newUrl);
      await pool.spawnN(fetchPage, newUrl, seen, pool, origin);
    }
  }
}

/** Crawls from `startUrl`; returns the urls found. */
async function crawl(startUrl: string, origin: string, pool: GreenPool): Promise<Set<string>> {
  const seen = new Set([startUrl]);
  await fetchPage(startUrl, seen, pool, origin);
  await pool.waitall();
  return seen;
}

await using site = serveSite({ pages: 15, delayMs: 40 });
const pool = new GreenPool(3);
const t0 = performance.now();
const seen = await crawl(site.origin + "/", site.origin, pool);
console.log("I saw these urls:");
console.log([...seen].join("\n"));
console.log(
  `crawled ${seen.size} pages in ${(performance.now() - t0).toFixed(0)} ms with a pool of ${pool.size}; ` +
    `the site served ${site.hits} requests, up to ${site.maxConcurrent} at once`,
);
