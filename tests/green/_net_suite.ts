/**
 * The net conformance suite: every guarantee of green sockets, checked on each
 * backend (Deno's and Node's). It takes the test registrar, so it can run under
 * `Deno.test` now and under real Node (through tests/node's shim) later.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import { getCurrent, sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import {
  ConcurrentAccessError,
  type GreenListener,
  type GreenSocket,
  IncompleteReadError,
  SocketClosedError,
  SocketTimeout,
} from "@evy/evy/green/net";
import { createNet, type Net } from "../../green/_net_api.ts";
import type { NetBackend } from "../../green/_net_backend.ts";

/** Registers one test; `ignore` skips it (the caller prints why). */
export type TestFn = (name: string, fn: () => Promise<void>, ignore?: boolean) => void;

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Listens on a free loopback port and waits until bound (Node binds asynchronously). */
export async function serve(net: Net): Promise<GreenListener> {
  return await net.listen({ hostname: "127.0.0.1", port: 0 }).listening();
}

/** A connected pair: [client, server side]. */
export async function pair(net: Net, server: GreenListener): Promise<[GreenSocket, GreenSocket]> {
  const accepted = spawn(() => server.accept());
  const client = await net.connect(server.addr);
  return [client, await accepted.wait()];
}

/** Reads until end of stream. */
async function readAll(sock: GreenSocket): Promise<Uint8Array> {
  return await sock.makefile().read();
}

/** A socket error that means the peer reset or went away. */
function isResetError(e: unknown): boolean {
  const err = e as { code?: string; name?: string };
  return ["ECONNRESET", "EPIPE", "ECONNABORTED"].includes(err.code ?? "") ||
    ["ConnectionReset", "BrokenPipe", "ConnectionAborted"].includes(err.name ?? "");
}

