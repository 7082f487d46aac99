/**
 * Simple server that listens on port 6000 and echoes back every line it
 * receives (the seeds' `examples/echoserver.py`). Try it with:
 *
 *     deno run -A examples/echoserver.ts [port]     # or PORT=6000
 *     telnet localhost 6000
 *
 * One green thread per connection; the connection's buffered file
 * (`makefile()`) gives `readline`-style code that waits cooperatively.
 *
 * @module
 */
import { spawnN } from "@evy/evy";
import { type GreenSocket, listen } from "@evy/evy/green/net";

const decoder = new TextDecoder();

async function handle(sock: GreenSocket): Promise<void> {
  console.log("client connected");
  const file = sock.makefile();
  try {
    // pass through every non-eof line
    for await (const line of file) {
      await file.write(line);
      await file.flush();
      console.log("echoed", decoder.decode(line).trimEnd());
    }
  } catch (error) {
    console.log("client error:", (error as Error).message);
  } finally {
    sock.close();
  }
  console.log("client disconnected");
}

const port = Number(Deno.args[0] ?? Deno.env.get("PORT") ?? 6000);
const server = listen(["0.0.0.0", port]);
console.log(`server socket listening on port ${(server.addr as { port: number }).port}`);
for await (const sock of server) {
  console.log("accepted", sock.remoteAddr);
  spawnN(handle, sock);
}
