/**
 * A simple web "crawler" that fetches a bunch of urls using a pool to control
 * the number of outbound connections (the seeds' `examples/webcrawler.py`).
 * It has as many simultaneously open connections as green threads in the
 * pool. The prints in the body of the fetch function are there to show that
 * the requests are truly made in parallel.
 *
 * To run with no internet, the example serves its own small site on
 * 127.0.0.1, where every page takes 50 ms to arrive:
 *
 *     deno run -A examples/webcrawler.ts
 *
 * @module
 */
import { GreenPool } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serveSite } from "./_local_site.ts";

const DELAY_MS = 50;
await using site = serveSite({ pages: 8, delayMs: DELAY_MS });
const urls = site.pages;

/** Runs in its own green thread per url: a Timeout or kill would abort the request itself. */
async function fetchUrl(url: string): Promise<[string, string]> {
  console.log("opening", url);
  const body = await (await fetch(url)).text();
  console.log("done with", url);
  return [url, body];
}

const pool = new GreenPool(200);
const t0 = performance.now();
for await (const [url, body] of pool.imap(fetchUrl, urls)) {
  console.log("got body from", url, "of length", body.length);
}
const elapsed = performance.now() - t0;
console.log(
  `fetched ${urls.length} urls in ${elapsed.toFixed(0)} ms ` +
    `(one at a time would take >= ${urls.length * DELAY_MS} ms); ` +
    `the site served up to ${site.maxConcurrent} requests at once`,
);
