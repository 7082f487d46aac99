import assert from "node:assert/strict";
import { Event, getCurrent, GreenletExit, sleep } from "@evy/evy";
import { type GreenWebSocket, serve, type ServeOptions, websocket, WebSocketClosedError } from "@evy/evy/web";
import type { Handler, Server } from "@evy/evy/web";
import { type Backends, useBackends } from "../../web/_backends.ts";
import { NetClient } from "./_raw_net.ts";

/** A raw upgrade request: the client then says nothing, not even to a close frame. */
const UPGRADE = "GET /silent HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

/**
 * Runs the suite against one pair of engines (`label` prefixes the test
 * names): `deno` (Deno.serve, Deno.upgradeWebSocket) or `node` (node:http
 * and the ws package, here running under Deno's node compatibility).
 */
export function websocketSuite(label: string, engines: Backends): void {
  const test = (name: string, fn: () => Promise<void> | void): void => {
    Deno.test(`[${label}] ${name}`, async () => {
      using _ = useBackends(engines);
      await fn();
    });
  };
  async function start(options: ServeOptions, handler: Handler): Promise<Server> {
    const server = serve(options, handler);
    await server.ready;
    return server;
  }
  const OPTS: ServeOptions = { port: 0, hostname: "127.0.0.1", log: false };
  const testIgnoredBecause = (reason: string) => (name: string, _fn: () => Promise<void> | void): void => {
    Deno.test({ name: `[${label}] ${name} (${reason})`, ignore: true, fn() {} });
  };

  function open(url: string, protocols?: string[]): Promise<WebSocket> {
    const ws = new WebSocket(url, protocols);
    ws.binaryType = "arraybuffer";
    return new Promise((resolve, reject) => {
      ws.onopen = () => resolve(ws);
      ws.onerror = (e) => reject(new Error(`websocket to ${url} failed: ${(e as ErrorEvent).message}`));
    });
  }

  function next(ws: WebSocket): Promise<MessageEvent> {
    return new Promise((resolve) => ws.addEventListener("message", resolve, { once: true }));
  }

  function closed(ws: WebSocket): Promise<CloseEvent> {
    if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error("already closed"));
    return new Promise((resolve) => ws.addEventListener("close", (e) => resolve(e), { once: true }));
  }

  const echo = websocket(async (ws) => {
    for (let m = await ws.wait(); m !== null; m = await ws.wait()) ws.send(m);
  });

  test("websocket() echoes text and binary frames, in the request's green thread", async () => {
    const threads: string[] = [];
    const app = websocket(async (ws) => {
      threads.push(getCurrent().name);
      for await (const m of ws) ws.send(m);
    });
    await using server = await start(OPTS, app);
    const client = await open(`ws://127.0.0.1:${server.addr.port}/echo`);
    client.send("hello");
    assert.equal((await next(client)).data, "hello");
    client.send(new Uint8Array([0, 1, 2, 255]));
    const binary = await next(client);
    assert.deepEqual(new Uint8Array(binary.data as ArrayBuffer), new Uint8Array([0, 1, 2, 255]));
    assert.equal(server.running(), 1, "an open websocket holds a slot");
    const done = closed(client);
    client.close();
    await done;
    assert.equal(threads.length, 1);
    assert.equal(threads[0], "runRequest");
  });

  test("websocket() reports the client's close code and reason, and wait() then gives null", async () => {
    const result = new Event<{ code: number | undefined; reason: string; last: unknown }>();
    await using server = await start(
      OPTS,
      websocket(async (ws) => {
        const first = await ws.wait();
        const last = await ws.wait();
        result.send({ code: ws.closeCode, reason: ws.closeReason, last: [first, last] });
      }),
    );
    const client = await open(`ws://127.0.0.1:${server.addr.port}/`);
    client.send("only");
    const done = closed(client);
    client.close(4000, "bye now");
    await done;
    const seen = (await result.wait())!;
    assert.equal(seen.code, 4000);
    assert.equal(seen.reason, "bye now");
    assert.deepEqual(seen.last, ["only", null]);
  });

  test("GreenWebSocket.close() sends the server's close code; send() afterwards throws", async () => {
    const sendError = new Event<unknown>();
    await using server = await start(
      OPTS,
      websocket(async (ws) => {
        ws.send("goodbye");
        await ws.close(4001, "server says so");
        try {
          ws.send("too late");
        } catch (error) {
          sendError.send(error);
        }
      }),
    );
    const client = await open(`ws://127.0.0.1:${server.addr.port}/`);
    const message = next(client);
    const done = closed(client);
    assert.equal((await message).data, "goodbye");
    const event = await done;
    assert.equal(event.code, 4001);
    assert.equal(event.reason, "server says so");
    assert.ok((await sendError.wait()) instanceof WebSocketClosedError);
  });

  test("websocket() closes with 1000 when the handler returns", async () => {
    await using server = await start(OPTS, websocket((ws) => ws.send("hi")));
    const client = await open(`ws://127.0.0.1:${server.addr.port}/`);
    const message = next(client);
    const done = closed(client);
    assert.equal((await message).data, "hi");
    assert.equal((await done).code, 1000);
  });

  test("websocket() answers 400 to a request that is not a valid upgrade", async () => {
    await using server = await start(OPTS, echo);
    const base = `http://127.0.0.1:${server.addr.port}/`;
    const plain = await fetch(base);
    assert.equal(plain.status, 400);
    assert.match(await plain.text(), /websocket upgrade/);
    const badKey = await fetch(base, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "short",
        "sec-websocket-version": "13",
      },
    });
    assert.equal(badKey.status, 400);
    await badKey.body?.cancel();
    const badVersion = await fetch(base, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "8",
      },
    });
    assert.equal(badVersion.status, 400);
    await badVersion.body?.cancel();
  });

  test("websocket() accepts the first offered subprotocol it speaks", async () => {
    const seen = new Event<string>();
    await using server = await start(
      OPTS,
      websocket((ws) => {
        seen.send(ws.protocol);
        return ws.close();
      }, { protocols: ["chat.v2", "chat.v1"] }),
    );
    const client = await open(`ws://127.0.0.1:${server.addr.port}/`, ["chat.v1", "other"]);
    const done = closed(client);
    assert.equal(client.protocol, "chat.v1");
    assert.equal(await seen.wait(), "chat.v1");
    await done;
  });

  test("an open websocket counts against maxSize: plain requests wait for its slot", async () => {
    const app = websocket(async (ws) => {
      for await (const m of ws) ws.send(m);
    });
    await using server = await start({ ...OPTS, maxSize: 1 }, (req, info) => {
      if (req.headers.get("upgrade")) return app(req, info);
      return new Response("plain");
    });
    const client = await open(`ws://127.0.0.1:${server.addr.port}/`);
    const plain = fetch(`http://127.0.0.1:${server.addr.port}/`).then((r) => r.text());
    while (server.waiting() === 0) await sleep(2);
    assert.equal(server.running(), 1);
    const done = closed(client);
    client.close();
    await done;
    assert.equal(await plain, "plain");
  });

  test("Server.shutdown({ drainMs }) closes websockets with 1001 and kills their threads", async () => {
    const interrupted = new Event<unknown>();
    const server = await start(
      OPTS,
      websocket(async (ws: GreenWebSocket) => {
        if (ws.path === "/waiting") return void await ws.wait(); // ends when the socket closes
        try {
          await sleep(60_000); // busy elsewhere: only the kill after drainMs ends it
        } catch (error) {
          interrupted.send(error);
          throw error;
        }
      }),
    );
    const waiting = await open(`ws://127.0.0.1:${server.addr.port}/waiting`);
    const busy = await open(`ws://127.0.0.1:${server.addr.port}/busy`);
    const closes = [closed(waiting), closed(busy)];
    await server.shutdown({ drainMs: 10 });
    assert.ok((await interrupted.wait()) instanceof GreenletExit);
    assert.deepEqual((await Promise.all(closes)).map((e) => e.code), [1001, 1001]);
    assert.equal(server.running(), 0);
  });

  test("websocket() gives closeCode 1006 after the connection dropped", async () => {
    const codes = new Event<number | undefined>();
    const app = websocket(async (ws) => {
      ws.send("hi");
      while ((await ws.wait()) !== null);
      codes.send(ws.closeCode);
    });
    await using server = await start(OPTS, app);
    const client = await NetClient.connect(server.addr.port);
    await client.send(UPGRADE);
    await client.readUntil(/hi/);
    client.close(); // no close frame
    assert.equal(await codes.wait(), 1006);
  });

  // Deno 2.9's upgradeWebSocket has no way to close the connection without the handshake (see the websocket docs).
  const silentPeer = label === "deno"
    ? testIgnoredBecause("Deno cannot close a websocket without the handshake")
    : test;
  silentPeer("websocket() closes the connection of a peer that does not answer the close frame", async () => {
    const ended = new Event<boolean>();
    const app = websocket(() => {}, { closeTimeoutMs: 30 });
    await using server = await start(OPTS, (req, info) => {
      info.posthooks.push(() => ended.send(true));
      return app(req, info);
    });
    const client = await NetClient.connect(server.addr.port);
    await client.send(UPGRADE);
    await client.readToEnd(); // the server closed the connection itself
    assert.equal(await ended.wait(), true);
  });

  test("Server.shutdown({ drainMs }) is bounded by a websocket whose peer never answers", async () => {
    const app = websocket(async (ws) => {
      while ((await ws.wait()) !== null);
    });
    const server = await start(OPTS, app);
    const client = await NetClient.connect(server.addr.port);
    await client.send(UPGRADE);
    await client.readUntil(/\r\n\r\n/);
    await server.shutdown({ drainMs: 30 });
    await server.finished;
    await client.readToEnd();
  });

  test("websocket() and GreenWebSocket.close() reject bad arguments, naming them", async () => {
    assert.throws(() => websocket("nope" as never), /websocket: handler must be a function, got "nope"/);
    assert.throws(() => websocket(() => {}, { protocols: "chat" as never }), /protocols must be an array of strings/);
    assert.throws(() => websocket(() => {}, { closeTimeoutMs: -1 }), RangeError);
    assert.throws(
      () => websocket(() => {}, { closeTimeoutMs: "5" as never }),
      /closeTimeoutMs must be a number >= 0, got "5"/,
    );
    const error = new Event<unknown>();
    const app = websocket(async (ws) => {
      await ws.close(1005).catch((e) => error.send(e));
    });
    await using server = await start(OPTS, app);
    const client = await open(`ws://127.0.0.1:${server.addr.port}/`);
    const e = await error.wait();
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /code must be 1000, 1001, 1011 or an integer from 3000 to 4999, got 1005/);
    if (client.readyState !== WebSocket.CLOSED) await closed(client);
  });

  test("websocket() serves 1,000 concurrent clients", async () => {
    await using server = await start({ ...OPTS, maxSize: 1024 }, echo);
    const url = `ws://127.0.0.1:${server.addr.port}/echo`;
    const clients = await Promise.all(Array.from({ length: 1000 }, () => open(url)));
    assert.equal(server.running(), 1000);
    const replies = await Promise.all(clients.map((c, i) => {
      const reply = next(c);
      c.send(`client ${i}`);
      return reply.then((e) => e.data);
    }));
    assert.deepEqual(replies, clients.map((_, i) => `client ${i}`));
    await Promise.all(clients.map((c) => {
      const done = closed(c);
      c.close();
      return done;
    }));
    while (server.running() > 0) await sleep(5);
  });

  if (label === "deno") {
    test("websocket() works under a plain Deno.serve, in a green thread of its own", async () => {
      const thread = new Event<string>();
      const app = websocket(async (ws) => {
        thread.send(getCurrent().name);
        for await (const m of ws) ws.send(m);
      });
      await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app);
      const client = await open(`ws://127.0.0.1:${server.addr.port}/`);
      client.send("x");
      assert.equal((await next(client)).data, "x");
      assert.notEqual(await thread.wait(), "main");
      const done = closed(client);
      client.close();
      await done;
      await sleep(5);
    });
  }
}
