/**
 * The server side of `scripts/load_http.ts`: the same hello-world handler on
 * plain `Deno.serve` or on evy's `serve`. Usage:
 * `deno run -A scripts/_load_http_server.ts <plain|evy|evy-log> <port> [async]`.
 *
 * @module
 */
import { serve } from "../web/server.ts";

const [mode = "plain", portText = "8123", kind = "sync"] = Deno.args;
const port = Number(portText);
const body = "Hello, World!\r\n";
const handler = kind === "async"
  ? async (): Promise<Response> => await Promise.resolve(new Response(body))
  : (): Response => new Response(body);

if (mode === "plain") {
  Deno.serve({ port, hostname: "127.0.0.1", onListen: () => console.log("ready") }, handler);
} else {
  // evy-log: the default access log, on stderr (the load script sends it to /dev/null).
  serve({
    port,
    hostname: "127.0.0.1",
    ...(mode === "evy-log" ? {} : { log: false as const }),
    onListen: () => console.log("ready"),
  }, handler);
}
