/**
 * The sqlite adapter, on the runtime's own `node:sqlite`: `sqlite` plugs into
 * {@linkcode ConnectionPool} and {@linkcode DatabaseConnector} with params
 * `{ path }`. Placeholders are sqlite's (`?`, `?NNN`, `:name` with an object).
 *
 * `node:sqlite` blocks: every call would stop every green thread. So, as
 * Eventlet's `TpooledConnectionPool` runs each call of a blocking DB-API in
 * its thread pool, each sqlite connection here owns a one-worker
 * {@linkcode ThreadPool} (`@evy/evy/green/tpool`) holding its `DatabaseSync`
 * — one worker each, because a connection's state cannot move between
 * workers — and every query is a green wait on that worker.
 *
 * **Cancellation.** A running sqlite statement is native code: neither a
 * Worker's `terminate()` nor anything else in JavaScript stops it before it
 * returns. So by default (`isolation: "process"`) the worker is a child
 * process, and a query interrupted by kill or Timeout is stopped by ending
 * that process — its locks are released at once (another connection can
 * write) — at a cost of a process round trip per call (some 0.1–0.5 ms here).
 * With `isolation: "thread"` calls are cheaper, and an interrupted statement
 * runs on to its end in the abandoned worker before the connection closes.
 * Either way the caller is released at once and the connection is discarded.
 *
 * Needs `node:sqlite`: Deno 2.2 and later, Node 22.5 and later. On Node 20
 * `connect` fails with an error saying so.
 *
 * @example The adapter's contract
 * ```ts
 * import { sqlite } from "@evy/evy/db/sqlite";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sqlite.name, "sqlite");
 * assert.equal(sqlite.describe({ path: "/var/lib/app/data.db" }), "sqlite:/var/lib/app/data.db");
 * ```
 *
 * @example A pool of sqlite connections
 * ```ts
 * import { ConnectionPool } from "@evy/evy/db";
 * import { sqlite } from "@evy/evy/db/sqlite";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = mkdtempSync(join(tmpdir(), "evy-sqlite-doc-"));
 * {
 *   await using pool = new ConnectionPool(sqlite, { path: join(dir, "app.db") }, { maxSize: 2 });
 *   await using conn = await pool.item();
 *   await conn.query("CREATE TABLE t (n INTEGER)");
 *   assert.equal((await conn.query("INSERT INTO t VALUES (?), (?)", [1, 2])).rowCount, 2);
 *   assert.deepEqual((await conn.query("SELECT sum(n) AS s FROM t")).rows, [{ s: 3 }]);
 * }
 * rmSync(dir, { recursive: true });
 * ```
 *
 * @module
 */
import { nodeBuiltin } from "../hubs/runtime.ts";
import { ThreadPool } from "../green/thread_pool.ts";
import type { Driver, QueryResult } from "./driver.ts";

/** Where and how to open a sqlite database. */
export interface SqliteParams {
  /** The database file (created if missing), or `":memory:"` (one database per connection). */
  path: string;
  /** Open read-only. @default {false} */
  readOnly?: boolean;
  /** How long a statement waits for another connection's lock (sqlite's `busy_timeout`). @default {5000} */
  busyTimeoutMs?: number;
  /**
   * Where the connection's worker runs: `"process"` (a child process, which
   * an interrupted query ends at once) or `"thread"` (cheaper calls; an
   * interrupted statement runs on to its end). @default {"process"}
   */
  isolation?: "process" | "thread";
}

/** `conn.raw` of a sqlite connection: the connection's own one-worker pool, and what it opened. */
export interface SqliteClient {
  /** The one-worker pool whose worker holds this connection's `DatabaseSync`. */
  readonly pool: ThreadPool;
  /** The database file. */
  readonly path: string;
}

const WORKER = new URL("./_sqlite_worker_node.ts", import.meta.url);
const lost = new WeakSet<SqliteClient>();

function checkAvailable(): void {
  if (nodeBuiltin<object | undefined>("node:sqlite") !== undefined) return;
  const version = (globalThis as { process?: { version?: string } }).process?.version ?? "this runtime";
  throw new Error(`db/sqlite needs node:sqlite (Deno 2.2+ or Node 22.5+); ${version} has none`);
}

function call<T>(raw: SqliteClient, name: string, ...args: unknown[]): Promise<T> {
  return (raw.pool.execute(WORKER, name, ...args) as Promise<T>).catch((error) => {
    if (
      (error as { name?: string })?.name !== "SQLiteError" && (error as { code?: string })?.code !== "ERR_SQLITE_ERROR"
    ) {
      lost.add(raw); // the worker died or was stopped: this connection is gone
    }
    throw error;
  });
}

/** The sqlite adapter (`node:sqlite`, every call in the connection's own worker). */
export const sqlite: Driver<SqliteParams, SqliteClient> = {
  name: "sqlite",

  async connect(params, signal) {
    if (params === null || typeof params !== "object" || typeof params.path !== "string" || params.path === "") {
      throw new TypeError("sqlite: params.path must be a non-empty string");
    }
    checkAvailable();
    const isolation = params.isolation ?? "process";
    if (isolation !== "process" && isolation !== "thread") {
      throw new RangeError(`sqlite: params.isolation must be "process" or "thread", got ${JSON.stringify(isolation)}`);
    }
    const raw: SqliteClient = { pool: new ThreadPool({ size: 1, isolation }), path: params.path };
    const stop = (): void => void raw.pool.killall().catch(() => {});
    signal.addEventListener("abort", stop, { once: true });
    try {
      await call(raw, "open", params.path, params.readOnly ?? false, params.busyTimeoutMs ?? 5_000);
      return raw;
    } catch (error) {
      await raw.pool.killall().catch(() => {});
      throw error;
    } finally {
      signal.removeEventListener("abort", stop);
    }
  },

  query(raw, sql, values) {
    return call<QueryResult>(raw, "query", sql, values === undefined ? [] : [...values]);
  },

  async cancel(raw) {
    // A native statement cannot be interrupted from JavaScript: stop its worker (a child process ends at once).
    lost.add(raw);
    await raw.pool.killall().catch(() => {});
  },

  ping: (raw) => call<void>(raw, "ping"),

  usable: (raw) => !lost.has(raw),

  async close(raw) {
    if (!lost.has(raw)) await call(raw, "close").catch(() => {});
    lost.add(raw);
    await raw.pool.killall().catch(() => {});
  },

  describe: (params) => `sqlite:${params.path}`,
};
