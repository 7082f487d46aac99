/**
 * The dispatch pattern (the seeds' feed scraper, `examples/feedscraper.py`): a
 * server that is also a client. It accepts POSTs containing a list of feed
 * urls, fetches all the feeds concurrently, and answers with their titles.
 *
 * Every request fans out over a GreenPile built on ONE global GreenPool: if
 * the pool's fetches are all busy with other clients' feeds, a new request's
 * fetches wait for a slot. Limitations are good: a client cannot make the
 * server open thousands of connections at once.
 *
 * To run with no internet, the example serves its own feeds on 127.0.0.1,
 * starts the scraper there too, plays three clients posting at the same time,
 * prints what they got, and stops:
 *
 *     deno run -A examples/dispatch.ts
 *
 * @module
 */
import { GreenPile, GreenPool, spawn } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serveSite } from "./_local_site.ts";

// The pool provides a safety limit on our concurrency, shared by all requests.
const POOL_SIZE = 4;
const pool = new GreenPool(POOL_SIZE);
let fetching = 0;
let maxFetching = 0;

async function fetchTitle(url: string): Promise<string> {
  fetching++;
  maxFetching = Math.max(maxFetching, fetching);
  try {
    const xml = await (await fetch(url)).text();
    return /<title>([^<]*)<\/title>/.exec(xml)?.[1] ?? "";
  } finally {
    fetching--;
  }
}

/** The application: one green thread per request (see below). */
async function app(req: Request): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 403 });
  // The pile collects the results of a concurrent operation: here, the
  // titles of the feeds, in the order they were posted.
  const pile = new GreenPile<string>(pool);
  for (const line of (await req.text()).split("\n")) {
    const url = line.trim();
    if (url) await pile.spawn(fetchTitle, url);
  }
  const titles: string[] = [];
  for await (const title of pile) titles.push(title);
  return new Response(titles.join("\n"), { headers: { "content-type": "text/plain" } });
}

await using feeds = serveSite({ feeds: 6, delayMs: 30 });

// Serve the app, each request in its own green thread (as evy's web server
// does), so the pile's waits are green waits of that request.
const scraper = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => spawn(app, req).wait());
const scraperUrl = `http://127.0.0.1:${scraper.addr.port}/`;
console.log(`feed scraper listening on ${scraperUrl} (global pool of ${POOL_SIZE})`);

// Three clients post at the same time, each a different list of feeds.
const t0 = performance.now();
const clients = [[0, 1, 2, 3], [4, 5, 0, 1], [2, 3, 4, 5]].map((picks, n) =>
  spawn(async () => {
    const body = picks.map((i) => feeds.feeds[i]).join("\n");
    const res = await fetch(scraperUrl, { method: "POST", body });
    const titles = await res.text();
    console.log(`client ${n} posted ${picks.length} feeds, got: ${titles.split("\n").join(" | ")}`);
  })
);
for (const client of clients) await client.wait();
const denied = await fetch(scraperUrl);
await denied.body?.cancel();
console.log(`a GET is refused with ${denied.status}`);

console.log(
  `3 requests, 12 feed fetches in ${(performance.now() - t0).toFixed(0)} ms; ` +
    `at most ${maxFetching} fetches at once (global pool size ${POOL_SIZE})`,
);
await scraper.shutdown();
