/**
 * The ConnectionPool fault suite on a real server: kill and Timeout stop the
 * query on the server, refused and silent servers, a session ended by the
 * server, a server restart. Each check is made on the server's side
 * (`pg_stat_activity`, `SHOW PROCESSLIST`) or the socket's. Run once per
 * adapter. Internal to tests/db.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawn, Timeout } from "@evy/evy";
import { ConnectError, ConnectionClosedError, ConnectionPool, ConnectTimeout, type Driver } from "@evy/evy/db";
import { listen } from "@evy/evy/green/net";
import { admin, type DbTarget, marker, sessionId, until } from "./_target.ts";

/** Registers the fault tests for `target`. */
export function faultsSuite<P extends object, R>(target: DbTarget<P, R>): void {
  const ignore = target.params === undefined;
  const test = (name: string, fn: (params: P) => Promise<void>) =>
    Deno.test({ name: `${target.name}: ${name}`, ignore, fn: () => fn(target.params!) });

  test("a Timeout stops the query on the server, releases the caller and discards the connection", async (params) => {
    await using look = await admin(target);
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const tag = marker();
    const conn = await pool.get();
    const id = await sessionId(target, conn);
    const started = spawn(() => until("the query to run", async () => (await target.running(look, tag)).length === 1));
    const t = new Timeout(200);
    await assert.rejects(conn.query(target.slowSql(tag)), (e) => e === t);
    t.cancel();
    await started.wait(); // it did run on the server
    await assert.rejects(conn.query("SELECT 1"), ConnectionClosedError);
    pool.put(conn);
    await until("the query to be gone", async () => (await target.running(look, tag)).length === 0);
    await until(`session ${id} to end`, async () => !(await target.sessions(look)).includes(id));
    await using next = await pool.item();
    assert.notEqual(await sessionId(target, next), id);
  });

  test("kill of a thread in a query stops the query on the server and frees its slot", async (params) => {
    await using look = await admin(target);
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const tag = marker();
    const worker = spawn(async () => {
      await using conn = await pool.item();
      await conn.query(target.slowSql(tag));
    });
    await until("the query to run", async () => (await target.running(look, tag)).length === 1);
    await worker.kill();
    await until("the query to be gone", async () => (await target.running(look, tag)).length === 0);
    await until("the slot to come back", () => pool.free() === 1);
    await using next = await pool.item();
    assert.equal((await next.query("SELECT 1 AS one")).rowCount, 1);
  });

  test("wrong credentials: get() rejects with ConnectError and the pool's size is unchanged", async (params) => {
    await using pool = new ConnectionPool(target.driver, target.badPassword(params), { maxSize: 2 });
    const error = await pool.get().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConnectError && !(error instanceof ConnectTimeout), String(error));
    assert.match(error.message, /password|denied/i);
    assert.ok(error.cause instanceof Error);
    assert.equal(pool.free(), 2);
  });

  test("connectTimeoutMs: a silent server gives ConnectTimeout, the attempt's socket is closed, the size unchanged", async (params) => {
    using silent = await listen({ hostname: "127.0.0.1", port: 0 }).listening();
    await using pool = new ConnectionPool(target.driver, target.atPort(params, silent.addr.port), {
      maxSize: 2,
      connectTimeoutMs: 100,
    });
    const accepted = spawn(async () => {
      await using sock = await silent.accept();
      // mysql waits for the server's greeting, pg sends its startup packet: either way, read to EOF.
      while ((await sock.recv()).length > 0);
    });
    await assert.rejects(pool.get(), ConnectTimeout);
    assert.equal(pool.free(), 2);
    await accepted.wait(); // EOF: the client side really gave up
  });

  test("a connection that arrives after its get() gave up is closed, never leaked", async (params) => {
    await using look = await admin(target);
    const before = new Set(await target.sessions(look));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => open = resolve);
    let arrived: Promise<R> | undefined;
    // The real driver, made deaf to the abort, so that its connection completes after the ConnectTimeout.
    const deaf: Driver<P, R> = {
      ...target.driver,
      connect: (p) => arrived = gate.then(() => target.driver.connect(p, new AbortController().signal)),
    };
    await using pool = new ConnectionPool(deaf, params, { maxSize: 1, connectTimeoutMs: 50 });
    await assert.rejects(pool.get(), ConnectTimeout);
    assert.equal(pool.free(), 1);
    open();
    await arrived;
    await until("the late session to end", async () => (await target.sessions(look)).every((id) => before.has(id)));
  });

  test("a get() killed while connecting closes the attempt and frees its slot", async (params) => {
    using silent = await listen({ hostname: "127.0.0.1", port: 0 }).listening();
    await using pool = new ConnectionPool(target.driver, target.atPort(params, silent.addr.port), { maxSize: 1 });
    const getter = spawn(() => pool.get());
    await using sock = await silent.accept();
    await getter.kill();
    while ((await sock.recv()).length > 0);
    assert.equal(pool.free(), 1);
  });

  test("a session ended by the server mid-query rejects, is discarded, and the next get() works", async (params) => {
    await using look = await admin(target);
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const tag = marker();
    const conn = await pool.get();
    const id = await sessionId(target, conn);
    const query = conn.query(target.slowSql(tag));
    const outcome = query.then(() => undefined, (e: unknown) => e);
    await until("the query to run", async () => (await target.running(look, tag)).length === 1);
    await look.query(target.terminateSql(id));
    assert.ok(await outcome instanceof Error);
    pool.put(conn);
    await using next = await pool.item();
    assert.notEqual(await sessionId(target, next), id);
  });

  test("after a server restart the pool recovers: idle connections are replaced", async (params) => {
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 2 });
    const a = await pool.get();
    const b = await pool.get();
    pool.put(a);
    pool.put(b);
    await target.restart();
    for (let i = 0; i < 3; i++) {
      await using conn = await pool.item();
      assert.equal((await conn.query("SELECT 1 AS one")).rowCount, 1);
    }
  });

  test("a server restart mid-query rejects that query and the pool goes on with a new session", async (params) => {
    await using look = await admin(target);
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const tag = marker();
    const conn = await pool.get();
    const outcome = conn.query(target.slowSql(tag)).then(() => undefined, (e: unknown) => e);
    await until("the query to run", async () => (await target.running(look, tag)).length === 1);
    await target.restart();
    assert.ok(await outcome instanceof Error);
    pool.put(conn);
    await using next = await pool.item();
    assert.equal((await next.query("SELECT 1 AS one")).rowCount, 1);
  });
}
