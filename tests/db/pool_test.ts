/**
 * ConnectionPool and DatabaseConnector argument checks: wrong arguments
 * throw at the call, naming the argument. (Behaviour on real servers is in
 * postgres_test.ts and mysql_test.ts.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { Connection, ConnectionPool, DatabaseConnector, type Driver } from "@evy/evy/db";
import { postgres } from "@evy/evy/db/postgres";
import type pg from "pg";

const params = { host: "127.0.0.1", port: 1, user: "evy", database: "evy" };

Deno.test("new ConnectionPool() throws RangeError naming a negative size or maxSize < minSize", () => {
  assert.throws(
    () => new ConnectionPool(postgres, params, { minSize: -1 }),
    (e: Error) => e instanceof RangeError && /options\.minSize/.test(e.message),
  );
  assert.throws(
    () => new ConnectionPool(postgres, params, { maxSize: -1 }),
    (e: Error) => e instanceof RangeError && /options\.maxSize/.test(e.message),
  );
  assert.throws(
    () => new ConnectionPool(postgres, params, { minSize: 3, maxSize: 2 }),
    (e: Error) => e instanceof RangeError && /options\.maxSize \(2\).*options\.minSize \(3\)/.test(e.message),
  );
  for (const name of ["maxIdleMs", "maxAgeMs", "connectTimeoutMs"]) {
    assert.throws(
      () => new ConnectionPool(postgres, params, { [name]: -5 }),
      (e: Error) => e instanceof RangeError && e.message.includes(`options.${name}`),
    );
  }
});

Deno.test("new ConnectionPool() throws TypeError for a non-driver, non-object options or a non-integer size", () => {
  assert.throws(() => new ConnectionPool(null as unknown as Driver<unknown, unknown>, params), TypeError);
  assert.throws(() => new ConnectionPool(postgres, params, 5 as unknown as object), TypeError);
  assert.throws(
    () => new ConnectionPool(postgres, params, { maxSize: 1.5 }),
    (e: Error) => e instanceof TypeError && e.message.includes("options.maxSize"),
  );
  assert.throws(() => new ConnectionPool(postgres, params, { maxIdleMs: "10" as unknown as number }), TypeError);
});

Deno.test("ConnectionPool.put() throws TypeError for what is not one of its connections", async () => {
  await using pool = new ConnectionPool(postgres, params);
  assert.throws(() => pool.put({} as Connection<pg.Client>), TypeError);
  const stranger = new Connection(postgres as Driver<unknown, pg.Client>, {} as pg.Client, {
    params,
    onRelease: () => {},
  });
  assert.throws(() => pool.put(stranger), /not a connection of this pool/);
});

Deno.test("new DatabaseConnector() and get() check their arguments", async () => {
  assert.throws(() => new DatabaseConnector(postgres, null as unknown as Record<string, never>), TypeError);
  assert.throws(() => new DatabaseConnector(postgres, {}, { maxSize: -1 }), RangeError);
  await using connector = new DatabaseConnector(postgres, {});
  assert.throws(() => connector.get(1 as unknown as string, "db"), /host must be a string/);
  assert.throws(() => connector.get("h", undefined as unknown as string), /database must be a string/);
});

Deno.test("Connection.query() throws TypeError for a non-string sql or non-array values", async () => {
  const conn = new Connection(postgres as Driver<unknown, never>, {} as never, { params, onRelease: () => {} });
  assert.throws(() => conn.query(42 as unknown as string), /sql must be a string/);
  assert.throws(() => conn.query("SELECT $1", "x" as unknown as unknown[]), /values must be an array/);
  await conn.close();
});
