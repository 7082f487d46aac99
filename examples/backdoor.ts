/**
 * A live process you can talk to (the seeds' "Using the Backdoor"): a small
 * HTTP service that counts its requests, and a backdoor on a local port
 * through which you read the counter and change the service's settings while
 * it runs.
 *
 *     deno run -A examples/backdoor.ts [httpPort] [backdoorPort]   # 8090 and 3000 by default
 *     curl http://localhost:8090/          # Hello, visitor #1
 *     nc localhost 3000                    # or: telnet localhost 3000
 *     > app.requests
 *     1
 *     > app.greeting = "Howdy"
 *     'Howdy'
 *     curl http://localhost:8090/          # Howdy, visitor #2
 *
 * The backdoor listens on 127.0.0.1 only; anyone who can connect to it runs
 * code in the process, so never expose it (`allowRemote`) without a `secret`
 * and a network you trust.
 *
 * @module
 */
import { spawn } from "@evy/evy";
import { listen } from "@evy/evy/green/net";
import { serve } from "@evy/evy/web";
import { backdoorServer } from "@evy/evy/tools/backdoor";

/** What the backdoor sees as `app`: the live counter and the settings the service reads per request. */
const app = { requests: 0, greeting: "Hello" };

function hello(): Response {
  app.requests++;
  return new Response(`${app.greeting}, visitor #${app.requests}\n`, { headers: { "content-type": "text/plain" } });
}

const httpPort = Number(Deno.args[0] ?? 8090);
const backdoorPort = Number(Deno.args[1] ?? 3000);
const server = serve({ hostname: "127.0.0.1", port: httpPort, log: false }, hello);
const backdoor = listen({ hostname: "127.0.0.1", port: backdoorPort });
spawn(backdoorServer, backdoor, { app });
console.log(`serving on http://localhost:${server.addr.port}/`);
console.log(`backdoor on localhost:${backdoor.addr.port}`);
