/**
 * The seeds' factorial server: send it lines with a number, get `n!` back
 * (exact, as a BigInt), computed in the thread pool so that one client's big
 * factorial never stalls the others. Try it with:
 *
 *     deno run -A examples/factorial_server.ts [port] [tickMs]   # port 6660 by default
 *     nc localhost 6660        # then type 5, 20, 20000 ...
 *
 * One green thread per connection (`spawnN`), as in the seed; `execute()`
 * makes the connection's thread wait cooperatively while a worker multiplies.
 * `calculateFactorial` is self-contained (it uses only its argument), which
 * is what lets `execute` ship it to a worker by its source. With `tickMs`, a
 * green thread prints `tick` lines meanwhile, showing the loop stays free.
 *
 * @module
 */
import { sleep, spawnN } from "@evy/evy";
import { type GreenSocket, listen } from "@evy/evy/green/net";
import { execute } from "@evy/evy/green/tpool";

const MAX_N = 100_000;

function calculateFactorial(n: number): bigint {
  let result = 1n;
  for (let i = 2n; i <= BigInt(n); i++) result *= i;
  return result;
}

async function handleSocket(sock: GreenSocket): Promise<void> {
  const file = sock.makefile();
  try {
    for await (const raw of file) {
      const line = new TextDecoder().decode(raw).trim();
      if (line === "") continue;
      const n = Number(line);
      if (!Number.isInteger(n) || n < 0 || n > MAX_N) {
        await file.write(`error: expected an integer from 0 to ${MAX_N}, got ${JSON.stringify(line)}\n`);
      } else {
        console.log(`computing ${n}!`);
        const result = await execute(calculateFactorial, n);
        const text = result.toString();
        console.log(`computed ${n}! (${text.length} digits)`);
        await file.write(text + "\n");
      }
      await file.flush();
    }
  } catch (error) {
    console.log("client error:", (error as Error).message);
  } finally {
    sock.close();
  }
}

async function ticker(ms: number): Promise<void> {
  for (let i = 1;; i++) {
    await sleep(ms);
    console.log(`tick ${i}`);
  }
}

const port = Number(Deno.args[0] ?? 6660);
const tickMs = Number(Deno.args[1] ?? 0);
const server = listen(["0.0.0.0", port]);
console.log(`factorial server listening on port ${(server.addr as { port: number }).port}`);
if (tickMs > 0) spawnN(ticker, tickMs);
for await (const sock of server) spawnN(handleSocket, sock);
