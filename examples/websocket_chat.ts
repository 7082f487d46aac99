/**
 * A multi-user chat over websockets (the seeds' `examples/websocket_chat.py`):
 * a mashup of the websocket example and the chat server example. `/chat` is
 * the websocket; every message a participant sends goes to everyone; any
 * other path serves the chat page (websocket_chat.html).
 *
 *     deno run -A examples/websocket_chat.ts [port]     # or PORT=7000
 *     open http://localhost:7000/ in two browser windows
 *
 * @module
 */
import { type GreenWebSocket, serve, type ServeInfo, websocket, WebSocketClosedError } from "@evy/evy/web";

const participants = new Set<GreenWebSocket>();

const handle = websocket(async (ws: GreenWebSocket) => {
  participants.add(ws);
  try {
    for (let m = await ws.wait(); m !== null; m = await ws.wait()) {
      for (const p of participants) {
        try {
          p.send(m);
        } catch (error) {
          if (!(error instanceof WebSocketClosedError)) throw error; // p is leaving: its own thread removes it
        }
      }
    }
  } finally {
    participants.delete(ws);
  }
});

const page = await Deno.readTextFile(new URL("./websocket_chat.html", import.meta.url));

/** Resolves to the web page or the websocket depending on the path. */
function dispatch(req: Request, info: ServeInfo): Response {
  if (new URL(req.url).pathname === "/chat") return handle(req, info);
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
}

const port = Number(Deno.args[0] ?? Deno.env.get("PORT") ?? 7000);
const server = serve({ port }, dispatch);
console.log(`\nVisit http://localhost:${server.addr.port}/ in your websocket-capable browser.\n`);
