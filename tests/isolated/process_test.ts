/**
 * Process-level behaviour, each case in its own subprocess: hub selection by
 * `EVY_HUB`, exit codes of failing threads, and signals through the hub.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;
const APP = "tests/isolated/fixtures/hub_app.ts";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(mode: string, env: Record<string, string> = {}): Promise<Outcome> {
  const signal = AbortSignal.timeout(60_000);
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", APP, mode],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
    signal,
  })
    .output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout).trim(), stderr: text.decode(out.stderr) };
}

Deno.test("EVY_HUB picks the hub: deno by default on Deno, node or deno when named", async () => {
  for (const [env, expected] of [[{}, "deno"], [{ EVY_HUB: "node" }, "node"], [{ EVY_HUB: "deno" }, "deno"]] as const) {
    const { code, stdout, stderr } = await run("hub", env);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, expected, `EVY_HUB=${JSON.stringify(env)}`);
  }
});

Deno.test("EVY_HUB naming an unknown hub fails at the first green call, naming it", async () => {
  const { code, stderr } = await run("hub", { EVY_HUB: "libuv" });
  assert.equal(code, 1);
  assert.match(stderr, /Unknown hub "libuv"/);
});

Deno.test("a failing spawnN thread is reported on stderr and the process exits 0", async () => {
  const { code, stdout, stderr } = await run("spawnN-fails");
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "still here");
  assert.match(stderr, /spawnN\(anonymous\) failed: Error: spawnN boom/);
  assert.doesNotMatch(stderr, /Uncaught/);
});

Deno.test("a failing spawn thread nobody waits for is silent and the process exits 0", async () => {
  const { code, stdout, stderr } = await run("spawn-fails");
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "still here");
  assert.equal(stderr, "");
});

Deno.test("an error thrown by the main thread exits with code 1", async () => {
  const { code, stderr } = await run("main-throws");
  assert.equal(code, 1);
  assert.match(stderr, /main boom/);
});

Deno.test("SIGTERM reaches a handler installed through the hub's host, on the deno and node hubs", async () => {
  for (const hub of ["deno", "node"]) {
    const child = new Deno.Command(DENO, {
      args: ["run", "-A", APP, "signal"],
      cwd: ROOT,
      env: { EVY_HUB: hub },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("ready")) {
      const { value, done } = await lines.read();
      if (done) break;
      seen += value;
    }
    child.kill("SIGTERM");
    for (;;) {
      const { value, done } = await lines.read();
      if (done) break;
      seen += value;
    }
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 0, stderr);
    assert.deepEqual(seen.trim().split("\n"), ["ready", "stopping", "clean"], `hub ${hub}`);
  }
});

Deno.test("EVY_DEBUG=1 sends the hub's debug lines to stderr; without it they are dropped", async () => {
  const on = await run("debug", { EVY_DEBUG: "1" });
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stderr, /evy debug: a debug line/);
  const off = await run("debug");
  assert.equal(off.code, 0, off.stderr);
  assert.doesNotMatch(off.stderr, /evy debug/);
});
