/**
 * The PostgreSQL adapter, on npm's `pg` (node-postgres): `postgres` plugs
 * into {@linkcode ConnectionPool} and {@linkcode DatabaseConnector}.
 * Placeholders are pg's own (`$1`, `$2`); `conn.raw` is the `pg.Client`.
 *
 * A query interrupted by kill or Timeout is stopped on the server by
 * PostgreSQL's **cancel request** (the protocol's `CancelRequest` with the
 * session's key, sent on a green socket of its own: node-postgres has no
 * public call for it), then its connection is closed. A session that the
 * server ends (`pg_terminate_backend`, a restart) is noticed and never handed
 * out again.
 *
 * This entry point loads `pg`; `@evy/evy/db` itself never does. On npm, `pg`
 * is an optional peer dependency of evy: install it beside evy.
 *
 * @example A pool of PostgreSQL connections
 * ```ts ignore
 * import { ConnectionPool } from "@evy/evy/db";
 * import { postgres } from "@evy/evy/db/postgres";
 *
 * await using pool = new ConnectionPool(postgres, {
 *   host: "127.0.0.1", port: 5432, user: "app", password: "secret", database: "app",
 * }, { maxSize: 10 });
 * await using conn = await pool.item();
 * const { rows } = await conn.query<{ n: number }>("SELECT $1::int AS n", [42]);
 * ```
 *
 * @example The adapter's contract
 * ```ts
 * import { postgres } from "@evy/evy/db/postgres";
 * import assert from "node:assert/strict";
 *
 * assert.equal(postgres.name, "postgres");
 * assert.equal(postgres.describe({ host: "db", port: 5432, user: "app", database: "sales" }), "postgres://app@db:5432/sales");
 * ```
 *
 * @module
 */
import pg from "pg";
import { connect as greenConnect } from "../green/net.ts";
import type { Driver, QueryResult } from "./driver.ts";

/** pg's connection parameters (`pg.ClientConfig`: `host`, `port`, `user`, `password`, `database`, `ssl`, …). */
export type PostgresParams = pg.ClientConfig;

/** A node-postgres client (`pg.Client`), `conn.raw` of a PostgreSQL connection. */
export type PostgresClient = pg.Client;

/** What the adapter knows of a client beyond pg's public API. */
interface ClientInternals {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
  connection: { stream: { destroy(error?: Error): void } };
}

/** Clients the server or the network has closed. */
const lost = new WeakSet<pg.Client>();

function internals(client: pg.Client): ClientInternals {
  return client as unknown as ClientInternals;
}

/** The protocol's CancelRequest: length 16, code 80877102, then the session's process id and secret key. */
function cancelRequest(processID: number, secretKey: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 16);
  view.setInt32(4, 80877102);
  view.setInt32(8, processID);
  view.setInt32(12, secretKey);
  return bytes;
}

/**
 * The PostgreSQL driver for {@linkcode ConnectionPool}: connections are
 * `pg.Client`s; cancel sends PostgreSQL's cancel request.
 *
 * @example Checking a driver's name
 * ```ts
 * import { postgres } from "@evy/evy/db/postgres";
 * import assert from "node:assert/strict";
 *
 * assert.equal(postgres.name, "postgres");
 * ```
 */
export const postgres: Driver<PostgresParams, PostgresClient> = {
  name: "postgres",

  async connect(params: PostgresParams, signal: AbortSignal): Promise<pg.Client> {
    const client = new pg.Client(params);
    // An 'error' nobody listens to would crash the process: a lost session is noted instead.
    client.on("error", () => lost.add(client));
    client.on("end", () => lost.add(client));
    const stop = () => internals(client).connection.stream.destroy(new Error("connect aborted"));
    signal.addEventListener("abort", stop, { once: true });
    try {
      await client.connect();
    } finally {
      signal.removeEventListener("abort", stop);
    }
    return client;
  },

  async query(client: pg.Client, sql: string, values: readonly unknown[] | undefined): Promise<QueryResult> {
    let result: pg.QueryResult | pg.QueryResult[];
    try {
      result = await client.query(sql, values as unknown[] | undefined);
    } catch (error) {
      // A FATAL error ends the session, and so does an error with no severity (the socket failed):
      // noted now, since pg's 'end' event may come after the caller has put the connection back.
      const severity = (error as { severity?: unknown })?.severity;
      if (severity === undefined || severity === "FATAL" || severity === "PANIC") lost.add(client);
      throw error;
    }
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    const rows = last?.rows ?? [];
    return { rows, rowCount: last?.rowCount ?? rows.length };
  },

  async cancel(client: pg.Client): Promise<void> {
    const { processID, secretKey, host, port } = internals(client);
    if (processID === null || secretKey === null || lost.has(client)) return;
    const socket = await greenConnect(
      host.startsWith("/") ? { transport: "unix", path: `${host}/.s.PGSQL.${port}` } : { hostname: host, port },
    );
    try {
      await socket.sendall(cancelRequest(processID, secretKey));
      // The server closes the socket once it has signalled the session.
      while ((await socket.recv(64)).length > 0);
    } finally {
      socket.close();
    }
  },

  async ping(client: pg.Client): Promise<void> {
    await client.query("SELECT 1");
  },

  usable(client: pg.Client): boolean {
    return !lost.has(client);
  },

  async close(client: pg.Client): Promise<void> {
    try {
      await client.end();
    } catch {
      internals(client).connection.stream.destroy();
    }
  },

  describe(params: PostgresParams): string {
    const host = params.host ?? "localhost";
    return `postgres://${params.user ?? ""}@${host}:${params.port ?? 5432}/${params.database ?? ""}`;
  },
};
