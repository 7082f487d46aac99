/**
 * The server's hardening cases (issue 16), run once per engine:
 * `hardening_test.ts` runs them on the runtime's own engine (Deno.serve under
 * Deno, node:http under Node, where the built package runs them), and
 * `hardening_node_engine_test.ts` runs them under Deno on the Node engine.
 * Runtime-neutral: only `Deno.test` and `node:` APIs.
 */
import assert from "node:assert/strict";
import { Event, GreenletExit, sleep, Timeout } from "@evy/evy";
import { type RequestDone, serve, type ServeOptions, websocket } from "@evy/evy/web";
import type { Handler, Server } from "@evy/evy/web";
import { NetClient } from "./_raw_net.ts";

/** Wraps a test body, e.g. to install an engine for its duration. */
export type Around = (fn: () => Promise<void>) => Promise<void>;

const LOCAL = { port: 0, hostname: "127.0.0.1" } as const;

async function start(options: ServeOptions, handler: Handler): Promise<Server> {
  const server = serve(options, handler);
  await server.ready;
  return server;
}

/** Collects log lines. */
function lines(): { seen: string[]; log: (line: string) => void } {
  const seen: string[] = [];
  return { seen, log: (line) => void seen.push(line) };
}

/** Registers the suite; `label` prefixes the test names; `base` goes into every server's options. */
export function hardeningSuite(label: string, around: Around, base: Partial<ServeOptions> = {}): void {
  const opts = (extra: Partial<ServeOptions> = {}): ServeOptions => ({ ...LOCAL, log: false, ...base, ...extra });
  const test = (name: string, fn: () => Promise<void>): void => {
    Deno.test(`[${label}] ${name}`, () => around(fn));
  };

  test("serve() answers Response.error() and a Response with a used body with a logged 500", async () => {
    const log = lines();
    const done: RequestDone[] = [];
    await using server = await start(opts({ log: log.log }), async (req, info) => {
      info.posthooks.push((d) => void done.push(d));
      if (req.url.endsWith("/error")) return Response.error();
      const used = new Response("read already");
      await used.text();
      return used;
    });
    for (const path of ["/error", "/used"]) {
      const res = await fetch(`http://127.0.0.1:${server.addr.port}${path}`);
      assert.equal(res.status, 500, path);
      assert.equal(await res.text(), "Internal Server Error\r\n");
    }
    assert.deepEqual(done.map((d) => d.status), [500, 500]);
    assert.ok(
      log.seen.some((l) => /GET \/error failed: TypeError: serve: the handler returned Response\.error/.test(l)),
    );
    assert.ok(log.seen.some((l) => /GET \/used failed: .*body was already read/.test(l)));
    assert.ok(log.seen.some((l) => /"GET \/used HTTP\/1\.1" 500 /.test(l)), "access-logged as 500");
  });

  test("a handler answering at once with a Response whose body was read gets a 500; an unread one is sent", async () => {
    const log = lines();
    const spent = new Response("read already");
    await spent.text();
    await using server = await start(opts({ log: log.log }), (req) => {
      if (req.url.endsWith("/spent")) return spent;
      if (req.url.endsWith("/touched")) {
        const res = new Response("touched");
        assert.equal(res.bodyUsed, false); // asked, not read: still sendable
        return res;
      }
      return new Response("fresh");
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const spentRes = await fetch(`${base}/spent`);
    assert.equal(spentRes.status, 500);
    assert.equal(await spentRes.text(), "Internal Server Error\r\n");
    for (const path of ["touched", "fresh"]) {
      const res = await fetch(`${base}/${path}`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), path);
    }
    assert.ok(log.seen.some((l) => /GET \/spent failed: .*body was already read/.test(l)));
  });

  // Under Node, the Node engine writes a string body from undici's state without consuming it, so a Response
  // can go out again there: only Deno's engines refuse a second send.
  if ("Deno" in globalThis) {
    test("a handler answering at once with a Response an earlier request already sent gets a logged 500", async () => {
      const log = lines();
      const done: RequestDone[] = [];
      const cached = new Response("sent once"); // one Response for every request: its body can go out only once
      await using server = await start(opts({ log: log.log }), (_req, info) => {
        info.posthooks.push((d) => void done.push(d));
        return cached;
      });
      const url = `http://127.0.0.1:${server.addr.port}/cached`;
      const first = await fetch(url);
      assert.equal(first.status, 200);
      assert.equal(await first.text(), "sent once");
      const again = await fetch(url);
      assert.equal(again.status, 500);
      assert.equal(await again.text(), "Internal Server Error\r\n");
      for (let i = 0; i < 100 && done.length < 2; i++) await sleep(1);
      assert.deepEqual(done.map((d) => d.status), [200, 500], "the second is reported as the 500 it was");
      assert.ok(log.seen.some((l) => /GET \/cached failed: .*body was already read/.test(l)), log.seen.join("\n"));
    });
  }

  test("serve() rejects every bad option at the call, naming it", () => {
    const ok = (): Response => new Response("ok");
    const bad: [Partial<ServeOptions>, RegExp, ErrorConstructor][] = [
      [{ log: true as never }, /log must be false or a function/, TypeError],
      [{ logFormat: "%s" as never }, /logFormat must be a function, got "%s"/, TypeError],
      [{ onError: 1 as never }, /onError must be a function, got 1/, TypeError],
      [{ onListen: {} as never }, /onListen must be a function, got an object/, TypeError],
      [{ hostname: 127 as never }, /hostname must be a string, got 127/, TypeError],
      [{ port: "8080" as never }, /port must be an integer from 0 to 65535, got "8080"/, TypeError],
      [{ port: 70000 }, /port must be an integer from 0 to 65535, got 70000/, RangeError],
      [{ reusePort: "yes" as never }, /reusePort must be a boolean, got "yes"/, TypeError],
      [{ websockets: 0 as never }, /websockets must be a boolean, got 0/, TypeError],
      [{ signal: {} as never }, /signal must be an AbortSignal/, TypeError],
      [{ maxSize: 0 }, /maxSize must be an integer from 1/, RangeError],
      [{ maxBodyBytes: -1 }, /maxBodyBytes must be a number >= 0, got -1/, RangeError],
      [{ requestTimeoutMs: "5" as never }, /requestTimeoutMs must be a number >= 0, got "5"/, TypeError],
      [{ trustProxy: "true" as never }, /trustProxy must be a boolean, got "true"/, TypeError],
      [{ path: "" }, /path must be a non-empty string/, TypeError],
      [{ key: "k" }, /cert and key must be given together/, TypeError],
    ];
    for (const [extra, message, type] of bad) {
      assert.throws(() => serve(opts(extra), ok), (e: Error) => e instanceof type && message.test(e.message));
    }
    assert.throws(() => serve(null as never, ok), /options must be an object, got null/);
    return Promise.resolve();
  });

  test("serve() frees the slot of a queued request whose client left before its stream was sent", async () => {
    const release = new Event<void>();
    const done: RequestDone[] = [];
    await using server = await start(opts({ maxSize: 1 }), async (req, info) => {
      info.posthooks.push((d) => void done.push(d));
      if (req.url.endsWith("/hold")) await release.wait();
      // A stream that would wait for the engine to read it.
      return new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(1024)) }));
    });
    const port = server.addr.port;
    const hold = await NetClient.connect(port);
    await hold.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    while (server.running() < 1) await sleep(1);
    const leavers: NetClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await NetClient.connect(port);
      await c.send(`GET /leaver${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
      leavers.push(c);
    }
    while (server.waiting() < 3) await sleep(1);
    for (const c of leavers) c.close();
    await Promise.all(leavers.map((c) => c.closed));
    await sleep(50); // let the engine see the closes (ordering only: the assertions do not depend on it)
    hold.close();
    release.send();
    // Every slot came back: a fresh request is served on the one-slot server.
    const res = await fetch(`http://127.0.0.1:${port}/after`, { headers: { connection: "close" } });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    while (server.running() > 0) await sleep(1);
    assert.equal(done.filter((d) => d.path.startsWith("/leaver")).length, 3);
    assert.ok(done.filter((d) => d.path.startsWith("/leaver")).every((d) => d.disconnected));
  });

  test("serve() notices a client that leaves before the handler has run 20 ms", async () => {
    const started = new Event<void>();
    const handlerSaw = new Event<unknown>();
    const done = new Event<RequestDone>();
    await using server = await start(opts(), async (_req, info) => {
      info.posthooks.push((d) => done.send(d));
      started.send();
      try {
        await sleep(60_000);
      } catch (error) {
        handlerSaw.send(error);
        throw error;
      }
      return new Response("never");
    });
    const client = await NetClient.connect(server.addr.port);
    await client.send("GET /early HTTP/1.1\r\nHost: x\r\n\r\n");
    await started.wait();
    client.close(); // at once: before the engine is asked to watch
    assert.ok((await handlerSaw.wait()) instanceof GreenletExit);
    const result = (await done.wait())!;
    assert.equal(result.status, 499);
    assert.equal(result.disconnected, true);
  });

  test("Server.shutdown({ drainMs }) closes a connection holding a half-sent request", async () => {
    const server = await start(opts(), () => new Response("ok"));
    const client = await NetClient.connect(server.addr.port);
    await client.send("GET / HTTP/1.1\r\nHost: x\r\n"); // the head never ends
    await server.shutdown({ drainMs: 50 });
    await server.finished;
    await client.readToEnd(); // the server closed it
  });

  test("Server.shutdown({ drainMs }) inside a Timeout of the caller neither crashes nor stops the drain", async () => {
    const started = new Event<void>();
    const server = await start(opts(), async () => {
      started.send();
      await sleep(60_000);
      return new Response("never");
    });
    const res = fetch(`http://127.0.0.1:${server.addr.port}/`);
    await started.wait();
    const timeout = new Timeout(5);
    try {
      await server.shutdown({ drainMs: 30 }); // a plain promise: the Timeout comes at the next green wait
      await sleep(60_000);
    } catch (error) {
      assert.equal(error, timeout);
    } finally {
      timeout.cancel();
    }
    await server.finished;
    const answer = await res;
    assert.equal(answer.status, 503);
    await answer.body?.cancel();
  });

  // The engines find a static body through runtime-private fields (web/_static_body.ts): this fails if that stops working.
  test("serve() sends string and bytes bodies, with or without an init, with Content-Length, not as a stream", async () => {
    await using server = await start(opts(), (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/bytes") return new Response(new Uint8Array([104, 105]), { status: 201 });
      if (path === "/headers") return new Response("héllo", { headers: { "x-a": "b" } });
      if (path === "/plain") return new Response("plain");
      if (path === "/json") return Response.json({ a: 1 });
      return new Response("Service Unavailable\r\n", { status: 503 });
    });
    for (
      const [path, status, length] of [
        ["/503", 503, 21],
        ["/bytes", 201, 2],
        ["/headers", 200, 6],
        ["/plain", 200, 5],
        ["/json", 200, 7],
      ] as const
    ) {
      const client = await NetClient.connect(server.addr.port);
      await client.send(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const text = await client.readToEnd();
      const head = text.slice(0, text.indexOf("\r\n\r\n")).toLowerCase();
      assert.match(head, new RegExp(`^http/1\\.1 ${status}`), path);
      assert.match(head, new RegExp(`content-length: ${length}`), `${path}: ${head}`);
      assert.doesNotMatch(head, /transfer-encoding/, `${path} was streamed: the static-body fast path was not taken`);
    }
  });

  test("serve(): a Timeout in the thread that called serve() never turns queued requests into 503s", async () => {
    const release = new Event<void>();
    await using server = await start(opts({ maxSize: 1 }), async () => {
      await release.wait();
      return new Response("served");
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const timeout = new Timeout(20);
    const answers = [fetch(`${base}/1`), fetch(`${base}/2`), fetch(`${base}/3`)];
    try {
      while (server.waiting() < 2) await sleep(1);
      await sleep(60_000); // the caller's Timeout fires here
    } catch (error) {
      assert.equal(error, timeout);
    }
    release.send();
    for (const res of await Promise.all(answers)) {
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "served");
    }
  });

  test("serve() logs a client that leaves mid-upload as a 499, not as a handler failure", async () => {
    const log = lines();
    const done = new Event<RequestDone>();
    const reading = new Event<void>();
    await using server = await start(opts({ log: log.log }), async (req, info) => {
      info.posthooks.push((d) => done.send(d));
      reading.send();
      return new Response(`got ${(await req.text()).length}`);
    });
    const client = await NetClient.connect(server.addr.port);
    await client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
    await reading.wait();
    client.close();
    const result = (await done.wait())!;
    assert.equal(result.status, 499);
    assert.equal(result.disconnected, true);
    assert.deepEqual(log.seen.filter((l) => /failed/.test(l)), []);
  });

  test("serve() sends handler errors to onError and, with log: false, writes nothing", async () => {
    const errors: unknown[] = [];
    await using server = await start(opts({ onError: (error) => void errors.push(error) }), () => {
      throw new Error("boom");
    });
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(res.status, 500);
    await res.body?.cancel();
    assert.equal((errors[0] as Error).message, "boom");
  });

  test("serve({ trustProxy }) takes the client from X-Forwarded-For's last hop, in info and the access log", async () => {
    for (const trustProxy of [true, false]) {
      const log = lines();
      const seen: string[] = [];
      await using server = await start(opts({ trustProxy, log: log.log }), (_req, info) => {
        seen.push(`${info.remoteAddr.hostname}:${info.remoteAddr.port === 0 ? 0 : "peer"}`);
        return new Response("ok");
      });
      const base = `http://127.0.0.1:${server.addr.port}`;
      for (const xff of ["203.0.113.7, 10.0.0.9", "2001:db8::1", "not an address", undefined]) {
        const headers: Record<string, string> = xff === undefined ? {} : { "x-forwarded-for": xff };
        await (await fetch(base, { headers })).body?.cancel();
      }
      await server.shutdown();
      const clients = log.seen.filter((l) => / - - \[/.test(l)).map((l) => l.split(" ")[0]);
      if (trustProxy) {
        assert.deepEqual(seen, ["10.0.0.9:0", "2001:db8::1:0", "127.0.0.1:peer", "127.0.0.1:peer"]);
        assert.deepEqual(clients, ["10.0.0.9", "2001:db8::1", "127.0.0.1", "127.0.0.1"]);
      } else {
        assert.deepEqual(seen, Array(4).fill("127.0.0.1:peer"));
        assert.deepEqual(clients, Array(4).fill("127.0.0.1"));
      }
    }
  });

  test("serve({ websockets: false }) answers a websocket upgrade 501, naming the option", async () => {
    const echo = websocket(async (ws) => {
      for await (const message of ws) ws.send(message);
    });
    await using server = await start(opts({ websockets: false }), echo);
    using client = await NetClient.connect(server.addr.port);
    await client.send(
      "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    const answer = await client.readUntil(/websockets: false/);
    assert.match(answer, /^HTTP\/1\.1 501 /);
  });
}
