/**
 * The echo benchmark of issue 4: evy's green echo server against the same
 * server on plain `Deno.listen`, with the same C client (compiled with gcc
 * here; one epoll thread, far faster than either server).
 *
 *     deno run -A scripts/bench_echo.ts [--seconds 10] [--conns 100] [--size 64] [--idle 19000] [--rounds 1]
 *
 * 1. Throughput: `--conns` connections doing `--size`-byte round trips for
 *    `--seconds`; round trips per second for each server, and the ratio.
 * 2. Idle memory: the server's RSS growth per connection while `--idle`
 *    connections sit open and idle (after a full GC in the server).
 *    The default is 19,000, not 100,000: this machine's hard limit on open
 *    files is 20,000 per process (`ulimit -Hn`) and raising it needs
 *    CAP_SYS_RESOURCE, which we lack; each idle connection costs the server
 *    one descriptor.
 *
 * The server's CPU time per round trip (from /proc) is reported too: on a
 * shared machine it is steadier than the rate. Prints a Markdown table. Runs alternate plain/green per round to share the
 * machine's noise fairly; with `--rounds` > 1 the best round of each counts.
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "10" },
    conns: { type: "string", default: "100" },
    size: { type: "string", default: "64" },
    idle: { type: "string", default: "19000" },
    rounds: { type: "string", default: "1" },
  },
});
const seconds = Number(values.seconds);
const conns = Number(values.conns);
const size = Number(values.size);
const idle = Number(values.idle);
const rounds = Number(values.rounds);
const here = new URL("./bench_echo", import.meta.url).pathname;
const kinds = ["plain", "green"] as const;
type Kind = typeof kinds[number];

async function compileClient(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "evy-bench-" });
  const out = `${dir}/echo_client`;
  const gcc = await new Deno.Command("gcc", { args: ["-O2", "-o", out, `${here}echo_client.c`] }).output();
  if (!gcc.success) throw new Error(`gcc failed: ${new TextDecoder().decode(gcc.stderr)}`);
  return out;
}

/** A child process whose stdout lines can be awaited. */
class Proc {
  readonly child: Deno.ChildProcess;
  #lines: string[] = [];
  #waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  constructor(cmd: string, args: string[]) {
    const child = this.child = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "inherit" })
      .spawn();
    this.#writer = child.stdin.getWriter();
    (async () => {
      let rest = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        for (const line of parts) this.#line(line);
      }
    })();
  }
  #line(line: string): void {
    this.#lines.push(line);
    for (const w of [...this.#waiters]) {
      const m = line.match(w.re);
      if (m) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    for (const line of this.#lines) {
      const m = line.match(re);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve) => this.#waiters.push({ re, resolve }));
  }
  async send(line: string): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(line + "\n"));
  }
  async stop(): Promise<void> {
    try {
      await this.#writer.close();
    } catch { /* already closed */ }
    try {
      this.child.kill("SIGTERM");
    } catch { /* exited */ }
    await this.child.status;
  }
}

function startServer(kind: Kind): Proc {
  return new Proc(Deno.execPath(), ["run", "-A", "--v8-flags=--expose-gc", `${here}echo_server.ts`, kind, "0"]);
}

function rssBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;
}

/** The process's CPU time (user + system) in seconds, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function throughput(client: string, kind: Kind): Promise<[rate: number, cpuPerRt: number]> {
  const server = startServer(kind);
  try {
    const port = (await server.waitFor(/listening on (\d+)/))[1]!;
    const cpu0 = cpuSeconds(server.child.pid);
    const out = await new Deno.Command(client, {
      args: ["rr", "127.0.0.1", port, String(conns), String(seconds), String(size)],
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const m = text.match(/roundtrips (\d+) seconds ([\d.]+)/);
    if (!m) throw new Error(`client failed: ${text} ${new TextDecoder().decode(out.stderr)}`);
    const cpu = cpuSeconds(server.child.pid) - cpu0;
    return [Number(m[1]) / Number(m[2]), cpu / Number(m[1])];
  } finally {
    await server.stop();
  }
}

async function idleMemory(client: string, kind: Kind): Promise<number> {
  const server = startServer(kind);
  let holder: Proc | undefined;
  try {
    const port = (await server.waitFor(/listening on (\d+)/))[1]!;
    await new Promise((r) => setTimeout(r, 500));
    await server.send("gc");
    await server.waitFor(/gc done/);
    const before = rssBytes(server.child.pid);
    holder = new Proc(client, ["idle", "127.0.0.1", port, String(idle)]);
    await holder.waitFor(/ready/);
    await server.waitFor(new RegExp(`conns ${Math.floor(idle / 1000) * 1000}$`));
    await new Promise((r) => setTimeout(r, 1000));
    await server.send("gc");
    await new Promise((r) => setTimeout(r, 500));
    const after = rssBytes(server.child.pid);
    return (after - before) / idle;
  } finally {
    await holder?.stop();
    await server.stop();
  }
}

const client = await compileClient();
const rate: Record<Kind, number> = { plain: 0, green: 0 };
const cpuPerRt: Record<Kind, number> = { plain: Infinity, green: Infinity };
const perConn: Record<Kind, number> = { plain: Infinity, green: Infinity };
for (let round = 0; round < rounds && seconds > 0; round++) {
  for (const kind of kinds) {
    const [r, cpu] = await throughput(client, kind);
    console.error(
      `round ${round + 1} ${kind}: ${Math.round(r)} round trips/s, ${(cpu * 1e6).toFixed(2)} µs server CPU each`,
    );
    rate[kind] = Math.max(rate[kind], r);
    cpuPerRt[kind] = Math.min(cpuPerRt[kind], cpu);
  }
}
if (idle > 0) {
  for (const kind of kinds) {
    const b = await idleMemory(client, kind);
    console.error(`${kind}: ${Math.round(b)} B per idle connection`);
    perConn[kind] = Math.min(perConn[kind], b);
  }
}
await Deno.remove(client.replace(/\/echo_client$/, ""), { recursive: true });

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
console.log(`\nEcho, ${conns} connections x ${size}-byte round trips, ${seconds} s, loopback (best of ${rounds}):\n`);
console.log(
  "| server | round trips/s | vs plain Deno | server CPU per round trip | vs plain Deno |" +
    (idle > 0 ? ` RSS per idle conn (${fmt(idle)} conns) |` : ""),
);
console.log("| --- | ---: | ---: | ---: | ---: |" + (idle > 0 ? " ---: |" : ""));
for (const kind of kinds) {
  const name = kind === "plain" ? "plain `Deno.listen`" : "evy green (`recv`/`sendall`)";
  const mem = idle > 0 ? ` ${fmt(perConn[kind])} B |` : "";
  const cpu = `${(cpuPerRt[kind] * 1e6).toFixed(2)} µs | ${(cpuPerRt.plain / cpuPerRt[kind]).toFixed(2)}x`;
  console.log(`| ${name} | ${fmt(rate[kind])} | ${(rate[kind] / rate.plain).toFixed(2)}x | ${cpu} |${mem}`);
}
