/**
 * The ConnectionPool conformance suite on a real server: queries, reuse, the
 * size limit, put/put(null)/close, reaping, the connector. Run once per
 * adapter (postgres_test.ts, mysql_test.ts). Internal to tests/db.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ConcurrentAccessError, sleep, spawn } from "@evy/evy";
import { ConnectionClosedError, ConnectionPool, DatabaseConnector, PoolClosedError } from "@evy/evy/db";
import { admin, type DbTarget, sessionId, until } from "./_target.ts";

/** Registers the pool tests for `target`. */
export function poolSuite<P extends object, R>(target: DbTarget<P, R>): void {
  const ignore = target.params === undefined;
  const test = (name: string, fn: (params: P) => Promise<void>) =>
    Deno.test({ name: `${target.name}: ${name}`, ignore, fn: () => fn(target.params!) });

  test("Connection.query() gives rows as plain objects and rowCount, with the driver's placeholders", async (params) => {
    await using pool = new ConnectionPool(target.driver, params);
    await using conn = await pool.item();
    const result = await conn.query<{ n: number }>(target.plusOneSql, [41]);
    assert.equal(Number(result.rows[0]!.n), 42);
    assert.equal(Object.getPrototypeOf(result.rows[0]), Object.prototype);
    assert.equal(result.rowCount, 1);
    assert.ok(conn.raw !== null && typeof conn.raw === "object");
  });

  test("Connection.query() passes the driver's error through and the connection stays usable", async (params) => {
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const conn = await pool.get();
    const id = await sessionId(target, conn);
    await assert.rejects(
      conn.query("SELECT * FROM no_such_table_evy"),
      (e: Error) => /no_such_table_evy/.test(e.message),
    );
    assert.equal(await sessionId(target, conn), id);
    pool.put(conn);
    await using again = await pool.item();
    assert.equal(await sessionId(target, again), id);
  });

  test("ConnectionPool.get() reuses a connection put back", async (params) => {
    await using pool = new ConnectionPool(target.driver, params);
    const first = await pool.get();
    const id = await sessionId(target, first);
    pool.put(first);
    await using second = await pool.item();
    assert.equal(await sessionId(target, second), id);
  });

  test("ConnectionPool keeps at most maxSize sessions for many green threads", async (params) => {
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 3 });
    const ids = new Set<number>();
    const threads = Array.from({ length: 12 }, () =>
      spawn(async () => {
        await using conn = await pool.item();
        ids.add(await sessionId(target, conn));
        await sleep(5);
      }));
    for (const t of threads) await t.wait();
    assert.ok(ids.size <= 3, `sessions used: ${ids.size}`);
    assert.equal(pool.free(), 3);
  });

  test("a connection put back is useless: query() and raw throw ConnectionClosedError", async (params) => {
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const conn = await pool.get();
    await conn.close(); // close() of a pooled connection is a put
    assert.equal(pool.free(), 1);
    await assert.rejects(conn.query("SELECT 1"), ConnectionClosedError);
    assert.throws(() => conn.raw, ConnectionClosedError);
    pool.put(conn); // a second put is a no-op
    assert.equal(pool.free(), 1);
  });

  test("Connection.query() while another is pending rejects with ConcurrentAccessError", async (params) => {
    await using pool = new ConnectionPool(target.driver, params);
    await using conn = await pool.item();
    const first = conn.query("SELECT 1 AS one");
    await assert.rejects(conn.query("SELECT 2"), ConcurrentAccessError);
    assert.equal((await first).rowCount, 1);
  });

  test("ConnectionPool.put(null) frees the slot of a lost connection", async (params) => {
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const lost = await pool.get();
    assert.equal(pool.free(), 0);
    pool.put(null);
    assert.equal(pool.free(), 1);
    await using conn = await pool.item();
    assert.equal((await conn.query("SELECT 1 AS one")).rowCount, 1);
    await using look = await admin(target);
    const id = await sessionId(target, lost);
    pool.put(lost); // the lost one, found again, is closed rather than over-filling the pool
    assert.equal(pool.free(), 0);
    await until(`session ${id} to end`, async () => !(await target.sessions(look)).includes(id));
  });

  test("ConnectionPool.close() rejects a get() that was waiting with PoolClosedError", async (params) => {
    const pool = new ConnectionPool(target.driver, params, { maxSize: 1 });
    const held = await pool.get();
    const waiter = spawn(() => pool.get());
    await sleep(0);
    assert.equal(pool.waiting(), 1);
    const closing = pool.close();
    await assert.rejects(waiter.wait(), PoolClosedError);
    pool.put(held);
    await closing;
  });

  test("minSize connections are opened up front", async (params) => {
    await using look = await admin(target);
    const before = new Set(await target.sessions(look));
    const pool = new ConnectionPool(target.driver, params, { minSize: 2, maxSize: 4 });
    await until(
      "two new sessions",
      async () => (await target.sessions(look)).filter((id) => !before.has(id)).length === 2,
    );
    await pool.close();
    await until("the sessions to end", async () => (await target.sessions(look)).every((id) => before.has(id)));
  });

  test("maxIdleMs: an idle connection is closed by the pool's timer; 0 closes it when put back", async (params) => {
    await using look = await admin(target);
    for (const maxIdleMs of [30, 0]) {
      await using pool = new ConnectionPool(target.driver, params, { maxIdleMs });
      const conn = await pool.get();
      const id = await sessionId(target, conn);
      pool.put(conn);
      await until(`session ${id} to end`, async () => !(await target.sessions(look)).includes(id));
      assert.equal(pool.free(), 4);
      await using next = await pool.item();
      assert.notEqual(await sessionId(target, next), id);
    }
  });

  test("maxAgeMs: an idle connection that grows too old is closed by the pool's timer", async (params) => {
    await using look = await admin(target);
    await using pool = new ConnectionPool(target.driver, params, { maxAgeMs: 40, maxIdleMs: 60_000 });
    const conn = await pool.get();
    const id = await sessionId(target, conn);
    pool.put(conn); // young enough to be kept
    await until(`session ${id} to end`, async () => !(await target.sessions(look)).includes(id));
  });

  test("Connection.ping() is a round trip, and rejects once the connection is put back", async (params) => {
    await using pool = new ConnectionPool(target.driver, params);
    const conn = await pool.get();
    await conn.ping();
    assert.equal(conn.closed, false);
    pool.put(conn);
    assert.equal(conn.closed, true);
    await assert.rejects(conn.ping(), ConnectionClosedError);
  });

  test("maxAgeMs: a waiter is handed a fresh connection when the one put back has expired", async (params) => {
    await using pool = new ConnectionPool(target.driver, params, { maxSize: 1, maxAgeMs: 50 });
    const held = await pool.get();
    const oldId = await sessionId(target, held);
    const waiter = spawn(async () => {
      await using conn = await pool.item();
      return await sessionId(target, conn);
    });
    await sleep(60); // older than maxAgeMs
    assert.equal(pool.waiting(), 1);
    pool.put(held);
    assert.notEqual(await waiter.wait(), oldId);
  });

  test("ConnectionPool.close() closes the idle connections and later get()s reject", async (params) => {
    await using look = await admin(target);
    const pool = new ConnectionPool(target.driver, params);
    const conn = await pool.get();
    const id = await sessionId(target, conn);
    pool.put(conn);
    await pool.close();
    await until(`session ${id} to end`, async () => !(await target.sessions(look)).includes(id));
    await assert.rejects(pool.get(), PoolClosedError);
  });

  test("DatabaseConnector makes one pool per host and database, with the host's or the default credentials", async (params) => {
    const { host, database, ...credentials } = params as Record<string, unknown>;
    const wrong = target.badPassword(params) as Record<string, unknown>;
    for (
      const table of [
        { [String(host)]: credentials, default: { ...credentials, password: wrong.password } },
        { default: credentials },
      ]
    ) {
      await using connector = new DatabaseConnector(target.driver, table as unknown as Record<string, Partial<P>>, {
        maxSize: 2,
      });
      const pool = connector.get(String(host), String(database));
      assert.equal(connector.get(String(host), String(database)), pool);
      assert.notEqual(connector.get(String(host), "other"), pool);
      await using conn = await pool.item();
      assert.equal(Number((await conn.query<{ n: number }>(target.plusOneSql, [1])).rows[0]!.n), 2);
    }
  });
}
