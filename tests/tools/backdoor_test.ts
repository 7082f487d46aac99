/**
 * tools/backdoor over real sockets (TCP on loopback and a Unix socket), with
 * evy's own green client: evaluation, await, errors and recovery, separate
 * locals, the secret, address checks, clients that misbehave, and shutdown.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GreenThread, sleep, spawn } from "@evy/evy";
import { type GreenListener, listen } from "@evy/evy/green/net";
import { type BackdoorOptions, backdoorServer } from "@evy/evy/tools/backdoor";
import { BackdoorClient } from "./_backdoor_client.ts";

interface Running {
  listener: GreenListener;
  server: GreenThread<void>;
  client(): Promise<BackdoorClient>;
  /** A client past the banner (and the secret, when given), at the first prompt. */
  session(secret?: string): Promise<BackdoorClient>;
  [Symbol.asyncDispose](): Promise<void>;
}

function start(locals: Record<string, unknown> = {}, options: BackdoorOptions = {}, listener?: GreenListener): Running {
  const l = listener ?? listen({ hostname: "127.0.0.1", port: 0 });
  const server = spawn(backdoorServer, l, locals, options);
  const clients: BackdoorClient[] = [];
  const client = async () => {
    await l.listening();
    const c = await BackdoorClient.open(l.addr);
    clients.push(c);
    return c;
  };
  return {
    listener: l,
    server,
    client,
    async session(secret) {
      const c = await client();
      if (secret !== undefined) {
        assert.equal(await c.until(/secret: $/), "");
        await c.socket.sendall(`${secret}\n`);
      }
      assert.match(
        await c.until(),
        /^evy backdoor \((deno|node) [\d.]+, pid \d+\): .*top-level await; \.exit to leave\n$/,
      );
      return c;
    },
    async [Symbol.asyncDispose]() {
      l.close();
      await server.wait();
      for (const c of clients) c.close();
    },
  };
}

Deno.test("backdoorServer() evaluates expressions and statements against locals, keeps declarations, prints like inspect", async () => {
  await using bd = start({ app: { requests: 3, name: "demo" } });
  const c = await bd.session();
  assert.equal(await c.eval("1 + 1"), "2");
  assert.equal(await c.eval("app.requests"), "3");
  assert.equal(await c.eval("app"), "{ requests: 3, name: 'demo' }");
  assert.equal(await c.eval("let twice = app.requests * 2"), "undefined");
  assert.equal(await c.eval("twice"), "6");
  assert.equal(await c.eval("function add(a, b) { return a + b }"), "undefined");
  assert.equal(await c.eval("add(twice, 1)"), "7");
  assert.equal(await c.eval("const { name } = app; name.toUpperCase()"), "'DEMO'");
  assert.equal(await c.eval("_"), "'DEMO'");
  assert.equal(await c.eval("total = 10"), "10");
  assert.equal(await c.eval("total"), "10");
  assert.equal(await c.eval("'total' in globalThis"), "false", "an undeclared assignment stays in the session");
  assert.equal(await c.eval("[1, 2, 3].map((n) => n * twice)"), "[ 6, 12, 18 ]");
  assert.equal(await c.eval("new Map([['a', 1]])"), "Map(1) { 'a' => 1 }");
  assert.equal(await c.eval(""), "");
  assert.equal(await c.eval("console.log('to the client', 1); 'value'"), "to the client 1\n'value'");
});

Deno.test("backdoorServer() runs top-level await inside the live process, cooperatively", async () => {
  let ticks = 0;
  const ticker = spawn(async function ticker() {
    for (;;) {
      ticks++;
      await sleep(1);
    }
  });
  await using bd = start({ readTicks: () => ticks, sleep });
  const c = await bd.session();
  assert.equal(await c.eval("const before = readTicks()"), "undefined");
  assert.equal(await c.eval("await sleep(20)"), "undefined");
  assert.equal(await c.eval("readTicks() > before"), "true", "other threads ran while the input awaited");
  assert.equal(await c.eval("await Promise.resolve(41) + 1"), "42");
  assert.equal(await c.eval("const got = await new Promise((r) => setTimeout(() => r('later'), 5)); got"), "'later'");
  await ticker.kill();
});

Deno.test("backdoorServer() prints syntax errors and thrown errors, and the session goes on", async () => {
  await using bd = start();
  const c = await bd.session();
  assert.match(await c.eval("1 +* 2"), /^SyntaxError: Unexpected token '\*'$/);
  assert.equal(await c.eval("3 * 3"), "9");
  assert.match(await c.eval("throw new RangeError('too big')"), /^Uncaught RangeError: too big\n\s+at /);
  assert.match(await c.eval("missingName"), /^Uncaught ReferenceError: missingName is not defined/);
  assert.match(await c.eval("await Promise.reject(new Error('async boom'))"), /^Uncaught Error: async boom/);
  assert.equal(await c.eval("throw 'a string'"), "Uncaught 'a string'");
  assert.equal(await c.eval("'still here'"), "'still here'");
});

Deno.test("backdoorServer() continues an unfinished input on the next line with a '... ' prompt", async () => {
  await using bd = start();
  const c = await bd.session();
  await c.socket.sendall("function square(n) {\n");
  assert.equal(await c.until(/\.\.\. $/), "");
  assert.equal(await c.eval("  return n * n"), "");
  assert.equal(await c.eval("}"), "undefined");
  assert.equal(await c.eval("square("), "");
  assert.equal(await c.eval("12)"), "144");
});

