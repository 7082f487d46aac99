/**
 * The seeds' Feed Scraper (`examples/feedscraper.py`): a web server that
 * accepts POSTs containing a list of feed urls, and returns the titles of
 * those feeds — the dispatch pattern, a server that is also a client.
 *
 * Each request runs in its own green thread (evy's `serve`), and fans its
 * fetches out over a GreenPile built on ONE global GreenPool: the pool is the
 * safety limit on our concurrency, shared by every client, so a client cannot
 * make the server open thousands of connections. Fetches are green (`fetch`
 * from `@evy/evy/green/fetch`), so the request's Timeout reaches them, and the
 * feeds (RSS or Atom) are parsed by `@rowanmanning/feed-parser` from npm.
 *
 *     deno run -A examples/feedscraper.ts              # demo on local feeds, then exit
 *     deno run -A examples/feedscraper.ts --port 9010  # just serve, as the seeds' example
 *     curl -d $'http://127.0.0.1:9010/feeds/0\n' http://127.0.0.1:9010/
 *
 * @module
 */
import { GreenPile, GreenPool, spawn } from "@evy/evy";
import { fetch } from "@evy/evy/green/fetch";
import { serve } from "@evy/evy/web";
import { parseFeed } from "@rowanmanning/feed-parser";

// The pool provides a safety limit on our concurrency.
const pool = new GreenPool(20);

/** Fetches one feed and returns its title ("" when it has none). */
export async function fetchTitle(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) return "";
  return parseFeed(await res.text()).title ?? "";
}

/** The application: POSTed lines are feed urls; the answer is their titles, in order. */
export async function app(req: Request): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 403 });
  // The pile collects the results of a concurrent operation -- here, the
  // collection of feed titles -- and takes its slots from the global pool.
  const pile = new GreenPile<string>(pool);
  for (const line of (await req.text()).split("\n")) {
    const url = line.trim();
    if (url) await pile.spawn(fetchTitle, url);
  }
  // Since the pile is an async iterator over the results, titles come in order.
  const titles: string[] = [];
  for await (const title of pile) titles.push(title);
  return new Response(titles.join("\n"), { headers: { "content-type": "text/plain" } });
}

const RSS = (title: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>` +
  `<link>http://example.invalid/</link><item><title>first post</title></item></channel></rss>`;
const ATOM = (title: string) =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title>` +
  `<id>urn:evy:${title.length}</id><updated>2024-01-01T00:00:00Z</updated></feed>`;

/** Serves the scraper at `/` and a few local feeds at `/feeds/N` (RSS for even N, Atom for odd). */
export function startServer(port = 0): ReturnType<typeof serve> {
  return serve({ hostname: "127.0.0.1", port, log: false, onListen() {} }, (req) => {
    const { pathname } = new URL(req.url);
    const feed = /^\/feeds\/(\d+)$/.exec(pathname);
    if (feed === null) return app(req);
    const n = Number(feed[1]);
    const body = n % 2 === 0 ? RSS(`Local RSS feed ${n}`) : ATOM(`Local Atom feed ${n}`);
    return new Response(body, { headers: { "content-type": "application/xml" } });
  });
}

if (import.meta.main) {
  const portArg = Deno.args.indexOf("--port");
  if (portArg >= 0) {
    const server = startServer(Number(Deno.args[portArg + 1]));
    console.log(`feed scraper on http://127.0.0.1:${server.addr.port}/ (POST feed urls, one per line)`);
    await server.finished;
  } else {
    await using server = startServer();
    const base = `http://127.0.0.1:${server.addr.port}`;
    console.log(`feed scraper listening on ${base}/`);
    const clients = [[0, 1, 2], [3, 4], [5, 0, 3]].map((picks, n) =>
      spawn(async () => {
        const body = picks.map((i) => `${base}/feeds/${i}`).join("\n");
        const titles = await (await fetch(`${base}/`, { method: "POST", body })).text();
        return `client ${n} got: ${titles.split("\n").join(" | ")}`;
      })
    );
    for (const client of clients) console.log(await client.wait());
    const denied = await fetch(`${base}/`);
    await denied.body?.cancel();
    console.log(`a GET is refused with ${denied.status}`);
  }
}
