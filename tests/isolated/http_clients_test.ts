// evy:deno-only — runs the fixture under Deno with --preload (a subprocess started with Deno.Command).
/**
 * Real npm HTTP clients (axios, got, node-fetch) under the preload on Deno:
 * an unmodified client, given no signal, is cut short by a Timeout and by a
 * kill — checked on the server's side: the connection closes long before the
 * server's delay — reuses a keep-alive agent afterwards, and keeps the bytes
 * of a streamed download cut mid-body. The app is
 * tests/isolated/fixtures/http_clients_app.ts, run as a subprocess.
 */
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;
/** How long the server takes to answer `/slow` and to finish `/drip`: far beyond every Timeout in the app. */
const DELAY_MS = 10_000;
const DRIP_BYTES = 1_000;

interface Outcome {
  /** Milliseconds from the request's arrival until its connection closed, or undefined while open / if answered. */
  closedEarlyAfterMs?: number;
}

/** The app's server: `/slow/<id>` answers after DELAY_MS, `/drip/<id>` sends DRIP_BYTES then waits, `/ok`, `/seen/<id>`. */
async function slowServer(): Promise<
  { url: string; closedEarly(id: string): Promise<number | undefined>; close(): Promise<void> }
> {
  const outcomes = new Map<string, Outcome>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const [, route, id = ""] = (req.url ?? "").split("/");
    if (route === "seen") return void res.end(outcomes.has(id) ? "yes" : "no");
    if (route === "ok") return void res.end("ok");
    const outcome: Outcome = {};
    outcomes.set(id, outcome);
    const arrived = performance.now();
    open.add(res);
    const timer = setTimeout(() => res.end("late"), DELAY_MS);
    timers.add(timer);
    res.on("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
      open.delete(res);
      if (!res.writableFinished) outcome.closedEarlyAfterMs = performance.now() - arrived;
    });
    if (route === "drip") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("x".repeat(DRIP_BYTES));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** When request `id`'s connection closed early (ms after it arrived), waiting a little for the close to be seen. */
    async closedEarly(id) {
      for (let i = 0; i < 500 && outcomes.get(id)?.closedEarlyAfterMs === undefined; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return outcomes.get(id)?.closedEarlyAfterMs;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

Deno.test("preload: axios, got and node-fetch are cut by a Timeout and by kill, reuse keep-alive agents, and keep a cut stream's bytes", async () => {
  const server = await slowServer();
  try {
    const signal = AbortSignal.timeout(120_000); // a hung child fails the test instead of hanging it
    const out = await new Deno.Command(DENO, {
      args: ["run", "-A", "--preload", "./patch.ts", "tests/isolated/fixtures/http_clients_app.ts", server.url],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assert.equal(result.greened, true);
    for (const name of ["axios", "got", "nodeFetch"]) {
      const r = result[name];
      assert.equal(r.timeout.cut, true, `${name}: cut by our Timeout: ${JSON.stringify(r)}`);
      assert.ok(
        r.timeout.elapsedMs < DELAY_MS / 2,
        `${name}: cut at ${r.timeout.elapsedMs} ms, server delay ${DELAY_MS}`,
      );
      assert.equal(r.listed, true, `${name}: listed by the hub`);
      assert.equal(
        r.kill.endedKilled,
        true,
        `${name}: the killed thread ended with the kill: ${JSON.stringify(r.kill)}`,
      );
      assert.equal(
        r.kill.withKillError,
        true,
        `${name}: wait() rejects with the kill's own error (kills are never lost)`,
      );
      assert.deepEqual(r.keepAlive, ["ok", "cut", "ok", "ok"], `${name}: keep-alive agent reused`);
      assert.deepEqual(r.stream, { bytes: DRIP_BYTES, cut: true }, `${name}: streamed download cut mid-body`);
      for (const id of [`${name}-timeout`, `${name}-kill`, `${name}-keepalive`, `${name}-stream`]) {
        const closed = await server.closedEarly(id);
        assert.ok(
          closed !== undefined && closed < DELAY_MS / 2,
          `${id}: server saw the connection close early (${closed})`,
        );
      }
    }
  } finally {
    await server.close();
  }
});