/** Registers the suite for `backend`. */
export function netConformance(test: TestFn, backend: NetBackend): void {
  const net = createNet(backend);
  const t = (title: string, fn: (server: GreenListener) => Promise<void>): void =>
    test(`net (${backend.name}): ${title}`, async () => {
      const server = await serve(net);
      try {
        await fn(server);
      } finally {
        server.close();
      }
      assert.deepEqual(getHub().listWaits().map((w) => w.description), [], "no waits left");
    });

  t("connect/accept echo round trip; recv is empty at end of stream", async (server) => {
    const [client, peer] = await pair(net, server);
    assert.deepEqual(peer.remoteAddr, client.localAddr);
    await client.sendall("hello");
    assert.equal(text(await peer.makefile().readExactly(5)), "hello");
    await peer.sendall(new Uint8Array([1, 2, 3]));
    await peer.closeWrite();
    assert.deepEqual([...await readAll(client)], [1, 2, 3]);
    assert.equal((await client.recv(10)).length, 0);
    client.close();
    peer.close();
  });

  t("connect takes [host, port] and addresses; bad ports are RangeErrors naming the port", async (server) => {
    const port = (server.addr as { port: number }).port;
    const accepted = spawn(() => server.accept());
    await using client = await net.connect(["127.0.0.1", port]);
    await using peer = await accepted.wait();
    await client.sendall("x");
    assert.equal(text(await peer.recv(1)), "x");
    assert.throws(() => net.connect(["127.0.0.1", 70000]), /port/);
    assert.throws(() => net.listen({ port: -1 }), RangeError);
    assert.throws(() => net.connect({ port: 1, transport: "udp" } as never), /transport/);
  });

  t("a second reader gets ConcurrentAccessError at once; the first still gets the data", async (server) => {
    const [client, peer] = await pair(net, server);
    const first = spawn(() => peer.recv(10));
    await sleep(0);
    await assert.rejects(peer.recv(10), ConcurrentAccessError);
    await client.sendall("data");
    assert.equal(text(await first.wait()), "data");
    client.close();
    peer.close();
  });

  t("a second writer gets ConcurrentAccessError while a sendall is blocked", async (server) => {
    const [client, peer] = await pair(net, server);
    const big = new Uint8Array(32 * 1024 * 1024);
    const writer = spawn(() => client.sendall(big));
    while (!getHub().listWaits().some((w) => w.description.startsWith("sendall("))) await sleep(1);
    await assert.rejects(client.send("x"), ConcurrentAccessError);
    await assert.rejects(client.sendall("x"), ConcurrentAccessError);
    client.close();
    await assert.rejects(writer.wait(), SocketClosedError);
    peer.close();
  });

  t("close() wakes a blocked reader with SocketClosedError", async (server) => {
    const [client, peer] = await pair(net, server);
    const reader = spawn(() => peer.recv(10));
    await sleep(0);
    peer.close();
    await assert.rejects(reader.wait(), SocketClosedError);
    await assert.rejects(peer.recv(1), SocketClosedError);
    await assert.rejects(peer.sendall("x"), SocketClosedError);
    client.close();
  });

  t("a recv interrupted by Timeout loses no bytes", async (server) => {
    const [client, peer] = await pair(net, server);
    {
      using timeout = new Timeout(5);
      await assert.rejects(peer.recv(10), (e) => e === timeout);
    }
    await client.sendall("kept");
    assert.equal(text(await peer.makefile().readExactly(4)), "kept");
    client.close();
    peer.close();
  });

  t("a recv interrupted by kill loses no bytes", async (server) => {
    const [client, peer] = await pair(net, server);
    const reader = spawn(() => peer.recv(10));
    await sleep(0);
    await reader.kill();
    await client.sendall("after kill");
    assert.equal(text(await peer.makefile().readExactly(10)), "after kill");
    client.close();
    peer.close();
  });

  t("setTimeout(ms) makes a blocked recv reject with SocketTimeout; later bytes are kept", async (server) => {
    const [client, peer] = await pair(net, server);
    peer.setTimeout(5);
    assert.equal(peer.timeoutMs, 5);
    await assert.rejects(peer.recv(10), (e) => e instanceof SocketTimeout && e.timeoutMs === 5);
    await client.sendall("late");
    peer.setTimeout(null);
    assert.equal(text(await peer.makefile().readExactly(4)), "late");
    assert.throws(() => peer.setTimeout(-1), RangeError);
    client.close();
    peer.close();
  });

  t("a thread killed in accept() does not lose the next connection", async (server) => {
    const first = spawn(() => server.accept());
    await sleep(0);
    await first.kill();
    const client = await net.connect(server.addr);
    await sleep(5); // the pending accept completes with no one waiting
    const peer = await server.accept();
    await client.sendall("mine");
    assert.equal(text(await peer.makefile().readExactly(4)), "mine");
    client.close();
    peer.close();
  });

  t("a second accept() gets ConcurrentAccessError; listener timeout and close wake accept", async (server) => {
    const first = spawn(() => server.accept());
    await sleep(0);
    await assert.rejects(server.accept(), ConcurrentAccessError);
    await first.kill();
    server.setTimeout(5);
    await assert.rejects(server.accept(), SocketTimeout);
    server.setTimeout(null);
    const blocked = spawn(() => server.accept());
    await sleep(0);
    server.close();
    await assert.rejects(blocked.wait(), SocketClosedError);
  });

  t("for await over a listener ends when it is closed", async (server) => {
    const seen: string[] = [];
    const acceptor = spawn(async () => {
      for await (const sock of server) {
        seen.push(text(await sock.makefile().readExactly(1)));
        sock.close();
      }
    });
    for (const c of ["a", "b"]) {
      await using client = await net.connect(server.addr);
      await client.sendall(c);
      assert.equal((await client.recv(1)).length, 0);
    }
    server.close();
    await acceptor.wait();
    assert.deepEqual(seen, ["a", "b"]);
  });

  t("an interrupted sendall still orders later writes behind its pending write", async (server) => {
    const [client, peer] = await pair(net, server);
    const big = new Uint8Array(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    {
      using timeout = new Timeout(20);
      await assert.rejects(client.sendall(big), (e) => e === timeout);
    }
    const tail = spawn(() => client.sendall("TAIL"));
    const received = spawn(() => readAll(peer));
    await tail.wait();
    await client.closeWrite();
    const got = await received.wait();
    const k = got.length - 4;
    assert.ok(k > 0, "some of the big buffer went out");
    assert.equal(text(got.subarray(k)), "TAIL");
    for (let i = 0; i < k; i++) if (got[i] !== i % 251) assert.fail(`byte ${i} out of order`);
    client.close();
    peer.close();
  });

  t("a peer reset is a clear error, not a crash", async (server) => {
    const [client, peer] = await pair(net, server);
    await client.sendall("unread by the peer");
    await sleep(10);
    peer.close(); // closing with unread data sends RST
    await sleep(10);
    const error = await (async () => {
      try {
        for (let i = 0; i < 100; i++) {
          await client.sendall("more");
          if ((await client.recv(10)).length === 0) await sleep(1);
        }
      } catch (e) {
        return e;
      }
    })();
    assert.ok(isResetError(error), `expected a reset error, got ${String(error)}`);
    client.close();
  });

  t("sendall of 50 MB to a slow reader completes with back-pressure and bounded memory", async (server) => {
    const [client, peer] = await pair(net, server);
    const size = 50 * 1024 * 1024;
    const data = new Uint8Array(size).fill(7);
    let received = 0;
    let receivedWhenSent = -1;
    let peakExtra = 0;
    const base = memory();
    const reader = spawn(async () => {
      for (let n = 0;; n++) {
        const chunk = await peer.recv(65536);
        if (chunk.length === 0) return;
        received += chunk.length;
        if (n % 16 === 0) {
          peakExtra = Math.max(peakExtra, memory() - base);
          await sleep(1); // the slow reader
        }
      }
    });
    await client.sendall(data);
    receivedWhenSent = received;
    await client.closeWrite();
    await reader.wait();
    assert.equal(received, size);
    // Back-pressure: sendall could not finish before the reader had taken most of it.
    assert.ok(receivedWhenSent > size - 16 * 1024 * 1024, `only ${receivedWhenSent} read when sendall returned`);
    // Bounded memory: nothing like a copy of the 50 MB was made.
    assert.ok(peakExtra < 32 * 1024 * 1024, `array buffers grew by ${peakExtra} bytes`);
    client.close();
    peer.close();
  });

  t("every blocked wait is listed by the hub with its thread and socket", async (server) => {
    const [client, peer] = await pair(net, server);
    const reader = spawn(() => peer.recv(10));
    reader.name = "reader";
    const acceptor = spawn(() => server.accept());
    acceptor.name = "acceptor";
    await sleep(0);
    const waits = getHub().listWaits().map((w) => `${w.threadName}: ${w.description}`);
    const remote = client.localAddr as { hostname: string; port: number };
    const local = server.addr as { hostname: string; port: number };
    assert.ok(waits.includes(`reader: recv(${remote.hostname}:${remote.port})`), waits.join("\n"));
    assert.ok(waits.includes(`acceptor: accept(${local.hostname}:${local.port})`), waits.join("\n"));
    peer.close();
    await assert.rejects(reader.wait(), SocketClosedError);
    await acceptor.kill();
    client.close();
  });

  t("send, sendall and a socket timeout name the peer as recv does", async (server) => {
    const [client, peer] = await pair(net, server);
    const to = peer.localAddr as { hostname: string; port: number };
    const where = `${to.hostname}:${to.port}`;
    const big = new Uint8Array(32 * 1024 * 1024);
    const writer = spawn(() => client.sendall(big));
    writer.name = "writer";
    const listed = (): string[] => getHub().listWaits().map((w) => `${w.threadName}: ${w.description}`);
    while (!listed().includes(`writer: sendall(${where})`)) await sleep(1);
    await writer.kill();
    const sender = spawn(() => client.send("x")); // queued behind the interrupted sendall's raw write
    sender.name = "sender";
    await sleep(0);
    assert.ok(listed().includes(`sender: send(${where})`), listed().join("\n"));
    await sender.kill();
    client.setTimeout(5); // the peer sends nothing
    await assert.rejects(client.recv(10), (e) => {
      assert.ok(e instanceof SocketTimeout);
      assert.equal(e.message, `recv(${where}) timed out after 5 ms`);
      return true;
    });
    client.close();
    peer.close();
  });

  t("makefile: readline, maxLength, readExactly, lines, and recv after readline", async (server) => {
    const [client, peer] = await pair(net, server);
    const out = client.makefile();
    await out.write("first line\nsecond\r\n");
    await out.write("abcdefghij\nrest");
    await out.flush();
    await client.closeWrite();
    const file = peer.makefile();
    assert.equal(text(await file.readline()), "first line\n");
    const lines = file.lines()[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, "second");
    assert.equal(text(await file.readline({ maxLength: 4 })), "abcd");
    assert.equal(text(await peer.recv(7)), "efghij\n");
    await assert.rejects(file.readExactly(10), (e) => e instanceof IncompleteReadError && text(e.partial) === "rest");
    assert.equal((await file.readline()).length, 0);
    await assert.rejects(file.readline({ maxLength: 0 }), RangeError);
    client.close();
    peer.close();
  });

  t("Deno.Conn compatibility: read, write, readable, writable", async (server) => {
    const [client, peer] = await pair(net, server);
    assert.equal(await client.write(new TextEncoder().encode("abc")), 3);
    const buf = new Uint8Array(8);
    assert.equal(await peer.read(buf), 3);
    assert.equal(text(buf.subarray(0, 3)), "abc");
    const writer = client.writable.getWriter();
    await writer.write(new TextEncoder().encode("streamed"));
    await writer.close();
    let got = "";
    for await (const chunk of peer.readable) got += text(chunk);
    assert.equal(got, "streamed");
    assert.equal(await peer.read(buf), null);
    client.close();
    peer.close();
  });

  t("Unix domain sockets", async () => {
    const dir = await mkdtemp(`${tmpdir()}/evy-net-`);
    const path = `${dir}/evy.sock`;
    const server = net.listen({ transport: "unix", path });
    try {
      await server.listening();
      const accepted = spawn(() => server.accept());
      await using client = await net.connect({ transport: "unix", path });
      await using peer = await accepted.wait();
      await client.sendall("over unix");
      assert.equal(text(await peer.makefile().readExactly(9)), "over unix");
      assert.equal(client.remoteAddr.transport, "unix");
    } finally {
      server.close();
      await rm(dir, { recursive: true });
    }
  });

  t("connect to a closed port rejects with a connection error", async (server) => {
    const port = (server.addr as { port: number }).port;
    server.close();
    await assert.rejects(
      net.connect({ hostname: "127.0.0.1", port }),
      (e: { code?: string; name?: string }) => e.code === "ECONNREFUSED" || e.name === "ConnectionRefused",
    );
  });

  t(
    "a Timeout in the current thread interrupts connect-side waits and the thread reads its own errors",
    async (server) => {
      const [client, peer] = await pair(net, server);
      assert.equal(getCurrent().name, "main");
      using timeout = new Timeout(5);
      await assert.rejects(client.recv(1), (e) => e === timeout);
      timeout.cancel();
      await peer.sendall("z");
      assert.equal(text(await client.recv(1)), "z");
      client.close();
      peer.close();
    },
  );
}

// A full collection before each reading, so the memory check measures what is
// still referenced, not how far the collector happens to lag behind (which made
// the check depend on what ran before it).
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

function memory(): number {
  collect();
  const usage = process.memoryUsage();
  return usage.arrayBuffers + usage.heapUsed;
}

/** A test CA and a server certificate it signed for `localhost` and 127.0.0.1, made with `openssl`. */
export interface TestCert {
  ca: string;
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** `true` when `openssl` can be run (TLS tests are ignored with a printed reason otherwise). */
export function haveOpenssl(): boolean {
  try {
    return spawnSync("openssl", ["version"]).status === 0;
  } catch {
    return false;
  }
}

let certPromise: Promise<TestCert> | undefined;

/** Generates the test certificate once per process, in a temp dir removed at exit. */
export function testCert(): Promise<TestCert> {
  return certPromise ??= (async () => {
    const dir = await mkdtemp(`${tmpdir()}/evy-tls-`);
    const certFile = `${dir}/cert.pem`;
    const keyFile = `${dir}/key.pem`;
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    const ext = "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    await writeFile(`${dir}/ext.cnf`, ext);
    const steps = [
      [
        "req",
        "-x509",
        ...ec,
        "-keyout",
        `${dir}/ca.key`,
        "-out",
        `${dir}/ca.pem`,
        "-days",
        "2",
        "-subj",
        "/CN=evy test CA",
      ],
      ["req", ...ec, "-keyout", keyFile, "-out", `${dir}/leaf.csr`, "-subj", "/CN=localhost"],
      [
        "x509",
        "-req",
        "-in",
        `${dir}/leaf.csr`,
        "-CA",
        `${dir}/ca.pem`,
        "-CAkey",
        `${dir}/ca.key`,
        "-CAcreateserial",
        "-out",
        certFile,
        "-days",
        "2",
        "-extfile",
        `${dir}/ext.cnf`,
      ],
    ]; // deno-fmt-ignore
    for (const args of steps) {
      const made = spawnSync("openssl", args);
      if (made.status !== 0) throw new Error(`openssl ${args[0]} failed: ${made.stderr}`);
    }
    const ca = await readFile(`${dir}/ca.pem`, "utf8");
    const cert = await readFile(certFile, "utf8");
    const key = await readFile(keyFile, "utf8");
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    return { ca, cert, key, certFile, keyFile };
  })();
}

/** Registers the TLS tests for `backend`; ignored (with a printed reason) without `openssl`. */
export function tlsConformance(test: TestFn, backend: NetBackend): void {
  const net = createNet(backend);
  const ignore = !haveOpenssl();
  if (ignore) {
    console.warn(`net TLS tests (${backend.name}) ignored: openssl is not installed (apt-get install openssl)`);
  }
  const t = (title: string, fn: (cert: TestCert) => Promise<void>): void =>
    test(`net TLS (${backend.name}): ${title}`, async () => await fn(await testCert()), ignore);

  t("listenTls + connectTls: echo both ways, ALPN in handshake()", async ({ ca, cert, key }) => {
    const server = net.listenTls({ hostname: "127.0.0.1", port: 0, cert, key, alpnProtocols: ["evy"] });
    try {
      await server.listening();
      const accepted = spawn(async () => {
        const sock = await server.accept();
        await sock.sendall(await sock.makefile().readline());
        return sock;
      });
      const port = (server.addr as { port: number }).port;
      await using client = await net.connectTls({
        hostname: "127.0.0.1",
        port,
        caCerts: [ca],
        alpnProtocols: ["evy"],
      });
      assert.equal((await client.handshake()).alpnProtocol, "evy");
      await client.sendall("secret line\n");
      assert.equal(text(await client.makefile().readline()), "secret line\n");
      (await accepted.wait()).close();
    } finally {
      server.close();
    }
  });

  t("listenTls reads certFile/keyFile; an untrusted certificate is refused", async ({ certFile, keyFile }) => {
    const server = net.listenTls({ hostname: "127.0.0.1", port: 0, certFile, keyFile });
    try {
      await server.listening();
      const port = (server.addr as { port: number }).port;
      const acceptor = spawn(async () => {
        for (;;) {
          try {
            (await server.accept()).close();
          } catch (e) {
            if (e instanceof SocketClosedError) return;
          }
        }
      });
      await assert.rejects(
        async () => {
          await using sock = await net.connectTls({ hostname: "127.0.0.1", port });
          await sock.handshake();
          await sock.recv(1);
        },
        (e: Error) =>
          /certificate|UnknownIssuer|self.signed|verify/i.test(`${e.message} ${(e as { code?: string }).code}`),
      );
      server.close();
      await acceptor.wait();
    } finally {
      server.close();
    }
  });

  t("startTls upgrades a plain connection", async ({ ca, cert, key }) => {
    const server = net.listenTls({ hostname: "127.0.0.1", port: 0, cert, key });
    try {
      await server.listening();
      const accepted = spawn(async () => {
        await using sock = await server.accept();
        await sock.sendall("hello after STARTTLS\n");
        await sock.recv(1); // wait for the client to finish
      });
      const plain = await net.connect(server.addr);
      await using tls = await net.startTls(plain, { hostname: "127.0.0.1", caCerts: [ca] });
      assert.equal(plain.closed, true, "the plain socket is consumed");
      assert.equal(text(await tls.makefile().readline()), "hello after STARTTLS\n");
      await tls.sendall("x");
      await accepted.wait();
    } finally {
      server.close();
    }
  });
}
