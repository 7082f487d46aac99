// The measured half of scripts/bench_http_clients.ts: C green threads, N/C
// sequential axios.get each, one keep-alive agent. Prints {greened, rps}.
// Args: <url> <n> <c> [both <rounds>]
// With "both", one process alternates `rounds` pairs of runs (in turn order) through axios's
// `transport` option — the runtime's node:http, then evy's green one — and
// prints {plain: rps[], green: rps[]}: the same axios code, only the module differs.
import { spawn } from "@evy/evy";
import { isMonkeyPatched } from "@evy/evy/green/patcher";
import greenHttp from "@evy/evy/green/node/http";
import http from "node:http";
import axios, { type AxiosInstance } from "axios";

const [url, n, c] = [Deno.args[0]!, Number(Deno.args[1]), Number(Deno.args[2])];

async function run(transport?: typeof http): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: c });
  const client: AxiosInstance = axios.create({
    httpAgent: agent,
    responseType: "text",
    ...(transport ? { transport } : {}),
  });
  const worker = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const res = await client.get(url);
      if (res.data !== "hello world") throw new Error(`unexpected body ${res.data}`);
    }
  };
  await worker(c); // warm up the connections and the JIT
  const start = performance.now();
  await Promise.all(Array.from({ length: c }, () => spawn(worker, n / c).wait()));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return n / seconds;
}

if (Deno.args[3] === "both") {
  const rounds = Number(Deno.args[4] ?? 5);
  const plain: number[] = [];
  const green: number[] = [];
  await run(http);
  await run(greenHttp);
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so that neither always inherits the other's garbage.
    if (i % 2 === 0) plain.push(await run(http));
    green.push(await run(greenHttp));
    if (i % 2 === 1) plain.push(await run(http));
  }
  console.log(JSON.stringify({ plain, green }));
} else {
  console.log(JSON.stringify({ greened: isMonkeyPatched("node:http"), rps: await run() }));
}
