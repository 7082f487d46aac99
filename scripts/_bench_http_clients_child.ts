// The measured half of scripts/bench_http_clients.ts: C green threads, N/C
// sequential axios.get each, one keep-alive agent. Prints {greened, rps}.
// Args: <url> <n> <c>
import { spawn } from "@evy/evy";
import { isMonkeyPatched } from "@evy/evy/green/patcher";
import http from "node:http";
import axios from "axios";

const [url, n, c] = [Deno.args[0]!, Number(Deno.args[1]), Number(Deno.args[2])];
const agent = new http.Agent({ keepAlive: true, maxSockets: c });
const client = axios.create({ httpAgent: agent, responseType: "text" });
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
console.log(JSON.stringify({ greened: isMonkeyPatched("node:http"), rps: n / seconds }));
