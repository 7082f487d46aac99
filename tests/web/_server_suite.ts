import assert from "node:assert/strict";
import { Event, getCurrent, GreenletExit, Local, sleep, Timeout, withTimeout } from "@evy/evy";
import { type RequestDone, serve, type ServeOptions } from "@evy/evy/web";
import type { Handler, Server } from "@evy/evy/web";
import { type Backends, useBackends } from "../../web/_backends.ts";
import { collectLog, RawClient } from "./_http.ts";
import { haveOpenssl, testCert } from "../green/_net_suite.ts";

/**
 * Runs the suite against one pair of engines (`label` prefixes the test
 * names): `deno` (Deno.serve, Deno.upgradeWebSocket) or `node` (node:http
 * and the ws package, here running under Deno's node compatibility).
 */
export function serverSuite(label: string, engines: Backends, base: Partial<ServeOptions> = {}): void {
  const test = (name: string, fn: () => Promise<void> | void): void => {
    Deno.test(`[${label}] ${name}`, async () => {
      using _ = useBackends(engines);
      await fn();
    });
  };
  const testIgnoredBecause = (reason: string) => (name: string, _fn: () => Promise<void> | void): void => {
    console.warn(`IGNORED [${label}] ${name}: ${reason}`);
    Deno.test({ name: `[${label}] ${name}`, ignore: true, fn() {} });
  };
  async function start(options: ServeOptions, handler: Handler): Promise<Server> {
    const server = serve(options, handler);
    await server.ready;
    return server;
  }
  const LOCAL = { port: 0, hostname: "127.0.0.1" } as const;

  function opts(extra: Partial<ServeOptions> = {}): ServeOptions {
    return { ...LOCAL, log: false, ...base, ...extra };
  }

  test("serve() answers in a green thread per request and logs Eventlet's default line", async () => {
    const log = collectLog();
    const threads = new Set<unknown>();
    await using server = await start(opts({ log: log.log }), (req, info) => {
      threads.add(getCurrent());
      assert.equal(info.thread, getCurrent());
      assert.notEqual(getCurrent().name, "main");
      return new Response(`Hello, ${new URL(req.url).searchParams.get("name")}!\r\n`);
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    assert.equal(await (await fetch(`${base}/hi?name=World`)).text(), "Hello, World!\r\n");
    assert.equal(await (await fetch(`${base}/hi?name=évy`)).text(), "Hello, évy!\r\n");
    assert.equal(threads.size, 2);
    const line = await log.waitFor(/name=%C3%A9vy/);
    assert.match(
      line,
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\] "GET \/hi\?name=%C3%A9vy HTTP\/1\.1" 200 14 \d+\.\d{6}$/,
    );
    assert.match(log.lines[0]!, /evy serving on 127\.0\.0\.1:\d+/);
  });

  test("serve() keeps a connection alive across requests", async () => {
    const seen: number[] = [];
    await using server = await start(opts(), (_req, info) => {
      seen.push(info.remoteAddr.port);
      return new Response(info.path);
    });
    using client = await RawClient.connect(server.addr.port);
    for (const path of ["/one", "/two", "/three"]) {
      await client.send(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const res = await client.readResponse();
      assert.equal(res.status, 200);
      assert.equal(res.body, path);
    }
    assert.equal(new Set(seen).size, 1, "all three requests came on one connection");
  });

  test("serve() runs at most maxSize requests at once; the rest wait for a slot", async () => {
    let active = 0;
    let peak = 0;
    const release = new Event<void>();
    await using server = await start(opts({ maxSize: 2 }), async () => {
      active++;
      peak = Math.max(peak, active);
      await release.wait();
      active--;
      return new Response("done");
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const responses = Array.from({ length: 6 }, (_, i) => fetch(`${base}/${i}`).then((r) => r.text()));
    while (server.waiting() < 4) await sleep(5);
    assert.equal(server.running(), 2);
    assert.equal(active, 2);
    release.send();
    assert.deepEqual(await Promise.all(responses), Array(6).fill("done"));
    assert.equal(peak, 2);
  });

  test("serve() lets a handler catch its own Timeout under requestTimeoutMs and answer (Timeout scope)", async () => {
    await using server = await start(opts({ requestTimeoutMs: 5_000 }), async () => {
      const fallback = await withTimeout(20, () => sleep(60_000), { timeoutValue: "fallback" });
      const t = new Timeout(20);
      try {
        await sleep(60_000);
        return new Response("late");
      } catch (error) {
        if (error !== t) throw error;
        return new Response(`${fallback}, caught`);
      }
    });
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "fallback, caught");
  });

  test("serve() answers 503 when requestTimeoutMs passes, green wait or plain promise", async () => {
    const caught: unknown[] = [];
    await using server = await start(opts({ requestTimeoutMs: 20 }), async (req) => {
      if (req.url.endsWith("/green")) {
        try {
          await sleep(60_000);
        } catch (error) {
          caught.push(error);
          throw error;
        }
      }
      if (req.url.endsWith("/plain")) await new Promise(() => {}); // never settles
      return new Response("fast");
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    for (const path of ["/green", "/plain"]) {
      const res = await fetch(base + path);
      assert.equal(res.status, 503);
      assert.match(await res.text(), /timed out/);
    }
    assert.equal(await (await fetch(base + "/fast")).text(), "fast");
    assert.equal(caught.length, 1);
    assert.equal((caught[0] as Error).name, "Timeout");
  });

  test("serve() answers 413 for a body over maxBodyBytes, declared or chunked", async () => {
    await using server = await start(
      opts({ maxBodyBytes: 10 }),
      async (req) => new Response(`got ${(await req.text()).length}`),
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    const small = await fetch(base, { method: "POST", body: "12345" });
    assert.equal(await small.text(), "got 5");
    const declared = await fetch(base, { method: "POST", body: "x".repeat(11) });
    assert.equal(declared.status, 413);
    await declared.body?.cancel();
    using client = await RawClient.connect(server.addr.port);
    await client.send(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n",
    );
    const chunked = await client.readResponse();
    assert.equal(chunked.status, 413);
  });

  test("serve() answers a handler error with a bare 500 and logs the stack", async () => {
    const log = collectLog();
    await using server = await start(opts({ log: log.log }), (req) => {
      if (req.url.endsWith("/wrong")) return "not a response" as unknown as Response;
      throw new Error("database password is hunter2");
    });
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/boom`);
    assert.equal(res.status, 500);
    const body = await res.text();
    assert.equal(body, "Internal Server Error\r\n");
    const logged = await log.waitFor(/handler for GET \/boom failed/);
    assert.match(logged, /hunter2/);
    assert.match(logged, /at .*_server_suite\.ts/);
    const wrong = await fetch(`http://127.0.0.1:${server.addr.port}/wrong`);
    assert.equal(wrong.status, 500);
    await wrong.body?.cancel();
    assert.match(await log.waitFor(/GET \/wrong failed/), /must return a Response, got string/);
  });

  test("serve() lets onError choose the response for a handler error", async () => {
    const log = collectLog();
    await using server = await start(
      opts({ log: log.log, onError: (error) => new Response(`sorry: ${(error as Error).message}`, { status: 502 }) }),
      () => {
        throw new Error("upstream down");
      },
    );
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(res.status, 502);
    assert.equal(await res.text(), "sorry: upstream down");
  });

  test("serve() answers malformed requests cleanly and keeps serving", async () => {
    await using server = await start(opts(), () => new Response("ok"));
    {
      using client = await RawClient.connect(server.addr.port);
      await client.send("THIS IS NOT HTTP\r\n\r\n");
      const rest = await client.readToEnd();
      assert.ok(rest === "" || /^HTTP\/1\.1 4\d\d/.test(rest), `unexpected answer ${JSON.stringify(rest)}`);
    }
    {
      using client = await RawClient.connect(server.addr.port);
      await client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
      const rest = await client.readToEnd();
      assert.ok(rest === "" || /^HTTP\/1\.1 4\d\d/.test(rest), `unexpected answer ${JSON.stringify(rest)}`);
    }
    assert.equal(await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text(), "ok");
  });

  test("serve() runs posthooks after the response with the bytes sent", async () => {
    const done = new Event<RequestDone>();
    const local = new Local<string>();
    await using server = await start(opts(), (req, info) => {
      local.set("request-scoped");
      info.posthooks.push((result) => {
        assert.equal(local.get(), "request-scoped", "posthooks run in the request's thread");
        done.send(result);
      });
      return new Response(new URL(req.url).pathname.repeat(3));
    });
    assert.equal(await (await fetch(`http://127.0.0.1:${server.addr.port}/abc`)).text(), "/abc/abc/abc");
    const result = await done.wait();
    assert.equal(result!.status, 200);
    assert.equal(result!.bodyLength, 12);
    assert.equal(result!.disconnected, false);
    assert.equal(result!.requestLine, "GET /abc HTTP/1.1");
  });

  test("serve() reports a string body's UTF-8 bytes, not its characters, to posthooks and the log", async () => {
    const done = new Event<RequestDone>();
    const lines: string[] = [];
    await using server = await start(opts({ log: (line) => void lines.push(line) }), (_req, info) => {
      info.posthooks.push((result) => void done.send(result));
      return new Response("héllo wörld €"); // 13 characters, 17 bytes
    });
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/utf8`);
    assert.equal(await res.text(), "héllo wörld €");
    assert.equal((await done.wait()).bodyLength, 17);
    const logged = (): string | undefined => lines.find((line) => line.includes("GET /utf8"));
    for (let i = 0; i < 100 && logged() === undefined; i++) await sleep(1);
    assert.match(logged() ?? "", /"GET \/utf8 HTTP\/1\.1" 200 17 /);
  });

  test("serve() streams a body produced in the request's thread", async () => {
    await using server = await start(opts(), () => {
      const thread = getCurrent();
      let i = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            assert.equal(getCurrent(), thread, "the producer runs in the request's thread");
            await sleep(1);
            controller.enqueue(new TextEncoder().encode(`line ${i}\n`));
            if (++i === 5) controller.close();
          },
        }),
      );
    });
    const text = await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text();
    assert.equal(text, "line 0\nline 1\nline 2\nline 3\nline 4\n");
  });

  test("serve() kills the request's thread when the client leaves mid-stream, and runs posthooks", async () => {
    const done = new Event<RequestDone>();
    const producerSaw = new Event<unknown>();
    await using server = await start(opts(), (_req, info) => {
      info.posthooks.push((result) => done.send(result));
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            controller.enqueue(new TextEncoder().encode("x".repeat(1000)));
            try {
              await sleep(60_000);
            } catch (error) {
              producerSaw.send(error);
              throw error;
            }
          },
        }),
      );
    });
    using client = await RawClient.connect(server.addr.port);
    await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.readUntil(/x{100}/);
    client.close();
    assert.ok((await producerSaw.wait()) instanceof GreenletExit);
    const result = (await done.wait())!;
    assert.equal(result.disconnected, true);
    assert.equal(result.bodyLength, 1000);
    while (server.running() > 0) await sleep(1);
  });

  test("serve() kills the request's thread when the client leaves before the response", async () => {
    const done = new Event<RequestDone>();
    const handlerSaw = new Event<unknown>();
    const started = new Event<void>();
    await using server = await start(opts(), async (_req, info) => {
      info.posthooks.push((result) => done.send(result));
      started.send();
      try {
        await sleep(60_000);
      } catch (error) {
        handlerSaw.send(error);
        throw error;
      }
      return new Response("never");
    });
    using client = await RawClient.connect(server.addr.port);
    await client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    await started.wait();
    client.close();
    assert.ok((await handlerSaw.wait()) instanceof GreenletExit);
    const result = (await done.wait())!;
    assert.equal(result.disconnected, true);
    assert.equal(result.status, 499);
  });

  test("Server.shutdown() finishes in-flight requests and refuses new ones", async () => {
    const started = new Event<void>();
    const server = await start(opts(), async () => {
      started.send();
      await sleep(30);
      return new Response("finished");
    });
    const port = server.addr.port;
    const inflight = fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    await started.wait();
    const stopping = server.shutdown();
    assert.equal(server.shutdown(), stopping, "a second call returns the same promise");
    assert.equal(await inflight, "finished");
    await stopping;
    await server.finished;
    await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port }));
  });

  test("Server.shutdown({ drainMs }) kills requests still running after drainMs with 503", async () => {
    const started = new Event<void>();
    const killed = new Event<unknown>();
    const server = await start(opts(), async () => {
      started.send();
      try {
        await sleep(60_000);
      } catch (error) {
        killed.send(error);
        throw error;
      }
      return new Response("never");
    });
    const res = fetch(`http://127.0.0.1:${server.addr.port}/`);
    await started.wait();
    await server.shutdown({ drainMs: 10 });
    assert.ok((await killed.wait()) instanceof GreenletExit);
    const answer = await res;
    assert.equal(answer.status, 503);
    await answer.body?.cancel();
  });

  test("serve() stops when its signal aborts", async () => {
    const controller = new AbortController();
    const server = await start(opts({ signal: controller.signal }), () => new Response("ok"));
    assert.equal(await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text(), "ok");
    controller.abort();
    await server.finished;
  });

  test("serve() rejects bad options with errors naming them", () => {
    assert.throws(() => serve(opts({ port: -1 }), () => new Response()), /port/);
    assert.throws(() => serve(opts({ maxSize: 0 }), () => new Response()), /maxSize/);
    assert.throws(() => serve(opts({ requestTimeoutMs: -5 }), () => new Response()), /requestTimeoutMs/);
    assert.throws(() => serve(opts({ cert: "x" }), () => new Response()), /cert and key/);
    assert.throws(() => serve(opts(), "nope" as never), TypeError);
  });

  const tls = haveOpenssl() ? test : testIgnoredBecause("openssl is not installed (apt-get install openssl)");
  tls("serve() speaks HTTPS with cert and key", async () => {
    const { ca, cert, key } = await testCert();
    await using server = await start(opts({ cert, key }), (req) => new Response(`secure ${new URL(req.url).protocol}`));
    using client = Deno.createHttpClient({ caCerts: [ca] });
    const res = await fetch(`https://localhost:${server.addr.port}/`, { client });
    assert.equal(await res.text(), "secure https:");
  });

  test("serve() listens on a Unix socket with path", async () => {
    const dir = await Deno.makeTempDir({ prefix: "evy-web-" });
    const path = `${dir}/http.sock`;
    try {
      const server = serve({ path, log: false }, () => new Response("over unix"));
      await server.ready;
      assert.deepEqual(server.addr, { transport: "unix", path });
      const conn = await Deno.connect({ transport: "unix", path });
      await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      let text = "";
      const buf = new Uint8Array(4096);
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        text += new TextDecoder().decode(buf.subarray(0, n));
      }
      conn.close();
      assert.match(text, /^HTTP\/1\.1 200[\s\S]*over unix/);
      await server.shutdown();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
