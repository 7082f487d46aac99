import assert from "node:assert/strict";
import process from "node:process";
import { main } from "@evy/evy/cli";
import { Spawning } from "@evy/evy/tools/spawning";
import WebSocketClient from "ws";
import { alive, APP, get, startServe, until, WS_APP } from "./_serve_process.ts";

async function pidsSeen(port: number, want: number, tries = 200): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < tries && seen.size < want; i++) seen.add(await get(port));
  return seen;
}

Deno.test("evy serve: two processes share the port, and SIGTERM stops them all, leaving no orphan", async () => {
  const serve = await startServe(["--processes", "2"]);
  try {
    const pids = await pidsSeen(serve.port, 2);
    assert.equal(pids.size, 2, `answers came from ${[...pids]}`);
    serve.signal("SIGTERM");
    assert.deepEqual(await serve.exited, { code: 0, signal: null });
    for (const pid of pids) assert.equal(alive(Number(pid)), false, `worker ${pid} outlived its controller`);
  } finally {
    await serve.cleanup();
  }
});

Deno.test("evy serve: a SIGHUP reload fails no request, finishes the slow one, and answers from new processes only", async () => {
  const serve = await startServe(["--processes", "2", "--drain-ms", "10000"]);
  try {
    const before = await pidsSeen(serve.port, 2);
    const slow = get(serve.port, "/?ms=1500");
    let stop = false;
    let ok = 0;
    const failures: unknown[] = [];
    const loop = (async () => {
      while (!stop) {
        try {
          await get(serve.port);
          ok++;
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    await until(() => ok > 20, "requests before the reload");
    serve.signal("SIGHUP");
    await serve.waitFor(/reloaded: [\d, ]+/);
    const mark = ok;
    await until(() => ok > mark + 20, "requests after the reload");
    stop = true;
    await loop;
    assert.deepEqual(failures, []);
    assert.ok(before.has(await slow), "the slow request was answered by an old worker, after the reload began");
    const after = new Set<string>();
    for (let i = 0; i < 40; i++) after.add(await get(serve.port));
    for (const pid of after) assert.ok(!before.has(pid), `old worker ${pid} still answers after the reload`);
    for (const pid of before) await until(() => !alive(Number(pid)), `old worker ${pid} to exit`);
    serve.signal("SIGTERM");
    assert.equal((await serve.exited).code, 0);
  } finally {
    await serve.cleanup();
  }
});

/** Opens a websocket to `/echo`, sends "ping", resolves with the echo, or with the refusal's status. */
function echoOnce(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocketClient(`ws://127.0.0.1:${port}/echo`);
    ws.on("open", () => ws.send("ping"));
    ws.on("message", (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.on("unexpected-response", (_req, res) => {
      resolve(`status ${res.statusCode}`);
      res.resume();
      ws.terminate();
    });
    ws.on("error", reject);
  });
}

Deno.test("evy serve: websocket upgrades get 501 by default and are echoed with --websockets", async () => {
  for (const [args, want] of [[[], "status 501"], [["--websockets"], "ping"]] as const) {
    const serve = await startServe(["--processes", "1", ...args], WS_APP);
    try {
      assert.equal(await echoOnce(serve.port), want, `evy serve ${args.join(" ")}`);
      assert.match(await get(serve.port), /^\d+$/, "plain requests are served alongside");
      serve.signal("SIGTERM");
      assert.equal((await serve.exited).code, 0);
    } finally {
      await serve.cleanup();
    }
  }
});

Deno.test("evy serve: a worker killed with SIGKILL is restarted and requests keep succeeding", async () => {
  const serve = await startServe(["--processes", "2"]);
  try {
    const before = await pidsSeen(serve.port, 2);
    const victim = [...before][0]!;
    process.kill(Number(victim), "SIGKILL");
    await serve.waitFor(/was killed by SIGKILL; restarting/);
    const seen = new Set<string>();
    await until(async () => {
      seen.add(await get(serve.port)); // every request must succeed: get() throws otherwise
      return [...seen].some((pid) => !before.has(pid));
    }, "a restarted worker to answer");
    assert.ok(!seen.has(victim));
    serve.signal("SIGTERM");
    assert.equal((await serve.exited).code, 0);
  } finally {
    await serve.cleanup();
  }
});

Deno.test("evy serve: an app that cannot load makes evy serve exit 1 with the worker's error", async () => {
  await assert.rejects(
    startServe(["--processes", "1"], "throw new Error('broken app');\n"),
    /broken app[\s\S]*exited before accepting/,
  );
});

Deno.test("evy serve: a worker in a crash loop is restarted with growing back-off", async () => {
  const crashing = APP + "setTimeout(() => (globalThis.process?.exit ?? Deno.exit)(3), 300);\n";
  const serve = await startServe(["--processes", "1"], crashing);
  try {
    await serve.waitFor(/exited with code 3; restarting in 0 ms/);
    await serve.waitFor(/exited with code 3; restarting in 100 ms/);
    await serve.waitFor(/exited with code 3; restarting in 200 ms/);
    await serve.waitFor(/exited with code 3; restarting in 400 ms/);
    serve.signal("SIGTERM");
    assert.equal((await serve.exited).code, 0);
  } finally {
    await serve.cleanup();
  }
});

Deno.test({
  name: "evy serve --threads 2: one process serves from two Workers sharing the port (Deno; refused on Node)",
  fn: async () => {
    if (!("Deno" in globalThis)) {
      await assert.rejects(startServe(["--threads", "2"]), /threads > 1 needs Deno/);
      return;
    }
    const app = `export default () => new Response("WorkerGlobalScope" in globalThis ? "thread" : "main");\n`;
    const serve = await startServe(["--processes", "1", "--threads", "2"], app);
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 200 && seen.size < 2; i++) seen.add(await get(serve.port));
      assert.deepEqual([...seen].sort(), ["main", "thread"]);
      serve.signal("SIGTERM");
      assert.equal((await serve.exited).code, 0);
    } finally {
      await serve.cleanup();
    }
  },
});

Deno.test("evy --help and bad arguments", async () => {
  const lines: string[] = [];
  assert.equal(await main(["--help"], (l) => lines.push(l)), 0);
  assert.match(lines.join("\n"), /--processes N/);
  lines.length = 0;
  assert.equal(await main(["serve"], (l) => lines.push(l)), 2);
  assert.match(lines[0]!, /expected "serve APP"/);
  lines.length = 0;
  assert.equal(await main(["serve", "app.ts", "--port", "3.5"], (l) => lines.push(l)), 2);
  assert.match(lines[0]!, /--port must be a whole number/);
  lines.length = 0;
  assert.equal(await main(["serve", "app.ts", "--bogus"], (l) => lines.push(l)), 2);
  assert.match(lines[0]!, /bogus/);
});

Deno.test("new Spawning() rejects bad options at the call, naming them", () => {
  assert.throws(() => new Spawning({ app: "a.ts", processes: 0 }), /processes must be an integer >= 1/);
  assert.throws(() => new Spawning({ app: "a.ts", port: 70000 }), RangeError);
  assert.throws(() => new Spawning({ app: "" }), TypeError);
  assert.throws(() => new Spawning({ app: "a.ts", drainMs: -1 }), /drainMs/);
  assert.throws(() => new Spawning({ app: "a.ts", websockets: "yes" as never }), /websockets must be a boolean/);
  assert.throws(() => new Spawning({ app: "a.ts", trustProxy: 1 as never }), /trustProxy must be a boolean/);
});
