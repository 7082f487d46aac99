/**
 * A small web site served on 127.0.0.1 for the crawler and dispatch examples,
 * so that they run with no internet. Pages link to each other with absolute
 * URLs (and to one off-site URL a crawler must skip); `/feed/<n>.xml` are tiny
 * RSS feeds. Every response takes `delayMs` to arrive, so that concurrency
 * shows in the timings, and the site counts how many requests it served at
 * once.
 *
 * @module
 */

/** The running site. */
export interface LocalSite extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The URL of every page, the home page first. */
  readonly pages: string[];
  /** The URLs of the feeds. */
  readonly feeds: string[];
  /** Requests served so far. */
  readonly hits: number;
  /** The most requests the site was serving at the same moment. */
  readonly maxConcurrent: number;
}

/** Options for {@linkcode serveSite}. */
export interface SiteOptions {
  /** Number of pages. @default 12 */
  pages?: number;
  /** Number of feeds. @default 6 */
  feeds?: number;
  /** How long each response takes, in ms. @default 40 */
  delayMs?: number;
}

/** The link a polite crawler must not follow: it leaves the site. */
export const OFFSITE_URL = "http://offsite.example/never-fetched";

/** Starts the site on a free port of 127.0.0.1; dispose it to stop it. */
export function serveSite(options: SiteOptions = {}): LocalSite {
  const { pages = 12, feeds = 6, delayMs = 40 } = options;
  let hits = 0;
  let current = 0;
  let maxConcurrent = 0;
  let origin = "";
  const pageUrl = (i: number) => i === 0 ? `${origin}/` : `${origin}/page/${i}`;

  const pageBody = (i: number): string => {
    // A binary tree of pages, each also linking home and off-site.
    const links = [2 * i + 1, 2 * i + 2].filter((j) => j < pages).map(pageUrl);
    links.push(pageUrl(0), OFFSITE_URL);
    const anchors = links.map((url) => `<a href="${url}">${url}</a>`).join("\n");
    return `<html><head><title>Page ${i}</title></head><body>\n${anchors}\n</body></html>\n`;
  };

  const route = (path: string): Response => {
    if (path === "/") return new Response(pageBody(0), { headers: { "content-type": "text/html" } });
    let m = /^\/page\/(\d+)$/.exec(path);
    if (m && Number(m[1]) < pages) {
      return new Response(pageBody(Number(m[1])), { headers: { "content-type": "text/html" } });
    }
    m = /^\/feed\/(\d+)\.xml$/.exec(path);
    if (m && Number(m[1]) < feeds) {
      const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Local feed ${m[1]}</title>` +
        `<link>${origin}/</link><item><title>Item of feed ${m[1]}</title></item></channel></rss>\n`;
      return new Response(xml, { headers: { "content-type": "application/rss+xml" } });
    }
    return new Response("not found\n", { status: 404 });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    hits++;
    maxConcurrent = Math.max(maxConcurrent, ++current);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return route(new URL(req.url).pathname);
    } finally {
      current--;
    }
  });
  origin = `http://127.0.0.1:${server.addr.port}`;

  return {
    origin,
    pages: Array.from({ length: pages }, (_, i) => pageUrl(i)),
    feeds: Array.from({ length: feeds }, (_, i) => `${origin}/feed/${i}.xml`),
    get hits() {
      return hits;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
