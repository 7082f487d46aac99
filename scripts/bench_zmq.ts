/**
 * ZeroMQ benchmarks (never timed tests): PUSH→PULL throughput of 64-byte
 * messages and REQ/REP round trips per second, each side in its own process
 * on loopback TCP, for evy↔evy (Deno), pyzmq↔pyzmq (libzmq through Debian's
 * python3-zmq), evy↔pyzmq both ways, and zeromq.js↔zeromq.js (Node). The
 * receiving side times from its first message to its last.
 *
 * Usage: `deno run -A scripts/bench_zmq.ts [messages=500000] [roundTrips=20000]`
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";

const MESSAGES = Number(Deno.args[0] ?? 500_000);
const ROUND_TRIPS = Number(Deno.args[1] ?? 20_000);
const SELF = new URL(import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;

const PY = `
import sys, time, json, zmq
role, how, ep, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ctx = zmq.Context()
s = ctx.socket({"push": zmq.PUSH, "pull": zmq.PULL, "req": zmq.REQ, "rep": zmq.REP}[role])
s.linger = 5000
if how == "bind":
    s.bind(ep); ep = s.getsockopt_string(zmq.LAST_ENDPOINT)
else:
    s.connect(ep)
print(ep, flush=True)
msg = b"x" * 64
if role == "push":
    for _ in range(n): s.send(msg)
elif role == "pull":
    s.recv(); t = time.perf_counter()
    for _ in range(n - 1): s.recv()
    print(json.dumps({"rate": (n - 1) / (time.perf_counter() - t)}), flush=True)
elif role == "rep":
    for _ in range(n): s.send(s.recv())
elif role == "req":
    s.send(msg); s.recv(); t = time.perf_counter()
    for _ in range(n - 1): s.send(msg); s.recv()
    print(json.dumps({"rate": (n - 1) / (time.perf_counter() - t)}), flush=True)
s.close(); ctx.term()
`;

const NODE = `
import * as zmq from "zeromq";
const [role, how, ep0, n0] = process.argv.slice(1);
const n = Number(n0);
const s = new { push: zmq.Push, pull: zmq.Pull, req: zmq.Request, rep: zmq.Reply }[role]({ linger: 5000 });
let ep = ep0;
if (how === "bind") { await s.bind(ep); ep = s.lastEndpoint; } else s.connect(ep);
console.log(ep);
const msg = Buffer.alloc(64, "x");
if (role === "push") for (let i = 0; i < n; i++) await s.send(msg);
else if (role === "pull") {
  await s.receive(); const t = performance.now();
  for (let i = 1; i < n; i++) await s.receive();
  console.log(JSON.stringify({ rate: (n - 1) / ((performance.now() - t) / 1000) }));
} else if (role === "rep") for (let i = 0; i < n; i++) await s.send(await s.receive());
else {
  await s.send(msg); await s.receive(); const t = performance.now();
  for (let i = 1; i < n; i++) { await s.send(msg); await s.receive(); }
  console.log(JSON.stringify({ rate: (n - 1) / ((performance.now() - t) / 1000) }));
}
s.close();
`;

async function evyRole(role: string, how: string, ep0: string, n: number): Promise<void> {
  const zmq = await import("../green/zmq/mod.ts");
  const s = new { push: zmq.Push, pull: zmq.Pull, req: zmq.Request, rep: zmq.Reply }[role as "push"]({ linger: 5000 });
  let ep = ep0;
  if (how === "bind") {
    await s.bind(ep);
    ep = s.lastEndpoint!;
  } else s.connect(ep);
  console.log(ep);
  const msg = new Uint8Array(64).fill(120);
  if (role === "push") { for (let i = 0; i < n; i++) await s.send(msg); }
  else if (role === "pull") {
    await s.receive();
    const t = performance.now();
    for (let i = 1; i < n; i++) await s.receive();
    console.log(JSON.stringify({ rate: (n - 1) / ((performance.now() - t) / 1000) }));
  } else if (role === "rep") { for (let i = 0; i < n; i++) await s.send(await s.receive()); }
  else {
    await s.send(msg);
    await s.receive();
    const t = performance.now();
    for (let i = 1; i < n; i++) {
      await s.send(msg);
      await s.receive();
    }
    console.log(JSON.stringify({ rate: (n - 1) / ((performance.now() - t) / 1000) }));
  }
  await s[Symbol.asyncDispose]();
}

type Impl = "evy" | "pyzmq" | "zeromq.js";

function start(impl: Impl, role: string, how: string, ep: string, n: number) {
  const [cmd, args, opts] = impl === "evy"
    ? [Deno.execPath(), ["run", "-A", SELF, "role", role, how, ep, String(n)], {}]
    : impl === "pyzmq"
    ? ["/usr/bin/python3", ["-c", PY, role, how, ep, String(n)], {}]
    : ["node", ["--input-type=module", "-e", NODE, role, how, ep, String(n)], { cwd: ROOT }];
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"], ...opts });
  const lines: string[] = [];
  let buf = "";
  let first: (s: string) => void = () => {};
  const endpoint = new Promise<string>((r) => (first = r));
  child.stdout!.setEncoding("utf8").on("data", (s: string) => {
    buf += s;
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (lines.length === 1) first(lines[0]!);
    }
  });
  const done = new Promise<string[]>((r) => child.on("close", () => r(lines)));
  return { endpoint, done };
}

async function pair(sender: Impl, receiver: Impl, kind: "pipeline" | "reqrep"): Promise<number> {
  const [bindRole, connectRole, n] = kind === "pipeline" ? ["pull", "push", MESSAGES] : ["rep", "req", ROUND_TRIPS];
  const server = start(receiver, bindRole, "bind", "tcp://127.0.0.1:*", n);
  const client = start(sender, connectRole, "connect", await server.endpoint, n);
  const lines = [...(await server.done), ...(await client.done)];
  const result = lines.find((l) => l.startsWith("{"));
  return result === undefined ? NaN : JSON.parse(result).rate;
}

if (Deno.args[0] === "role") {
  await evyRole(Deno.args[1]!, Deno.args[2]!, Deno.args[3]!, Number(Deno.args[4]));
} else {
  const fmt = (x: number) => `${Math.round(x).toLocaleString("en-US")}/s`;
  const results: Record<string, number> = {};
  for (
    const [label, s, r] of [
      ["evy → evy", "evy", "evy"],
      ["pyzmq → pyzmq", "pyzmq", "pyzmq"],
      ["evy → pyzmq", "evy", "pyzmq"],
      ["pyzmq → evy", "pyzmq", "evy"],
      ["zeromq.js → zeromq.js", "zeromq.js", "zeromq.js"],
    ] as const
  ) {
    const rate = results[`push ${label}`] = await pair(s, r, "pipeline");
    console.log(`PUSH→PULL 64 B, ${label}: ${fmt(rate)} (${MESSAGES} messages)`);
  }
  for (
    const [label, s, r] of [
      ["evy REQ → evy REP", "evy", "evy"],
      ["pyzmq REQ → pyzmq REP", "pyzmq", "pyzmq"],
      ["evy REQ → pyzmq REP", "evy", "pyzmq"],
      ["pyzmq REQ → evy REP", "pyzmq", "evy"],
      ["zeromq.js REQ → zeromq.js REP", "zeromq.js", "zeromq.js"],
    ] as const
  ) {
    const rate = results[`req ${label}`] = await pair(s, r, "reqrep");
    console.log(`REQ/REP round trips, ${label}: ${fmt(rate)} (${ROUND_TRIPS} round trips)`);
  }
  const ratio = (a: string, b: string) => (results[a]! / results[b]!).toFixed(2);
  console.log(
    `throughput evy/pyzmq ${ratio("push evy → evy", "push pyzmq → pyzmq")}x, evy/zeromq.js ${
      ratio("push evy → evy", "push zeromq.js → zeromq.js")
    }x`,
  );
  console.log(
    `round trips evy/pyzmq ${ratio("req evy REQ → evy REP", "req pyzmq REQ → pyzmq REP")}x, evy/zeromq.js ${
      ratio("req evy REQ → evy REP", "req zeromq.js REQ → zeromq.js REP")
    }x`,
  );
  process.exit(0);
}
