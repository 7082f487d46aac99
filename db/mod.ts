/**
 * evy's database layer (Eventlet's `db_pool`): cooperative database calls,
 * a limit on connections per server, and connection reuse, with queries that
 * kill and Timeout stop **on the server**.
 *
 * - {@linkcode ConnectionPool} — a pool of connections of one driver to one server;
 * - {@linkcode DatabaseConnector} — a pool per host and database;
 * - {@linkcode Connection} — the one query layer: `await conn.query(sql, values?)`
 *   → `{ rows, rowCount }`, and `conn.raw` for the driver's own client;
 * - {@linkcode Driver} — the adapter contract. The adapters have their own
 *   entry points, so loading one never loads another's npm package:
 *   `postgres` from `@evy/evy/db/postgres` (npm `pg`), `mysql` from
 *   `@evy/evy/db/mysql` (npm `mysql2`, for MySQL and MariaDB).
 *
 * ```ts ignore
 * import { Timeout } from "@evy/evy";
 * import { ConnectionPool } from "@evy/evy/db";
 * import { postgres } from "@evy/evy/db/postgres";
 *
 * await using pool = new ConnectionPool(postgres, { host: "127.0.0.1", user: "app", database: "app" }, { maxSize: 10 });
 * await using conn = await pool.item();
 * const { rows } = await conn.query("SELECT id, name FROM users WHERE id = $1", [42]);
 * using _t = new Timeout(100);
 * await conn.query("SELECT pg_sleep(10)"); // throws the Timeout after 100 ms; the server stops the query too
 * ```
 *
 * @example A pool over an adapter of your own
 * ```ts
 * import { ConnectionPool, type Driver } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * const memory: Driver<null, object> = {
 *   name: "memory",
 *   connect: () => Promise.resolve({}),
 *   query: (_raw, sql) => Promise.resolve({ rows: [{ sql }], rowCount: 1 }),
 *   cancel: () => Promise.resolve(),
 *   ping: () => Promise.resolve(),
 *   usable: () => true,
 *   close: () => Promise.resolve(),
 *   describe: () => "memory:",
 * };
 * await using pool = new ConnectionPool(memory, null);
 * await using conn = await pool.item();
 * assert.deepEqual(await conn.query("SELECT 1"), { rows: [{ sql: "SELECT 1" }], rowCount: 1 });
 * ```
 *
 * @module
 */
export { Connection, type ConnectionOptions, type ConnectionRelease } from "./connection.ts";
export { DatabaseConnector } from "./connector.ts";
export type { Driver, QueryResult } from "./driver.ts";
export { ConnectError, ConnectionClosedError, ConnectTimeout, PoolClosedError } from "./errors.ts";
export { ConnectionPool, type ConnectionPoolOptions } from "./pool.ts";
