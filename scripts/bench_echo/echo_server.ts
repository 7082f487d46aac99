/**
 * The two servers scripts/bench_echo.ts compares:
 *
 *     deno run -A --v8-flags=--expose-gc scripts/bench_echo/echo_server.ts green|plain [port]
 *
 * `green`: evy's green echo server (a green thread per connection, `recv` +
 * `sendall`). `plain`: the same server written directly on `Deno.listen`
 * (an async function per connection, a 4 KiB read buffer each), the usual
 * way to write it in Deno. Prints `listening on PORT`, then `conns N` at
 * every thousandth connection, and on stdin line `gc` runs a full GC and
 * prints `gc done` with `Deno.memoryUsage()`. `PLAIN_BUF=64` shrinks the plain
 * server's read buffer (to see Deno's own per-connection floor).
 */
import { spawnN } from "@evy/evy";
import { type GreenSocket, listen } from "@evy/evy/green/net";

const kind = Deno.args[0];
const port = Number(Deno.args[1] ?? 0);
let conns = 0;
const counted = (): void => {
  if (++conns % 1000 === 0) console.log(`conns ${conns}`);
};

async function green(): Promise<void> {
  const server = listen({ hostname: "127.0.0.1", port });
  console.log(`listening on ${(server.addr as Deno.NetAddr).port}`);
  const handle = async (sock: GreenSocket): Promise<void> => {
    sock.setNoDelay(true);
    try {
      for (let data = await sock.recv(65536); data.length > 0; data = await sock.recv(65536)) await sock.sendall(data);
    } catch {
      // client went away
    } finally {
      sock.close();
    }
  };
  for await (const sock of server) {
    counted();
    spawnN(handle, sock);
  }
}

async function plain(): Promise<void> {
  const server = Deno.listen({ hostname: "127.0.0.1", port });
  console.log(`listening on ${server.addr.port}`);
  const handle = async (conn: Deno.TcpConn): Promise<void> => {
    conn.setNoDelay(true);
    const buf = new Uint8Array(Number(Deno.env.get("PLAIN_BUF") ?? 4096));
    try {
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        for (let off = 0; off < n;) off += await conn.write(buf.subarray(off, n));
      }
    } catch {
      // client went away
    } finally {
      conn.close();
    }
  };
  for await (const conn of server) {
    counted();
    handle(conn);
  }
}

(async () => {
  for await (const line of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    if (line.includes("gc")) {
      (globalThis as { gc?: () => void }).gc?.();
      const m = Deno.memoryUsage();
      console.log(`gc done heap=${m.heapUsed} external=${m.external} rss=${m.rss}`);
    }
  }
})();

if (kind === "green") await green();
else if (kind === "plain") await plain();
else throw new RangeError(`kind must be "green" or "plain", got ${kind}`);
