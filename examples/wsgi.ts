/**
 * A simple web application served by evy (the seeds' `examples/wsgi.py`):
 * hello world at `/`, 404 for any other path. Each request runs in its own
 * green thread; every request is logged on stderr in Eventlet's format.
 *
 *     deno run -A examples/wsgi.ts [port]     # or PORT=8090
 *     curl http://localhost:8090/
 *
 * Several processes sharing the port, with graceful reloads (Eventlet's
 * `spawning`), are planned; `reusePort: true` already lets processes share it.
 *
 * @module
 */
import { serve } from "@evy/evy/web";

const TEXT = { "content-type": "text/plain" };

function helloWorld(req: Request): Response {
  if (new URL(req.url).pathname !== "/") return new Response("Not Found\r\n", { status: 404, headers: TEXT });
  return new Response("Hello, World!\r\n", { headers: TEXT });
}

const port = Number(Deno.args[0] ?? Deno.env.get("PORT") ?? 8090);
const server = serve({ port }, helloWorld);
console.log(`serving on http://localhost:${server.addr.port}/`);
