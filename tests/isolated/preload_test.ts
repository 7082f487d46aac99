/**
 * The preload (`deno run --preload ./patch.ts app.ts`) on an unmodified app,
 * and the module redirection it installs reaching npm packages and require().
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;

async function run(args: string[]): Promise<Record<string, unknown>> {
  const signal = AbortSignal.timeout(60_000); // a hung child fails the test instead of hanging it
  const out = await new Deno.Command(DENO, { args, cwd: ROOT, stdout: "piped", stderr: "piped", signal }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

/** A loopback listener that accepts and holds every connection until `close()`. */
function holdConnections(): { port: number; close(): Promise<void> } {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const accepted: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of listener) accepted.push(c);
  })();
  return {
    port: listener.addr.port,
    async close() {
      listener.close();
      await accepting.catch(() => {});
      for (const c of accepted) c.close();
    },
  };
}

Deno.test("preload: an unmodified app's fetch, Deno.connect, Deno.readFile and setTimeout get Timeout/kill cancellation and hub listings", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evy-preload-" });
  const fifo = `${dir}/fifo`;
  assert.equal((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
  const stalls: (() => void)[] = [];
  const ac = new AbortController();
  const http = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {}, signal: ac.signal }, async () => {
    await new Promise<void>((r) => stalls.push(r));
    return new Response("late");
  });
  const tcp = holdConnections();
  try {
    const result = await run([
      "run",
      "-A",
      "--preload",
      "./patch.ts",
      "tests/isolated/fixtures/preload_app.ts",
      `http://127.0.0.1:${http.addr.port}/`,
      String(tcp.port),
      fifo,
    ]);
    const { listed, ...outcomes } = result;
    assert.deepEqual(outcomes, {
      fetch: true, // interrupted by a Timeout
      readFile: true,
      connRead: true,
      timerListed: true,
      killCancelledTimer: true,
    });
    for (const wait of ["fetch", "readFile", "recv", "timers/promises.setTimeout"]) {
      assert.ok((listed as string[]).includes(wait), `${wait} listed by the hub: ${listed}`);
    }
  } finally {
    for (const s of stalls) s();
    ac.abort();
    await http.finished;
    await tcp.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("preload: npm packages get the green node: drop-ins — read-pkg's node:fs/promises read is interrupted by a Timeout, wait-port's require('net') connections are listed, require() is redirected", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evy-preload-npm-" });
  assert.equal((await new Deno.Command("mkfifo", { args: [`${dir}/package.json`] }).output()).code, 0);
  const tcp = holdConnections();
  try {
    const result = await run([
      "run",
      "-A",
      "--preload",
      "./patch.ts",
      "tests/isolated/fixtures/npm_app.ts",
      String(tcp.port),
      dir,
    ]);
    assert.deepEqual(result, {
      require: true,
      readPkg: "interrupted by our Timeout",
      waitPort: { open: true, listed: true },
    });
  } finally {
    await tcp.close();
    await Deno.remove(dir, { recursive: true });
  }
});
