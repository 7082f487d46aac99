// echo (and idle), evy on Node (the npm build): the shared harness's echo/project.ts in Node's terms — a green
// listener's accept loop spawns one green thread per connection into a GreenPool; each echoes with recv(4096) /
// sendall, then blocks in recv. Raw: the harness's echo/node.mjs (idle/node.mjs for idle).
const { listen, GreenPool } = await import(process.env.PROJECT_MOD);
const port = Number(process.env.PORT ?? 8000);

async function handle(sock) {
  try {
    sock.setNoDelay?.(true);
    for (;;) {
      const data = await sock.recv(4096);
      if (data.length === 0) break;
      await sock.sendall(data);
    }
  } catch { /* reset by peer */ }
  try {
    sock.close();
  } catch { /* already closed */ }
}

const server = listen({ hostname: "127.0.0.1", port });
const pool = new GreenPool(Number(process.env.POOL ?? 20000));
for (;;) {
  const sock = await server.accept();
  await pool.spawnN(handle, sock);
}
