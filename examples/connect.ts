/**
 * Spawns one green thread per server and collects their answers (the seeds'
 * `examples/connect.py`): each connects, sends a request and reads the first
 * 1024 bytes of the reply, all at once.
 *
 *     deno run -A examples/connect.ts host:port [host:port ...]
 *     # default: localhost:80
 *
 * Results come back in the order the threads were spawned; an error a thread
 * raised is raised when its turn comes.
 *
 * @module
 */
import { spawn } from "@evy/evy";
import { connect } from "@evy/evy/green/net";

async function geturl(url: string): Promise<string> {
  const [host = "localhost", port = "80"] = url.split(":");
  await using c = await connect([host, Number(port)]);
  console.log(`${url} connected`);
  await c.sendall(`GET / HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
  return new TextDecoder().decode(await c.recv(1024));
}

const urls = Deno.args.length > 0 ? Deno.args : ["localhost:80"];
const pile = urls.map((url) => spawn(geturl, url));
for (const [i, thread] of pile.entries()) {
  const result = await thread.wait();
  console.log(`${urls[i]}: ${JSON.stringify(result).slice(0, 50)}`);
}
