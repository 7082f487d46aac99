/**
 * The MySQL/MariaDB adapter, on npm's `mysql2`: `mysql` plugs into
 * {@linkcode ConnectionPool} and {@linkcode DatabaseConnector}. Placeholders
 * are mysql2's own (`?`, escaped on the client); `conn.raw` is the mysql2
 * (callback) `Connection` — `conn.raw.promise()` gives its promise face.
 *
 * A query interrupted by kill or Timeout is stopped on the server by
 * `KILL QUERY <thread id>` sent from a side connection (MySQL has no other
 * way), then its connection is closed. A session that the server ends
 * (`KILL`, a restart) is noticed and never handed out again.
 *
 * This entry point loads `mysql2`; `@evy/evy/db` itself never does. On npm,
 * `mysql2` is an optional peer dependency of evy: install it beside evy.
 *
 * @example A pool of MariaDB connections
 * ```ts ignore
 * import { ConnectionPool } from "@evy/evy/db";
 * import { mysql } from "@evy/evy/db/mysql";
 *
 * await using pool = new ConnectionPool(mysql, {
 *   host: "127.0.0.1", port: 3306, user: "app", password: "secret", database: "app",
 * }, { maxSize: 10 });
 * await using conn = await pool.item();
 * const { rows } = await conn.query("SELECT ? + 1 AS n", [41]);
 * ```
 *
 * @example The adapter's contract
 * ```ts
 * import { mysql } from "@evy/evy/db/mysql";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mysql.describe({ host: "db", port: 3306, user: "app", database: "sales" }), "mysql://app@db:3306/sales");
 * ```
 *
 * @module
 */
import mysql2 from "mysql2";
import type { Driver, QueryResult } from "./driver.ts";

/** mysql2's connection options (`host`, `port`, `user`, `password`, `database`, `ssl`, …). */
export type MysqlParams = mysql2.ConnectionOptions;

/** A mysql2 (callback) connection, `conn.raw` of a MySQL connection. */
export type MysqlClient = mysql2.Connection;

/** Connections the server or the network has closed. */
const lost = new WeakSet<MysqlClient>();

function open(params: MysqlParams, signal?: AbortSignal): Promise<MysqlClient> {
  const client = mysql2.createConnection(params);
  // An 'error' nobody listens to would crash the process: a lost session is noted instead.
  client.on("error", () => lost.add(client));
  client.on("end", () => lost.add(client));
  return new Promise<MysqlClient>((resolve, reject) => {
    const stop = () => client.destroy();
    signal?.addEventListener("abort", stop, { once: true });
    client.connect((error) => {
      signal?.removeEventListener("abort", stop);
      if (error) {
        lost.add(client);
        client.destroy();
        reject(error);
      } else resolve(client);
    });
  });
}

function run(client: MysqlClient, sql: string, values: readonly unknown[] | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    client.query(sql, values as unknown[] | undefined, (error, results) => {
      if (error === null) return resolve(results);
      // A fatal error ends the session: noted now, before the caller can put the connection back.
      if ((error as { fatal?: boolean }).fatal) lost.add(client);
      reject(error);
    });
  });
}

function end(client: MysqlClient): Promise<void> {
  if (lost.has(client)) {
    client.destroy();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    client.end(() => {
      client.destroy();
      resolve();
    });
  });
}

/**
 * The MySQL/MariaDB driver for {@linkcode ConnectionPool}: connections are
 * mysql2 `Connection`s; cancel runs `KILL QUERY` from a side connection.
 *
 * @example Checking a driver's name
 * ```ts
 * import { mysql } from "@evy/evy/db/mysql";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mysql.name, "mysql");
 * ```
 */
export const mysql: Driver<MysqlParams, MysqlClient> = {
  name: "mysql",

  connect(params: MysqlParams, signal: AbortSignal): Promise<MysqlClient> {
    return open(params, signal);
  },

  async query(client: MysqlClient, sql: string, values: readonly unknown[] | undefined): Promise<QueryResult> {
    const results = await run(client, sql, values);
    if (Array.isArray(results)) {
      const rows = results.map((row) => ({ ...row }));
      return { rows, rowCount: rows.length };
    }
    const header = results as { affectedRows?: number };
    return { rows: [], rowCount: header.affectedRows ?? 0 };
  },

  async cancel(client: MysqlClient, params: MysqlParams): Promise<void> {
    if (lost.has(client)) return;
    const side = await open(params);
    try {
      await run(side, `KILL QUERY ${Number(client.threadId)}`, undefined);
    } finally {
      await end(side);
    }
  },

  async ping(client: MysqlClient): Promise<void> {
    await run(client, "SELECT 1", undefined);
  },

  usable(client: MysqlClient): boolean {
    return !lost.has(client);
  },

  close(client: MysqlClient): Promise<void> {
    return end(client);
  },

  describe(params: MysqlParams): string {
    return `mysql://${params.user ?? ""}@${params.host ?? "localhost"}:${params.port ?? 3306}/${params.database ?? ""}`;
  },
};
