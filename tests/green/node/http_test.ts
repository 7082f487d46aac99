/**
 * green/node/http.ts and https.ts, directly: client requests made in a green
 * thread are listed by the hub and destroyed with the thread's kill or
 * Timeout — checked on the server's side — and keep-alive agents survive it.
 * Runtime-neutral (node:http on both sides), so it also runs under Node.
 */
import assert from "node:assert/strict";
import type { AddressInfo, Socket } from "node:net";
import { createServer as createTcpServer } from "node:net";
import { spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import http, {
  Agent,
  ClientRequest,
  createServer,
  get,
  type IncomingMessage,
  isTimeout,
  request,
  type ServerResponse,
} from "@evy/evy/green/node/http";
import https from "@evy/evy/green/node/https";
import * as realHttp from "node:http";
import realHttpDefault from "node:http";

interface TestServer {
  url: string;
  /** Resolves when the server has received `n` requests. */
  received(n: number): Promise<void>;
  /** Resolves when the server sees the `n`th connection (1-based) close. */
  closed(n: number): Promise<void>;
  connections: number;
  close(): Promise<void>;
}

/**
 * A node:http server: `/slow` never answers, `/drip` sends "first chunk" and
 * never ends, anything else answers "ok" (keep-alive).
 */
async function testServer(): Promise<TestServer> {
  const held: ServerResponse[] = [];
  const closes: Promise<void>[] = [];
  const arrivals: (() => void)[] = [];
  const arrived: Promise<void>[] = [];
  for (let i = 0; i < 8; i++) arrived.push(new Promise((r) => arrivals.push(r)));
  let requests = 0;
  const server = createServer((req, res) => {
    arrivals[requests++]?.();
    if (req.url === "/slow") return void held.push(res);
    if (req.url === "/drip") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first chunk");
      return void held.push(res);
    }
    res.end("ok");
  });
  const state = { connections: 0 };
  server.on("connection", (s: Socket) => {
    state.connections++;
    closes.push(new Promise((r) => s.once("close", () => r())));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: (n) => arrived[n - 1]!,
    closed: (n) => closes[n - 1] ?? Promise.reject(new Error(`no connection ${n}`)),
    get connections() {
      return state.connections;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** `req`, destroyed before it was sent (its "socket hang up" error ignored). */
function discarded<R extends realHttp.ClientRequest>(req: R): R {
  req.on("error", () => {});
  return req.destroy();
}

/** Resolves with the body text, or rejects with the request's or response's error. */
function fetchText(req: realHttp.ClientRequest): Promise<{ res: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ res, text }));
      res.on("error", reject);
    });
  });
}

Deno.test("http.request() made in a green thread is listed by the hub until its response is read", async () => {
  const server = await testServer();
  try {
    const port = new URL(server.url).port;
    const seen = await spawn(async () => {
      const req = request(`${server.url}/hello?x=1`);
      const listed = getHub().listWaits().map((w) => w.description);
      req.end();
      const { text } = await fetchText(req);
      return { listed, text, after: getHub().listWaits().map((w) => w.description) };
    }).wait();
    assert.ok(seen.listed.includes(`http.request(GET 127.0.0.1:${port}/hello?x=1)`), String(seen.listed));
    assert.equal(seen.text, "ok");
    assert.ok(!seen.after.some((d) => d.startsWith("http.request")), String(seen.after));
  } finally {
    await server.close();
  }
});

Deno.test("http.get() is destroyed when a Timeout fires: the server sees the connection close, the error's cause is the Timeout", async () => {
  const server = await testServer();
  try {
    const outcome = await spawn(async () => {
      using t = new Timeout(30);
      try {
        await fetchText(get(`${server.url}/slow`));
        return "answered";
      } catch (e) {
        assert.equal((e as Error).name, "RequestInterrupted");
        assert.equal((e as { code?: string }).code, "ERR_EVY_INTERRUPTED");
        assert.equal((e as Error).cause, t);
        return isTimeout(e, t) ? "cut short" : String(e);
      }
    }).wait();
    assert.equal(outcome, "cut short");
    await server.closed(1); // the server side saw the socket go, though it never answered
  } finally {
    await server.close();
  }
});

Deno.test("http.request() of a killed thread is destroyed with the kill's error and the thread ends with it", async () => {
  const server = await testServer();
  try {
    let started!: () => void;
    const requested = new Promise<void>((r) => (started = r));
    const gt = spawn(async () => {
      const req = request(`${server.url}/slow`);
      req.end();
      started();
      await fetchText(req);
    });
    await requested;
    await server.received(1);
    const reason = new Error("stop that download");
    await gt.kill(reason);
    await assert.rejects(gt.wait(), (e) => isTimeout(e, reason));
    await server.closed(1);
  } finally {
    await server.close();
  }
});

Deno.test("a streamed response cut by a Timeout keeps the bytes already read and errors with the Timeout as cause", async () => {
  const server = await testServer();
  try {
    const result = await spawn(async () => {
      using t = new Timeout(50);
      let text = "";
      try {
        await new Promise<void>((resolve, reject) => {
          get(`${server.url}/drip`, (res) => {
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", resolve);
            res.on("error", reject);
          }).on("error", reject);
        });
        return { text, cut: false };
      } catch (e) {
        return { text, cut: isTimeout(e, t) };
      }
    }).wait();
    assert.deepEqual(result, { text: "first chunk", cut: true });
    await server.closed(1);
  } finally {
    await server.close();
  }
});

