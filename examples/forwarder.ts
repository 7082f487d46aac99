/**
 * An incredibly simple port forwarder (the seeds' `examples/forwarder.py`):
 * from port 7000 to localhost:22 by default. It calls a callback when a
 * connection closes, to show where more interesting things could start.
 *
 *     deno run -A examples/forwarder.ts [listenPort] [targetHost:targetPort]
 *     # or LISTEN_PORT=7000 TARGET=localhost:22
 *
 * @module
 */
import { spawnN } from "@evy/evy";
import { connect, type GreenSocket, listen } from "@evy/evy/green/net";

function closedCallback(): void {
  console.log("called back");
}

/** Forwards bytes one way, from source to dest, then half-closes dest. */
async function forward(source: GreenSocket, dest: GreenSocket, cb: () => void = () => {}): Promise<void> {
  try {
    for (let d = await source.recv(32384); d.length > 0; d = await source.recv(32384)) await dest.sendall(d);
    await dest.closeWrite();
  } catch {
    // one side went away: tear down both
    source.close();
    dest.close();
  }
  cb();
}

const listenPort = Number(Deno.args[0] ?? Deno.env.get("LISTEN_PORT") ?? 7000);
const [host = "localhost", targetPort = "22"] = (Deno.args[1] ?? Deno.env.get("TARGET") ?? "localhost:22").split(":");
const listener = listen(["localhost", listenPort]);
console.log(`forwarding port ${(listener.addr as { port: number }).port} to ${host}:${targetPort}`);
for await (const client of listener) {
  let server: GreenSocket;
  try {
    server = await connect([host, Number(targetPort)]);
  } catch (error) {
    console.log("cannot reach the target:", (error as Error).message);
    client.close();
    continue;
  }
  let open = 2;
  const done = (): void => {
    if (--open === 0) {
      client.close();
      server.close();
    }
  };
  // two unidirectional forwarders make a bidirectional one
  spawnN(forward, client, server, () => (closedCallback(), done()));
  spawnN(forward, server, client, done);
}
