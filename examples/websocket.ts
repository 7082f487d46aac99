/**
 * Some of the websocket server's features (the seeds' `examples/websocket.py`):
 * `/echo` sends every message back, `/data` streams a line of random numbers
 * every 100 ms, and any other path serves a page (websocket.html) that plots
 * the `/data` stream and talks to `/echo`.
 *
 *     deno run -A examples/websocket.ts [port]     # or PORT=7000
 *     open http://localhost:7000/
 *
 * Each websocket's handler runs in the request's green thread: `ws.wait()`
 * and `sleep()` are green waits, so a server shutdown can interrupt them.
 *
 * @module
 */
import { sleep } from "@evy/evy";
import { type GreenWebSocket, serve, type ServeInfo, websocket } from "@evy/evy/web";

/** The websocket handler; like Eventlet's, it dispatches on the path too. */
const handle = websocket(async (ws: GreenWebSocket) => {
  if (ws.path === "/echo") {
    for (let m = await ws.wait(); m !== null; m = await ws.wait()) ws.send(m);
  } else if (ws.path === "/data") {
    for (let i = 0; i < 10_000 && !ws.closed; i++) {
      ws.send(`0 ${i} ${Math.random()}\n`);
      await sleep(100);
    }
  }
});

const page = await Deno.readTextFile(new URL("./websocket.html", import.meta.url));

/** Resolves to the web page or the websocket depending on the path. */
function dispatch(req: Request, info: ServeInfo): Response {
  const path = new URL(req.url).pathname;
  if (path === "/data" || path === "/echo") return handle(req, info);
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
}

const port = Number(Deno.args[0] ?? Deno.env.get("PORT") ?? 7000);
const server = serve({ port }, dispatch);
console.log(`Visit http://localhost:${server.addr.port}/ in your websocket-capable browser.`);
