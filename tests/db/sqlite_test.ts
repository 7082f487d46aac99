/**
 * db/sqlite.ts: the query layer over node:sqlite, every call in the
 * connection's own worker, and cancellation that really stops a statement
 * (seen from the database: its lock is released at once).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { sleep, spawn, Timeout } from "@evy/evy";
import { ConnectionPool } from "@evy/evy/db";
import { sqlite, type SqliteParams } from "@evy/evy/db/sqlite";

const hasSqlite = process.getBuiltinModule?.("node:sqlite") !== undefined;
const ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c";

function tempDb(): { path: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), "evy-sqlite-"));
  return { path: join(dir, "test.db"), [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

Deno.test({
  name: "sqlite: without node:sqlite (Node < 22.5) connect fails naming the versions it needs",
  ignore: hasSqlite,
  fn: async () => {
    using db = tempDb();
    await using pool = new ConnectionPool(sqlite, { path: db.path });
    await assert.rejects(pool.get(), /needs node:sqlite \(Deno 2\.2\+ or Node 22\.5\+\)/);
  },
});

for (const isolation of ["process", "thread"] as const) {
  Deno.test({
    name: `sqlite (${isolation}): queries give rows and rowCount, with ? placeholders, and a connection is reused`,
    ignore: !hasSqlite,
    fn: async () => {
      using db = tempDb();
      const params: SqliteParams = { path: db.path, isolation };
      await using pool = new ConnectionPool(sqlite, params, { maxSize: 2 });
      const first = await pool.get();
      await first.query("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
      assert.equal((await first.query("INSERT INTO users (name) VALUES (?), (?)", ["ann", "bob"])).rowCount, 2);
      const raw = first.raw;
      await pool.put(first);
      const again = await pool.get();
      assert.equal(again.raw, raw, "the connection went back to the pool and came out again");
      const { rows, rowCount } = await again.query("SELECT id, name FROM users WHERE name = ?", ["bob"]);
      assert.deepEqual(rows, [{ id: 2, name: "bob" }]);
      assert.equal(rowCount, 1);
      await assert.rejects(again.query("SELECT * FROM missing"), /no such table/);
      assert.deepEqual(
        (await again.query("SELECT count(*) AS n FROM users")).rows,
        [{ n: 2 }],
        "usable after an error",
      );
      await pool.put(again);
    },
  });
}

Deno.test({
  name: "sqlite: a Timeout stops a running statement at once — its write lock is released for another connection",
  ignore: !hasSqlite,
  fn: async () => {
    using db = tempDb();
    await using pool = new ConnectionPool(sqlite, { path: db.path, busyTimeoutMs: 0 }, { maxSize: 2 });
    const setup = await pool.get();
    await setup.query("CREATE TABLE t (n INTEGER)");
    await pool.put(setup);

    const holder = await pool.get();
    await holder.query("BEGIN IMMEDIATE"); // holds the write lock
    await holder.query("INSERT INTO t VALUES (1)");
    const other = await pool.get();
    await assert.rejects(other.query("INSERT INTO t VALUES (2)"), /locked|busy/i, "the lock is held");

    await assert.rejects(
      (async () => {
        using _t = new Timeout(100);
        await holder.query(ENDLESS);
      })(),
      Timeout, // the statement is endless: the caller got here only because the Timeout released it
    );
    await pool.put(holder); // discarded: interrupted
    // Once the interrupted connection is closed its worker process is gone and sqlite's lock with it.
    for (let i = 0; i < 200; i++) {
      try {
        await other.query("INSERT INTO t VALUES (3)");
        break;
      } catch (error) {
        if (!/locked|busy/i.test(String(error))) throw error;
        await sleep(10);
      }
    }
    assert.deepEqual(
      (await other.query("SELECT n FROM t")).rows,
      [{ n: 3 }],
      "the holder's transaction was rolled back",
    );
    await pool.put(other);
  },
});

Deno.test({
  name: "sqlite: a killed thread's query is stopped and the pool goes on",
  ignore: !hasSqlite,
  fn: async () => {
    using db = tempDb();
    await using pool = new ConnectionPool(sqlite, { path: db.path }, { maxSize: 1 });
    const gt = spawn(async () => {
      await using conn = await pool.item();
      await conn.query(ENDLESS);
    });
    await sleep(200);
    await gt.kill();
    await assert.rejects(gt.wait());
    await using conn = await pool.item(); // the one slot came back
    assert.deepEqual((await conn.query("SELECT 41 + 1 AS n")).rows, [{ n: 42 }]);
  },
});

Deno.test("sqlite: bad params are a clear error at connect", async () => {
  await using pool = new ConnectionPool(sqlite, { path: "" } as SqliteParams);
  await assert.rejects(pool.get(), /params\.path must be a non-empty string/);
});