Deno.test("a keep-alive Agent: finished requests are untied from later Timeouts, a cut request's socket is never reused", async () => {
  const server = await testServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const result = await spawn(async () => {
      const t = new Timeout(30);
      const first = await fetchText(get(`${server.url}/a`, { agent }));
      // Wait for the Timeout: it fires with the first request done and its socket pooled.
      await new Promise((r) => t.signal.addEventListener("abort", r));
      t.cancel();
      const secondReq = get(`${server.url}/b`, { agent });
      const second = await fetchText(secondReq);
      const reused = secondReq.reusedSocket;
      let cut = false;
      {
        using t2 = new Timeout(30);
        try {
          await fetchText(get(`${server.url}/slow`, { agent }));
        } catch (e) {
          cut = isTimeout(e, t2);
        }
      }
      const third = await fetchText(get(`${server.url}/c`, { agent }));
      return { texts: [first.text, second.text, third.text], reused, cut };
    }).wait();
    assert.deepEqual(result, { texts: ["ok", "ok", "ok"], reused: true, cut: true });
    assert.equal(server.connections, 2, "the cut request's socket was dropped, the next request opened a new one");
    await server.closed(1);
  } finally {
    agent.destroy();
    await server.close();
  }
});

Deno.test("new ClientRequest() is green, and instanceof ClientRequest holds for request()'s requests", async () => {
  const server = await testServer();
  try {
    const outcome = await spawn(async () => {
      using t = new Timeout(30);
      const req = new ClientRequest(`${server.url}/slow`);
      req.end();
      assert.ok(discarded(request(`${server.url}/x`)) instanceof ClientRequest);
      try {
        await fetchText(req);
        return "answered";
      } catch (e) {
        return isTimeout(e, t) ? "cut short" : String(e);
      }
    }).wait();
    assert.equal(outcome, "cut short");
    class Sub extends ClientRequest {}
    assert.ok(discarded(new Sub(`${server.url}/x`)) instanceof realHttp.ClientRequest);
  } finally {
    await server.close();
  }
});

Deno.test("a green request with no response listener still has its response dumped, freeing the keep-alive socket", async () => {
  const server = await testServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await spawn(async () => {
      const first = get(`${server.url}/a`, { agent }); // nobody reads the response
      await new Promise((r) => first.once("close", r));
      const { text } = await fetchText(get(`${server.url}/b`, { agent }));
      assert.equal(text, "ok");
    }).wait();
  } finally {
    agent.destroy();
    await server.close();
  }
});

Deno.test("the default exports are the module with the green functions, and write through to the runtime's", () => {
  assert.equal(http.request, request);
  assert.equal(http.get, get);
  assert.equal(http.ClientRequest, ClientRequest);
  assert.equal(http.Agent, realHttp.Agent);
  assert.equal(http.STATUS_CODES, realHttp.STATUS_CODES);
  const before = realHttpDefault.globalAgent;
  const agent = new Agent();
  http.globalAgent = agent;
  try {
    assert.equal(realHttpDefault.globalAgent, agent);
  } finally {
    http.globalAgent = before;
    agent.destroy();
  }
  assert.notEqual(https.request, realHttp.request);
  assert.equal(typeof https.Agent, "function");
});

Deno.test("a refused green request is unlisted, and isTimeout() says false for its error", async () => {
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r)); // nothing listens there now
  await spawn(async () => {
    using t = new Timeout(60_000);
    const req = get(`http://127.0.0.1:${port}/`);
    const closed = new Promise((r) => req.once("close", r));
    const error = await fetchText(req).then(() => undefined, (e: unknown) => e);
    await closed;
    assert.equal((error as { code?: string }).code, "ECONNREFUSED");
    assert.equal(isTimeout(error, t), false);
    assert.ok(!getHub().listWaits().some((w) => w.description.startsWith("http.request")));
  }).wait();
});

Deno.test("isTimeout() throws a TypeError naming timeout when it is not an object", () => {
  assert.throws(() => isTimeout(new Error("x"), undefined as unknown as object), (e) => {
    return e instanceof TypeError && /timeout/.test(e.message);
  });
});

Deno.test("https.get() of a green thread is cut by a Timeout during a TLS handshake that never comes", async () => {
  const held: Socket[] = [];
  const closed: Promise<unknown>[] = [];
  const server = createTcpServer((s) => {
    held.push(s);
    closed.push(new Promise((r) => s.once("close", r)));
    s.resume(); // read, so that the client's close is seen
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  try {
    const outcome = await spawn(async () => {
      using t = new Timeout(30);
      try {
        await fetchText(https.get(`https://127.0.0.1:${port}/`));
        return "answered";
      } catch (e) {
        return isTimeout(e, t) ? "cut short" : String(e);
      }
    }).wait();
    assert.equal(outcome, "cut short");
    await closed[0]; // the server saw the connection go
  } finally {
    for (const s of held) s.destroy();
    await new Promise((r) => server.close(r));
  }
});