Deno.test("backdoorServer() strips TypeScript annotations where the runtime can, and says so in the banner", async () => {
  await using bd = start();
  const c = await bd.client();
  const banner = await c.until();
  const typescript = banner.includes("JavaScript or TypeScript");
  const answer = await c.eval("const n: number = 4; n as number * 2");
  if (typescript) assert.equal(answer, "8");
  else assert.match(answer, /^SyntaxError/, "without a stripper, TypeScript is a syntax error, and says so");
  assert.equal(await c.eval("'after'"), "'after'");
});

Deno.test("backdoorServer() gives each of two clients its own copy of locals", async () => {
  const shared = { hits: 0 };
  await using bd = start({ shared, mode: "fast" });
  const a = await bd.session();
  const b = await bd.session();
  assert.equal(await a.eval("mode = 'slow'"), "'slow'");
  assert.equal(await a.eval("let onlyA = 1"), "undefined");
  assert.equal(await b.eval("mode"), "'fast'");
  assert.match(await b.eval("onlyA"), /ReferenceError: onlyA is not defined/);
  assert.equal(await b.eval("shared.hits++"), "0", "the copy is shallow: the objects are the live ones");
  assert.equal(await a.eval("shared.hits"), "1");
  assert.equal(shared.hits, 1);
});

Deno.test("backdoorServer(): a client that drops mid-line, or sends garbage, stops only itself", async () => {
  await using bd = start({ value: 7 });
  const dropper = await bd.session();
  await dropper.socket.sendall("value + "); // no newline
  dropper.close();
  const junk = await bd.session();
  await junk.socket.sendall(new Uint8Array([0xff, 0xfb, 0x01, 0xc3, 0x00, 0x9f, 0x27, 0x0a]));
  assert.match(await junk.until(), /^SyntaxError: /);
  assert.equal(await junk.eval("value"), "7", "the same session goes on after garbage");
  await junk.socket.sendall(new Uint8Array([0xff, 0xf4, 0x0d, 0x0a])); // telnet's Ctrl-C
  assert.equal(await junk.until(), "(input cancelled)\n");
  junk.close();
  const next = await bd.session();
  assert.equal(await next.eval("value * 6"), "42");
  await next.socket.sendall(".exit\n");
  assert.equal(await next.rest(), "", ".exit ends the session");
});

Deno.test("backdoorServer(): a line over 1 MiB ends that session only", async () => {
  await using bd = start();
  const flood = await bd.session();
  // Exactly the limit, no newline: the server reads it all, so closes without unread bytes (no reset).
  const sent = flood.socket.sendall("x".repeat(1 << 20));
  assert.equal(await flood.rest(), "line longer than 1048576 bytes: closing\n");
  await sent;
  const next = await bd.session();
  assert.equal(await next.eval("'fine'"), "'fine'");
});

Deno.test("backdoorServer() with a secret asks for it first and closes on a wrong one", async () => {
  await using bd = start({ x: 1 }, { secret: "open sesame" });
  const wrong = await bd.client();
  assert.equal(await wrong.until(/secret: $/), "");
  await wrong.socket.sendall("guess\n");
  assert.equal(await wrong.rest(), "wrong secret\n");
  const right = await bd.session("open sesame");
  assert.equal(await right.eval("x + 1"), "2");
});

Deno.test("backdoorServer() serves a Unix socket", async () => {
  const dir = mkdtempSync(join(tmpdir(), "evy-backdoor-"));
  try {
    await using bd = start({ where: "unix" }, {}, listen({ transport: "unix", path: join(dir, "bd.sock") }));
    const c = await bd.session();
    assert.equal(await c.eval("where"), "'unix'");
    assert.equal(await c.eval("await Promise.resolve('awaited')"), "'awaited'");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("backdoorServer() refuses a non-loopback listener unless allowRemote", async () => {
  const open = listen({ hostname: "0.0.0.0", port: 0 });
  try {
    await assert.rejects(backdoorServer(open), { name: "RangeError", message: /not a loopback address.*allowRemote/ });
  } finally {
    open.close();
  }
  await using bd = start({ n: 5 }, { allowRemote: true }, listen({ hostname: "0.0.0.0", port: 0 }));
  await bd.listener.listening();
  const c = await BackdoorClient.open({
    transport: "tcp",
    hostname: "127.0.0.1",
    port: (bd.listener.addr as { port: number }).port,
  });
  assert.match(await c.until(), /^evy backdoor/);
  assert.equal(await c.eval("n"), "5");
  c.close();
});

Deno.test("closing the listener ends every session, an input that awaits forever included", async () => {
  const bd = start();
  const idle = await bd.session();
  const stuck = await bd.session();
  await stuck.socket.sendall("await new Promise(() => {})\n");
  await sleep(0);
  bd.listener.close();
  await bd.server.wait();
  assert.equal(await idle.rest(), "");
  assert.equal(await stuck.rest(), "");
  idle.close();
  stuck.close();
});

Deno.test("killing the backdoor's thread closes its listener and ends its sessions", async () => {
  const bd = start();
  const c = await bd.session();
  await bd.server.kill();
  assert.equal(await c.rest(), "");
  c.close();
  await assert.rejects(bd.listener.accept(), { name: "SocketClosedError" });
});

Deno.test("backdoorServer() rejects bad arguments at the call, naming them", () => {
  assert.throws(() => backdoorServer({} as GreenListener), {
    name: "TypeError",
    message: /listener must be a GreenListener/,
  });
  using l = listen({ hostname: "127.0.0.1", port: 0 });
  assert.throws(() => backdoorServer(l, null as unknown as Record<string, unknown>), {
    name: "TypeError",
    message: /locals must be an object, got null/,
  });
  assert.throws(() => backdoorServer(l, {}, { secret: 42 as unknown as string }), {
    name: "TypeError",
    message: /secret must be a string/,
  });
});
